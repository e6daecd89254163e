import type { InteractionType } from '../core/types.js';
import type { RecommendationList, RecommendOptions, ScoredItem } from '../recommender/contract.js';

/** The engine's answer: the contract's list plus the model version and the time it took. */
export interface EngineRecommendation extends RecommendationList {
  modelVersion: string;
  tookMs: number;
}

export type EngineRecommendOptions = RecommendOptions;
export type { ScoredItem };

/** Reported to `onAdaptation` hooks after each adaptation is swapped in. */
export interface AdaptationReport {
  user: string;
  modelVersion: string;
  /** From scheduling to swap-in, including the wait in the queue (ms). */
  totalMs: number;
  /** Time in SGD (eq. 7) and in re-projection, inside the worker (ms). */
  sgdMs: number;
  projectMs: number;
  steps: number;
  positives: number;
  negatives: number;
  lossBefore: number;
  lossAfter: number;
}

export interface EngineStats {
  modelVersion: string;
  events: number;
  users: number;
  /** Users holding a personal delta (adapted at least once in the current lifetime). */
  personalisedUsers: number;
  /** Personalised users whose projected catalogue is in memory. */
  activeUsers: number;
  bytes: { projections: number; weights: number; history: number; shared: number };
  /** Mean bytes per active personalised user (projection + delta + history) and per other user. */
  bytesPerActiveUser: number;
  bytesPerIdleUser: number;
  /** Mean bytes per personalised user without a projection in memory (float16 delta + EMA + history). */
  bytesPerIdlePersonalisedUser: number;
  queueDepth: number;
  adaptations: { count: number; failed: number; meanMs: number; p50Ms: number; p99Ms: number; meanSgdMs: number; meanProjectMs: number };
}

/** A user's compact, JSON-serialisable state (for snapshots to storage); float arrays are base64 little-endian float32. */
export interface UserStateSnapshot {
  user: string;
  modelVersion: string;
  history: Array<{ item: string; type: InteractionType; timestamp: number }>;
  purchased: string[];
  ema: string | null;
  delta: { rank: number; hidden: number; out: number; a: string; b: string } | null;
  personalSince: number;
  lastSeen: number;
}
