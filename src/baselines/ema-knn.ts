import type { Catalogue } from '../catalogue/catalogue.js';
import { TailorError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { type Interaction, TYPE_CODE } from '../core/types.js';
import { exactKnn } from '../knn/exact.js';
import type { RecommendationList, Recommender, RecommendOptions, TrainingData } from '../recommender/contract.js';
import { eligibility } from './eligibility.js';
import { PopularityCounter, popularityFromLog } from './popularity.js';
import { toCatalogue, UserHistory } from './user-history.js';

export interface EmaKnnOptions {
  /** EMA factor α of eq. 5 (default 0.3, the engine's default). */
  alpha?: number;
}

/**
 * The serving path the paper's App. C gives every embedding baseline: a user vector kept as the EMA of the
 * embeddings of the items they interact with (eq. 5, e_u ← α v_i + (1 − α) e_u), answered by the K in-stock
 * items nearest to it (exact Euclidean k-NN, the engine's `exactKnn`). Subclasses only say how item embeddings are learnt in `embed()`.
 * Items without an embedding (`valid` 0, e.g. unseen by a collaborative model) are neither recommended nor
 * moved into the EMA. Unknown users get the training window's most bought items.
 */
export abstract class EmaKnnRecommender implements Recommender {
  abstract readonly name: string;
  protected catalogue?: Catalogue;
  private emb: Matrix = { rows: 0, cols: 0, data: new Float32Array(0) };
  private allowed = new Uint8Array(0);
  private valid: Uint8Array = new Uint8Array(0);
  private readonly users = new Map<string, Float32Array>();
  private readonly history = new UserHistory(1);
  private pop = new PopularityCounter();

  constructor(protected readonly emaOpts: EmaKnnOptions = {}) {}

  /** Learns item embeddings (rows aligned with catalogue indices) and which rows are usable. */
  protected abstract embed(data: TrainingData): Promise<{ embeddings: Matrix; valid?: Uint8Array }>;

  async fit(data: TrainingData): Promise<void> {
    this.catalogue = data.catalogue;
    const { embeddings, valid } = await this.embed(data);
    if (embeddings.rows !== data.catalogue.size)
      throw new TailorError('TRAINING_FAILED', `${this.name}: ${embeddings.rows} embeddings for ${data.catalogue.size} items`);
    this.emb = embeddings;
    this.valid = valid ?? new Uint8Array(embeddings.rows).fill(1);
    this.pop = popularityFromLog(data);
    this.users.clear();
    this.history.clear();
    // the user's own training-window events are history: they seed the EMA in time order
    const cols = data.log.columns();
    for (let i = 0; i < data.log.length; i++) {
      const idx = toCatalogue(data.log, data.catalogue, cols.item[i]);
      if (idx >= 0) this.update(data.log.users.id(cols.user[i]), idx, cols.type[i]);
    }
  }

  ingest(e: Interaction): void {
    const idx = this.catalogue?.indexOf(e.item);
    if (idx !== undefined) this.update(e.user, idx, TYPE_CODE[e.type]);
  }

  private update(user: string, idx: number, type: number): void {
    this.history.add(user, idx, type);
    if (this.valid[idx] !== 1) return;
    const d = this.emb.cols;
    const v = this.emb.data.subarray(idx * d, (idx + 1) * d);
    const e = this.users.get(user);
    if (!e) {
      this.users.set(user, Float32Array.from(v));
      return;
    }
    const a = this.emaOpts.alpha ?? 0.3;
    for (let j = 0; j < d; j++) e[j] = a * v[j] + (1 - a) * e[j];
  }

  recommend(user: string, opts: RecommendOptions): RecommendationList {
    const cat = this.catalogue;
    if (!cat) throw new TailorError('NOT_READY', `${this.name}: fit() was not called`);
    const ok = eligibility(cat, opts, this.history.purchased(user));
    const e = this.users.get(user);
    if (!e) {
      const top = this.pop.top(opts.k, ok, cat.size);
      return { items: top.map((s) => ({ item: cat.ids.id(s.idx), score: s.score })), source: 'popular' };
    }
    const n = Math.min(this.emb.rows, cat.size);
    const stock = cat.inStock;
    if (this.allowed.length !== n) this.allowed = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.allowed[i] = stock[i] & this.valid[i];
    const hits = exactKnn({
      data: this.emb.data,
      rows: n,
      dim: this.emb.cols,
      query: e,
      k: opts.k,
      allowed: this.allowed,
      exclude: opts.excludePurchased ? this.history.purchased(user) : undefined,
      filter: opts.filter,
    });
    return { items: hits.map((h) => ({ item: cat.ids.id(h.index), score: -Math.sqrt(h.dist) })), source: 'personalised' };
  }

  resetUsers(): void {
    this.users.clear();
    this.history.clear();
  }
}
