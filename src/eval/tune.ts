import type { ModelArtifact } from '../artifact/types.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { TailorConfig } from '../core/config.js';
import { Rng } from '../core/rng.js';
import { TailorRecommender } from '../engine/tailor-recommender.js';
import type { EventLog } from '../events/event-log.js';
import { configToJson } from './load.js';
import { replay } from './replay.js';
import { isValidationUser, temporalSplit } from './split.js';
import { trainForEval } from './train-artifact.js';

/**
 * The hyper-parameter grid of the paper's Table 5 (values from SPEC §6 and a secondary source), split into the
 * offline part (needs a new teacher + student per trial) and the online part (replays with one trained artifact).
 */
export const OFFLINE_GRID = {
  teacherHidden: [[], [256], [256, 128]] as number[][],
  studentHidden: [[256], [256, 128], [128]] as number[][],
  neighbourAgg: ['mean', 'max', 'sum'] as const,
  relationAgg: ['mean', 'sum', 'max'] as const,
  weightedSampling: [true, false],
  lr: [1e-3, 3e-3, 1e-2],
  weightDecay: [0, 1e-5, 1e-4],
  margin: [0.5, 1, 2],
  loss: ['margin', 'difference'] as const,
};

export const ONLINE_GRID = {
  maxSteps: [1, 5, 10, 20, 40, 80],
  lr: [1e-3, 1e-2, 5e-2],
  weightDecay: [0, 1e-4, 1e-3],
  adaptEvery: [1, 2, 3, 5, 7, 9],
  /** Infinity = pull positives only. */
  margin: [1, 100, Number.POSITIVE_INFINITY],
  alpha: [0.1, 0.3, 0.5, 0.7],
};

export interface TuneOptions {
  trainDays: number;
  /** Days of the stream after the training window used for validation. */
  valDays: number;
  /** Share of users whose prediction points score a trial (the user-based validation split). */
  valFraction: number;
  /** Wall-clock budget in seconds for the whole search (checked between trials). */
  budgetSeconds: number;
  /** At most this many offline / online trials (the defaults come first). */
  offlineTrials: number;
  onlineTrials: number;
  /** What to maximise: F1 on the all or the discovery view. */
  objective: 'all' | 'discovery';
  k: number;
  n: number;
  seed: number;
  quiet?: boolean;
  log?: (line: string) => void;
}

export interface Trial {
  stage: 'offline' | 'online';
  params: Record<string, unknown>;
  f1: number;
  precision: number;
  recall: number;
  points: number;
  seconds: number;
}

export interface TuneResult {
  best: TailorConfig;
  bestF1: number;
  objective: 'all' | 'discovery';
  trials: Trial[];
  seconds: number;
  stoppedByBudget: boolean;
}

/**
 * Random search over Table 5 in bounded time on the validation split: the first `trainDays` train, the next
 * `valDays` are replayed, and only validation users' points score a trial. Stage 1 draws offline settings (each
 * trains a model, online defaults); stage 2 keeps the best artifact and draws online settings. Trial 0 of each
 * stage is the current configuration, so the result is never worse than the defaults on this split.
 */
export async function tune(data: { log: EventLog; catalogue: Catalogue }, base: TailorConfig, opts: TuneOptions): Promise<TuneResult> {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const rng = new Rng(opts.seed);
  const split = temporalSplit(data.log, { trainDays: opts.trainDays, testDays: opts.valDays });
  const training = { log: split.train, catalogue: data.catalogue, window: split.trainWindow, seed: opts.seed };
  const pointUsers = (u: string) => isValidationUser(u, opts.valFraction, opts.seed);
  const trials: Trial[] = [];
  let stoppedByBudget = false;

  /** Replays the validation split with `config` and `artifact`, records trial `index` of `stage` (timed from `s0`) and returns its metrics. */
  const score = async (
    stage: Trial['stage'],
    index: number,
    params: Record<string, unknown>,
    config: TailorConfig,
    artifact: ModelArtifact,
    s0: number,
  ) => {
    const model = new TailorRecommender({ name: 'tailor-tune', config, artifact, lifetime: { weeks: 2 } });
    await model.fit(training);
    // a Tailor answer depends only on its user's own events: the rest of the stream (other users included) is skipped
    const r = await replay(model, split, data.catalogue, {
      k: opts.k,
      n: opts.n,
      views: [opts.objective],
      pointUsers,
      skipAfterLastPoint: true,
      quiet: true,
    });
    await model.close();
    const m = r.metrics[opts.objective];
    trials.push({
      stage,
      params,
      f1: m.f1,
      precision: m.precision,
      recall: m.recall,
      points: m.points,
      seconds: (performance.now() - s0) / 1000,
    });
    opts.log?.(`${stage} trial ${index}: F1 ${m.f1.toFixed(4)} ${JSON.stringify(configToJson(params))}`);
    return m;
  };

  let best = base;
  let bestF1 = Number.NEGATIVE_INFINITY;
  let bestArtifact: ModelArtifact | undefined;
  for (let t = 0; t < opts.offlineTrials; t++) {
    if (t > 0 && elapsed() > opts.budgetSeconds * 0.6) {
      stoppedByBudget = true;
      break;
    }
    const params = t === 0 ? {} : drawOffline(rng);
    const config = applyOffline(base, params);
    const s0 = performance.now();
    const artifact = await trainForEval(training, config, { quiet: true });
    const m = await score('offline', t, params, config, artifact, s0);
    if (m.f1 > bestF1) {
      bestF1 = m.f1;
      best = config;
      bestArtifact = artifact;
    }
  }
  const offlineBest = best;
  for (let t = 0; t < opts.onlineTrials && bestArtifact; t++) {
    if (elapsed() > opts.budgetSeconds) {
      stoppedByBudget = true;
      break;
    }
    if (t === 0) continue; // trial 0 is the offline winner with its online defaults, already scored
    const params = drawOnline(rng);
    const config = applyOnline(offlineBest, params);
    const s0 = performance.now();
    const m = await score('online', t, params, config, bestArtifact, s0);
    if (m.f1 > bestF1) {
      bestF1 = m.f1;
      best = config;
    }
  }
  return { best, bestF1, objective: opts.objective, trials, seconds: elapsed(), stoppedByBudget };
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

function drawOffline(rng: Rng): Record<string, unknown> {
  const g = OFFLINE_GRID;
  return {
    teacherHidden: pick(rng, g.teacherHidden),
    studentHidden: pick(rng, g.studentHidden),
    neighbourAgg: pick(rng, g.neighbourAgg),
    relationAgg: pick(rng, g.relationAgg),
    weightedSampling: pick(rng, g.weightedSampling),
    lr: pick(rng, g.lr),
    weightDecay: pick(rng, g.weightDecay),
    margin: pick(rng, g.margin),
    loss: pick(rng, g.loss),
  };
}

function drawOnline(rng: Rng): Record<string, unknown> {
  const g = ONLINE_GRID;
  return {
    maxSteps: pick(rng, g.maxSteps),
    lr: pick(rng, g.lr),
    weightDecay: pick(rng, g.weightDecay),
    adaptEvery: pick(rng, g.adaptEvery),
    margin: pick(rng, g.margin),
    alpha: pick(rng, g.alpha),
  };
}

/** The configuration with drawn offline settings (teacher and student). */
export function applyOffline(base: TailorConfig, p: Record<string, unknown>): TailorConfig {
  const teacher = { ...base.teacher };
  const student = { ...base.student };
  if (p.teacherHidden) teacher.hidden = p.teacherHidden as number[];
  if (p.studentHidden) student.hidden = p.studentHidden as number[];
  if (p.neighbourAgg) teacher.neighbourAgg = p.neighbourAgg as TailorConfig['teacher']['neighbourAgg'];
  if (p.relationAgg) teacher.relationAgg = p.relationAgg as TailorConfig['teacher']['relationAgg'];
  if (p.weightedSampling !== undefined) teacher.weightedSampling = p.weightedSampling as boolean;
  if (p.lr !== undefined) teacher.lr = student.lr = p.lr as number;
  if (p.weightDecay !== undefined) teacher.weightDecay = student.weightDecay = p.weightDecay as number;
  if (p.margin !== undefined) teacher.margin = p.margin as number;
  if (p.loss) teacher.loss = p.loss as TailorConfig['teacher']['loss'];
  return { ...base, teacher, student };
}

/** The configuration with drawn online settings (SGD steps, lr, weight decay, batch b, margin, α). */
export function applyOnline(base: TailorConfig, p: Record<string, unknown>): TailorConfig {
  const online = { ...base.online };
  if (p.maxSteps !== undefined) {
    online.maxSteps = p.maxSteps as number;
    online.minSteps = Math.min(online.minSteps, online.maxSteps);
  }
  if (p.lr !== undefined) online.lr = p.lr as number;
  if (p.weightDecay !== undefined) online.weightDecay = p.weightDecay as number;
  if (p.adaptEvery !== undefined) online.adaptEvery = p.adaptEvery as number;
  if (p.margin !== undefined) online.margin = p.margin as number;
  if (p.alpha !== undefined) online.alpha = p.alpha as number;
  return { ...base, online };
}
