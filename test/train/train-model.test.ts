import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
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
  console.log(art.metrics);
  assert.equal(art.featureDim, 16);
  assert.equal(art.embeddingDim, 16);
  assert.ok(epochs.includes('teacher') && epochs.includes('student'));
  assert.ok(
    art.metrics.teacherAuc > art.metrics.contentAuc + 0.05,
    `teacher ${art.metrics.teacherAuc} vs content ${art.metrics.contentAuc}`,
  );
  assert.ok(art.metrics.studentAuc > art.metrics.contentAuc, `student ${art.metrics.studentAuc} vs content ${art.metrics.contentAuc}`);
});
