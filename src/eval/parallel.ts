import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TailorConfig } from '../core/config.js';
import { TailorError } from '../core/errors.js';
import type { DatasetFormat } from '../events/loaders/index.js';
import { type EvalData, type EvaluationOptions, type EvaluationResult, planEvaluation, type RowRun, summarise } from './evaluate.js';
import type { BaselineBudget } from './models.js';

/** Everything a worker process needs to rebuild the evaluation (plain data: it crosses a process boundary). */
export interface WorkerRequest {
  dataset: { path: string; format: DatasetFormat; vectors?: string; trainDays: number; seed?: number };
  names: string[];
  budget: BaselineBudget;
  config: TailorConfig;
  options: Omit<EvaluationOptions, 'onResult'>;
  /** Where trained artifacts are written for the rows of their window. */
  workDir: string;
}

export type ToWorker =
  | { type: 'init'; request: WorkerRequest }
  | { type: 'train'; window: number }
  | { type: 'row'; window: number; model: string };

export type ToParent =
  | { type: 'ready' }
  | { type: 'trained'; window: number }
  | { type: 'row'; run: RowRun }
  | { type: 'error'; message: string; code?: string; stack?: string };

type Task = Exclude<ToWorker, { type: 'init' }>;

/**
 * `evaluate` over `jobs` worker processes: every (window, model) row is independent — a fresh model, fitted and
 * replayed alone — so rows run side by side and the tables are those of the single-process run. Each window's Tailor
 * artifact is trained once (first in the queue) and shared through a temporary folder; the Tailor rows of that window
 * wait for it. `data` is the parent's copy of the same data set, for the plan and the summary.
 */
export async function evaluateInWorkers(
  data: EvalData,
  request: Omit<WorkerRequest, 'workDir'>,
  jobs: number,
  onResult?: (run: RowRun) => void,
): Promise<EvaluationResult> {
  const plan = planEvaluation(data, request.options);
  const workDir = await mkdtemp(join(tmpdir(), 'tailor-eval-'));
  const req: WorkerRequest = { ...request, workDir };
  const tailor = req.names.filter((n) => n.startsWith('tailor'));
  const others = req.names.filter((n) => !n.startsWith('tailor'));
  // training first (the Tailor rows wait for it), then the rows that adapt before the cheap ones, so the slowest
  // rows do not start last
  const queue: Task[] = [];
  const waiting = new Map<number, Task[]>();
  for (let w = 0; w < plan.starts.length; w++) {
    if (tailor.length > 0) {
      queue.push({ type: 'train', window: w });
      const rows = [...tailor].sort((a, b) => Number(a === 'tailor-no-personalisation') - Number(b === 'tailor-no-personalisation'));
      waiting.set(
        w,
        rows.map((model) => ({ type: 'row', window: w, model })),
      );
    }
  }
  for (let w = 0; w < plan.starts.length; w++) for (const model of others) queue.push({ type: 'row', window: w, model });
  const runs: RowRun[] = [];
  const workers: ChildProcess[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      const next = (child: ChildProcess) => {
        const task = queue.shift();
        if (task) {
          busy++;
          child.send(task);
        } else if (busy === 0 && waiting.size === 0) resolve();
      };
      const idle: ChildProcess[] = [];
      const count = Math.max(1, Math.min(jobs, queue.length + [...waiting.values()].reduce((s, t) => s + t.length, 0)));
      for (let j = 0; j < count; j++) {
        const child = fork(new URL('./row-worker.js', import.meta.url), [], { serialization: 'advanced', stdio: 'inherit' });
        workers.push(child);
        child.on('exit', (code) => {
          if (code !== 0 && code !== null) fail(new TailorError('INTERNAL', `evaluation worker exited with code ${code}`));
        });
        child.on('message', (msg: ToParent) => {
          if (msg.type === 'error') {
            const err = new Error(msg.message) as Error & { code?: string };
            err.code = msg.code;
            err.stack = msg.stack;
            fail(err);
            return;
          }
          if (msg.type !== 'ready') busy--;
          if (msg.type === 'trained') {
            // the window's Tailor rows go to the front: they are the long ones
            queue.unshift(...(waiting.get(msg.window) ?? []));
            waiting.delete(msg.window);
            for (const c of idle.splice(0)) next(c);
          } else if (msg.type === 'row') {
            runs.push(msg.run);
            onResult?.(msg.run);
          }
          if (queue.length === 0 && waiting.size > 0) idle.push(child);
          else next(child);
          if (busy === 0 && queue.length === 0 && waiting.size === 0) resolve();
        });
        child.send({ type: 'init', request: req } satisfies ToWorker);
      }
    });
  } finally {
    for (const child of workers) if (child.connected) child.disconnect();
    await rm(workDir, { recursive: true, force: true });
  }
  return summarise(data, plan, req.names, runs, req.options);
}
