import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { Rng } from '../../src/core/rng.js';
import { Engine } from '../../src/engine/engine.js';
import { randomArtifact, testConfig } from './helpers.js';

const T0 = Date.UTC(2026, 0, 5, 9);

function randomCatalogue(n: number, D: number, seed: number): Catalogue {
  const rng = new Rng(seed);
  const cat = new Catalogue(D, { capacity: n });
  for (let i = 0; i < n; i++) cat.upsert({ id: `i${i}`, vector: Float32Array.from({ length: D }, () => rng.normal()) });
  return cat;
}

test('recommend answers while an adaptation runs in a worker thread', async () => {
  // a big enough catalogue and many steps that the adaptation takes a while off the main thread
  const cat = randomCatalogue(20_000, 32, 1);
  const engine = Engine.create({
    artifact: randomArtifact([32, 128, 32]),
    catalogue: cat,
    config: testConfig({ workers: 1, adaptEvery: 2, minSteps: 200, maxSteps: 200, deltaRank: 32 }),
  });
  let adapted = false;
  engine.onAdaptation(() => {
    adapted = true;
  });
  engine.ingest({ user: 'w', item: 'i1', type: 'click', timestamp: T0 });
  engine.ingest({ user: 'w', item: 'i2', type: 'click', timestamp: T0 + 1 });
  assert.equal(engine.stats().queueDepth, 1, 'an adaptation is scheduled');
  let during = 0;
  while (!adapted) {
    const r = engine.recommend('w', { k: 10 });
    assert.equal(r.items.length, 10);
    if (!adapted) {
      assert.equal(r.source, 'cold-start', 'the old state serves until the swap');
      during++;
    }
    await new Promise((res) => setImmediate(res));
  }
  assert.ok(during > 0, 'at least one answer was given while the adaptation ran');
  assert.equal(engine.recommend('w', { k: 10 }).source, 'personalised');
  await engine.close();
});

test('swapModel under concurrent load loses no event', async () => {
  const cat = randomCatalogue(3000, 32, 2);
  const engine = Engine.create({
    artifact: randomArtifact([32, 64, 16], 1, 'v1'),
    catalogue: cat,
    config: testConfig({ workers: 1, adaptEvery: 3, historySize: 2000 }),
  });
  const rng = new Rng(4);
  const sent = new Map<string, number>();
  let stop = false;
  let t = T0;
  const load = (async () => {
    while (!stop && t - T0 < 20_000) {
      for (let i = 0; i < 20; i++) {
        const user = `u${rng.int(30)}`;
        engine.ingest({ user, item: `i${rng.int(3000)}`, type: rng.bernoulli(0.2) ? 'purchase' : 'click', timestamp: t++ });
        sent.set(user, (sent.get(user) ?? 0) + 1);
        const r = engine.recommend(user, { k: 5 });
        assert.ok(r.modelVersion === 'v1' || r.modelVersion === 'v2');
      }
      await new Promise((res) => setImmediate(res));
    }
  })();
  await new Promise((res) => setTimeout(res, 50));
  await engine.swapModel(randomArtifact([32, 64, 16], 2, 'v2'));
  await new Promise((res) => setTimeout(res, 50));
  stop = true;
  await load;
  await engine.drain();
  const total = [...sent.values()].reduce((s, v) => s + v, 0);
  assert.equal(engine.stats().events, total);
  assert.equal(engine.modelVersion, 'v2');
  for (const [user, n] of sent) assert.equal(engine.exportUserState(user)?.history.length, n, `every event of ${user} is in its history`);
  // personal models now live in the new model's space only
  for (const user of sent.keys()) assert.equal(engine.exportUserState(user)?.modelVersion, 'v2');
  assert.ok(engine.stats().adaptations.count > 0);
  assert.equal(engine.stats().adaptations.failed, 0);
  await engine.close();
});

test('a full adaptation queue holds batches back (bounded) and catches up when it drains', async () => {
  const cat = randomCatalogue(500, 32, 3);
  const engine = Engine.create({
    artifact: randomArtifact([32, 32, 16]),
    catalogue: cat,
    config: testConfig({ workers: 1, adaptEvery: 2, maxQueuedAdaptations: 2 }),
  });
  let reports = 0;
  engine.onAdaptation(() => {
    reports++;
  });
  for (let u = 0; u < 10; u++)
    for (let e = 0; e < 2; e++) engine.ingest({ user: `q${u}`, item: `i${u * 7 + e}`, type: 'cart', timestamp: T0 + u * 10 + e });
  const s = engine.stats();
  assert.equal(s.queueDepth, 10, '2 queued or running + 8 held back');
  await engine.drain();
  assert.equal(reports, 10, 'every held-back batch was adapted');
  assert.equal(engine.stats().personalisedUsers, 10);
  await engine.close();
});
