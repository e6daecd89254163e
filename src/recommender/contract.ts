import type { Catalogue } from '../catalogue/catalogue.js';
import type { Interaction, TimeWindow } from '../core/types.js';
import type { EventLog } from '../events/event-log.js';

/**
 * The one contract that Tailor's engine and every baseline implement, and the only thing the
 * evaluation harness knows about a model (benfred/implicit style: fit once, then ingest / recommend).
 */

/** What a model may learn from before the test stream starts. */
export interface TrainingData {
  /** Events of the training window, sorted by time, sharing the catalogue's item dictionary. */
  log: EventLog;
  catalogue: Catalogue;
  window: TimeWindow;
  seed?: number;
}

export interface RecommendOptions {
  /** How many items to return. */
  k: number;
  /** Leave out items the user already purchased. */
  excludePurchased?: boolean;
  /** Only items for which this returns true (by catalogue index) are eligible. */
  filter?: (itemIndex: number) => boolean;
}

export interface ScoredItem {
  item: string;
  /** Higher is better; for distance-based models, the negative distance. */
  score: number;
}

export interface RecommendationList {
  items: ScoredItem[];
  /** 'personalised' (a personal model or history was used), 'cold-start' (global space) or 'popular' (no history). */
  source: 'personalised' | 'cold-start' | 'popular';
}

export interface Recommender {
  /** Stable model name used in results tables (e.g. `popularity`, `tailor-2w`). */
  readonly name: string;
  /** Learns from a training window; models without training may do nothing. */
  fit(data: TrainingData): Promise<void>;
  /** Takes one new event of the live stream, in time order. */
  ingest(event: Interaction): void | Promise<void>;
  /** The top-k items for `user`, best first, in-stock only. */
  recommend(user: string, opts: RecommendOptions): RecommendationList | Promise<RecommendationList>;
  /** Forgets per-user state (daily cold start); optional. */
  resetUsers?(): void | Promise<void>;
  /** Releases threads and handles; optional. */
  close?(): Promise<void>;
}
