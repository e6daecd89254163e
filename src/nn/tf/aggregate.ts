import type * as TfCore from '@tensorflow/tfjs-core';
import type { Tf } from './setup.js';

export type AggregationMode = 'mean' | 'sum' | 'max';

/** A row structure: destination row i aggregates source rows `indices[indptr[i] .. indptr[i+1])`. */
export interface RowIndex {
  indptr: Int32Array;
  indices: Int32Array;
}

/**
 * Neighbourhood aggregation in plain TypeScript (SPEC §4 AGG): out[i] = AGG_{j ∈ N(i)} src[j] over the first
 * `numDst` rows of `index`; empty neighbourhoods give zeros. For 'max', `argmax` (numDst·d) receives the winning
 * source row of each output value (−1 for empty rows) so the gradient can be routed back.
 */
export function aggregateRows(
  src: Float32Array,
  d: number,
  index: RowIndex,
  numDst: number,
  mode: AggregationMode,
  argmax?: Int32Array,
): Float32Array {
  const out = new Float32Array(numDst * d);
  const { indptr, indices } = index;
  for (let i = 0; i < numDst; i++) {
    const lo = indptr[i];
    const hi = indptr[i + 1];
    if (hi === lo) {
      if (argmax) argmax.fill(-1, i * d, (i + 1) * d);
      continue;
    }
    const o = i * d;
    if (mode === 'max') {
      const j0 = indices[lo] * d;
      for (let c = 0; c < d; c++) out[o + c] = src[j0 + c];
      if (argmax) argmax.fill(indices[lo], o, o + d);
      for (let e = lo + 1; e < hi; e++) {
        const j = indices[e];
        const s = j * d;
        for (let c = 0; c < d; c++) {
          if (src[s + c] > out[o + c]) {
            out[o + c] = src[s + c];
            if (argmax) argmax[o + c] = j;
          }
        }
      }
    } else {
      for (let e = lo; e < hi; e++) {
        const s = indices[e] * d;
        for (let c = 0; c < d; c++) out[o + c] += src[s + c];
      }
      if (mode === 'mean') {
        const inv = 1 / (hi - lo);
        for (let c = 0; c < d; c++) out[o + c] *= inv;
      }
    }
  }
  return out;
}

/**
 * Differentiable sparse neighbourhood aggregation: [numDst, d] = AGG over rows of `h` [numSrc, d] along `index`.
 * Forward and backward run in TypeScript over the sampled edges only (O(edges·d)), which avoids tfjs-wasm's missing
 * UnsortedSegmentSum (no gradient through `gather`) and a dense numDst×numSrc matrix. Reusable for any
 * message-passing model (GraphSAGE, LightGCN propagation, PinSage).
 */
export function sparseAggregate(tf: Tf, h: TfCore.Tensor2D, index: RowIndex, numDst: number, mode: AggregationMode): TfCore.Tensor2D {
  const [numSrc, d] = h.shape;
  const f = tf.customGrad((...args: Array<TfCore.Tensor | TfCore.GradSaveFunc>) => {
    const x = args[0] as TfCore.Tensor;
    const save = args[1] as TfCore.GradSaveFunc;
    const argmax = mode === 'max' ? new Int32Array(numDst * d) : undefined;
    const data = x.dataSync() as Float32Array;
    const out = aggregateRows(data, d, index, numDst, mode, argmax);
    save([]);
    return {
      value: tf.tensor2d(out, [numDst, d]),
      gradFunc: (dy: TfCore.Tensor | TfCore.Tensor[]) => {
        const g = (dy as TfCore.Tensor).dataSync() as Float32Array;
        const dx = new Float32Array(numSrc * d);
        const { indptr, indices } = index;
        for (let i = 0; i < numDst; i++) {
          const lo = indptr[i];
          const hi = indptr[i + 1];
          if (hi === lo) continue;
          const o = i * d;
          if (mode === 'max' && argmax) {
            for (let c = 0; c < d; c++) dx[argmax[o + c] * d + c] += g[o + c];
          } else {
            const scale = mode === 'mean' ? 1 / (hi - lo) : 1;
            for (let e = lo; e < hi; e++) {
              const s = indices[e] * d;
              for (let c = 0; c < d; c++) dx[s + c] += g[o + c] * scale;
            }
          }
        }
        return tf.tensor2d(dx, [numSrc, d]);
      },
    };
  });
  return f(h) as TfCore.Tensor2D;
}
