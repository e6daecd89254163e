import { transposeTimes } from '../core/matrix.js';

/**
 * An orthogonal change of basis of the embedding space that puts the high-variance directions first, so that the
 * exact k-NN scan can stop summing a row's squared distance as soon as it exceeds the current k-th best (distances are
 * unchanged by a rotation, so the search stays exact). Computed from the last layer's weights alone (eigenvectors
 * of WᵀW, by Jacobi rotations): deterministic for a model, whatever the catalogue.
 */

/** d×d row-major orthogonal R whose columns are eigenvectors of WᵀW (W is h×d row-major), by decreasing eigenvalue. */
export function varianceRotation(weight: Float32Array, h: number, d: number): Float64Array {
  const a = transposeTimes(weight, weight, h, d, d);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => a[y * d + y] - a[x * d + x]);
  const r = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let c = 0; c < d; c++) r[i * d + c] = v[i * d + order[c]];
  return r;
}

/** `x·R` for a row-major matrix x (rows × d), into a new Float32Array. */
export function rotateRows(x: Float32Array, rows: number, d: number, r: Float64Array): Float32Array {
  const out = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k] * r[k * d + c];
      out[i * d + c] = s;
    }
  return out;
}
