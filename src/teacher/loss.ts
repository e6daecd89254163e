import type * as TfCore from '@tensorflow/tfjs-core';
import type { Tf } from '../nn/tf/setup.js';

/** Pairs of rows of an embedding batch with their loss coefficients. */
export interface LossPairs {
  u: Int32Array;
  v: Int32Array;
  /** 1 = positive edge (pull together), 0 = negative pair (push apart). */
  positive: Uint8Array;
  /** λ_r·ŵ_uv/n_r for positives, λ_r/n_r for negatives (n_r = pairs of relation r in the batch). */
  coef: Float32Array;
}

export type ContrastiveLoss = 'margin' | 'difference';

/**
 * Contrastive loss of SPEC §4 over embedding rows `z`, value and gradient computed in TypeScript (O(pairs·d)):
 * - 'margin' (eq. 2–3): Σ coef·‖z_u − z_v‖² over positives + Σ coef·max(0, m − ‖z_u − z_v'‖)² over negatives.
 * - 'difference' (the summary's reading): Σ coef·‖z_u − z_v‖² − Σ coef·‖z_u − z_v'‖² on L2-normalised rows
 *   (bounded only because of the normalisation, which is differentiated through).
 */
export function contrastiveLossValue(
  z: Float32Array,
  d: number,
  pairs: LossPairs,
  mode: ContrastiveLoss,
  margin: number,
): { loss: number; grad: Float32Array } {
  const rows = z.length / d;
  const normalize = mode === 'difference';
  let zn = z;
  let norms: Float32Array | undefined;
  if (normalize) {
    zn = new Float32Array(z.length);
    norms = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += z[i * d + c] * z[i * d + c];
      const n = Math.sqrt(s) + 1e-12;
      norms[i] = n;
      for (let c = 0; c < d; c++) zn[i * d + c] = z[i * d + c] / n;
    }
  }
  const g = new Float32Array(z.length);
  let loss = 0;
  for (let p = 0; p < pairs.u.length; p++) {
    const a = pairs.u[p] * d;
    const b = pairs.v[p] * d;
    let d2 = 0;
    for (let c = 0; c < d; c++) {
      const t = zn[a + c] - zn[b + c];
      d2 += t * t;
    }
    const coef = pairs.coef[p];
    let k: number; // d loss / d (z_u − z_v), as a multiple of (z_u − z_v)
    if (pairs.positive[p] === 1) {
      loss += coef * d2;
      k = 2 * coef;
    } else if (mode === 'difference') {
      loss -= coef * d2;
      k = -2 * coef;
    } else {
      const dist = Math.sqrt(d2);
      const h = margin - dist;
      if (h <= 0) continue;
      loss += coef * h * h;
      k = dist > 1e-12 ? (-2 * coef * h) / dist : 0;
    }
    for (let c = 0; c < d; c++) {
      const t = k * (zn[a + c] - zn[b + c]);
      g[a + c] += t;
      g[b + c] -= t;
    }
  }
  if (normalize && norms) {
    // back through z/‖z‖: dz = (g − ẑ(ẑ·g)) / ‖z‖
    for (let i = 0; i < rows; i++) {
      let dotp = 0;
      for (let c = 0; c < d; c++) dotp += zn[i * d + c] * g[i * d + c];
      for (let c = 0; c < d; c++) g[i * d + c] = (g[i * d + c] - zn[i * d + c] * dotp) / norms[i];
    }
  }
  return { loss, grad: g };
}

/** The contrastive loss as a differentiable tfjs scalar of `z` (see contrastiveLossValue). */
export function contrastiveLoss(tf: Tf, z: TfCore.Tensor2D, pairs: LossPairs, mode: ContrastiveLoss, margin: number): TfCore.Scalar {
  const d = z.shape[1];
  const f = tf.customGrad((...args: Array<TfCore.Tensor | TfCore.GradSaveFunc>) => {
    const x = args[0] as TfCore.Tensor;
    const { loss, grad } = contrastiveLossValue(x.dataSync() as Float32Array, d, pairs, mode, margin);
    return {
      value: tf.scalar(loss),
      gradFunc: (dy: TfCore.Tensor | TfCore.Tensor[]) => tf.mul(tf.tensor2d(grad, z.shape), dy as TfCore.Tensor),
    };
  });
  return f(z) as TfCore.Scalar;
}
