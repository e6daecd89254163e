import type * as TfCore from '@tensorflow/tfjs-core';
import type { Tf } from '../nn/tf/setup.js';

/** A batch of linked pairs for the sampled-softmax graph term: rows of an embedding batch, not item ids. */
export interface SoftmaxPairs {
  /** Row of each pair's anchor and of its linked item. */
  anchor: Int32Array;
  positive: Int32Array;
  /** Rows every anchor is ranked against besides its own positive (a copy of that positive here is skipped). */
  candidates: Int32Array;
  /** Item id of every row, so an anchor is never ranked against itself or a copy of its positive. */
  item: Int32Array;
  /** Loss coefficient of each pair (λ_r·ŵ/n_r·β). */
  coef: Float32Array;
}

/**
 * Sampled-softmax link loss over embedding rows `z` (value and gradient in TypeScript, O(pairs·candidates·d)):
 * Σ_i coef_i·(−s_ip + log Σ_c exp s_ic) with s_ic = −‖z_a(i) − z_c‖²/τ. Unlike the margin loss of eq. 2–3 with one
 * uniform negative, every pair is ranked against the whole candidate set and the gradient concentrates on the
 * nearest wrong candidates, which is what a top-k list among look-alikes needs (docs/training.md).
 */
export function softmaxLinkLossValue(z: Float32Array, d: number, p: SoftmaxPairs, tau: number): { loss: number; grad: Float32Array } {
  const g = new Float32Array(z.length);
  const C = p.candidates.length + 1;
  const s = new Float64Array(C);
  let loss = 0;
  for (let i = 0; i < p.anchor.length; i++) {
    const a = p.anchor[i];
    const pos = p.positive[i];
    const aItem = p.item[a];
    const posItem = p.item[pos];
    const oa = a * d;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < C; k++) {
      // slot 0 is the pair's own positive, so candidate sets need not contain it
      const c = k === 0 ? pos : p.candidates[k - 1];
      const cItem = p.item[c];
      // the anchor itself, and other copies of the positive, are not wrong answers
      if (cItem === aItem || (cItem === posItem && k > 0)) {
        s[k] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const oc = c * d;
      let d2 = 0;
      for (let j = 0; j < d; j++) {
        const t = z[oa + j] - z[oc + j];
        d2 += t * t;
      }
      s[k] = -d2 / tau;
      if (s[k] > max) max = s[k];
    }
    // an anchor linked to its own item has no positive to rank
    if (s[0] === Number.NEGATIVE_INFINITY) continue;
    let sum = 0;
    for (let k = 0; k < C; k++) sum += Math.exp(s[k] - max);
    const coef = p.coef[i];
    loss += coef * (max + Math.log(sum) - s[0]);
    for (let k = 0; k < C; k++) {
      if (s[k] === Number.NEGATIVE_INFINITY) continue;
      // d loss / d s_k = softmax_k − [k = positive]; d s_k / d z_a = −2(z_a − z_c)/τ = − d s_k / d z_c
      const w = coef * (Math.exp(s[k] - max) / sum - (k === 0 ? 1 : 0));
      if (w === 0) continue;
      const f = (-2 * w) / tau;
      const oc = (k === 0 ? pos : p.candidates[k - 1]) * d;
      for (let j = 0; j < d; j++) {
        const t = f * (z[oa + j] - z[oc + j]);
        g[oa + j] += t;
        g[oc + j] -= t;
      }
    }
  }
  return { loss, grad: g };
}

/** The sampled-softmax link loss as a differentiable tfjs scalar of `z` (see softmaxLinkLossValue). */
export function softmaxLinkLoss(tf: Tf, z: TfCore.Tensor2D, pairs: SoftmaxPairs, tau: number): TfCore.Scalar {
  const d = z.shape[1];
  const f = tf.customGrad((...args: Array<TfCore.Tensor | TfCore.GradSaveFunc>) => {
    const x = args[0] as TfCore.Tensor;
    const { loss, grad } = softmaxLinkLossValue(x.dataSync() as Float32Array, d, pairs, tau);
    return {
      value: tf.scalar(loss),
      gradFunc: (dy: TfCore.Tensor | TfCore.Tensor[]) => tf.mul(tf.tensor2d(grad, z.shape), dy as TfCore.Tensor),
    };
  });
  return f(z) as TfCore.Scalar;
}
