/**
 * The anchor of an adaptation batch: the interaction-weighted centroid of its items in content space (SPEC §6, eq. 6).
 */

/** Eq. 6: `c_u = Σ_j w(type_j)·x_j / Σ_j w(type_j)` over the batch rows `x` (row-major, `dim` wide). Zero weights everywhere give the plain mean. */
export function weightedCentroid(x: Float32Array, weights: ArrayLike<number>, dim: number): Float32Array {
  const n = weights.length;
  const c = new Float32Array(dim);
  let total = 0;
  for (let r = 0; r < n; r++) total += weights[r];
  const uniform = total <= 0;
  for (let r = 0; r < n; r++) {
    const w = uniform ? 1 / n : weights[r] / total;
    const off = r * dim;
    for (let j = 0; j < dim; j++) c[j] += w * x[off + j];
  }
  return c;
}

/**
 * SGD steps for a batch (SPEC §6: more steps for heavier interactions): `minSteps` for a batch of clicks, growing
 * linearly with the batch's mean weight relative to a click, capped at `maxSteps`.
 */
export function stepsFor(weights: ArrayLike<number>, clickWeight: number, minSteps: number, maxSteps: number): number {
  if (weights.length === 0) return 0;
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const ratio = total / weights.length / (clickWeight > 0 ? clickWeight : 1);
  return Math.max(minSteps, Math.min(maxSteps, Math.round(minSteps * ratio)));
}
