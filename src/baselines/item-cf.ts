import type { RecommendationList, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { eligibility, TopK } from './eligibility.js';
import { HistoryRecommender } from './history-recommender.js';
import { PopularityCounter, popularityFromLog } from './popularity.js';
import { UserHistory } from './user-history.js';

export interface ItemCfOptions {
  /** Pair only each user's last `maxItemsPerUser` distinct training items (bounds the n² pairs; default 50). */
  maxItemsPerUser?: number;
  /** Score from the user's `recentItems` most recent items (default 10) ... */
  recentItems?: number;
  /** ... each weighted `decay^rank`, most recent rank 0 (default 0.8). */
  decay?: number;
  /** Keep the `neighbours` most similar items per item (default 100). */
  neighbours?: number;
}

/**
 * Item-CF baseline (not in the paper; the strongest simple baseline on these logs): cosine similarity of item
 * co-occurrence within users' training-window histories, c_ij / √(n_i n_j), scored from the user's most recent
 * items with a recency decay. Co-occurrence is learnt once per training window; the user's history follows the stream.
 */
export class ItemCfRecommender extends HistoryRecommender {
  readonly name = 'item-cf';
  private pop = new PopularityCounter();
  private neighbours = new Map<number, { idx: Int32Array; sim: Float32Array }>();

  constructor(private readonly opts: ItemCfOptions = {}) {
    super(50);
  }

  protected learn(data: TrainingData): void {
    const maxItems = this.opts.maxItemsPerUser ?? 50;
    const keep = this.opts.neighbours ?? 100;
    this.pop = popularityFromLog(data);
    const perUser = new UserHistory(maxItems);
    perUser.addLog(data.log, data.catalogue);
    const users = new Set<string>();
    const cols = data.log.columns();
    for (let i = 0; i < data.log.length; i++) users.add(data.log.users.id(cols.user[i]));
    const n = new Map<number, number>();
    const co = new Map<number, Map<number, number>>();
    for (const u of users) {
      const items = perUser.items(u);
      for (const a of items) n.set(a, (n.get(a) ?? 0) + 1);
      for (let x = 0; x < items.length; x++) {
        for (let y = x + 1; y < items.length; y++) {
          bump(co, items[x], items[y]);
          bump(co, items[y], items[x]);
        }
      }
    }
    this.neighbours = new Map();
    for (const [a, row] of co) {
      const na = n.get(a) ?? 1;
      const list = [...row].map(([b, c]) => ({ b, s: c / Math.sqrt(na * (n.get(b) ?? 1)) }));
      list.sort((p, q) => q.s - p.s || p.b - q.b);
      list.length = Math.min(list.length, keep);
      this.neighbours.set(a, { idx: Int32Array.from(list, (e) => e.b), sim: Float32Array.from(list, (e) => e.s) });
    }
  }

  recommend(user: string, opts: RecommendOptions): RecommendationList {
    const cat = this.fitted();
    const ok = eligibility(cat, opts, this.history.purchased(user));
    const recent = this.history.items(user).slice(0, this.opts.recentItems ?? 10);
    const decay = this.opts.decay ?? 0.8;
    const scores = new Map<number, number>();
    let w = 1;
    for (const r of recent) {
      const nb = this.neighbours.get(r);
      if (nb) for (let j = 0; j < nb.idx.length; j++) scores.set(nb.idx[j], (scores.get(nb.idx[j]) ?? 0) + w * nb.sim[j]);
      w *= decay;
    }
    const top = new TopK(opts.k);
    for (const [i, s] of scores) if (s > top.threshold && ok(i)) top.offer(i, s);
    const out = top.entries().map((e) => ({ item: cat.ids.id(e.idx), score: e.score }));
    const personal = out.length > 0;
    if (out.length < opts.k) {
      const taken = new Set(top.entries().map((e) => e.idx));
      for (const s of this.pop.top(opts.k - out.length, (i) => !taken.has(i) && ok(i), cat.size))
        out.push({ item: cat.ids.id(s.idx), score: 0 });
    }
    return { items: out, source: personal ? 'personalised' : 'popular' };
  }
}

function bump(co: Map<number, Map<number, number>>, a: number, b: number): void {
  let row = co.get(a);
  if (!row) co.set(a, (row = new Map()));
  row.set(b, (row.get(b) ?? 0) + 1);
}
