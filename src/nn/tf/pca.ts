import type { Matrix } from '../../core/matrix.js';
import type { Rng } from '../../core/rng.js';
import type { Tf } from './setup.js';

/** Mean and top-k principal directions of some rows of a matrix. */
export interface Principal {
  mean: Float32Array;
  /** D×k row-major, orthonormal columns, by decreasing variance. */
  dirs: Float32Array;
  k: number;
}

/**
 * Mean and the k leading principal directions of rows `items` of `x` (at most `maxRows` of them, drawn with `rng`):
 * covariance by one tfjs matmul, then orthogonal (subspace) iteration with Gram–Schmidt. Deterministic for a seed.
 */
export function principalDirections(tf: Tf, x: Matrix, items: Int32Array, k: number, rng: Rng, maxRows = 20_000): Principal {
  const D = x.cols;
  const pick = items.length <= maxRows ? items : rng.shuffle(items.slice()).subarray(0, maxRows);
  const n = pick.length;
  const mean = new Float32Array(D);
  for (let i = 0; i < n; i++) {
    const o = pick[i] * D;
    for (let c = 0; c < D; c++) mean[c] += x.data[o + c] / n;
  }
  const xc = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const o = pick[i] * D;
    for (let c = 0; c < D; c++) xc[i * D + c] = x.data[o + c] - mean[c];
  }
  const cov = tf.tidy(() => {
    const t = tf.tensor2d(xc, [n, D]);
    // explicit transpose: tfjs-wasm is several times slower with a transposed matmul operand
    return tf.div(tf.matMul(tf.transpose(t), t), Math.max(1, n));
  });
  const kk = Math.min(k, D);
  const q0 = new Float32Array(D * kk);
  for (let i = 0; i < q0.length; i++) q0[i] = rng.normal(0, 1);
  let q = orthonormalColumns(q0, D, kk);
  for (let it = 0; it < 60; it++) {
    const next = tf.tidy(() => tf.matMul(cov, tf.tensor2d(q, [D, kk])).dataSync() as Float32Array);
    q = orthonormalColumns(next.slice(), D, kk);
  }
  cov.dispose();
  return { mean, dirs: q, k: kk };
}

/** Gram–Schmidt (twice, for stability) on the columns of a rows×cols row-major matrix, in place; returns it. */
export function orthonormalColumns(m: Float32Array, rows: number, cols: number): Float32Array {
  for (let pass = 0; pass < 2; pass++)
    for (let j = 0; j < cols; j++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let r = 0; r < rows; r++) d += m[r * cols + j] * m[r * cols + p];
        for (let r = 0; r < rows; r++) m[r * cols + j] -= d * m[r * cols + p];
      }
      let s = 0;
      for (let r = 0; r < rows; r++) s += m[r * cols + j] ** 2;
      s = Math.sqrt(s) || 1;
      for (let r = 0; r < rows; r++) m[r * cols + j] /= s;
    }
  return m;
}

/** Rows of `x` in principal coordinates, (x − μ)·A (n×k), by tfjs matmuls in chunks. */
export function projectPrincipal(tf: Tf, x: Matrix, pc: Principal, chunk = 8192): Matrix {
  const D = x.cols;
  const k = pc.k;
  const out = new Float32Array(x.rows * k);
  const a = tf.tensor2d(pc.dirs, [D, k]);
  const mu = tf.tensor1d(pc.mean);
  for (let s = 0; s < x.rows; s += chunk) {
    const e = Math.min(x.rows, s + chunk);
    const y = tf.tidy(() => tf.matMul(tf.sub(tf.tensor2d(x.data.subarray(s * D, e * D), [e - s, D]), mu), a));
    out.set(y.dataSync() as Float32Array, s * k);
    y.dispose();
  }
  a.dispose();
  mu.dispose();
  return { rows: x.rows, cols: k, data: out };
}
