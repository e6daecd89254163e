import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LastKRecommender } from '../../src/baselines/last-k.js';
import { PopularityRecommender } from '../../src/baselines/popularity.js';
import { sharedDataPath } from '../../src/core/paths.js';
import { replay } from '../../src/eval/replay.js';
import { DAY_MS, temporalSplit } from '../../src/eval/split.js';
import type { Recommender } from '../../src/recommender/contract.js';
import { readSimpleLog } from './simple-log.js';

// Figures computed independently with the same protocol (issue 5): a large difference is a protocol bug.
const taobao = sharedDataPath('taobao-userbehavior', 'UserBehavior_head.csv');
const retailrocket = sharedDataPath('retailrocket', 'train_events.csv');

async function run(model: Recommender, file: string, layout: 'taobao' | 'retailrocket', trainDays: number, testDays?: number) {
  const window = layout === 'taobao' ? { start: 1511539200 * 1000, end: 1512316800 * 1000 } : undefined;
  const { log, catalogue } = readSimpleLog(file, layout, window);
  const split = temporalSplit(log, { trainDays, testDays });
  await model.fit({ log: split.train, catalogue, window: split.trainWindow, seed: 1 });
  return replay(model, split, catalogue, { k: 10, n: 12, quiet: true });
}

test('Taobao head: Last-K matches the independent P 0.0360 R 0.2202 F1 0.0618 over 5,326 points', { skip: taobao.skip }, async () => {
  const r = await run(new LastKRecommender(), taobao.path, 'taobao', 7);
  assert.equal(r.metrics.all.points, 5326);
  assert.ok(Math.abs(r.metrics.all.precision - 0.036) < 0.0005, `P ${r.metrics.all.precision}`);
  assert.ok(Math.abs(r.metrics.all.recall - 0.2202) < 0.0005, `R ${r.metrics.all.recall}`);
  assert.ok(Math.abs(r.metrics.all.f1 - 0.0618) < 0.0005, `F1 ${r.metrics.all.f1}`);
  // discovery: Last-K only repeats known items, so it cannot hit a new one
  assert.equal(r.metrics.discovery.f1, 0);
});

test('Taobao head: Popularity of training-window purchases gives F1 ≈ 0.0013', { skip: taobao.skip }, async () => {
  const r = await run(new PopularityRecommender({ live: false, windowMs: 7 * DAY_MS }), taobao.path, 'taobao', 7);
  assert.ok(Math.abs(r.metrics.all.f1 - 0.0013) < 0.0003, `F1 ${r.metrics.all.f1}`);
});

test('RetailRocket 28+28 days: Last-K F1 ≈ 0.0696 over 16,336 points, Popularity F1 ≈ 0.0085', { skip: retailrocket.skip }, async () => {
  const lastK = await run(new LastKRecommender({ fillWithPopular: false }), retailrocket.path, 'retailrocket', 28, 28);
  assert.equal(lastK.metrics.all.points, 16336);
  assert.ok(Math.abs(lastK.metrics.all.f1 - 0.0696) < 0.0005, `F1 ${lastK.metrics.all.f1}`);
  const pop = await run(new PopularityRecommender({ live: false, windowMs: 28 * DAY_MS }), retailrocket.path, 'retailrocket', 28, 28);
  assert.ok(Math.abs(pop.metrics.all.f1 - 0.0085) < 0.0005, `F1 ${pop.metrics.all.f1}`);
});
