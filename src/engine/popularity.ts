/**
 * Item popularity, the answer for shoppers with no history at all: type-weighted event counts (training window plus
 * the live stream), ranked lazily so that ingest stays O(1).
 */
export class Popularity {
  private counts: Float64Array;
  private order: Int32Array | null = null;
  private sinceRank = 0;

  constructor(
    size: number,
    private readonly refreshEvery = 1000,
  ) {
    this.counts = new Float64Array(Math.max(16, size));
  }

  /** Adds `weight` to item `i`'s count. */
  add(i: number, weight: number): void {
    if (i >= this.counts.length) {
      const c = new Float64Array(Math.max(i + 1, this.counts.length * 2));
      c.set(this.counts);
      this.counts = c;
    }
    this.counts[i] += weight;
    this.sinceRank++;
  }

  /** Items of `0 … size−1`, most popular first (re-ranked after every `refreshEvery` new events or catalogue growth). */
  ranking(size: number): Int32Array {
    if (this.order === null || this.order.length !== size || this.sinceRank >= this.refreshEvery) {
      const idx = Array.from({ length: size }, (_, i) => i);
      const c = this.counts;
      idx.sort((a, b) => (c[b] ?? 0) - (c[a] ?? 0) || a - b);
      this.order = Int32Array.from(idx);
      this.sinceRank = 0;
    }
    return this.order;
  }

  count(i: number): number {
    return this.counts[i] ?? 0;
  }
}
