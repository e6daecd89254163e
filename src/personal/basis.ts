import type { Matrix } from '../core/matrix.js';
import type { Mlp } from '../nn/mlp.js';

/**
 * The shared, precomputed part of every personal model. Personal models adapt only the student's last layer
 * (SPEC §6 leaves the choice open; docs/engine.md has the trade-off), so the activations that feed it, `H = σ(…σ(X·W_1)…)`,
 * are the same for every user: computed once per model for the whole catalogue and shared (also with worker threads).
 */

/** Activations entering the last layer for the rows of `x` (ReLU applied): the shared basis `H`. A one-layer student gives `x` itself. */
export function lastLayerInput(mlp: Mlp, x: Matrix, out?: Float32Array): Matrix {
  const last = mlp.layers.length - 1;
  let cur = x;
  for (let l = 0; l < last; l++) {
    const layer = mlp.layers[l];
    const target = l === last - 1 && out ? out.subarray(0, cur.rows * layer.outDim) : new Float32Array(cur.rows * layer.outDim);
    denseForward(cur.data, cur.rows, layer.inDim, layer.weight, layer.bias, layer.outDim, target, true);
    cur = { rows: cur.rows, cols: layer.outDim, data: target };
  }
  if (last === 0 && out) {
    out.set(x.data.subarray(0, x.rows * x.cols));
    return { rows: x.rows, cols: x.cols, data: out.subarray(0, x.rows * x.cols) };
  }
  return cur;
}

/** `out = relu?(x·W + b)` for `rows` rows; `W` is `inDim × outDim` row-major (the layout of src/nn/mlp.ts). */
export function denseForward(
  x: Float32Array,
  rows: number,
  inDim: number,
  w: Float32Array,
  b: Float32Array,
  outDim: number,
  out: Float32Array,
  relu: boolean,
): Float32Array {
  for (let r = 0; r < rows; r++) {
    const o = r * outDim;
    for (let j = 0; j < outDim; j++) out[o + j] = b[j];
    const xo = r * inDim;
    for (let k = 0; k < inDim; k++) {
      const xk = x[xo + k];
      if (xk === 0) continue;
      const wo = k * outDim;
      for (let j = 0; j < outDim; j++) out[o + j] += xk * w[wo + j];
    }
    if (relu) for (let j = 0; j < outDim; j++) if (out[o + j] < 0) out[o + j] = 0;
  }
  return out;
}
