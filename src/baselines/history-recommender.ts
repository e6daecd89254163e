import type { Catalogue } from '../catalogue/catalogue.js';
import { TailorError } from '../core/errors.js';
import { type Interaction, TYPE_CODE } from '../core/types.js';
import type { RecommendationList, Recommender, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { UserHistory } from './user-history.js';

/**
 * The shared skeleton of the baselines that answer from each shopper's recent items: `fit` keeps the catalogue and
 * replays the training window into the per-user history, `ingest` extends it, `resetUsers` forgets it. Subclasses
 * add what they learn (`learn`) and see (`observe`), and how they rank (`recommend`).
 */
export abstract class HistoryRecommender implements Recommender {
  abstract readonly name: string;
  protected catalogue?: Catalogue;
  protected readonly history: UserHistory;

  protected constructor(historySize: number) {
    this.history = new UserHistory(historySize);
  }

  async fit(data: TrainingData): Promise<void> {
    this.catalogue = data.catalogue;
    this.history.clear();
    this.history.addLog(data.log, data.catalogue);
    await this.learn(data);
  }

  ingest(e: Interaction): void {
    const idx = this.catalogue?.indexOf(e.item);
    if (idx === undefined) return;
    this.history.add(e.user, idx, TYPE_CODE[e.type]);
    this.observe(idx, e);
  }

  abstract recommend(user: string, opts: RecommendOptions): RecommendationList;

  resetUsers(): void {
    this.history.clear();
  }

  /** What the model learns from the training window beyond the histories. */
  protected abstract learn(data: TrainingData): void | Promise<void>;

  /** A live event of a catalogue item, after it entered the history. */
  protected observe(_item: number, _e: Interaction): void {}

  /** The fitted catalogue; NOT_READY before `fit`. */
  protected fitted(): Catalogue {
    if (!this.catalogue) throw new TailorError('NOT_READY', `${this.name}: fit() was not called`);
    return this.catalogue;
  }
}
