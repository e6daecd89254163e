import { type AdaptResult, type AdaptTask, runAdaptTask } from './adapt-task.js';

/** Piscina worker entry: runs one adaptation (its projection is in a SharedArrayBuffer, so nothing large is copied back). */
export default function adapt(task: AdaptTask): AdaptResult {
  return runAdaptTask(task);
}
