import { Rng } from '../core/rng.js';
import type { RecommendationList, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { eligibility } from './eligibility.js';
import { HistoryRecommender } from './history-recommender.js';

/** Random baseline: K distinct eligible items drawn uniformly (seeded), the floor every model must clear. */
export class RandomRecommender extends HistoryRecommender {
  readonly name = 'random';
  private rng = new Rng(42);

  constructor() {
    super(1);
  }

  protected learn(data: TrainingData): void {
    this.rng = new Rng(data.seed ?? 42);
  }

  recommend(user: string, opts: RecommendOptions): RecommendationList {
    const cat = this.fitted();
    const ok = eligibility(cat, opts, this.history.purchased(user));
    const picked = new Set<number>();
    const n = cat.size;
    // rejection sampling is O(k) when most items are eligible; a shuffled scan covers heavy filters
    for (let tries = 0; picked.size < opts.k && tries < opts.k * 20; tries++) {
      const i = this.rng.int(n);
      if (!picked.has(i) && ok(i)) picked.add(i);
    }
    if (picked.size < opts.k) {
      const order = this.rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
      for (let j = 0; j < n && picked.size < opts.k; j++) if (!picked.has(order[j]) && ok(order[j])) picked.add(order[j]);
    }
    return { items: [...picked].map((i) => ({ item: cat.ids.id(i), score: 0 })), source: 'popular' };
  }
}
