import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LastKRecommender } from '../../src/baselines/last-k.js';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { f1, MetricAccumulator, meanStd } from '../../src/eval/metrics.js';
import { nextPurchases, replay } from '../../src/eval/replay.js';
import { DAY_MS, splitUsers, temporalSplit, trainingStarts } from '../../src/eval/split.js';
import { EventLog } from '../../src/events/event-log.js';

function handLog(): { log: EventLog; catalogue: Catalogue } {
  const catalogue = new Catalogue(2);
  for (const id of ['a', 'b', 'c', 'd', 'e']) catalogue.upsert({ id, vector: new Float32Array([id.charCodeAt(0), 0]) });
  const log = new EventLog({ items: catalogue.ids });
  const t0 = Date.UTC(2024, 0, 1);
  log.push('u', 'a', 'click', t0); // training
  log.push('u', 'b', 'click', t0 + 8 * DAY_MS); // test: truth = [a, c] (next distinct purchases)
  log.push('u', 'a', 'purchase', t0 + 8 * DAY_MS + 1); // truth = [c]
  log.push('u', 'c', 'purchase', t0 + 8 * DAY_MS + 2); // truth = [c] again (repeat purchase)
  log.push('u', 'c', 'purchase', t0 + 8 * DAY_MS + 3); // no later purchase: not a point
  log.push('v', 'd', 'click', t0 + 9 * DAY_MS); // no purchase at all
  return { log, catalogue };
}

test('truth is the next N distinct later purchases of the same user', () => {
  const { log } = handLog();
  const { test: t } = temporalSplit(log, { trainDays: 7 });
  const truths = nextPurchases(t, 12).map((tr) => Array.from(tr, (i) => t.items.id(i)));
  assert.deepEqual(truths, [['a', 'c'], ['c'], ['c'], [], []]);
  assert.deepEqual(
    nextPurchases(t, 1).map((tr) => tr.length),
    [1, 1, 1, 0, 0],
  );
});

test('metrics: precision = hits/K, recall = hits/|truth|, F1 of the means, NDCG', () => {
  const acc = new MetricAccumulator(2);
  acc.add(['x', 'y'], new Set(['y', 'z']));
  acc.add(['z'], new Set(['q']));
  const s = acc.summary();
  assert.equal(s.points, 2);
  assert.equal(s.precision, 0.25);
  assert.equal(s.recall, 0.25);
  assert.equal(s.f1, f1(0.25, 0.25));
  assert.ok(Math.abs(s.ndcg - 1 / Math.log2(3) / (1 + 1 / Math.log2(3)) / 2) < 1e-12);
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: Math.SQRT2 });
});

test('replay: Last-K hits repeat purchases on "all" and nothing on "discovery"', async () => {
  const { log, catalogue } = handLog();
  const split = temporalSplit(log, { trainDays: 7 });
  const m = new LastKRecommender({ fillWithPopular: false });
  await m.fit({ log: split.train, catalogue, window: split.trainWindow });
  const r = await replay(m, split, catalogue, { k: 2, n: 12, quiet: true });
  // point 1 (after click b): recs [b, a], truth {a, c} → 1 hit; point 2 (after buying a): recs [a, b], truth {c} → 0;
  // point 3 (after buying c): recs [c, a], truth {c} → 1 hit
  assert.equal(r.metrics.all.points, 3);
  assert.equal(r.metrics.all.precision, (0.5 + 0 + 0.5) / 3);
  assert.equal(r.metrics.all.recall, (0.5 + 0 + 1) / 3);
  // discovery: c is new to u at points 1 and 2 only
  assert.equal(r.metrics.discovery.points, 2);
  assert.equal(r.metrics.discovery.f1, 0);
});

test('splits: training starts fit the span; user split is stable and disjoint', () => {
  const { log } = handLog();
  assert.deepEqual(trainingStarts(log, { trainDays: 7, testDays: 1, count: 3 }).length, 2);
  const a = splitUsers(log, { fraction: 0.5, validation: true, seed: 3 });
  const b = splitUsers(log, { fraction: 0.5, validation: false, seed: 3 });
  assert.equal(a.length + b.length, log.length);
});
