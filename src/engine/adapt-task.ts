import { type QuantizedProjection, quantize } from '../knn/quantized.js';
import { type LowRankDelta, projectRows } from '../personal/low-rank.js';
import { adaptDelta } from '../personal/triplet.js';

/**
 * One adaptation as a self-contained, structured-cloneable task (SPEC §6): SGD on eq. 7, then the re-projection of
 * the catalogue through the new personal last layer. The basis and the global projection live in SharedArrayBuffers,
 * so sending a task to a worker copies only the small parts (the batch rows, the delta, the last layer).
 */
export interface AdaptTask {
  /** Identifies the model and the basis buffer (workers cache per key). */
  modelKey: string;
  basis: Float32Array;
  pg: Float32Array;
  rows: number;
  weight: Float32Array;
  delta: LowRankDelta;
  anchor: Float32Array;
  pos: Float32Array;
  neg: Float32Array;
  /** Coordinates kept per row in the int8 projection. */
  dims: number;
  /** Where to write the int8 codes (a recycled SharedArrayBuffer view of rows×dims); allocated when absent. */
  out?: Int8Array;
  steps: number;
  lr: number;
  weightDecay: number;
  margin: number;
}

export interface AdaptResult {
  delta: LowRankDelta;
  /** The user's new projected catalogue, int8 (codes in a SharedArrayBuffer: no copy back from a worker). */
  projection: QuantizedProjection;
  rows: number;
  lossBefore: number;
  lossAfter: number;
  /** Time spent in SGD and in re-projection (ms). */
  sgdMs: number;
  projectMs: number;
}

/** Runs the task (in a worker or inline): adapts a private copy of the delta and re-projects the catalogue. */
export function runAdaptTask(task: AdaptTask): AdaptResult {
  const t0 = performance.now();
  const delta = task.delta;
  const { lossBefore, lossAfter } = adaptDelta(delta, {
    anchor: task.anchor,
    pos: task.pos,
    neg: task.neg,
    weight: task.weight,
    steps: task.steps,
    lr: task.lr,
    weightDecay: task.weightDecay,
    margin: task.margin,
  });
  const t1 = performance.now();
  const full = new Float32Array(task.rows * delta.out);
  projectRows(task.basis, task.pg, delta, 0, task.rows, full);
  const projection = quantizeFor(task, full);
  const t2 = performance.now();
  return { delta, projection, rows: task.rows, lossBefore, lossAfter, sgdMs: t1 - t0, projectMs: t2 - t1 };
}

/** Quantizes a float projection into the task's recycled buffer when it fits (else a new SharedArrayBuffer). */
export function quantizeFor(task: AdaptTask, full: Float32Array): QuantizedProjection {
  const d = task.delta.out;
  const dims = Math.min(task.dims, d);
  return quantize(full, task.rows, d, dims, task.out);
}
