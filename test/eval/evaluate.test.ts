import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../src/eval/evaluate.js';
import { allModelSpecs, baselineSpec } from '../../src/eval/models.js';
import { writeResults } from '../../src/eval/report.js';
import { EventLog } from '../../src/events/event-log.js';
import { smallWorld } from '../recommender/small-world.js';

function worldLog() {
  const w = smallWorld({ items: 60, users: 30 });
  const log = new EventLog({ items: w.catalogue.ids, users: w.train.log.users });
  const tr = w.train.log;
  for (let i = 0; i < tr.length; i++) log.pushIndexed(tr.userAt(i), tr.itemAt(i), tr.typeAt(i), tr.timeAt(i));
  for (const e of w.test) log.add(e);
  return { name: 'small', log, catalogue: w.catalogue };
}

test('evaluate: one row per model and view, in the results.json schema, with the files written', async () => {
  const data = worldLog();
  const specs = allModelSpecs(['random', 'popularity', 'last-k', 'item-cf', 'cnn-ema'], { quick: true });
  const r = await evaluate(data, specs, { k: 5, n: 12, trainDays: 7, testDays: 3, windows: 1, quiet: true });
  assert.equal(r.dataset, 'small');
  assert.deepEqual(
    r.scenarios.map((s) => s.name),
    ['all', 'discovery'],
  );
  for (const sc of r.scenarios) {
    assert.deepEqual(
      sc.rows.map((x) => x.model),
      ['random', 'popularity', 'last-k', 'item-cf', 'cnn-ema'],
    );
    for (const row of sc.rows) {
      for (const v of [row.precision, row.recall, row.f1, row.ndcg]) assert.ok(v >= 0 && v <= 1);
      assert.equal(row.std.f1, 0);
    }
  }
  const all = r.scenarios[0].rows;
  assert.ok(all[0].points > 0);
  // the content clusters are the taste: content k-NN must beat random on this world
  assert.ok(all.find((x) => x.model === 'cnn-ema')!.f1 > all.find((x) => x.model === 'random')!.f1);
  const dir = mkdtempSync(join(tmpdir(), 'tailor-eval-'));
  try {
    await writeResults(dir, r, 'tailor eval …');
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    assert.equal(json.k, 5);
    assert.equal(json.scenarios[0].rows[0].model, 'random');
    assert.ok('f1' in json.scenarios[0].rows[0].std);
    assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /\| cnn-ema \|/);
    assert.match(readFileSync(join(dir, 'chart.svg'), 'utf8'), /^<svg/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('evaluate: several training windows give mean ± std; unknown model names are an error', async () => {
  const data = worldLog();
  const r = await evaluate(data, [baselineSpec('last-k')], { k: 5, trainDays: 5, testDays: 2, windows: 3, quiet: true, seed: 1 });
  assert.ok(r.windows.length >= 2, `${r.windows.length} windows`);
  assert.ok(r.scenarios[0].rows[0].std.f1 >= 0);
  assert.throws(() => allModelSpecs(['nope']), /unknown baseline/);
});
