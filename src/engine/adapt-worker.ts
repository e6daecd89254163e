import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { encodeCorrection } from '../knn/correction.js';
import { loadTf, type Tf } from '../nn/tf/setup.js';
import { deltaSubspace } from '../personal/subspace.js';
import { adaptDelta } from '../personal/triplet.js';
import { type AdaptResult, type AdaptTask, runAdaptTask } from './adapt-task.js';

/**
 * Piscina worker entry: SGD on eq. 7 in TypeScript (small), then the user's correction of the global projection
 * (u = H·(A·M), s = 2·u·a + ‖u‖² with a = P·Qᵀ; src/personal/subspace.ts) on tfjs-wasm SIMD with H and P kept
 * resident as tensors per model (one copy per worker). The r + 1 values a row are encoded to int8 / int16 into a
 * SharedArrayBuffer (no copy on return). Falls back to the TypeScript path.
 */

/**
 * Niceness of an adaptation thread. On Linux it is per thread, so this lowers only the worker: when the cores are
 * busy the request thread (nice 0) runs first and an adaptation finishes a little later, instead of a request waiting
 * behind an adaptation's SGD and re-projection. (Elsewhere pid 0 means the whole process, so it is left alone there.)
 */
export const ADAPT_THREAD_NICE = 10;
if (process.platform === 'linux' && !isMainThread) {
  try {
    setPriority(0, ADAPT_THREAD_NICE);
  } catch {
    // not permitted (some containers): the worker keeps the process's priority
  }
}

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
  const sub = deltaSubspace(delta);
  const [uT, sT] = t.tidy(() => {
    const u = t.matMul(c.h, t.tensor2d(sub.am, [h, r]));
    // Qᵀ transposed here: tfjs-wasm's matMul with a transposed right operand took ~5× longer (measured at 10⁵ rows)
    const qt = new Float32Array(d * r);
    for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) qt[j * r + k] = sub.q[k * d + j];
    const a = t.matMul(c.pg, t.tensor2d(qt, [d, r]));
    const s = t.sum(t.mul(u, t.add(t.mul(a, 2), u)), 1);
    return [u, s];
  });
  const [u, s] = (await Promise.all([uT.data(), sT.data()])) as Float32Array[];
  uT.dispose();
  sT.dispose();
  const projection = encodeCorrection(u, s, task.rows, r, sub.q, task.out);
  const t2 = performance.now();
  return { delta, projection, rows: task.rows, lossBefore, lossAfter, sgdMs: t1 - t0, projectMs: t2 - t1 };
}
