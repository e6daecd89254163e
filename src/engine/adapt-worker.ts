import type { Tensor2D } from '@tensorflow/tfjs-core';
import { loadTf, type Tf } from '../nn/tf/setup.js';
import { adaptDelta } from '../personal/triplet.js';
import { type AdaptResult, type AdaptTask, runAdaptTask } from './adapt-task.js';

/**
 * Piscina worker entry: SGD on eq. 7 in TypeScript (small), then the re-projection `P_u = P + (H·A)·B` on tfjs-wasm
 * SIMD with H and P kept resident as tensors per model (one copy per worker), ~5× faster than the TypeScript loops.
 * The new projection is quantized to int8 into a SharedArrayBuffer (no copy on return). Falls back to the TypeScript path.
 */
let tf: Tf | undefined;
let tfFailed = false;
let cache: { key: string; h: Tensor2D; pg: Tensor2D } | undefined;

export default async function adapt(task: AdaptTask): Promise<AdaptResult> {
  if (!tfFailed && !tf) {
    try {
      tf = await loadTf();
    } catch {
      tfFailed = true;
    }
  }
  if (!tf) return runAdaptTask(task);
  const t = tf;
  const t0 = performance.now();
  const delta = task.delta;
  const { lossBefore, lossAfter } = adaptDelta(delta, task);
  const t1 = performance.now();
  const { hidden: h, out: d, rank: r } = delta;
  const key = `${task.modelKey}:${task.rows}`;
  if (cache?.key !== key) {
    cache?.h.dispose();
    cache?.pg.dispose();
    cache = {
      key,
      h: t.tensor2d(task.basis.subarray(0, task.rows * h), [task.rows, h]),
      pg: t.tensor2d(task.pg.subarray(0, task.rows * d), [task.rows, d]),
    };
  }
  const c = cache;
  // projection and its int8 encoding (first `dims` coordinates, per-coordinate scale and offset) all in tfjs-wasm
  const dims = Math.min(task.dims, d);
  const [codesT, loT, hiT] = t.tidy(() => {
    const y = t.add(c.pg, t.matMul(t.matMul(c.h, t.tensor2d(delta.a, [h, r])), t.tensor2d(delta.b, [r, d])));
    const kept = dims === d ? y : t.slice(y, [0, 0], [task.rows, dims]);
    const lo = t.min(kept, 0);
    const hi = t.max(kept, 0);
    const offset = t.div(t.add(lo, hi), 2);
    const scale = t.maximum(t.max(t.div(t.sub(hi, lo), 254)), 1e-12); // one scale (see quantized.ts)
    const codes = t.cast(t.clipByValue(t.round(t.div(t.sub(kept, offset), scale)), -127, 127), 'int32');
    return [codes, offset, scale];
  });
  const [codes, offset, scale] = await Promise.all([codesT.data(), loT.data(), hiT.data()]);
  for (const x of [codesT, loT, hiT]) x.dispose();
  const out = task.out && task.out.length === task.rows * dims ? task.out : new Int8Array(new SharedArrayBuffer(task.rows * dims));
  out.set(codes as Int32Array);
  const projection = { rows: task.rows, dims, codes: out, scale: new Float32Array(dims).fill(scale[0]), offset: Float32Array.from(offset) };
  const t2 = performance.now();
  return { delta, projection, rows: task.rows, lossBefore, lossAfter, sgdMs: t1 - t0, projectMs: t2 - t1 };
}
