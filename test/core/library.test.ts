import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, generateWorld, loadConfig, trainModel } from '../../src/index.js';

test('the library alone runs the whole loop: world → weekly training → engine → personalised recommendations', async () => {
  const world = generateWorld({ items: 400, users: 150, weeks: 1, dim: 24, seed: 9 });
  const config = loadConfig(
    { teacher: { epochs: 2, hidden: [32], outDim: 16 }, student: { epochs: 5, hidden: [32] }, online: { workers: 0, adaptEvery: 2 } },
    {},
  );
  const range = world.log.timeRange()!;
  const artifact = await trainModel(
    { log: world.log, catalogue: world.catalogue, window: { start: range.start, end: range.end + 1 } },
    config,
    {
      quiet: true,
    },
  );
  const engine = await Engine.open({ artifact, catalogue: world.catalogue, config });
  try {
    const first = engine.recommend('new-shopper', { k: 5 });
    assert.equal(first.source, 'popular');
    const items = [0, 1, 2, 3].map((i) => world.catalogue.ids.id(i));
    let t = range.end + 1000;
    for (const item of items) engine.ingest({ user: 'new-shopper', item, type: 'purchase', timestamp: (t += 1000) });
    await engine.drain();
    const rec = engine.recommend('new-shopper', { k: 5, excludePurchased: true });
    assert.equal(rec.source, 'personalised');
    assert.equal(rec.items.length, 5);
    assert.equal(rec.modelVersion, artifact.version);
    for (const r of rec.items) assert.ok(!items.includes(r.item), 'purchased items are excluded');
  } finally {
    await engine.close();
  }
});
