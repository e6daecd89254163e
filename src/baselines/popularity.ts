import { type Interaction, TYPE_CODE, type TypeWeights } from '../core/types.js';
import type { RecommendationList, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { eligibility } from './eligibility.js';
import { HistoryRecommender } from './history-recommender.js';
import { toCatalogue } from './user-history.js';

export interface PopularityOptions {
  /** Weight of each interaction type in the counts (default: purchases only). */
  weights?: Partial<TypeWeights>;
  /** Trailing window length in ms (default 7 days); events older than `now − windowMs` stop counting. */
  windowMs?: number;
  /** Count live (ingested) events too, so the ranking follows the stream (default true). */
  live?: boolean;
}

/**
 * Popularity ranking over a trailing window: items scored by type-weighted event counts of the last `windowMs`,
 * the same list for everyone. Shared by the Popularity baseline and as the unknown-user fallback of the others.
 */
export class PopularityCounter {
  private readonly w: number[];
  private readonly counts = new Map<number, number>();
  private readonly queue: Array<{ t: number; idx: number; w: number }> = [];
  private head = 0;
  private ranked: number[] | undefined;

  constructor(
    weights: Partial<TypeWeights> = { purchase: 1 },
    readonly windowMs = 7 * 24 * 3600 * 1000,
  ) {
    this.w = [weights.click ?? 0, weights.favorite ?? 0, weights.cart ?? 0, weights.purchase ?? 0];
  }

  /** Counts one event (type code) of item `idx` at time `t`, and expires events older than the window. */
  add(idx: number, type: number, t: number): void {
    const w = this.w[type];
    this.expire(t);
    if (w <= 0) return;
    this.counts.set(idx, (this.counts.get(idx) ?? 0) + w);
    this.queue.push({ t, idx, w });
    this.ranked = undefined;
  }

  private expire(now: number): void {
    while (this.head < this.queue.length && this.queue[this.head].t < now - this.windowMs) {
      const e = this.queue[this.head++];
      const c = (this.counts.get(e.idx) ?? 0) - e.w;
      if (c <= 1e-9) this.counts.delete(e.idx);
      else this.counts.set(e.idx, c);
      this.ranked = undefined;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Count of item `idx` in the window. */
  count(idx: number): number {
    return this.counts.get(idx) ?? 0;
  }

  /** The top `k` eligible items, most popular first; padded with eligible items in catalogue order. */
  top(k: number, ok: (idx: number) => boolean, size: number): Array<{ idx: number; score: number }> {
    if (!this.ranked) this.ranked = [...this.counts.keys()].sort((a, b) => (this.counts.get(b) ?? 0) - (this.counts.get(a) ?? 0) || a - b);
    const out: Array<{ idx: number; score: number }> = [];
    const taken = new Set<number>();
    for (const i of this.ranked) {
      if (out.length >= k) break;
      if (ok(i)) {
        out.push({ idx: i, score: this.counts.get(i) ?? 0 });
        taken.add(i);
      }
    }
    for (let i = 0; i < size && out.length < k; i++) if (!taken.has(i) && ok(i)) out.push({ idx: i, score: 0 });
    return out;
  }
}

/** Builds a popularity counter from a training log (time-sorted), with the window ending at the log's end. */
export function popularityFromLog(data: TrainingData, weights?: Partial<TypeWeights>, windowMs?: number): PopularityCounter {
  const pop = new PopularityCounter(weights, windowMs ?? data.window.end - data.window.start);
  const cols = data.log.columns();
  for (let i = 0; i < data.log.length; i++) {
    const idx = toCatalogue(data.log, data.catalogue, cols.item[i]);
    if (idx >= 0) pop.add(idx, cols.type[i], cols.time[i]);
  }
  return pop;
}

/** Popularity baseline: the most bought items of the trailing window, for everyone (SPEC §7). */
export class PopularityRecommender extends HistoryRecommender {
  readonly name = 'popularity';
  private pop = new PopularityCounter();

  constructor(private readonly opts: PopularityOptions = {}) {
    super(1);
  }

  protected learn(data: TrainingData): void {
    this.pop = popularityFromLog(data, this.opts.weights, this.opts.windowMs ?? 7 * 24 * 3600 * 1000);
  }

  protected override observe(idx: number, e: Interaction): void {
    if (this.opts.live !== false) this.pop.add(idx, TYPE_CODE[e.type], e.timestamp);
  }

  recommend(user: string, opts: RecommendOptions): RecommendationList {
    const cat = this.fitted();
    const top = this.pop.top(opts.k, eligibility(cat, opts, this.history.purchased(user)), cat.size);
    return { items: top.map((s) => ({ item: cat.ids.id(s.idx), score: s.score })), source: 'popular' };
  }
}
