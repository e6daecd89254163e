/**
 * The user vector: an exponential moving average of the projections of the items a user touched (SPEC §6, eq. 5).
 */

/** Eq. 5 in place: `e ← α·g(x) + (1 − α)·e`. The first event sets `e = g(x)` (an all-zero start would pull every new user toward the origin). */
export function emaUpdate(ema: Float32Array, projected: ArrayLike<number>, alpha: number, first: boolean): Float32Array {
  if (first) {
    for (let j = 0; j < ema.length; j++) ema[j] = projected[j];
    return ema;
  }
  const keep = 1 - alpha;
  for (let j = 0; j < ema.length; j++) ema[j] = alpha * projected[j] + keep * ema[j];
  return ema;
}

/** Eq. 5 replayed over a sequence of projected rows (row-major, `dim` wide), oldest first: the EMA after a re-projection. */
export function emaOfRows(rows: Float32Array, count: number, dim: number, alpha: number): Float32Array {
  const ema = new Float32Array(dim);
  for (let r = 0; r < count; r++) emaUpdate(ema, rows.subarray(r * dim, (r + 1) * dim), alpha, r === 0);
  return ema;
}
