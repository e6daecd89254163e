import type * as TfCore from '@tensorflow/tfjs-core';
import type { Tf } from './setup.js';

/**
 * Adam with decoupled weight decay (AdamW, Loshchilov & Hutter): after each Adam step, every weight matrix is
 * shrunk by (1 − lr·wd); biases are not decayed. `loss` must return a scalar built from the variables.
 */
export class AdamW {
  private readonly opt: TfCore.AdamOptimizer;

  constructor(
    private readonly tf: Tf,
    private readonly lr: number,
    private readonly weightDecay: number,
    private readonly vars: TfCore.Variable[],
  ) {
    this.opt = tf.train.adam(lr);
  }

  /** One step; returns the loss value. */
  step(loss: () => TfCore.Scalar): number {
    const tf = this.tf;
    const { value, grads } = tf.variableGrads(loss, this.vars);
    this.opt.applyGradients(grads as TfCore.NamedTensorMap as Record<string, TfCore.Variable>);
    tf.dispose(grads);
    if (this.weightDecay > 0) {
      const keep = 1 - this.lr * this.weightDecay;
      tf.tidy(() => {
        for (const v of this.vars) if (v.rank === 2) v.assign(tf.mul(v, keep));
      });
    }
    const out = value.dataSync()[0];
    value.dispose();
    return out;
  }

  dispose(): void {
    this.opt.dispose();
  }
}
