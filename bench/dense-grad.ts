/**
 * Numeric-stack check for the training layers (issue 3): one dense layer's forward + backward in tfjs-wasm with the
 * backward matmuls written (a) the way tfjs's own MatMul gradient does it, with transposed-operand flags, and
 * (b) as `denseBlocks` does, with an explicit `tf.transpose` first; plus (c) plain TypeScript loops.
 * Shapes: the teacher's input layer on one batch (≈4k nodes × 5·64 → 256) and the student (256 × 512 → 256).
 * Run directly: `node dist/bench/dense-grad.js [--quick]`.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { Rng } from '../src/core/rng.js';
import { denseBlocks } from '../src/nn/tf/dense.js';
import { loadTf } from '../src/nn/tf/setup.js';
import { runIfMain } from './lib/direct-run.js';
import type { BenchOptions, BenchResult } from './types.js';

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const tf = await loadTf();
  const rng = new Rng(1);
  const shapes: Array<[number, number, number]> = [
    [4224, 320, 256],
    [256, 512, 256],
    [4224, 2560, 256],
  ];
  const reps = opts.quick ? 2 : 6;
  const rows: Array<Record<string, string | number>> = [];
  for (const [n, k, m] of shapes) {
    const x = tf.tensor2d(
      Float32Array.from({ length: n * k }, () => rng.normal()),
      [n, k],
    );
    const w = tf.variable(
      tf.tensor2d(
        Float32Array.from({ length: k * m }, () => rng.normal() * 0.05),
        [k, m],
      ),
    );
    const flags = tf.customGrad((...args: Array<TfCore.Tensor | TfCore.GradSaveFunc>) => {
      const [a, b] = args as TfCore.Tensor2D[];
      (args[2] as TfCore.GradSaveFunc)([a, b]);
      return {
        value: tf.matMul(a, b),
        gradFunc: (dy: TfCore.Tensor | TfCore.Tensor[], saved: TfCore.Tensor[]) => [
          tf.matMul(dy as TfCore.Tensor2D, saved[1] as TfCore.Tensor2D, false, true),
          tf.matMul(saved[0] as TfCore.Tensor2D, dy as TfCore.Tensor2D, true, false),
        ],
      };
    });
    // Σ y with a hand-written gradient (tfjs's own Sum gradient is not registered in this build)
    const sum = tf.customGrad((...args: Array<TfCore.Tensor | TfCore.GradSaveFunc>) => {
      const y = args[0] as TfCore.Tensor;
      return { value: tf.sum(y), gradFunc: (dy: TfCore.Tensor | TfCore.Tensor[]) => tf.mul(tf.onesLike(y), dy as TfCore.Tensor) };
    });
    const time = (f: () => TfCore.Scalar): number => {
      const once = () => {
        const { value, grads } = tf.variableGrads(f, [w]);
        (grads[w.name].dataSync() as Float32Array)[0];
        value.dispose();
        tf.dispose(grads);
      };
      once();
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) once();
      return (performance.now() - t0) / reps;
    };
    const flops = 3 * 2 * n * k * m;
    const a = time(() => sum(flags(x, w)) as TfCore.Scalar);
    const b = time(() => sum(denseBlocks(tf, [x], [w], undefined)) as TfCore.Scalar);
    // plain TypeScript: forward + weight gradient (dy = 1) with the best loop order
    const xs = x.dataSync() as Float32Array;
    const ws = w.dataSync() as Float32Array;
    const t0 = performance.now();
    const y = new Float32Array(n * m);
    for (let i = 0; i < n; i++)
      for (let p = 0; p < k; p++) {
        const v = xs[i * k + p];
        for (let j = 0; j < m; j++) y[i * m + j] += v * ws[p * m + j];
      }
    const dw = new Float32Array(k * m);
    for (let i = 0; i < n; i++)
      for (let p = 0; p < k; p++) {
        const v = xs[i * k + p];
        for (let j = 0; j < m; j++) dw[p * m + j] += v;
      }
    const c = ((performance.now() - t0) * 3) / 2; // two of the three matmuls timed, scaled to three
    rows.push({
      shape: `${n}×${k} · ${k}×${m}`,
      'tfjs flags ms': Number(a.toFixed(1)),
      'explicit transpose ms': Number(b.toFixed(1)),
      speed_up: Number((a / b).toFixed(2)),
      'plain TS ms (est.)': Number(c.toFixed(0)),
      'GFLOP/s explicit': Number((flops / b / 1e6).toFixed(1)),
    });
    x.dispose();
    w.dispose();
  }
  return {
    name: 'dense layer forward + backward: transposed-operand matmul vs explicit transpose (tfjs-wasm)',
    rows,
    notes: ['mean of a few repetitions after one warm-up, on a shared 2-core machine; plain TS = forward + dW loops only, ×1.5'],
  };
}

await runIfMain(import.meta, run);
