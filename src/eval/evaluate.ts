import type { Catalogue } from '../catalogue/catalogue.js';
import type { EventLog } from '../events/event-log.js';
import type { Recommender } from '../recommender/contract.js';
import { meanStd } from './metrics.js';
import { replay, VIEWS, type View } from './replay.js';
import { DAY_MS, orderSplit, type TemporalSplit, temporalSplit, trainingStarts } from './split.js';

/** A model to evaluate: a fresh instance per training window. */
export interface ModelSpec {
  name: string;
  create: () => Recommender | Promise<Recommender>;
  /** Forget per-user state at every UTC midnight of the test stream (daily cold start). */
  resetDaily?: boolean;
  /**
   * The model's answers to a user depend only on that user's own events (no popularity, no co-occurrence learnt from
   * the stream), so the replay may skip each user's events after their last prediction point.
   */
  independentUsers?: boolean;
}

export interface EvaluationOptions {
  k?: number;
  n?: number;
  /** Training window length in days (default 7, SPEC §7). */
  trainDays?: number;
  /** Test period length in days (default: 21, cut to what the data holds after the training window). */
  testDays?: number;
  /** Number of training windows to repeat over where the data allows (default 3). */
  windows?: number;
  /** Split by event order instead of time: the first `trainFraction` of events train (one window; dates-only logs). */
  trainFraction?: number;
  /** Explicit start of the (single) training window, epoch ms; overrides `windows`. */
  trainStart?: number;
  seed?: number;
  views?: readonly View[];
  quiet?: boolean;
  /** Ingest every test event even for `independentUsers` models (the slow reference path; same metrics). */
  everyEvent?: boolean;
  /** Called after each (window, model) replay, e.g. for logs. */
  onResult?: (r: RowRun) => void;
}

export interface ResultRow {
  model: string;
  precision: number;
  recall: number;
  f1: number;
  recallAtK: number;
  ndcg: number;
  /** Prediction points per window (mean). */
  points: number;
  /** Standard deviation over training windows (0 with one window). */
  std: { precision: number; recall: number; f1: number; recallAtK: number; ndcg: number };
  fitSeconds: number;
  replaySeconds: number;
}

export interface EvaluationResult {
  dataset: string;
  k: number;
  n: number;
  trainDays: number;
  testDays: number;
  windows: Array<{ trainStart: string; trainEnd: string; testEnd: string; trainEvents: number; testEvents: number }>;
  /** One scenario per view: `all` (the paper's) and `discovery`. */
  scenarios: Array<{ name: View; rows: ResultRow[] }>;
  notes: string[];
}

/** A data set as `evaluate` takes it. */
export interface EvalData {
  name: string;
  log: EventLog;
  catalogue: Catalogue;
}

/** The windows and settings of one evaluation run, fixed before any model runs (the same in every worker process). */
export interface EvaluationPlan {
  k: number;
  n: number;
  trainDays: number;
  testDays: number;
  views: readonly View[];
  starts: number[];
  notes: string[];
}

/** What one model gave on one training window. */
export interface RowRun {
  model: string;
  window: number;
  fitSeconds: number;
  seconds: number;
  events: number;
  ingested: number;
  byView: Record<View, Picked>;
}

type Picked = ReturnType<typeof pick>;

/** Window starts, test length and notes of an evaluation (SPEC §7: up to `windows` random training windows). */
export function planEvaluation(data: EvalData, opts: EvaluationOptions = {}): EvaluationPlan {
  const trainDays = opts.trainDays ?? 7;
  const range = data.log.timeRange();
  const first = opts.trainStart ?? range?.start ?? 0;
  const available = range ? Math.max(0, Math.ceil((range.end + 1 - first) / DAY_MS - trainDays)) : 0;
  const testDays = Math.max(1, Math.min(opts.testDays ?? 21, available > 0 ? available : 1));
  const notes: string[] = [];
  if (opts.testDays !== undefined && testDays < opts.testDays && opts.trainFraction === undefined)
    notes.push(`test period cut to ${testDays} days: the data holds no more after the ${trainDays}-day training window`);
  if (opts.trainFraction !== undefined)
    notes.push(`split by event order: the first ${(opts.trainFraction * 100).toFixed(0)} % of events train, the rest is replayed`);
  const starts =
    opts.trainFraction !== undefined
      ? [first]
      : opts.trainStart !== undefined
        ? [opts.trainStart]
        : trainingStarts(data.log, { trainDays, testDays, count: opts.windows ?? 3, seed: opts.seed });
  if (starts.length < (opts.windows ?? 3) && opts.trainStart === undefined && opts.trainFraction === undefined)
    notes.push(`${starts.length} training window(s): the data's span does not allow ${opts.windows ?? 3}`);
  return { k: opts.k ?? 10, n: opts.n ?? 12, trainDays, testDays, views: opts.views ?? VIEWS, starts, notes };
}

/** The train / test split of window `w` of a plan. */
export function planSplit(data: EvalData, plan: EvaluationPlan, w: number, opts: EvaluationOptions = {}): TemporalSplit {
  return opts.trainFraction !== undefined
    ? orderSplit(data.log, opts.trainFraction)
    : temporalSplit(data.log, { trainDays: plan.trainDays, testDays: plan.testDays, start: plan.starts[w] });
}

/** Fits a fresh instance of `spec` on window `w` and replays its test period. */
export async function runRow(
  data: EvalData,
  plan: EvaluationPlan,
  split: TemporalSplit,
  w: number,
  spec: ModelSpec,
  opts: EvaluationOptions = {},
): Promise<RowRun> {
  const model = await spec.create();
  const t0 = performance.now();
  await model.fit({ log: split.train, catalogue: data.catalogue, window: split.trainWindow, seed: (opts.seed ?? 42) + w });
  const fitSeconds = (performance.now() - t0) / 1000;
  const r = await replay(model, split, data.catalogue, {
    k: plan.k,
    n: plan.n,
    views: plan.views,
    resetDaily: spec.resetDaily,
    skipAfterLastPoint: spec.independentUsers === true && !opts.everyEvent,
    quiet: opts.quiet,
    title: `${data.name} w${w + 1}/${plan.starts.length} ${spec.name}`,
  });
  await model.close?.();
  return {
    model: spec.name,
    window: w,
    fitSeconds,
    seconds: r.seconds,
    events: r.events,
    ingested: r.ingested,
    byView: { all: pick(r.metrics.all), discovery: pick(r.metrics.discovery) },
  };
}

/**
 * Runs the paper's protocol (SPEC §7) for every model over up to `windows` training windows: fit on the window,
 * replay the following `testDays`, and report per view the mean ± std over windows. F1 per window comes from that
 * window's mean P and R; the table shows the mean of those F1s.
 */
export async function evaluate(data: EvalData, models: readonly ModelSpec[], opts: EvaluationOptions = {}): Promise<EvaluationResult> {
  const plan = planEvaluation(data, opts);
  const runs: RowRun[] = [];
  for (let w = 0; w < plan.starts.length; w++) {
    const split = planSplit(data, plan, w, opts);
    for (const spec of models) {
      const run = await runRow(data, plan, split, w, spec, opts);
      runs.push(run);
      opts.onResult?.(run);
    }
  }
  return summarise(
    data,
    plan,
    models.map((m) => m.name),
    runs,
    opts,
  );
}

/** The result tables from every (window, model) run: mean ± std over windows per view, rows in `names` order. */
export function summarise(
  data: EvalData,
  plan: EvaluationPlan,
  names: readonly string[],
  runs: readonly RowRun[],
  opts: EvaluationOptions = {},
): EvaluationResult {
  const windows: EvaluationResult['windows'] = plan.starts.map((_, w) => {
    const split = planSplit(data, plan, w, opts);
    return {
      trainStart: iso(split.trainWindow.start),
      trainEnd: iso(split.trainWindow.end),
      testEnd: iso(split.testWindow.end),
      trainEvents: split.train.length,
      testEvents: split.test.length,
    };
  });
  const nw = plan.starts.length;
  const scenarios = plan.views.map((v) => ({
    name: v,
    rows: names.map((name) => {
      const mine = runs.filter((r) => r.model === name).sort((a, b) => a.window - b.window);
      const stat = (key: keyof Picked) => meanStd(mine.map((r) => r.byView[v][key]));
      const p = stat('precision');
      const rc = stat('recall');
      const f = stat('f1');
      const rk = stat('recallAtK');
      const nd = stat('ndcg');
      return {
        model: name,
        precision: p.mean,
        recall: rc.mean,
        f1: f.mean,
        recallAtK: rk.mean,
        ndcg: nd.mean,
        points: stat('points').mean,
        std: { precision: p.std, recall: rc.std, f1: f.std, recallAtK: rk.std, ndcg: nd.std },
        fitSeconds: mine.reduce((s, r) => s + r.fitSeconds, 0) / nw,
        replaySeconds: mine.reduce((s, r) => s + r.seconds, 0) / nw,
      };
    }),
  }));
  const { k, n, trainDays, testDays } = plan;
  return { dataset: data.name, k, n, trainDays, testDays, windows, scenarios, notes: [...plan.notes] };
}

function pick(m: { precision: number; recall: number; f1: number; recallAtK: number; ndcg: number; points: number }) {
  return { precision: m.precision, recall: m.recall, f1: m.f1, recallAtK: m.recallAtK, ndcg: m.ndcg, points: m.points };
}

function iso(t: number): string {
  return new Date(t).toISOString();
}
