import type { LowRankDelta } from './low-rank.js';

/**
 * Where a personal catalogue differs from the global one. The personal projection is p_i = g_i + (H_i·A)·B, so
 * p_i − g_i lies in the row space of B (r×d). With Q (r×d) an orthonormal basis of it (B = M·Q, M = B·Qᵀ),
 * u_i = (H_i·A)·M and a_i = Q·g_i, for any query q:
 *   ‖p_i − q‖² = ‖g_i − q‖² + s_i − 2·u_i·(Q·q),   s_i = 2·u_i·a_i + ‖u_i‖²
 * A personal search is then the shared global scan plus r + 1 numbers a row (docs/engine.md, "Search").
 */
export interface DeltaSubspace {
  rank: number;
  out: number;
  /** Q, rank×out row-major: orthonormal rows, or zero rows where B is rank-deficient. */
  q: Float32Array;
  /** A·M (hidden×rank): u_i = H_i·(A·M), one h×r product a row. */
  am: Float32Array;
}

/** Q by Gram–Schmidt on B's rows (twice, for orthogonality in float64), and A·M with M = B·Qᵀ. */
export function deltaSubspace(delta: LowRankDelta): DeltaSubspace {
  const { rank: r, out: d, hidden: h, a, b } = delta;
  const q = new Float64Array(r * d);
  for (let i = 0; i < r; i++) {
    let norm0 = 0;
    for (let j = 0; j < d; j++) {
      q[i * d + j] = b[i * d + j];
      norm0 += b[i * d + j] ** 2;
    }
    for (let pass = 0; pass < 2; pass++)
      for (let k = 0; k < i; k++) {
        let p = 0;
        for (let j = 0; j < d; j++) p += q[i * d + j] * q[k * d + j];
        for (let j = 0; j < d; j++) q[i * d + j] -= p * q[k * d + j];
      }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += q[i * d + j] ** 2;
    // a row (nearly) inside the span of the previous ones adds no direction
    const inv = norm > 1e-12 * Math.max(norm0, 1e-30) && norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) q[i * d + j] *= inv;
  }
  const m = new Float64Array(r * r);
  for (let i = 0; i < r; i++)
    for (let k = 0; k < r; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += b[i * d + j] * q[k * d + j];
      m[i * r + k] = s;
    }
  const am = new Float32Array(h * r);
  for (let x = 0; x < h; x++)
    for (let k = 0; k < r; k++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += a[x * r + i] * m[i * r + k];
      am[x * r + k] = s;
    }
  return { rank: r, out: d, q: Float32Array.from(q), am };
}

/**
 * u_i = H_i·(A·M) and s_i = 2·u_i·a_i + ‖u_i‖² (a_i = Q·g_i) for rows `from … to−1`, written at row `i − from` of
 * `u` (rank a row) and `s`: n·r·(h + d) multiply-adds, against n·(h·r + r·d) for the full re-projection.
 */
export function correctionRows(
  basis: Float32Array,
  pg: Float32Array,
  sub: DeltaSubspace,
  hidden: number,
  from: number,
  to: number,
  u: Float32Array,
  s: Float32Array,
): void {
  const { rank: r, out: d, q, am } = sub;
  const ui = new Float64Array(r);
  for (let i = from; i < to; i++) {
    ui.fill(0);
    const ho = i * hidden;
    for (let x = 0; x < hidden; x++) {
      const v = basis[ho + x];
      if (v === 0) continue;
      for (let k = 0; k < r; k++) ui[k] += v * am[x * r + k];
    }
    const go = i * d;
    let si = 0;
    const o = (i - from) * r;
    for (let k = 0; k < r; k++) {
      let ak = 0;
      for (let j = 0; j < d; j++) ak += q[k * d + j] * pg[go + j];
      si += ui[k] * (2 * ak + ui[k]);
      u[o + k] = ui[k];
    }
    s[i - from] = si;
  }
}
