import type { Rng } from '../core/rng.js';

/**
 * A personal model as a low-rank delta on the student's last layer: `W_u = W + A·B` with `A` (h×r) and `B` (r×d),
 * so a user costs (h + d)·r floats instead of h·d, and re-projecting the catalogue costs n·r·(h + d) instead of n·h·d.
 * The triplet loss of eq. 7 is minimised over `A` and `B` by plain SGD; `W` and `b` stay shared (copy-on-write).
 */
export interface LowRankDelta {
  rank: number;
  hidden: number;
  out: number;
  /** h×r, row-major. */
  a: Float32Array;
  /** r×d, row-major. */
  b: Float32Array;
}

/** A zero delta (A = 0) with `B` drawn N(0, 1/d) so that the first gradient on `A` is not zero (LoRA-style start). */
export function initDelta(hidden: number, out: number, rank: number, rng: Rng): LowRankDelta {
  const b = new Float32Array(rank * out);
  const std = 1 / Math.sqrt(out);
  for (let i = 0; i < b.length; i++) b[i] = rng.normal(0, std);
  return { rank, hidden, out, a: new Float32Array(hidden * rank), b };
}

/** Deep copy (a personal model is never mutated once published: adaptations build a new one). */
export function cloneDelta(d: LowRankDelta): LowRankDelta {
  return { rank: d.rank, hidden: d.hidden, out: d.out, a: d.a.slice(), b: d.b.slice() };
}

/** Bytes held by a delta. */
export function deltaBytes(d: LowRankDelta | null): number {
  return d ? d.a.byteLength + d.b.byteLength : 0;
}

/**
 * `out[i] = pg[i] + (H[i]·A)·B` for rows `from … to−1`: the user's projection `g_u(x_i) = H_i·(W + A·B) + b`
 * given the global projection `pg = H·W + b`. Both `out` and `pg` are row-major n×d.
 */
export function projectRows(
  basis: Float32Array,
  pg: Float32Array,
  delta: LowRankDelta,
  from: number,
  to: number,
  out: Float32Array,
  outOffsetRow = 0,
): void {
  const { hidden: h, out: d, rank: r, a, b } = delta;
  // Aᵀ (r×h) so that each of the r coefficients is one long, branch-free dot product over a basis row
  const at = new Float32Array(r * h);
  for (let k = 0; k < h; k++) for (let q = 0; q < r; q++) at[q * h + k] = a[k * r + q];
  const v = new Float32Array(r);
  for (let i = from; i < to; i++) {
    const ho = i * h;
    for (let q = 0; q < r; q++) {
      const ao = q * h;
      v[q] = dot(basis, ho, at, ao, h);
    }
    const o = (i - from + outOffsetRow) * d;
    const po = i * d;
    for (let j = 0; j < d; j++) {
      let y = pg[po + j];
      for (let q = 0; q < r; q++) y += v[q] * b[q * d + j];
      out[o + j] = y;
    }
  }
}

/** One row through the personal last layer: `y = h·(W + A·B) + bias` (W is h×d row-major). */
export function projectOne(
  h: ArrayLike<number>,
  w: Float32Array,
  bias: Float32Array,
  delta: LowRankDelta | null,
  out: Float32Array,
): Float32Array {
  const d = bias.length;
  const hid = h.length;
  out.set(bias);
  for (let k = 0; k < hid; k++) {
    const x = h[k];
    if (x === 0) continue;
    const wo = k * d;
    for (let j = 0; j < d; j++) out[j] += x * w[wo + j];
  }
  if (delta) {
    const r = delta.rank;
    for (let q = 0; q < r; q++) {
      let v = 0;
      for (let k = 0; k < hid; k++) v += h[k] * delta.a[k * r + q];
      if (v === 0) continue;
      const bo = q * d;
      for (let j = 0; j < d; j++) out[j] += v * delta.b[bo + j];
    }
  }
  return out;
}

/** One exact row of the user's projection from the global one: `out = pg_i + (H_i·A)·B` (~(h + d)·r multiply-adds). */
export function personalRow(basisRow: Float32Array, pgRow: Float32Array, delta: LowRankDelta, out: Float32Array): Float32Array {
  const { hidden: h, out: d, rank: r, b } = delta;
  const at = transposedA(delta);
  out.set(pgRow);
  for (let q = 0; q < r; q++) {
    const ao = q * h;
    const v = dot(basisRow, 0, at, ao, h);
    if (v === 0) continue;
    const bo = q * d;
    for (let j = 0; j < d; j++) out[j] += v * b[bo + j];
  }
  return out;
}

/** x[xo..xo+n) · y[yo..yo+n) with four accumulators (independent chains the CPU can overlap). */
function dot(x: Float32Array, xo: number, y: Float32Array, yo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += x[xo + k] * y[yo + k];
    s1 += x[xo + k + 1] * y[yo + k + 1];
    s2 += x[xo + k + 2] * y[yo + k + 2];
    s3 += x[xo + k + 3] * y[yo + k + 3];
  }
  for (; k < n; k++) s0 += x[xo + k] * y[yo + k];
  return s0 + s1 + s2 + s3;
}

const transposed = new WeakMap<Float32Array, Float32Array>();

/** Aᵀ (r×h), cached per delta (a published delta is never mutated). */
function transposedA(delta: LowRankDelta): Float32Array {
  let at = transposed.get(delta.a);
  if (!at) {
    const { hidden: h, rank: r, a } = delta;
    at = new Float32Array(r * h);
    for (let k = 0; k < h; k++) for (let q = 0; q < r; q++) at[q * h + k] = a[k * r + q];
    transposed.set(delta.a, at);
  }
  return at;
}
