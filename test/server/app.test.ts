import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadArtifact } from '../../src/artifact/store.js';
import { loadConfig } from '../../src/core/config.js';
import { Engine } from '../../src/engine/engine.js';
import { loadDataset } from '../../src/events/loaders/index.js';
import { buildApp } from '../../src/server/app.js';
import { TailorService } from '../../src/server/service.js';
import { openStore } from '../../src/storage/store.js';
import { openStream } from '../../src/stream/stream.js';
import { randomArtifact, writeFixture } from './fixture.js';

const KEY = 'test-key-0123456789';
let fx: Awaited<ReturnType<typeof writeFixture>>;
let app: FastifyInstance;
let service: TailorService;

async function makeApp(server: Record<string, unknown> = {}) {
  const config = loadConfig({ online: { workers: 0, adaptEvery: 2 }, server: { apiKeys: [KEY], ...server } }, {});
  const ds = await loadDataset({ path: fx.data, format: 'synthetic' });
  const engine = await Engine.open({ artifact: randomArtifact(ds.catalogue.dim, 1), catalogue: ds.catalogue, config });
  const svc = new TailorService({
    engine,
    store: await openStore('memory:'),
    stream: await openStream('log:', { partitions: 4 }),
    config,
    loadModel: (dir) => loadArtifact(dir),
    modelDir: fx.model2,
  });
  await svc.start();
  return { svc, app: await buildApp({ service: svc, defaultMetrics: false }) };
}

before(async () => {
  fx = await writeFixture();
  ({ svc: service, app } = await makeApp());
});
after(async () => {
  await app.close();
  await service.close();
  rmSync(fx.dir, { recursive: true, force: true });
});

const items = () => fx.world.catalogue.ids;
const auth = { 'x-api-key': KEY };

test('events are accepted (202) and reflected by the next recommendation', async () => {
  let r = await app.inject({ method: 'GET', url: '/v1/users/new-shopper/recommendations?k=5' });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().source, 'popular');
  assert.equal(r.json().items.length, 5);
  r = await app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: auth,
    payload: { user: 'new-shopper', item: items().id(3), type: 'click', timestamp: 1_700_000_000_000 },
  });
  assert.equal(r.statusCode, 202);
  assert.deepEqual(r.json(), { accepted: 1 });
  r = await app.inject({ method: 'GET', url: '/v1/users/new-shopper/recommendations?k=5' });
  const body = r.json();
  assert.equal(body.source, 'cold-start');
  assert.equal(body.personalised, false);
  assert.equal(body.modelVersion, 'svc-test-1');
  assert.equal(typeof body.tookMs, 'number');
  assert.ok(body.items.every((i: { item: string; score: number }) => typeof i.item === 'string' && typeof i.score === 'number'));
});

test('a batch of events personalises the shopper (adaptation every 2 events)', async () => {
  const events = [5, 6, 7, 8].map((i, n) => ({
    user: 'batcher',
    item: items().id(i),
    type: 'purchase',
    timestamp: `2026-01-0${n + 1}T10:00:00Z`,
  }));
  const r = await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: { events } });
  assert.equal(r.statusCode, 202);
  assert.equal(r.json().accepted, 4);
  await service.engine.drain();
  const rec = await app.inject({ method: 'GET', url: '/v1/users/batcher/recommendations?k=10&exclude_purchased=true' });
  assert.equal(rec.json().source, 'personalised');
  const got = rec.json().items.map((i: { item: string }) => i.item);
  for (const i of [5, 6, 7, 8]) assert.ok(!got.includes(items().id(i)), 'purchased items are excluded');
});

test('bad input is a 400 naming the field', async () => {
  const bad = async (url: string, payload: unknown, field: string, status = 400, method: 'POST' | 'PUT' | 'GET' = 'POST') => {
    const r = await app.inject({ method, url, headers: auth, payload: payload as object });
    assert.equal(r.statusCode, status, `${url} ${JSON.stringify(payload)}: ${r.body}`);
    assert.equal(r.json().error.field, field, r.body);
    return r.json().error;
  };
  const ok = { user: 'u', item: items().id(1), type: 'click' };
  const e = await bad('/v1/events', { events: [ok, { ...ok, type: 'like' }] }, 'events.1.type');
  assert.equal(e.code, 'VALIDATION');
  await bad('/v1/events', { ...ok, user: '' }, 'user');
  await bad('/v1/events', { events: [ok, { ...ok, item: 'no-such-item' }] }, 'events.1.item', 404);
  await bad('/v1/events', { events: [] }, 'events');
  await bad('/v1/users/u/recommendations?k=0', undefined, 'k', 400, 'GET');
  await bad('/v1/users/u/recommendations?k=101', undefined, 'k', 400, 'GET');
  await bad('/v1/users/u/recommendations?exclude_purchased=maybe', undefined, 'exclude_purchased', 400, 'GET');
  await bad('/v1/users/u/recommendations?filter=nocolon', undefined, 'filter', 400, 'GET');
  await bad('/v1/users/u/recommendations?filter=size:XL', undefined, 'filter', 400, 'GET');
  await bad('/v1/items', { id: 'n1', vector: [1, 2] }, 'vector');
  await bad('/v1/items/stock', { ids: [items().id(1)], inStock: 'no' }, 'inStock', 400, 'PUT');
  const r = await app.inject({ method: 'GET', url: '/v1/items/nope/similar' });
  assert.equal(r.statusCode, 404);
  assert.equal(r.json().error.code, 'UNKNOWN_ITEM');
});

test('writes need the API key; reads do not unless configured', async () => {
  const payload = { user: 'k', item: items().id(1), type: 'click' };
  let r = await app.inject({ method: 'POST', url: '/v1/events', payload });
  assert.equal(r.statusCode, 401);
  assert.equal(r.json().error.code, 'UNAUTHORIZED');
  r = await app.inject({ method: 'POST', url: '/v1/events', payload, headers: { 'x-api-key': 'wrong-key-xxxxxxxx' } });
  assert.equal(r.statusCode, 403);
  r = await app.inject({ method: 'POST', url: '/v1/events', payload, headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(r.statusCode, 202);
  r = await app.inject({ method: 'PUT', url: '/v1/items/stock', payload: { ids: [items().id(1)], inStock: false } });
  assert.equal(r.statusCode, 401);
  r = await app.inject({ method: 'POST', url: '/v1/models/reload', payload: {} });
  assert.equal(r.statusCode, 401);
});

test('stock changes reach the next recommendation; filters restrict by attribute', async () => {
  const first = (await app.inject({ method: 'GET', url: '/v1/users/new-shopper/recommendations?k=3' })).json().items[0].item;
  let r = await app.inject({ method: 'PUT', url: '/v1/items/stock', headers: auth, payload: { ids: [first, 'ghost'], inStock: false } });
  assert.deepEqual(r.json(), { updated: 1, unknown: ['ghost'] });
  const after = (await app.inject({ method: 'GET', url: '/v1/users/new-shopper/recommendations?k=20' }))
    .json()
    .items.map((i: { item: string }) => i.item);
  assert.ok(!after.includes(first));
  const cat = service.engine.catalogue;
  const dept = String(cat.attribute(0, 'department'));
  r = await app.inject({
    method: 'GET',
    url: `/v1/users/new-shopper/recommendations?k=10&filter=${encodeURIComponent(`department:${dept}`)}`,
  });
  assert.equal(r.statusCode, 200);
  assert.ok(r.json().items.length > 0);
  for (const it of r.json().items) assert.equal(String(cat.attribute(cat.indexOf(it.item) as number, 'department')), dept);
});

test('new items are recommendable at once; similar finds a copy of an item', async () => {
  const v = Array.from(fx.world.catalogue.vector(10));
  let r = await app.inject({
    method: 'POST',
    url: '/v1/items',
    headers: auth,
    payload: { items: [{ id: 'brand-new', vector: v, attributes: { colour: 'teal' } }] },
  });
  assert.equal(r.statusCode, 201, r.body);
  r = await app.inject({ method: 'GET', url: `/v1/items/${items().id(10)}/similar?k=3` });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().items[0].item, 'brand-new');
  assert.ok(Math.abs(r.json().items[0].score) < 1e-4);
});

test('model reload swaps the version without downtime', async () => {
  const before = (await app.inject({ method: 'GET', url: '/v1/users/batcher/recommendations?k=3' })).json().modelVersion;
  const reload = app.inject({ method: 'POST', url: '/v1/models/reload', headers: auth, payload: {} });
  const during = await app.inject({ method: 'GET', url: '/v1/users/batcher/recommendations?k=3' });
  assert.equal(during.statusCode, 200);
  const r = await reload;
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual(r.json(), { previous: before, modelVersion: 'svc-test-2' });
  const after = await app.inject({ method: 'GET', url: '/v1/users/batcher/recommendations?k=3' });
  assert.equal(after.json().modelVersion, 'svc-test-2');
});

test('health, readiness, metrics and the OpenAPI document', async () => {
  assert.equal((await app.inject('/healthz')).statusCode, 200);
  assert.equal((await app.inject('/readyz')).json().status, 'ready');
  const m = (await app.inject('/metrics')).body;
  for (const name of [
    'tailor_http_request_duration_seconds_bucket',
    'tailor_adaptation_duration_seconds',
    'tailor_queue_depth',
    'tailor_users_in_memory{kind="all"}',
    'tailor_bytes_per_user',
    'tailor_events_accepted_total',
  ])
    assert.ok(m.includes(name), name);
  assert.ok(m.includes('route="/v1/users/:id/recommendations"'), 'latency is labelled by route pattern, not by user');
  assert.ok(!m.includes('new-shopper'), 'no user id in metrics');
  const spec = (await app.inject('/docs/json')).json();
  for (const p of [
    '/v1/events',
    '/v1/users/{id}/recommendations',
    '/v1/items/{id}/similar',
    '/v1/items/stock',
    '/v1/items',
    '/v1/models/reload',
  ])
    assert.ok(spec.paths[p], p);
  assert.ok((await app.inject('/docs')).statusCode < 400);
  const nf = await app.inject('/v1/nothing');
  assert.equal(nf.statusCode, 404);
  assert.equal(nf.json().error.code, 'NOT_FOUND');
});

test('body size, rate limit and reads-need-key settings', async () => {
  const small = await makeApp({ maxBodyBytes: 200, rateLimitPerMinute: 3, requireKeyForReads: true });
  try {
    const big = { events: Array.from({ length: 20 }, () => ({ user: 'u', item: items().id(1), type: 'click' })) };
    let r = await small.app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: big });
    assert.equal(r.statusCode, 413);
    assert.equal(r.json().error.code, 'PAYLOAD_TOO_LARGE');
    r = await small.app.inject({ method: 'GET', url: '/v1/users/u/recommendations' });
    assert.equal(r.statusCode, 401);
    r = await small.app.inject({ method: 'GET', url: '/v1/users/u/recommendations', headers: auth });
    assert.equal(r.statusCode, 200);
    for (let n = 0; n < 3 && r.statusCode !== 429; n++)
      r = await small.app.inject({ method: 'GET', url: '/v1/users/u/recommendations', headers: auth });
    assert.equal(r.statusCode, 429, 'a key gets 3 requests a minute');
    assert.equal(r.json().error.code, 'RATE_LIMITED');
    assert.equal((await small.app.inject('/healthz')).statusCode, 200, 'probes are never rate limited');
  } finally {
    await small.app.close();
    await small.svc.close();
  }
});
