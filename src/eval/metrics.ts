/**
 * Ranking metrics of the evaluation protocol (SPEC §7): per prediction point precision = hits/K,
 * recall = hits/|truth|, plus recall@K and NDCG@K; F1 is taken from the two averages, as the paper does.
 */

/** Sums of per-point metrics; `summary()` turns them into means. */
export class MetricAccumulator {
  points = 0;
  private p = 0;
  private r = 0;
  private ndcg = 0;
  private hits = 0;
  private rk = 0;

  constructor(readonly k: number) {}

  /** Adds one prediction point: `recs` best first (may be shorter than K), `truth` a non-empty set. */
  add(recs: readonly string[], truth: ReadonlySet<string>): void {
    if (truth.size === 0) return;
    let h = 0;
    let dcg = 0;
    const n = Math.min(recs.length, this.k);
    for (let i = 0; i < n; i++) {
      if (truth.has(recs[i])) {
        h++;
        dcg += 1 / Math.log2(i + 2);
      }
    }
    let idcg = 0;
    const ideal = Math.min(truth.size, this.k);
    for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
    this.points++;
    this.hits += h;
    this.p += h / this.k;
    this.r += h / truth.size;
    this.ndcg += dcg / idcg;
    this.rk += h / ideal;
  }

  /** Mean precision, recall, F1 of the two means, recall@K and NDCG@K over the points added. */
  summary(): Metrics {
    const n = Math.max(this.points, 1);
    const precision = this.p / n;
    const recall = this.r / n;
    return {
      precision,
      recall,
      f1: f1(precision, recall),
      recallAtK: this.rk / n,
      ndcg: this.ndcg / n,
      hitRate: this.hits / n,
      points: this.points,
    };
  }
}

export interface Metrics {
  precision: number;
  recall: number;
  f1: number;
  /** Hits / min(|truth|, K): recall that a perfect top-K list can reach (1.0) even when N > K. */
  recallAtK: number;
  ndcg: number;
  /** Mean number of hits per point. */
  hitRate: number;
  points: number;
}

/** Harmonic mean of precision and recall (0 when both are 0). */
export function f1(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** Mean and sample standard deviation (0 for fewer than two values). */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: 0, std: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, std: 0 };
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, std: Math.sqrt(v) };
}
