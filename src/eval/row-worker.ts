import { join } from 'node:path';
import { loadArtifact, saveArtifact } from '../artifact/store.js';
import { type EvalData, type EvaluationPlan, planEvaluation, planSplit, runRow } from './evaluate.js';
import { loadEvalDataset } from './load.js';
import { allModelSpecs } from './models.js';
import type { ToParent, ToWorker, WorkerRequest } from './parallel.js';
import { trainForEval } from './train-artifact.js';

/**
 * A worker process of `evaluateInWorkers`: loads the data set once, then trains a window's artifact or runs one
 * (window, model) row per message, exactly as the single-process `evaluate` would.
 */
let req: WorkerRequest | undefined;
let data: EvalData | undefined;
let plan: EvaluationPlan | undefined;

function send(msg: ToParent): void {
  process.send?.(msg);
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    req = msg.request;
    data = await loadEvalDataset(req.dataset);
    plan = planEvaluation(data, req.options);
    send({ type: 'ready' });
    return;
  }
  if (!req || !data || !plan) throw new Error('row worker: no init message');
  const split = planSplit(data, plan, msg.window, req.options);
  const artifactDir = join(req.workDir, `window-${msg.window}`);
  if (msg.type === 'train') {
    const seed = (req.options.seed ?? 42) + msg.window;
    const artifact = await trainForEval({ log: split.train, catalogue: data.catalogue, window: split.trainWindow, seed }, req.config, {
      quiet: true,
    });
    await saveArtifact(artifactDir, artifact);
    send({ type: 'trained', window: msg.window });
    return;
  }
  const [spec] = allModelSpecs([msg.model], {
    ...req.budget,
    config: req.config,
    quiet: true,
    train: () => loadArtifact(artifactDir),
  });
  const run = await runRow(data, plan, split, msg.window, spec, { ...req.options, quiet: true });
  send({ type: 'row', run });
}

// one message at a time: the parent sends the next task only after this one's answer
process.on('message', (msg: ToWorker) => {
  handle(msg).catch((err: unknown) => {
    const e = err as Error & { code?: string };
    send({ type: 'error', message: e.message ?? String(err), code: e.code, stack: e.stack });
  });
});

// the parent disconnects when the evaluation is over (or has failed)
process.on('disconnect', () => process.exit(0));
