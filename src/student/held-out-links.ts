import type { Rng } from '../core/rng.js';
import { hasEdge } from '../graph/csr.js';
import type { ProductGraph } from '../graph/product-graph.js';
import { recallAtK } from '../train/cold-start.js';

/** Training-graph edges at items the student never fits, each with `negPer` random non-neighbours. */
export interface LinkCheck {
  relation: number;
  u: Int32Array;
  v: Int32Array;
  /** u.length × negPer random items not linked to u. */
  neg: Int32Array;
  negPer: number;
  /** Every item the check reads (u, v and negatives), sorted, unique. */
  items: Int32Array;
}

/**
 * Edges of the training graph with one end among the `heldOut` items, in the highest active relation (λ_r > 0)
 * that has at least 50 of them (co-purchase first), up to `maxEdges`: the student's early stopping asks whether
 * its space ranks these links of unseen items above random items, which is what it is for.
 */
export function heldOutLinks(
  g: ProductGraph,
  heldOut: Int32Array,
  lambda: number[],
  rng: Rng,
  opts: { maxEdges?: number; negPer?: number } = {},
): LinkCheck | undefined {
  const maxEdges = opts.maxEdges ?? 4000;
  const negPer = opts.negPer ?? 10;
  let pick = -1;
  let fallback = -1;
  let fallbackCount = 0;
  for (let r = lambda.length - 1; r >= 0 && pick < 0; r--) {
    if (!(lambda[r] > 0)) continue;
    const c = g.relations[r];
    let count = 0;
    for (const u of heldOut) count += c.indptr[u + 1] - c.indptr[u];
    if (count >= 50) pick = r;
    else if (count > fallbackCount) {
      fallback = r;
      fallbackCount = count;
    }
  }
  const rel = pick >= 0 ? pick : fallback;
  if (rel < 0) return undefined;
  const c = g.relations[rel];
  const us: number[] = [];
  const vs: number[] = [];
  for (const u of heldOut)
    for (let e = c.indptr[u]; e < c.indptr[u + 1]; e++) {
      if (c.indices[e] === u) continue;
      us.push(u);
      vs.push(c.indices[e]);
    }
  const order = rng.shuffle(Int32Array.from(us.keys())).subarray(0, maxEdges);
  const u = Int32Array.from(order, (k) => us[k]);
  const v = Int32Array.from(order, (k) => vs[k]);
  const neg = new Int32Array(u.length * negPer);
  for (let k = 0; k < neg.length; k++) {
    const a = u[Math.floor(k / negPer)];
    let n = rng.int(g.numItems);
    for (let tries = 0; tries < 8 && (n === a || hasEdge(c, a, n)); tries++) n = rng.int(g.numItems);
    neg[k] = n;
  }
  const items = Int32Array.from(new Set([...u, ...v, ...neg])).sort();
  return { relation: rel, u, v, neg, negPer, items };
}

/**
 * AUC of a link check in a space given as the rows of `out` (d columns) for `check.items` in that order: the share
 * of (edge, negative) pairs where the linked item is the closer one (ties count half).
 */
export function linkCheckAuc(check: LinkCheck, out: Float32Array, d: number, numItems: number): number {
  const row = new Int32Array(numItems).fill(-1);
  check.items.forEach((it, i) => {
    row[it] = i;
  });
  const dist = (a: number, b: number): number => {
    const oa = row[a] * d;
    const ob = row[b] * d;
    let s = 0;
    for (let c = 0; c < d; c++) {
      const t = out[oa + c] - out[ob + c];
      s += t * t;
    }
    return s;
  };
  let wins = 0;
  for (let k = 0; k < check.u.length; k++) {
    const dp = dist(check.u[k], check.v[k]);
    for (let q = 0; q < check.negPer; q++) {
      const dn = dist(check.u[k], check.neg[k * check.negPer + q]);
      wins += dp < dn ? 1 : dp === dn ? 0.5 : 0;
    }
  }
  return check.u.length > 0 ? wins / (check.u.length * check.negPer) : Number.NaN;
}

/**
 * Recall@k of a link check over the whole catalogue: for up to `maxQueries` held-out items u, the share of u's
 * checked links found among the k items nearest to u in `space` (n×d, every item, u itself excluded). Finer than
 * the AUC against random items: it rewards keeping close look-alikes close, which is what a top-k list needs.
 */
export function linkCheckRecall(check: LinkCheck, space: Float32Array, d: number, n: number, k = 10, maxQueries = 500): number {
  const truth: number[][] = [];
  const queries: number[] = [];
  for (let e = 0; e < check.u.length; e++) {
    const u = check.u[e];
    if (truth[u]) truth[u].push(check.v[e]);
    else if (queries.length < maxQueries) {
      truth[u] = [check.v[e]];
      queries.push(u);
    }
  }
  return recallAtK({ rows: n, cols: d, data: space }, queries, truth, k);
}
