import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import { csrFromEdges, emptyCsr } from '../graph/csr.js';
import { type ProductGraph, RELATIONS } from '../graph/product-graph.js';

/**
 * A product graph with a single relation built from explicit weighted pairs (e.g. an aggregated co-purchase list),
 * keeping only pairs whose two items are both in `keep` (when given): the cold-start protocol trains on the graph
 * of some items and tests on the others.
 */
export function graphFromPairs(
  numItems: number,
  pairs: ReadonlyArray<readonly [number, number, number]>,
  relation: number = RELATIONS.indexOf('purchase'),
  keep?: Uint8Array,
): ProductGraph {
  const kept = keep ? pairs.filter(([a, b]) => keep[a] === 1 && keep[b] === 1) : pairs;
  const rel = RELATIONS.map((_, r) => (r === relation ? csrFromEdges(numItems, kept) : emptyCsr(numItems)));
  const edges = rel.map((c) => c.indices.length / 2);
  let connected = 0;
  const c = rel[relation];
  for (let i = 0; i < numItems; i++) if (c.indptr[i + 1] > c.indptr[i]) connected++;
  return { numItems, relations: rel, stats: { events: 0, edges, pairs: edges, connectedItems: connected, buildMs: 0 } };
}

/** A seeded split of `n` items: 1 marks the `fraction` that trains, 0 the rest. */
export function splitItems(n: number, fraction: number, rng: Rng): Uint8Array {
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const train = new Uint8Array(n);
  const m = Math.round(n * fraction);
  for (let k = 0; k < m; k++) train[order[k]] = 1;
  return train;
}

/**
 * Mean recall@k of neighbour lists in an embedding space: for each query item q, the k items nearest to q by
 * Euclidean distance (q itself excluded, over all items) against `truth[q]`; queries with no truth are skipped.
 */
export function recallAtK(space: Matrix, queries: ArrayLike<number>, truth: ReadonlyArray<readonly number[]>, k: number): number {
  const d = space.cols;
  const n = space.rows;
  const x = space.data;
  const dist = new Float64Array(n);
  let sum = 0;
  let count = 0;
  const topIdx = new Int32Array(k);
  const topDist = new Float64Array(k);
  for (let qi = 0; qi < queries.length; qi++) {
    const q = queries[qi];
    const t = truth[q];
    if (!t || t.length === 0) continue;
    const qo = q * d;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * d;
      for (let c = 0; c < d; c++) {
        const v = x[o + c] - x[qo + c];
        s += v * v;
      }
      dist[i] = s;
    }
    dist[q] = Number.POSITIVE_INFINITY;
    // partial selection of the k smallest
    let filled = 0;
    for (let i = 0; i < n; i++) {
      const v = dist[i];
      if (filled < k) {
        let p = filled++;
        while (p > 0 && topDist[p - 1] > v) {
          topDist[p] = topDist[p - 1];
          topIdx[p] = topIdx[p - 1];
          p--;
        }
        topDist[p] = v;
        topIdx[p] = i;
      } else if (v < topDist[k - 1]) {
        let p = k - 1;
        while (p > 0 && topDist[p - 1] > v) {
          topDist[p] = topDist[p - 1];
          topIdx[p] = topIdx[p - 1];
          p--;
        }
        topDist[p] = v;
        topIdx[p] = i;
      }
    }
    const set = new Set(topIdx.subarray(0, filled));
    let hits = 0;
    for (const j of t) if (set.has(j)) hits++;
    sum += hits / t.length;
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}
