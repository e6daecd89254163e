import type { Catalogue } from '../catalogue/catalogue.js';
import { startProgress } from '../core/progress.js';
import { INTERACTION_TYPES, TYPE_CODE } from '../core/types.js';
import type { EventLog } from '../events/event-log.js';
import type { Recommender } from '../recommender/contract.js';
import { MetricAccumulator, type Metrics } from './metrics.js';
import { DAY_MS, type TemporalSplit } from './split.js';

/** The two views of every table: any next purchase counts, or only items new to the user at that point. */
export type View = 'all' | 'discovery';
export const VIEWS: readonly View[] = ['all', 'discovery'];

export interface ReplayOptions {
  /** Recommendation list length K (default 10). */
  k?: number;
  /** Truth = the next N distinct purchases (default 12). */
  n?: number;
  views?: readonly View[];
  /** Call `resetUsers()` on the model at every UTC midnight of the test stream (daily cold start). */
  resetDaily?: boolean;
  /** Title of the progress bar; no bar when `quiet`. */
  title?: string;
  quiet?: boolean;
  /** Replay only these users' prediction points (all events are still ingested); for validation splits. */
  pointUsers?: (userId: string) => boolean;
  /**
   * Skip each user's events after their last prediction point (all of a user's events when they have none). Only for
   * models whose answers to a user depend on nothing but that user's own events (`ModelSpec.independentUsers`): a
   * skipped event can then change no scored list, and the replay avoids its cost (Tailor: the adaptations).
   */
  skipAfterLastPoint?: boolean;
}

export interface ReplayResult {
  model: string;
  metrics: Record<View, Metrics>;
  /** Test events, those actually ingested (fewer with `skipAfterLastPoint`) and wall time, for throughput reports. */
  events: number;
  ingested: number;
  seconds: number;
}

/**
 * Truth of every test row: the next N distinct items its user purchases strictly after it in the test
 * stream (SPEC §7); an empty list marks a row that is not a prediction point.
 */
export function nextPurchases(test: EventLog, n: number): Int32Array[] {
  const purchaseCode = TYPE_CODE.purchase;
  const cols = test.columns();
  const byUser = new Map<number, number[]>();
  for (let i = 0; i < test.length; i++) {
    if (cols.type[i] !== purchaseCode) continue;
    let list = byUser.get(cols.user[i]);
    if (!list) byUser.set(cols.user[i], (list = []));
    list.push(i);
  }
  const empty = new Int32Array(0);
  const out: Int32Array[] = new Array(test.length).fill(empty);
  const cursor = new Map<number, number>();
  for (let i = 0; i < test.length; i++) {
    const u = cols.user[i];
    const list = byUser.get(u);
    if (!list) continue;
    let c = cursor.get(u) ?? 0;
    while (c < list.length && list[c] <= i) c++;
    cursor.set(u, c);
    if (c === list.length) continue;
    const seen = new Set<number>();
    const truth: number[] = [];
    for (let j = c; j < list.length && truth.length < n; j++) {
      const item = cols.item[list[j]];
      if (!seen.has(item)) {
        seen.add(item);
        truth.push(item);
      }
    }
    out[i] = Int32Array.from(truth);
  }
  return out;
}

/**
 * Replays the test stream of `split` through a fitted model in time order (SPEC §7): for every event, ingest it,
 * then — at prediction points only — ask for K items and score them against the next N distinct purchases.
 * The discovery view removes from both the truth and the candidates every item the user interacted with up to
 * that point (training window included), asking the model for K items through the contract's `filter`.
 */
export async function replay(
  model: Recommender,
  split: TemporalSplit,
  catalogue: Catalogue,
  opts: ReplayOptions = {},
): Promise<ReplayResult> {
  const k = opts.k ?? 10;
  const n = opts.n ?? 12;
  const views = opts.views ?? VIEWS;
  const test = split.test;
  const truths = nextPurchases(test, n);
  const acc = { all: new MetricAccumulator(k), discovery: new MetricAccumulator(k) };
  const wantAll = views.includes('all');
  const wantDisc = views.includes('discovery');

  // Items each user interacted with before the prediction point, training window included (item dictionary indices).
  const known = new Map<number, Set<number>>();
  if (wantDisc) {
    const tr = split.train.columns();
    for (let i = 0; i < split.train.length; i++) knownOf(known, tr.user[i]).add(tr.item[i]);
  }
  const cols = test.columns();
  const itemIds = test.items;
  const progress = startProgress(opts.title ?? `replay ${model.name}`, test.length, { unit: 'events', quiet: opts.quiet });
  const t0 = performance.now();
  let day = Math.floor((cols.time[0] ?? 0) / DAY_MS);
  const pointMemo = new Map<number, boolean>();
  const lastPoint = opts.skipAfterLastPoint
    ? lastPointOfUser(test, truths, (u) => isPointUser(opts, pointMemo, u, test.users.id(u)))
    : undefined;
  let ingested = 0;
  for (let i = 0; i < test.length; i++) {
    if ((i & 255) === 0) progress.update(i, { points: acc.all.points });
    const u = cols.user[i];
    const userId = test.users.id(u);
    const itemIdx = cols.item[i];
    if (opts.resetDaily) {
      const d = Math.floor(cols.time[i] / DAY_MS);
      if (d !== day) {
        day = d;
        await model.resetUsers?.();
      }
    }
    const seen = wantDisc ? knownOf(known, u) : undefined;
    seen?.add(itemIdx);
    if (lastPoint && i > (lastPoint.get(u) ?? -1)) continue;
    await model.ingest({ user: userId, item: itemIds.id(itemIdx), type: INTERACTION_TYPES[cols.type[i]], timestamp: cols.time[i] });
    ingested++;
    const truth = truths[i];
    if (truth.length > 0 && isPointUser(opts, pointMemo, u, userId)) {
      if (wantAll) {
        const recs = await model.recommend(userId, { k });
        acc.all.add(
          recs.items.map((s) => s.item),
          new Set(Array.from(truth, (t) => itemIds.id(t))),
        );
      }
      if (seen) {
        const novel = Array.from(truth).filter((t) => !seen.has(t));
        if (novel.length > 0) {
          const filter = (idx: number) => !seen.has(catalogueToLog(catalogue, itemIds, idx));
          const recs = await model.recommend(userId, { k, filter });
          acc.discovery.add(
            recs.items.map((s) => s.item),
            new Set(novel.map((t) => itemIds.id(t))),
          );
        }
      }
    }
  }
  progress.update(test.length, { points: acc.all.points });
  progress.stop();
  return {
    model: model.name,
    metrics: { all: acc.all.summary(), discovery: acc.discovery.summary() },
    events: test.length,
    ingested,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Per user index, the test row of their last prediction point (users without one are absent). */
function lastPointOfUser(test: EventLog, truths: Int32Array[], scored: (u: number) => boolean): Map<number, number> {
  const user = test.columns().user;
  const last = new Map<number, number>();
  for (let i = 0; i < test.length; i++) if (truths[i].length > 0 && scored(user[i])) last.set(user[i], i);
  return last;
}

function knownOf(known: Map<number, Set<number>>, u: number): Set<number> {
  let s = known.get(u);
  if (!s) known.set(u, (s = new Set()));
  return s;
}

function isPointUser(opts: ReplayOptions, memo: Map<number, boolean>, u: number, userId: string): boolean {
  if (!opts.pointUsers) return true;
  let v = memo.get(u);
  if (v === undefined) memo.set(u, (v = opts.pointUsers(userId)));
  return v;
}

/** The log's item index of catalogue item `idx` (the same index when the log shares the catalogue's dictionary). */
function catalogueToLog(catalogue: Catalogue, logItems: EventLog['items'], idx: number): number {
  if (catalogue.ids === logItems) return idx;
  return logItems.get(catalogue.ids.id(idx)) ?? -1;
}
