import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { NatsStream } from '../../src/stream/drivers/nats.js';
import type { RedisStream } from '../../src/stream/drivers/redis-stream.js';
import { openStream, partitionOf } from '../../src/stream/stream.js';
import { dropRedisPrefix, natsSkip, redisSkip, uniquePrefix } from '../storage/services.js';
import { type Child, call, eventually, spawnServe, stop } from './child.js';
import { writeFixture } from './fixture.js';

const skip = redisSkip || natsSkip;
let fx: Awaited<ReturnType<typeof writeFixture>>;
const children: Child[] = [];
const prefix = uniquePrefix('scale');
const natsName = prefix.replace(/[^A-Za-z0-9_]/g, '_');

before(async () => {
  if (!skip) fx = await writeFixture();
});
after(async () => {
  for (const c of children) await stop(c, 'SIGKILL');
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
  if (!redisSkip) await dropRedisPrefix(prefix);
  if (!natsSkip)
    for (const name of [natsName, `${natsName}K`]) {
      const s = (await openStream(`nats://127.0.0.1:4222?stream=${name}`)) as NatsStream;
      await s.destroy();
      await s.close();
    }
  if (!redisSkip) {
    const s = (await openStream(`redis-stream://127.0.0.1:6379?prefix=${prefix}`, { partitions: 4 })) as RedisStream;
    await s.destroy();
    await s.close();
  }
});

/** Two processes on one Redis store and one stream: events posted to one are reflected by the other. */
async function twoProcesses(events: string, withAdmin: boolean) {
  const common = ['--data', fx.data, '--model', fx.model, '--store', `redis://127.0.0.1:6379?prefix=${prefix}`, '--events', events];
  const a = await spawnServe([...common, '--process-index', '0', '--process-count', '2', '--partitions', '4']);
  children.push(a);
  const b = await spawnServe([...common, '--process-index', '1', '--process-count', '2', '--partitions', '4']);
  children.push(b);
  const item = (i: number) => fx.world.catalogue.ids.id(i);
  // one shopper owned by each process (partition parity = owner)
  const users: string[] = [];
  for (let n = 0; users.length < 2; n++) {
    const u = `${events.slice(0, 4)}-shopper-${n}`;
    if (partitionOf(u, 4) % 2 === users.length) users.push(u);
  }
  for (const user of users) {
    // posted to A; read from B (and the other way round)
    for (let n = 0; n < 4; n++) {
      const r = await call(`${a.url}/v1/events`, 'POST', { user, item: item(40 + n), type: 'purchase', timestamp: 5000 + n });
      assert.equal(r.status, 202);
    }
    const fromB = await eventually(async () => {
      const r = (await call(`${b.url}/v1/users/${user}/recommendations?k=5&exclude_purchased=true`)).json;
      return r.source === 'personalised' && r;
    });
    const got = fromB.items.map((i: { item: string }) => i.item);
    for (let n = 0; n < 4; n++) assert.ok(!got.includes(item(40 + n)), 'B knows what the shopper bought through A');
    const fromA = await eventually(async () => {
      const r = (await call(`${a.url}/v1/users/${user}/recommendations?k=5`)).json;
      return r.source === 'personalised' && r;
    });
    assert.equal(fromA.modelVersion, fromB.modelVersion);
  }
  if (withAdmin) {
    // stock changes and model reloads made on A reach B through the shared store
    const top = (await call(`${b.url}/v1/users/${users[0]}/recommendations?k=3`)).json.items[0].item;
    assert.equal((await call(`${a.url}/v1/items/stock`, 'PUT', { ids: [top], inStock: false })).status, 200);
    await eventually(async () => {
      const r = (await call(`${b.url}/v1/users/${users[0]}/recommendations?k=20`)).json;
      return !r.items.some((i: { item: string }) => i.item === top);
    });
    const r = await call(`${a.url}/v1/models/reload`, 'POST', { dir: fx.model2 });
    assert.equal(r.status, 200);
    assert.equal(r.json.modelVersion, 'svc-test-2');
    await eventually(async () => (await call(`${b.url}/v1/users/${users[0]}/recommendations?k=3`)).json.modelVersion === 'svc-test-2');
  }
  await stop(a, 'SIGTERM');
  await stop(b, 'SIGTERM');
}

test('two processes on Redis + NATS JetStream: events, stock changes and model reloads on one reach the other', { skip }, async () => {
  await twoProcesses(`nats://127.0.0.1:4222?stream=${natsName}`, true);
});

test('two processes on Redis + a Redis stream: events posted to one are reflected by the other', { skip }, async () => {
  await twoProcesses(`redis-stream://127.0.0.1:6379?prefix=${prefix}`, false);
});

test('kill -9 of the partition owner on Redis + NATS: every accepted event reaches the stored state after restart', { skip }, async () => {
  const stream = `nats://127.0.0.1:4222?stream=${natsName}K`;
  const store = `redis://127.0.0.1:6379?prefix=${prefix}K`;
  const common = [
    '--data',
    fx.data,
    '--model',
    fx.model,
    '--store',
    store,
    '--events',
    stream,
    '--process-count',
    '2',
    '--partitions',
    '4',
  ];
  const a = await spawnServe([...common, '--process-index', '0']);
  children.push(a);
  let b = await spawnServe([...common, '--process-index', '1']);
  children.push(b);
  const item = (i: number) => fx.world.catalogue.ids.id(i);
  // shoppers owned by B; their events are posted to A, which keeps accepting while B is down
  const users: string[] = [];
  for (let n = 0; users.length < 6; n++) if (partitionOf(`kill-${n}`, 4) % 2 === 1) users.push(`kill-${n}`);
  const accepted: Array<{ user: string; timestamp: number }> = [];
  const post = async (n: number) => {
    const ev = { user: users[n % users.length], item: item(n % 100), type: 'click', timestamp: 50_000 + n };
    const r = await call(`${a.url}/v1/events`, 'POST', ev);
    if (r.status === 202) accepted.push(ev);
  };
  const first = Array.from({ length: 24 }, (_, n) => post(n));
  await stop(b, 'SIGKILL');
  await Promise.all(first);
  await Promise.all(Array.from({ length: 24 }, (_, n) => post(24 + n)));
  b = await spawnServe([...common, '--process-index', '1']);
  children.push(b);
  assert.equal(accepted.length, 48, 'A accepts while the owner is down');
  const { Redis } = await import('ioredis');
  const r = new Redis('redis://127.0.0.1:6379');
  try {
    await eventually(async () => {
      const seen = new Set<string>();
      for (const u of users) {
        const d = await r.hget(`${prefix}K:u:{${u}}`, 'd');
        if (d) for (const h of JSON.parse(d).state.history) seen.add(`${u}@${h.timestamp}`);
      }
      return accepted.every((e) => seen.has(`${e.user}@${e.timestamp}`));
    }, 20_000);
  } finally {
    await r.quit();
  }
  await stop(a, 'SIGTERM');
  await stop(b, 'SIGTERM');
});

test('a second process with the same --process-index is refused (partition leases)', { skip }, async () => {
  const { loadConfig } = await import('../../src/core/config.js');
  const { Engine } = await import('../../src/engine/engine.js');
  const { TailorService } = await import('../../src/server/service.js');
  const { openStore } = await import('../../src/storage/store.js');
  const { isTailorError } = await import('../../src/core/errors.js');
  const { randomArtifact } = await import('./fixture.js');
  const config = loadConfig({ online: { workers: 0 } }, {});
  const make = async () =>
    new TailorService({
      engine: await Engine.open({ artifact: randomArtifact(fx.world.catalogue.dim), catalogue: fx.world.catalogue, config }),
      store: await openStore(`redis://127.0.0.1:6379?prefix=${prefix}L`),
      stream: await openStream('log:', { partitions: 4 }),
      config,
      processIndex: 1,
      processCount: 2,
    });
  const first = await make();
  await first.start();
  const second = await make();
  try {
    await assert.rejects(second.start(), (e) => isTailorError(e, 'CONFIG_INVALID') && e.location.field === 'processIndex');
  } finally {
    await second.close();
    await first.close();
  }
  // released on close: a successor starts at once
  const third = await make();
  await third.start();
  await third.close();
});
