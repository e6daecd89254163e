import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { loadEvalDataset } from '../../src/eval/load.js';
import { allModelSpecs } from '../../src/eval/models.js';
import { evaluateInWorkers } from '../../src/eval/parallel.js';
import { smallWorld } from '../recommender/small-world.js';

const BEHAVIOUR = { click: 'view', cart: 'cart', favorite: 'view', purchase: 'buy' } as const;

test('evaluateInWorkers: two worker processes give the tables of the single-process run', async () => {
  const w = smallWorld({ items: 60, users: 30 });
  const dir = mkdtempSync(join(tmpdir(), 'tailor-parallel-'));
  try {
    // the small world as a RetailRocket-layout file (the workers load the data set themselves)
    const rows = ['user,item,behavior,timestamp'];
    const tr = w.train.log;
    for (let i = 0; i < tr.length; i++) {
      const e = tr.get(i);
      rows.push(`${e.user},${e.item},${BEHAVIOUR[e.type]},${Math.floor(e.timestamp / 1000)}`);
    }
    for (const e of w.test) rows.push(`${e.user},${e.item},${BEHAVIOUR[e.type]},${Math.floor(e.timestamp / 1000)}`);
    const file = join(dir, 'events.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const dataset = { path: file, format: 'retailrocket' as const, trainDays: 7, seed: 42 };
    const data = await loadEvalDataset(dataset);
    const config = loadConfig(
      { teacher: { epochs: 2, hidden: [16], outDim: 8 }, student: { epochs: 5, hidden: [16] }, online: { workers: 0, adaptEvery: 2 } },
      {},
    );
    const names = ['last-k', 'cnn-ema', 'tailor-no-personalisation', 'tailor-2w', 'tailor-daily'];
    const options = { k: 5, trainDays: 7, testDays: 3, windows: 1, quiet: true };
    const budget = { quick: true };
    const one = await evaluate(data, allModelSpecs(names, { ...budget, config, quiet: true }), options);
    const two = await evaluateInWorkers(data, { dataset, names, budget, config, options }, 2);
    const metrics = (r: typeof one) => r.scenarios.map((s) => s.rows.map(({ fitSeconds: _f, replaySeconds: _r, ...m }) => m));
    assert.deepEqual(metrics(two), metrics(one));
    assert.deepEqual(
      two.scenarios[0].rows.map((r) => r.model),
      names,
    );
    assert.ok(one.scenarios[0].rows.every((r) => r.points > 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
