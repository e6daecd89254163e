import type { Catalogue } from '../catalogue/catalogue.js';
import type { RecommendOptions } from '../recommender/contract.js';

/**
 * The eligibility rule every baseline applies to a candidate (the contract's promises): in stock, accepted by
 * the caller's filter, and not already bought when `excludePurchased` is set.
 */
export function eligibility(catalogue: Catalogue, opts: RecommendOptions, purchased?: ReadonlySet<number>): (idx: number) => boolean {
  const stock = catalogue.inStock;
  const filter = opts.filter;
  const bought = opts.excludePurchased ? purchased : undefined;
  return (idx) => stock[idx] === 1 && (filter === undefined || filter(idx)) && (bought === undefined || !bought.has(idx));
}

/**
 * Fixed-size best-k selection (higher score first) without sorting everything; ties keep the earlier-offered
 * item, so results are deterministic.
 */
export class TopK {
  readonly idx: Int32Array;
  readonly score: Float64Array;
  size = 0;

  constructor(readonly k: number) {
    this.idx = new Int32Array(k);
    this.score = new Float64Array(k);
  }

  /** The score an item must beat to enter (−∞ while not full). */
  get threshold(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : this.score[this.k - 1];
  }

  /** Offers an item; keeps it when it is among the best k so far. */
  offer(i: number, s: number): void {
    if (this.k === 0 || (this.size === this.k && s <= this.score[this.k - 1])) return;
    let pos = this.size < this.k ? this.size++ : this.k - 1;
    while (pos > 0 && this.score[pos - 1] < s) {
      this.score[pos] = this.score[pos - 1];
      this.idx[pos] = this.idx[pos - 1];
      pos--;
    }
    this.score[pos] = s;
    this.idx[pos] = i;
  }

  /** The kept items, best first. */
  entries(): Array<{ idx: number; score: number }> {
    return Array.from({ length: this.size }, (_, j) => ({ idx: this.idx[j], score: this.score[j] }));
  }
}
