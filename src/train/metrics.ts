import type { Matrix } from '../core/matrix.js';

/**
 * Area under the ROC curve of positive vs negative scores (Mann–Whitney U, ties count one half):
 * the probability that a random positive scores above a random negative.
 */
export function auc(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  const n1 = pos.length;
  const n0 = neg.length;
  if (n1 === 0 || n0 === 0) return Number.NaN;
  const all = new Float64Array(n1 + n0);
  const lab = new Uint8Array(n1 + n0);
  for (let i = 0; i < n1; i++) {
    all[i] = pos[i];
    lab[i] = 1;
  }
  for (let i = 0; i < n0; i++) all[n1 + i] = neg[i];
  const order = Array.from(all.keys()).sort((a, b) => all[a] - all[b]);
  let rankSum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && all[order[j + 1]] === all[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (lab[order[k]] === 1) rankSum += avgRank;
    i = j + 1;
  }
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/** Negative Euclidean distance between rows a and b of `m` (a link score: higher = closer). */
export function linkScore(m: Matrix, a: number, b: number): number {
  let s = 0;
  const d = m.cols;
  for (let c = 0; c < d; c++) {
    const t = m.data[a * d + c] - m.data[b * d + c];
    s += t * t;
  }
  return -Math.sqrt(s);
}

/** AUC of held-out edges (u_i, v_i) against random pairs (u_i, n_i), scored by embedding distance in `m`. */
export function edgeAuc(m: Matrix, u: ArrayLike<number>, v: ArrayLike<number>, n: ArrayLike<number>): number {
  const pos = new Float64Array(u.length);
  const neg = new Float64Array(u.length);
  for (let i = 0; i < u.length; i++) {
    pos[i] = linkScore(m, u[i], v[i]);
    neg[i] = linkScore(m, u[i], n[i]);
  }
  return auc(pos, neg);
}

/** Mean over rows of ‖a_i − b_i‖² for the given rows (all rows when omitted): eq. 4's alignment error. */
export function alignmentError(a: Matrix, b: Matrix, rows?: ArrayLike<number>): number {
  const d = a.cols;
  const n = rows ? rows.length : a.rows;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    for (let c = 0; c < d; c++) {
      const t = a.data[i * d + c] - b.data[i * d + c];
      s += t * t;
    }
  }
  return n > 0 ? s / n : Number.NaN;
}
