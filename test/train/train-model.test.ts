import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadArtifact, saveArtifact } from '../../src/artifact/store.js';
import { loadConfig } from '../../src/core/config.js';
import { mlpForward } from '../../src/nn/mlp.js';
import { trainModel } from '../../src/train/train.js';
import { tinyWorld } from './tiny-world.js';

test('trainModel: teacher and student beat raw content on held-out edges of a tiny world', async () => {
  const w = tinyWorld({ items: 600, users: 900, signal: 0.5 });
  const config = loadConfig(
    {
      teacher: { hidden: [32], outDim: 16, epochs: 20, batchSize: 32, numNeighbors: [10, 5], lr: 5e-3 },
      student: { hidden: [32], epochs: 200, batchSize: 32, lr: 3e-3 },
    },
    {},
  );
  const epochs: string[] = [];
  const art = await trainModel({ log: w.log, catalogue: w.catalogue, window: w.window, seed: 3 }, config, {
    quiet: true,
    onEpoch: (e) => epochs.push(e.stage),
  });
  assert.equal(art.featureDim, 16);
  assert.equal(art.embeddingDim, 16);
  assert.ok(epochs.includes('teacher') && epochs.includes('student'));
  const m = art.metrics;
  console.log(
    `tiny world: held-out AUC over ${m.heldOutEdges} edges: content ${m.contentAuc.toFixed(3)}, teacher ${m.teacherAuc.toFixed(3)}, student ${m.studentAuc.toFixed(3)}`,
  );
  assert.ok(
    art.metrics.teacherAuc > art.metrics.contentAuc + 0.05,
    `teacher ${art.metrics.teacherAuc} vs content ${art.metrics.contentAuc}`,
  );
  assert.ok(art.metrics.studentAuc > art.metrics.contentAuc, `student ${art.metrics.studentAuc} vs content ${art.metrics.contentAuc}`);
});

test('trainModel is deterministic for a seed and its artifact survives save/load', async () => {
  const w = tinyWorld({ items: 200, users: 300 });
  const config = loadConfig({ teacher: { hidden: [16], outDim: 8, epochs: 2, batchSize: 32 }, student: { hidden: [16], epochs: 3 } }, {});
  const data = { log: w.log, catalogue: w.catalogue, window: w.window, seed: 9 };
  const a = await trainModel(data, config, { quiet: true });
  const b = await trainModel(data, config, { quiet: true });
  assert.deepEqual(a.student, b.student);
  assert.deepEqual(a.teacher?.embeddings.data, b.teacher?.embeddings.data);
  const dir = await mkdtemp(join(tmpdir(), 'tailor-train-'));
  try {
    await saveArtifact(join(dir, 'm'), a);
    const back = await loadArtifact(join(dir, 'm'), { expectFeatureDim: 16 });
    assert.deepEqual(mlpForward(back.student, w.catalogue.vectors), mlpForward(a.student, w.catalogue.vectors));
    assert.equal(back.metrics.teacherEpochs, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('trainModel stops the teacher and the student at the train.maxSeconds budget and still returns a usable model', async () => {
  const w = tinyWorld({ items: 400, users: 600 });
  // 500 teacher epochs cannot run in half a second: the budget, not the epoch cap or early stopping, ends both stages
  const config = loadConfig(
    {
      train: { maxSeconds: 0.5 },
      teacher: { hidden: [16], outDim: 8, epochs: 500, patience: 500, batchSize: 16 },
      student: { hidden: [16], epochs: 500, patience: 500, batchSize: 16 },
    },
    {},
  );
  const a = await trainModel({ log: w.log, catalogue: w.catalogue, window: w.window, seed: 2 }, config, { quiet: true });
  assert.equal(a.metrics.teacherOutOfTime, 1);
  assert.equal(a.metrics.studentOutOfTime, 1);
  assert.ok(a.metrics.teacherEpochs < 500);
  assert.ok(a.metrics.teacherSteps >= 1);
  assert.ok(Number.isFinite(a.metrics.studentAuc));
  const y = mlpForward(a.student, w.catalogue.vectors);
  assert.ok(y.data.every(Number.isFinite));
});
