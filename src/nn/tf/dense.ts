import type * as TfCore from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/rng.js';
import type { Tf } from './setup.js';

type Tensor = TfCore.Tensor;
type Tensor2D = TfCore.Tensor2D;

export interface DenseOptions {
  /** Apply ReLU to the output (fused into the same custom gradient). */
  relu?: boolean;
  /** Compute gradients for the inputs (false for a first layer whose input is data: saves one matmul each). */
  inputGrads?: boolean;
  /**
   * Sparse row blocks: when `blockRows[k]` is given, x_k holds only those output rows (compact, [rows.length, in_k])
   * and the others are zero, so the block costs rows.length instead of n rows (a relation most nodes lack).
   * Block 0 must be dense.
   */
  blockRows?: Array<Int32Array | undefined>;
}

/**
 * A dense layer over several input blocks, y = σ(Σ_k x_k W_k + b), with a hand-written gradient that uses explicit
 * `tf.transpose` before every matmul: tfjs-wasm runs matmul with a transposed operand at ~2 GFLOP/s, so its
 * built-in gradients are 5–7× slower (STACK.md). One block is an ordinary dense layer; several blocks are a dense
 * layer over their concatenation without materialising it (a SAGE layer's [h_v, m_v^1, …, m_v^R]).
 * `b` may be undefined (no bias). Shapes: x_k [n, in_k], W_k [in_k, out], b [out].
 */
export function denseBlocks(tf: Tf, xs: Tensor2D[], ws: Tensor2D[], b: TfCore.Tensor1D | undefined, opts: DenseOptions = {}): Tensor2D {
  const k = xs.length;
  if (ws.length !== k) throw new Error(`denseBlocks: ${k} inputs but ${ws.length} weight blocks`);
  const relu = opts.relu === true;
  const inputGrads = opts.inputGrads !== false;
  const hasBias = b !== undefined;
  const rowsOf = Array.from({ length: k }, (_, i) => (i > 0 ? opts.blockRows?.[i] : undefined));
  const f = tf.customGrad((...args: Array<Tensor | TfCore.GradSaveFunc>) => {
    const save = args[args.length - 1] as TfCore.GradSaveFunc;
    const ins = args.slice(0, k) as Tensor2D[];
    const wts = args.slice(k, 2 * k) as Tensor2D[];
    let y: Tensor2D = tf.matMul(ins[0], wts[0]);
    for (let i = 1; i < k; i++) if (!rowsOf[i]) y = tf.add(y, tf.matMul(ins[i], wts[i]));
    if (rowsOf.some((r) => r !== undefined)) {
      // scatter the compact blocks' products into their rows (forward only: the gradient is written below)
      const n = y.shape[0];
      const out = y.shape[1];
      const acc = (y.dataSync() as Float32Array).slice();
      for (let i = 1; i < k; i++) {
        const rows = rowsOf[i];
        if (!rows) continue;
        const p = tf.matMul(ins[i], wts[i]);
        const pd = p.dataSync() as Float32Array;
        p.dispose();
        for (let r = 0; r < rows.length; r++) {
          const o = rows[r] * out;
          for (let c = 0; c < out; c++) acc[o + c] += pd[r * out + c];
        }
      }
      y = tf.tensor2d(acc, [n, out]);
    }
    if (hasBias) y = tf.add(y, args[2 * k] as Tensor);
    if (relu) y = tf.relu(y);
    save([...ins, ...wts, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor2D, saved: Tensor[]) => {
        const out = saved[2 * k] as Tensor2D;
        const g = relu ? tf.mul(dy, tf.step(out)) : dy;
        const gs = rowsOf.map((rows) => (rows ? tf.gather(g, tf.tensor1d(rows, 'int32')) : g));
        const grads: Tensor[] = [];
        for (let i = 0; i < k; i++)
          grads.push(inputGrads ? tf.matMul(gs[i], tf.transpose(saved[k + i] as Tensor2D)) : tf.zerosLike(saved[i]));
        for (let i = 0; i < k; i++) grads.push(tf.matMul(tf.transpose(saved[i] as Tensor2D), gs[i]));
        if (hasBias) grads.push(tf.sum(g, 0));
        return grads;
      },
    };
  });
  return (hasBias ? f(...xs, ...ws, b) : f(...xs, ...ws)) as Tensor2D;
}

/** Glorot-uniform initial weights for an in×out block, drawn from `rng` (deterministic for a seed). */
export function glorot(rng: Rng, inDim: number, outDim: number, fanIn = inDim): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
  return w;
}

/** A trainable dense layer over `inDims.length` input blocks. */
export interface DenseParams {
  w: TfCore.Variable<TfCore.Rank.R2>[];
  b: TfCore.Variable<TfCore.Rank.R1>;
}

/** Creates the variables of a dense layer over input blocks of sizes `inDims`, Glorot over the total fan-in. */
export function createDense(tf: Tf, rng: Rng, inDims: number[], outDim: number, name: string): DenseParams {
  const fanIn = inDims.reduce((a, b) => a + b, 0);
  return {
    w: inDims.map((d, i) => tf.variable(tf.tensor2d(glorot(rng, d, outDim, fanIn), [d, outDim]), true, `${name}_w${i}`)),
    b: tf.variable(tf.zeros([outDim]), true, `${name}_b`),
  };
}

/** Applies a DenseParams layer (see denseBlocks). */
export function applyDense(tf: Tf, p: DenseParams, xs: Tensor2D[], opts: DenseOptions = {}): Tensor2D {
  return denseBlocks(tf, xs, p.w, p.b, opts);
}
