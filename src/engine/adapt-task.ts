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
  /** Where to write the projection (a recycled SharedArrayBuffer view of rows×d floats); allocated when absent. */
  out?: Float32Array;
  steps: number;
  lr: number;
  weightDecay: number;
  margin: number;
}

export interface AdaptResult {
  delta: LowRankDelta;
  /** rows×d, the user's new projected catalogue. */
  projection: Float32Array;
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
  // a SharedArrayBuffer travels back from a worker by reference, not by copy
  const projection = outputFor(task);
  projectRows(task.basis, task.pg, delta, 0, task.rows, projection);
  const t2 = performance.now();
  return { delta, projection, rows: task.rows, lossBefore, lossAfter, sgdMs: t1 - t0, projectMs: t2 - t1 };
}

/** The task's recycled output buffer when it fits, else a new SharedArrayBuffer (travels back by reference). */
export function outputFor(task: AdaptTask): Float32Array {
  const n = task.rows * task.delta.out;
  if (task.out && task.out.length === n) return task.out;
  return new Float32Array(new SharedArrayBuffer(n * 4));
}
