import type { Catalogue } from '../catalogue/catalogue.js';
import { TailorError } from '../core/errors.js';
import { type Interaction, TYPE_CODE } from '../core/types.js';
import type { RecommendationList, Recommender, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { eligibility } from './eligibility.js';
import { PopularityCounter, popularityFromLog } from './popularity.js';
import { UserHistory } from './user-history.js';

export interface LastKOptions {
  /** Pad short histories (and answer unknown users) with the training window's most bought items (default true). */
  fillWithPopular?: boolean;
}

/**
 * Last-K baseline: the K distinct items the user interacted with most recently (any type), training window
 * included. Strong on the "all" view because most purchases are of items already clicked or carted; zero on
 * "discovery" by construction.
 */
export class LastKRecommender implements Recommender {
  readonly name = 'last-k';
  private catalogue?: Catalogue;
  private pop = new PopularityCounter();
  private readonly history = new UserHistory(200);

  constructor(private readonly opts: LastKOptions = {}) {}

  async fit(data: TrainingData): Promise<void> {
    this.catalogue = data.catalogue;
    this.pop = popularityFromLog(data);
    this.history.clear();
    this.history.addLog(data.log, data.catalogue);
  }

  ingest(e: Interaction): void {
    const idx = this.catalogue?.indexOf(e.item);
    if (idx !== undefined) this.history.add(e.user, idx, TYPE_CODE[e.type]);
  }

  recommend(user: string, opts: RecommendOptions): RecommendationList {
    const cat = this.catalogue;
    if (!cat) throw new TailorError('NOT_READY', 'last-k: fit() was not called');
    const ok = eligibility(cat, opts, this.history.purchased(user));
    const recent = this.history.items(user);
    const out: Array<{ item: string; score: number }> = [];
    const taken = new Set<number>();
    for (let r = 0; r < recent.length && out.length < opts.k; r++) {
      if (ok(recent[r])) {
        out.push({ item: cat.ids.id(recent[r]), score: -r });
        taken.add(recent[r]);
      }
    }
    const personal = out.length > 0;
    if (out.length < opts.k && this.opts.fillWithPopular !== false) {
      for (const s of this.pop.top(opts.k - out.length + taken.size, (i) => !taken.has(i) && ok(i), cat.size)) {
        if (out.length >= opts.k) break;
        out.push({ item: cat.ids.id(s.idx), score: -recent.length - 1 });
      }
    }
    return { items: out, source: personal ? 'personalised' : 'popular' };
  }

  resetUsers(): void {
    this.history.clear();
  }
}
