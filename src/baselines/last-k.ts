import type { RecommendationList, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { eligibility } from './eligibility.js';
import { HistoryRecommender } from './history-recommender.js';
import { PopularityCounter, popularityFromLog } from './popularity.js';

export interface LastKOptions {
  /** Pad short histories (and answer unknown users) with the training window's most bought items (default true). */
  fillWithPopular?: boolean;
}

/**
 * Last-K baseline: the K distinct items the user interacted with most recently (any type), training window
 * included. Strong on the "all" view because most purchases are of items already clicked or carted; zero on
 * "discovery" by construction.
 */
export class LastKRecommender extends HistoryRecommender {
  readonly name = 'last-k';
  private pop = new PopularityCounter();

  constructor(private readonly opts: LastKOptions = {}) {
    super(200);
  }

  protected learn(data: TrainingData): void {
    this.pop = popularityFromLog(data);
  }

  recommend(user: string, opts: RecommendOptions): RecommendationList {
    const cat = this.fitted();
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
}
