import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { generateWorld } from '../../src/synthetic/index.js';
import { trainModel } from '../../src/train/train.js';

test('synthetic world: the teacher ranks held-out co-purchase edges above random pairs better than raw content, and so does the student', async () => {
  const w = generateWorld({ items: 2000, users: 8000, weeks: 1, dim: 64, seed: 5 });
  const config = loadConfig({ teacher: { epochs: 8 } }, {});
  const a = await trainModel({ log: w.log, catalogue: w.catalogue, window: w.truth.period, seed: 3 }, config, { quiet: true });
  const m = a.metrics;
  console.log(
    `synthetic 2k: held-out co-purchase AUC over ${m.heldOutEdges} edges: content ${m.contentAuc.toFixed(3)}, teacher ${m.teacherAuc.toFixed(3)}, student ${m.studentAuc.toFixed(3)}; student held-out alignment ${m.studentHeldOutAlignment.toFixed(4)}`,
  );
  assert.equal(m.heldOutRelation, 3, 'evaluated on co-purchase edges');
  assert.ok(m.heldOutEdges >= 50);
  assert.ok(m.teacherAuc > m.contentAuc + 0.05, `teacher ${m.teacherAuc} vs content ${m.contentAuc}`);
  assert.ok(m.studentAuc > m.contentAuc + 0.02, `student ${m.studentAuc} vs content ${m.contentAuc}`);
});
