import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';

/**
 * A plain multilayer perceptron y = W_L σ(… σ(W_1 x + b_1) …) + b_L with ReLU between layers and none
 * after the last: the student f_θ of SPEC §5 and every personal model g_u of SPEC §6.
 * Weights are row-major `in × out` (y = x·W + b), one Float32Array per layer.
 */
export interface DenseLayer {
  inDim: number;
  outDim: number;
  weight: Float32Array;
  bias: Float32Array;
}

export interface Mlp {
  layers: DenseLayer[];
}

/** Glorot-uniform initialised MLP with the given layer sizes, e.g. [512, 256, 64]. */
export function createMlp(sizes: number[], rng: Rng = new Rng(1)): Mlp {
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inDim = sizes[l];
    const outDim = sizes[l + 1];
    const limit = Math.sqrt(6 / (inDim + outDim));
    const weight = new Float32Array(inDim * outDim);
    for (let i = 0; i < weight.length; i++) weight[i] = rng.uniform(-limit, limit);
    layers.push({ inDim, outDim, weight, bias: new Float32Array(outDim) });
  }
  return { layers };
}

/** Deep copy of an MLP (a personal model's first private copy). */
export function cloneMlp(m: Mlp): Mlp {
  return { layers: m.layers.map((l) => ({ inDim: l.inDim, outDim: l.outDim, weight: l.weight.slice(), bias: l.bias.slice() })) };
}

/** Input and output dimension of an MLP. */
export function mlpShape(m: Mlp): { inDim: number; outDim: number; sizes: number[] } {
  const sizes = [m.layers[0].inDim, ...m.layers.map((l) => l.outDim)];
  return { inDim: sizes[0], outDim: sizes[sizes.length - 1], sizes };
}

/** Reference forward pass in plain TypeScript (correctness oracle; fast paths live in the kernels). */
export function mlpForward(m: Mlp, x: Matrix): Matrix {
  let cur = x;
  for (let l = 0; l < m.layers.length; l++) {
    const layer = m.layers[l];
    const out = new Float32Array(cur.rows * layer.outDim);
    for (let r = 0; r < cur.rows; r++) {
      const o = out.subarray(r * layer.outDim, (r + 1) * layer.outDim);
      o.set(layer.bias);
      for (let i = 0; i < layer.inDim; i++) {
        const xi = cur.data[r * cur.cols + i];
        if (xi === 0) continue;
        const w = i * layer.outDim;
        for (let j = 0; j < layer.outDim; j++) o[j] += xi * layer.weight[w + j];
      }
      if (l + 1 < m.layers.length) for (let j = 0; j < o.length; j++) if (o[j] < 0) o[j] = 0;
    }
    cur = { rows: cur.rows, cols: layer.outDim, data: out };
  }
  return cur;
}
