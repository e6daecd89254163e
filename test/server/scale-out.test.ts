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
  if (!natsSkip) {
    const s = (await openStream(`nats://127.0.0.1:4222?stream=${natsName}`)) as NatsStream;
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
