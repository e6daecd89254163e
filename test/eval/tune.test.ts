import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { isTailorError } from '../../src/core/errors.js';
import { configToJson, readConfigFile } from '../../src/eval/load.js';
import { applyOffline, applyOnline, OFFLINE_GRID, ONLINE_GRID } from '../../src/eval/tune.js';

test('tune grid: Table 5 values applied to the right config fields', () => {
  const base = loadConfig();
  const off = applyOffline(base, { teacherHidden: [], neighbourAgg: 'max', weightedSampling: false, lr: 0.01, loss: 'difference' });
  assert.deepEqual(off.teacher.hidden, []);
  assert.equal(off.teacher.neighbourAgg, 'max');
  assert.equal(off.teacher.weightedSampling, false);
  assert.equal(off.student.lr, 0.01);
  assert.equal(off.teacher.loss, 'difference');
  assert.equal(base.teacher.neighbourAgg, 'mean', 'the base config is not modified');
  const on = applyOnline(base, { maxSteps: 1, adaptEvery: 9, margin: Number.POSITIVE_INFINITY, alpha: 0.7 });
  assert.equal(on.online.maxSteps, 1);
  assert.ok(on.online.minSteps <= on.online.maxSteps);
  assert.equal(on.online.adaptEvery, 9);
  assert.equal(on.online.margin, Number.POSITIVE_INFINITY);
  assert.deepEqual(ONLINE_GRID.adaptEvery, [1, 2, 3, 5, 7, 9]);
  assert.ok(OFFLINE_GRID.neighbourAgg.includes('sum'));
});

test('best config round-trips through JSON, the pull-only margin included; bad files name themselves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-tune-'));
  try {
    const cfg = applyOnline(loadConfig(), { margin: Number.POSITIVE_INFINITY, alpha: 0.5 });
    const file = join(dir, 'best.json');
    writeFileSync(file, JSON.stringify(configToJson(cfg)));
    const back = await readConfigFile(file);
    assert.equal(back.online.margin, Number.POSITIVE_INFINITY);
    assert.equal(back.online.alpha, 0.5);
    writeFileSync(file, '{ nope');
    await assert.rejects(readConfigFile(file), (e) => isTailorError(e, 'CONFIG_INVALID') && e.message.includes(file));
    await assert.rejects(readConfigFile(join(dir, 'missing.json')), (e) => isTailorError(e, 'DATA_NOT_FOUND'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
