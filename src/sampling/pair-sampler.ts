import type { Rng } from '../core/rng.js';
import type { ProductGraph } from '../graph/product-graph.js';
import { sampleNegatives } from './negative-sampler.js';

/** Training pairs of one batch: for each anchor, one positive edge and one uniform non-edge of the same relation. */
export interface PairBatch {
  anchor: Int32Array;
  positive: Int32Array;
  negative: Int32Array;
  relation: Uint8Array;
  /** Normalised weight ŵ of the positive edge: w / (mean edge weight of its relation), capped at `maxWeight`. */
  weight: Float32Array;
}

/** Mean edge weight of every relation (1 for an empty relation), used to normalise ŵ. */
export function meanEdgeWeights(g: Pick<ProductGraph, 'relations'>): number[] {
  return g.relations.map((c) => {
    let s = 0;
    for (let e = 0; e < c.weights.length; e++) s += c.weights[e];
    return c.weights.length > 0 ? s / c.weights.length : 1;
  });
}

/**
 * For each anchor with at least one edge in an active relation (λ_r > 0): picks one such relation uniformly,
 * a positive neighbour uniformly (the loss weights it by ŵ, eq. 2) and a negative via `sampleNegatives`.
 * Anchors without edges are skipped, so the batch may be shorter than `anchors`.
 */
export function samplePairs(
  g: Pick<ProductGraph, 'relations' | 'numItems'>,
  anchors: ArrayLike<number>,
  rng: Rng,
  opts: { relationWeights: number[]; meanWeights: number[]; maxWeight?: number },
): PairBatch {
  const R = g.relations.length;
  const cap = opts.maxWeight ?? 10;
  const anchor: number[] = [];
  const positive: number[] = [];
  const relation: number[] = [];
  const weight: number[] = [];
  const avail: number[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const a = anchors[i];
    avail.length = 0;
    for (let r = 0; r < R; r++) {
      const c = g.relations[r];
      if (opts.relationWeights[r] > 0 && c.indptr[a + 1] > c.indptr[a]) avail.push(r);
    }
    if (avail.length === 0) continue;
    const r = avail[rng.int(avail.length)];
    const c = g.relations[r];
    const e = c.indptr[a] + rng.int(c.indptr[a + 1] - c.indptr[a]);
    anchor.push(a);
    positive.push(c.indices[e]);
    relation.push(r);
    weight.push(Math.min(cap, c.weights[e] / opts.meanWeights[r]));
  }
  const negative = new Int32Array(anchor.length);
  for (let r = 0; r < R; r++) {
    const idx: number[] = [];
    for (let i = 0; i < anchor.length; i++) if (relation[i] === r) idx.push(i);
    if (idx.length === 0) continue;
    const neg = sampleNegatives(
      g.relations[r],
      idx.map((i) => anchor[i]),
      g.numItems,
      rng,
    );
    idx.forEach((i, k) => {
      negative[i] = neg[k];
    });
  }
  return {
    anchor: Int32Array.from(anchor),
    positive: Int32Array.from(positive),
    negative,
    relation: Uint8Array.from(relation),
    weight: Float32Array.from(weight),
  };
}
