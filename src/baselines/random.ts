import type { Catalogue } from '../catalogue/catalogue.js';
import { TailorError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { type Interaction, TYPE_CODE } from '../core/types.js';
import type { RecommendationList, Recommender, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { eligibility } from './eligibility.js';
import { UserHistory } from './user-history.js';

/** Random baseline: K distinct eligible items drawn uniformly (seeded), the floor every model must clear. */
export class RandomRecommender implements Recommender {
  readonly name = 'random';
  private catalogue?: Catalogue;
  private rng = new Rng(42);
  private readonly history = new UserHistory(1);

  async fit(data: TrainingData): Promise<void> {
    this.catalogue = data.catalogue;
    this.rng = new Rng(data.seed ?? 42);
    this.history.clear();
    this.history.addLog(data.log, data.catalogue);
  }

  ingest(e: Interaction): void {
    const idx = this.catalogue?.indexOf(e.item);
    if (idx !== undefined) this.history.add(e.user, idx, TYPE_CODE[e.type]);
  }

  recommend(user: string, opts: RecommendOptions): RecommendationList {
    const cat = this.catalogue;
    if (!cat) throw new TailorError('NOT_READY', 'random: fit() was not called');
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

  resetUsers(): void {
    this.history.clear();
  }
}
