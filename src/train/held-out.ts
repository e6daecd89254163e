import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import { hasEdge } from '../graph/csr.js';
import type { ProductGraph } from '../graph/product-graph.js';
import { edgeAuc } from './metrics.js';

/** Held-out edges of one relation with one uniform random partner per edge (the AUC's negatives). */
export interface HeldOutEdges {
  relation: number;
  u: Int32Array;
  v: Int32Array;
  neg: Int32Array;
}

/**
 * Edges of relation `relation` in `heldOut` that are absent from `train` (genuinely new links), up to `max`, each with
 * a uniformly drawn item that is not linked to u in either graph.
 */
export function heldOutEdges(train: ProductGraph, heldOut: ProductGraph, relation: number, rng: Rng, max = 20000): HeldOutEdges {
  const c = heldOut.relations[relation];
  const t = train.relations[relation];
  const u: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < heldOut.numItems; i++)
    for (let e = c.indptr[i]; e < c.indptr[i + 1]; e++) {
      const j = c.indices[e];
      if (j > i && !hasEdge(t, i, j)) {
        u.push(i);
        v.push(j);
      }
    }
  const idx = rng.shuffle(Int32Array.from(u.keys())).subarray(0, max);
  const neg = new Int32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const a = u[idx[k]];
    let n = rng.int(heldOut.numItems);
    for (let tries = 0; tries < 8 && (n === a || hasEdge(c, a, n) || hasEdge(t, a, n)); tries++) n = rng.int(heldOut.numItems);
    neg[k] = n;
  }
  return { relation, u: Int32Array.from(idx, (k) => u[k]), v: Int32Array.from(idx, (k) => v[k]), neg };
}

/** AUC of the held-out edges against their random partners in the space `m` (raw content, teacher or student). */
export function heldOutAuc(m: Matrix, e: HeldOutEdges): number {
  return edgeAuc(m, e.u, e.v, e.neg);
}
