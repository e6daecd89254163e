import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { Rng } from '../../src/core/rng.js';
import type { Interaction } from '../../src/core/types.js';
import { Engine } from '../../src/engine/engine.js';
import { randomArtifact, testConfig } from './helpers.js';

const T0 = Date.UTC(2026, 0, 5, 9);

/** n items in 4 well separated clusters of dimension D. */
function clusteredCatalogue(n: number, D: number, seed = 5): Catalogue {
  const rng = new Rng(seed);
  const centres = Array.from({ length: 4 }, () => Float32Array.from({ length: D }, () => rng.normal(0, 2)));
  const cat = new Catalogue(D);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 4];
    cat.upsert({ id: `i${i}`, vector: Float32Array.from(c, (v) => v + rng.normal(0, 0.3)), attributes: { cluster: i % 4 } });
  }
  return cat;
}

function ev(user: string, item: string, type: Interaction['type'], t: number): Interaction {
  return { user, item, type, timestamp: T0 + t * 1000 };
}

test('popular for unknown users, cold-start in the global space, personalised after b events', async () => {
  const cat = clusteredCatalogue(200, 16);
  const engine = Engine.create({
    artifact: randomArtifact([16, 24, 8]),
    catalogue: cat,
    config: testConfig({ adaptEvery: 3 }),
    popularity: [0, 0, 9],
  });
  const first = engine.recommend('ann', { k: 5 });
  assert.equal(first.source, 'popular');
  assert.equal(first.items[0].item, 'i2');
  assert.equal(first.modelVersion, 'test-1');
  engine.ingest(ev('ann', 'i0', 'click', 1));
  const cold = engine.recommend('ann', { k: 5 });
  assert.equal(cold.source, 'cold-start');
  assert.equal(cold.items[0].item, 'i0', 'the EMA of one item is that item');
  engine.ingest(ev('ann', 'i4', 'cart', 2));
  engine.ingest(ev('ann', 'i8', 'purchase', 3));
  await engine.drain();
  const s = engine.stats();
  assert.equal(s.adaptations.count, 1);
  assert.equal(s.personalisedUsers, 1);
  const pers = engine.recommend('ann', { k: 5, excludePurchased: true });
  assert.equal(pers.source, 'personalised');
  assert.ok(!pers.items.some((x) => x.item === 'i8'), 'purchased item excluded');
  assert.ok(
    pers.items.every((x) => Number(x.item.slice(1)) % 4 === 0),
    'stays in the shopper cluster',
  );
  await engine.close();
  assert.throws(() => engine.recommend('ann', { k: 1 }), /closed/);
});

test('an out-of-stock item is never recommended; stock changes show at the next request', async () => {
  const cat = clusteredCatalogue(200, 16);
  const engine = Engine.create({ artifact: randomArtifact([16, 24, 8]), catalogue: cat, config: testConfig({ adaptEvery: 2 }) });
  const rng = new Rng(9);
  const out = new Set<string>();
  for (let i = 0; i < 200; i += 3) out.add(`i${i}`);
  engine.setStock([...out], false);
  for (let t = 0; t < 300; t++) {
    const user = `u${rng.int(10)}`;
    engine.ingest(ev(user, `i${rng.int(200)}`, 'click', t));
    if (t % 7 === 0) await engine.drain();
    for (const x of engine.recommend(user, { k: 10 }).items) assert.ok(!out.has(x.item), `${x.item} is out of stock`);
  }
  for (const x of engine.recommend('nobody', { k: 50 }).items) assert.ok(!out.has(x.item));
  for (const x of engine.similar('i1', 20)) assert.ok(!out.has(x.item));
  // back in stock: visible at once
  engine.ingest(ev('zed', 'i3', 'click', 1000));
  assert.notEqual(engine.recommend('zed', { k: 1 }).items[0].item, 'i3');
  assert.deepEqual(engine.setStock(['i3', 'nope'], true), { updated: 1, unknown: ['nope'] });
  assert.equal(engine.recommend('zed', { k: 1 }).items[0].item, 'i3');
  await engine.close();
});

test('new items are projected at once and recommendable; bad input names the field', async () => {
  const cat = clusteredCatalogue(100, 16);
  const engine = Engine.create({ artifact: randomArtifact([16, 24, 8]), catalogue: cat, config: testConfig({ adaptEvery: 2 }) });
  engine.ingest(ev('bo', 'i1', 'purchase', 1));
  engine.ingest(ev('bo', 'i1', 'purchase', 2));
  await engine.drain();
  assert.equal(engine.recommend('bo', { k: 3 }).source, 'personalised');
  engine.addItems([{ id: 'twin', vector: cat.vector(1).slice() }]);
  const rec = engine.recommend('bo', { k: 2, excludePurchased: true });
  assert.equal(rec.items[0].item, 'twin', 'a copy of the bought item is its nearest neighbour');
  assert.equal(engine.similar('i1', 1)[0].item, 'twin');
  assert.throws(() => engine.addItems([{ id: 'bad', vector: new Float32Array(3) }]), /field "vector"/);
  assert.throws(
    () => engine.addItems([{ id: 'novec' }]),
    (e: Error & { code?: string }) => e.code === 'DATA_FIELD',
  );
  assert.throws(
    () => engine.ingest(ev('bo', 'missing', 'click', 3)),
    (e: Error & { code?: string }) => e.code === 'UNKNOWN_ITEM',
  );
  await engine.close();
});

test('user state round-trips through export/import and lifetimes drop the personal model', async () => {
  const cat = clusteredCatalogue(120, 16);
  const config = testConfig({ adaptEvery: 2, dailyReset: true });
  const a = Engine.create({ artifact: randomArtifact([16, 24, 8]), catalogue: cat, config });
  for (let t = 0; t < 6; t++) a.ingest(ev('cy', `i${(t * 4) % 120}`, t === 5 ? 'purchase' : 'cart', t));
  await a.drain();
  const snap = a.exportUserState('cy');
  assert.ok(snap?.delta, 'adapted user has a delta');
  const json = JSON.parse(JSON.stringify(snap));
  const b = Engine.create({ artifact: randomArtifact([16, 24, 8]), catalogue: cat, config });
  b.importUserState(json);
  assert.equal(b.recommend('cy', { k: 5 }).source, 'cold-start', 'projection not yet rebuilt');
  await b.drain();
  const ra = a.recommend('cy', { k: 5 });
  const rb = b.recommend('cy', { k: 5 });
  assert.equal(rb.source, 'personalised');
  assert.deepEqual(rb.items, ra.items);
  const st = a.stats();
  assert.ok(st.bytes.weights > 0 && st.bytes.projections > 0 && st.bytes.history > 0);
  // next day: the daily reset drops the delta, keeps the history
  a.ingest({ user: 'cy', item: 'i0', type: 'click', timestamp: T0 + 86_400_000 });
  assert.equal(a.stats().personalisedUsers, 0);
  assert.equal(a.exportUserState('cy')?.history.length, 7);
  assert.equal(a.recommend('cy', { k: 3 }).source, 'cold-start');
  await a.close();
  await b.close();
});

test('the memory budget evicts least-recently-used projections; evicted users are rebuilt off the request path', async () => {
  const cat = clusteredCatalogue(100, 16);
  // one personal correction is 100 × 8 int8 u codes (832 B aligned) + 100 int16 s codes + Q (8 × 8 floats) and 2 × 8
  // scales: 1.4 kB; the budget holds two
  const engine = Engine.create({
    artifact: randomArtifact([16, 24, 8]),
    catalogue: cat,
    config: testConfig({ adaptEvery: 1, memoryBudgetBytes: 3000 }),
  });
  for (const u of ['u1', 'u2', 'u3']) {
    engine.ingest(ev(u, 'i5', 'click', 1));
    await engine.drain();
  }
  const s = engine.stats();
  assert.equal(s.personalisedUsers, 3);
  assert.equal(s.activeUsers, 2);
  // u1 was evicted: answered at once in the global space while its projection is rebuilt in the background
  assert.equal(engine.recommend('u1', { k: 3 }).source, 'cold-start');
  await engine.drain();
  assert.equal(engine.recommend('u1', { k: 3 }).source, 'personalised');
  assert.equal(engine.stats().activeUsers, 2);
  await engine.close();
});

test('the tfjs-wasm catalogue projection (Engine.open) matches the TypeScript one', async () => {
  const cat = clusteredCatalogue(300, 16);
  const artifact = randomArtifact([16, 24, 8], 2);
  const a = Engine.create({ artifact, catalogue: cat, config: testConfig() });
  const b = await Engine.open({ artifact, catalogue: cat, config: testConfig() });
  for (const id of ['i0', 'i7', 'i299']) {
    const sa = a.similar(id, 5);
    const sb = b.similar(id, 5);
    assert.deepEqual(
      sb.map((x) => x.item),
      sa.map((x) => x.item),
    );
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(sa[i].score - sb[i].score) < 1e-4);
  }
  await a.close();
  await b.close();
});

test('adapting every layer is refused with the field named', () => {
  const cat = clusteredCatalogue(20, 16);
  assert.throws(
    () => Engine.create({ artifact: randomArtifact([16, 8]), catalogue: cat, config: testConfig({ adaptLayers: 'all' }) }),
    /online\.adaptLayers/,
  );
  assert.throws(
    () => Engine.create({ artifact: randomArtifact([12, 8]), catalogue: cat, config: testConfig() }),
    (e: Error & { code?: string }) => e.code === 'ARTIFACT_MISMATCH',
  );
});

test('idle users keep a float16 delta and come back personalised', async () => {
  const cat = clusteredCatalogue(200, 32);
  const engine = Engine.create({
    artifact: randomArtifact([32, 48, 32]),
    catalogue: cat,
    config: testConfig({ adaptEvery: 2, idleTtlMs: 60_000 }),
  });
  engine.ingest(ev('ida', 'i0', 'purchase', 0));
  engine.ingest(ev('ida', 'i4', 'purchase', 1));
  await engine.drain();
  const before = engine.stats();
  assert.equal(before.activeUsers, 1);
  // 1024 events of other users, an hour later: the sweep finds ida idle
  for (let t = 0; t < 1024; t++) engine.ingest(ev(`o${t % 50}`, `i${t % 200}`, 'click', 3600 + t));
  await engine.drain();
  const idle = engine.exportUserState('ida');
  assert.ok(idle?.delta, 'the delta survives');
  const s = engine.stats();
  assert.ok(s.bytesPerIdlePersonalisedUser > 0 && s.bytesPerIdlePersonalisedUser < before.bytesPerActiveUser);
  engine.ingest(ev('ida', 'i8', 'click', 5000));
  await engine.drain();
  assert.equal(engine.recommend('ida', { k: 5 }).source, 'personalised');
  await engine.close();
});

test('close gives the projections back to the WASM arena', async () => {
  const { WasmArena } = await import('../../src/kernels/arena.js');
  const arena = WasmArena.get();
  const cat = clusteredCatalogue(400, 32);
  // a first engine warms the search's per-thread scratch space (kept for the life of the thread)
  const warm = Engine.create({ artifact: randomArtifact([32, 48, 32]), catalogue: cat, config: testConfig() });
  warm.ingest(ev('w', 'i1', 'click', 0));
  warm.recommend('w', { k: 3 });
  await warm.close();
  const before = arena?.used ?? 0;
  const engine = Engine.create({ artifact: randomArtifact([32, 48, 32]), catalogue: cat, config: testConfig({ adaptEvery: 1 }) });
  for (let u = 0; u < 5; u++) engine.ingest(ev(`c${u}`, `i${u}`, 'click', u));
  engine.recommend('c0', { k: 3 });
  await engine.drain();
  if (arena) assert.ok(arena.used > before, 'projections live in the arena');
  await engine.close();
  if (arena) assert.equal(arena.used, before);
});
