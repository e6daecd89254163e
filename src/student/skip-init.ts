import { transposeTimes } from '../core/matrix.js';
import type { Principal } from '../nn/tf/pca.js';

/**
 * The orthogonal k×d map R (R·Rᵀ = I) that best rotates the rows of P (n×k) onto those of Z (n×d), i.e. the polar
 * factor of PᵀZ (orthogonal Procrustes), by Newton–Schulz iteration; distances between rows of P·R equal those of P.
 */
export function procrustes(p: Float32Array, z: Float32Array, n: number, k: number, d: number): Float32Array {
  const m = transposeTimes(p, z, n, k, d);
  let fro = 0;
  for (const v of m) fro += v * v;
  fro = Math.sqrt(fro) || 1;
  let u = m.map((v) => v / fro);
  // U ← 1.5·U − 0.5·U·Uᵀ·U converges to the polar factor when the spectral norm is below √3 (it is ≤ 1 here)
  const uut = new Float64Array(k * k);
  for (let it = 0; it < 200; it++) {
    uut.fill(0);
    for (let a = 0; a < k; a++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += u[a * d + b] * u[c * d + b];
        uut[a * k + c] = s;
      }
    const next = new Float64Array(k * d);
    let change = 0;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += uut[a * k + c] * u[c * d + b];
        const v = 1.5 * u[a * d + b] - 0.5 * s;
        change = Math.max(change, Math.abs(v - u[a * d + b]));
        next[a * d + b] = v;
      }
    u = next;
    if (change < 1e-7) break;
  }
  return Float32Array.from(u);
}

/**
 * The layer sizes a trained student has: [D, hidden…, d], each hidden layer widened by 2k units (k = min(D, d)) when
 * `skip` is 'pca' and there is a hidden layer (the content skip of `withContentSkip`), e.g. 512 → 384 → 64.
 */
export function studentSizes(inputDim: number, hidden: readonly number[], outputDim: number, skip: 'pca' | 'none'): number[] {
  const plain = [inputDim, ...hidden, outputDim];
  if (skip !== 'pca' || hidden.length === 0) return plain;
  const k = Math.min(inputDim, outputDim);
  return plain.map((s, l) => (l === 0 || l === plain.length - 1 ? s : s + 2 * k));
}

/** Initial weights of one dense layer, in×out row-major, and its bias. */
export interface InitLayer {
  weight: Float32Array;
  bias: Float32Array;
}

/**
 * Builds the initial layers of a student whose output starts as a content-preserving linear map of its input:
 * every hidden layer gets 2k extra units carrying relu(u) and relu(−u) for the centred principal coordinates
 * u = (x − μ)·A (their difference is u, so the skip needs no change to the plain-MLP artifact), and the last layer
 * maps them through s·R (R orthogonal, s a scale): f(x) = MLP(x) + s·(x − μ)·A·R at the start, with content
 * distances kept up to the factor s in the top-k principal subspace. `mlp` holds the ordinary layers (sizes
 * [D, h…, d]) whose weights fill the rest; the returned layers have sizes [D, h+2k…, d].
 */
export function withContentSkip(mlp: InitLayer[], sizes: number[], pc: Principal, rot: Float32Array, scale: number): InitLayer[] {
  const { k, dirs, mean } = pc;
  const L = sizes.length - 1;
  const wide = sizes.map((s, l) => (l === 0 || l === L ? s : s + 2 * k));
  const out: InitLayer[] = [];
  for (let l = 0; l < L; l++) {
    const inW = wide[l];
    const outW = wide[l + 1];
    const inM = sizes[l];
    const outM = sizes[l + 1];
    const w = new Float32Array(inW * outW);
    const b = new Float32Array(outW);
    for (let i = 0; i < inM; i++) for (let j = 0; j < outM; j++) w[i * outW + j] = mlp[l].weight[i * outM + j];
    b.set(mlp[l].bias.subarray(0, outM));
    if (l === 0 && L > 1) {
      // ±(x − μ)·A into the extra units
      for (let i = 0; i < inM; i++)
        for (let j = 0; j < k; j++) {
          w[i * outW + outM + j] = dirs[i * k + j];
          w[i * outW + outM + k + j] = -dirs[i * k + j];
        }
      for (let j = 0; j < k; j++) {
        let mu = 0;
        for (let i = 0; i < inM; i++) mu += mean[i] * dirs[i * k + j];
        b[outM + j] = -mu;
        b[outM + k + j] = mu;
      }
    } else if (l > 0 && l < L - 1) {
      // a ReLU passes the non-negative ± units through unchanged
      for (let j = 0; j < 2 * k; j++) w[(inM + j) * outW + outM + j] = 1;
    } else if (l === L - 1 && l > 0) {
      for (let j = 0; j < k; j++)
        for (let c = 0; c < outM; c++) {
          w[(inM + j) * outW + c] = scale * rot[j * outM + c];
          w[(inM + k + j) * outW + c] = -scale * rot[j * outM + c];
        }
    }
    out.push({ weight: w, bias: b });
  }
  return out;
}
