import { encodeCorrection, type PersonalCorrection } from '../knn/correction.js';
import type { LowRankDelta } from '../personal/low-rank.js';
import { correctionRows, deltaSubspace } from '../personal/subspace.js';
import { adaptDelta } from '../personal/triplet.js';

/**
 * One adaptation as a self-contained, structured-cloneable task (SPEC §6): SGD on eq. 7, then the catalogue's
 * re-projection through the new personal last layer, kept as its rank-r correction of the global projection
 * (src/personal/subspace.ts). The basis and the global projection live in SharedArrayBuffers,
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
  /** Where to write the correction's codes (a recycled block of `correctionBlockBytes`); allocated when absent. */
  out?: Int8Array;
  steps: number;
  lr: number;
  weightDecay: number;
  margin: number;
}

export interface AdaptResult {
  delta: LowRankDelta;
  /** The user's new projected catalogue as a correction of the global one (codes in a SharedArrayBuffer). */
  projection: PersonalCorrection;
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
  const sub = deltaSubspace(delta);
  const u = new Float32Array(task.rows * delta.rank);
  const sv = new Float32Array(task.rows);
  correctionRows(task.basis, task.pg, sub, delta.hidden, 0, task.rows, u, sv);
  const projection = encodeCorrection(u, sv, task.rows, delta.rank, sub.q, task.out);
  const t2 = performance.now();
  return { delta, projection, rows: task.rows, lossBefore, lossAfter, sgdMs: t1 - t0, projectMs: t2 - t1 };
}
