import { Piscina } from 'piscina';
import { type AdaptResult, type AdaptTask, runAdaptTask } from './adapt-task.js';

/**
 * Where adaptations run: a piscina pool of worker threads (default: off the request path), or inline on the main
 * thread after the current turn of the event loop (`workers: 0`, for tiny deployments and deterministic tests).
 */
export interface AdaptExecutor {
  run(task: AdaptTask): Promise<AdaptResult>;
  /** Tasks queued or running. */
  readonly pending: number;
  /** True when tasks run in this thread (a task's output buffer may then be any memory, the WASM arena included). */
  readonly inline: boolean;
  close(): Promise<void>;
}

/** A pool of `threads` worker threads, or the inline executor when `threads` is 0. */
export function createExecutor(threads: number): AdaptExecutor {
  return threads > 0 ? new PoolExecutor(threads) : new InlineExecutor();
}

class InlineExecutor implements AdaptExecutor {
  pending = 0;
  readonly inline = true;
  run(task: AdaptTask): Promise<AdaptResult> {
    this.pending++;
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(runAdaptTask(task));
        } catch (err) {
          reject(err);
        } finally {
          this.pending--;
        }
      });
    });
  }
  async close(): Promise<void> {}
}

class PoolExecutor implements AdaptExecutor {
  private pool: Piscina;
  pending = 0;
  readonly inline = false;
  constructor(threads: number) {
    this.pool = new Piscina({
      filename: new URL('./adapt-worker.js', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
    });
  }
  async run(task: AdaptTask): Promise<AdaptResult> {
    this.pending++;
    try {
      return (await this.pool.run(task)) as AdaptResult;
    } finally {
      this.pending--;
    }
  }
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
