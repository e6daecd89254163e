import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isTailorError } from '../../src/core/errors.js';
import type { NatsStream } from '../../src/stream/drivers/nats.js';
import type { RedisStream } from '../../src/stream/drivers/redis-stream.js';
import { openStream, ownedPartitions, partitionOf } from '../../src/stream/stream.js';
import { natsSkip, redisSkip, uniquePrefix } from '../storage/services.js';
import { streamContract, until } from './stream-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'tailor-stream-'));
const natsName = uniquePrefix('stream').replace(/[^A-Za-z0-9_]/g, '_');
const redisPrefix = uniquePrefix('stream');
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!natsSkip) {
    const s = (await openStream(`nats://127.0.0.1:4222?stream=${natsName}`)) as NatsStream;
    await s.destroy();
    await s.close();
  }
  if (!redisSkip) {
    const s = (await openStream(`redis-stream://127.0.0.1:6379?prefix=${redisPrefix}`)) as RedisStream;
    await s.destroy();
    await s.close();
  }
});

streamContract('log (SQLite file)', () => openStream(`log:${join(dir, 'events.db')}`, { partitions: 4 }));
streamContract('log (in the store file)', () => openStream('log:', { storeUrl: `sqlite:${join(dir, 'store.db')}`, partitions: 4 }));
streamContract('nats', () => openStream(`nats://127.0.0.1:4222?stream=${natsName}`, { partitions: 4 }), { skip: natsSkip });
streamContract('redis-stream', () => openStream(`redis-stream://127.0.0.1:6379?prefix=${redisPrefix}`, { partitions: 4 }), {
  skip: redisSkip,
});

test('partitions are stable and spread users', () => {
  assert.equal(partitionOf('user-1', 16), partitionOf('user-1', 16));
  const hist = new Array(8).fill(0);
  for (let i = 0; i < 8000; i++) hist[partitionOf(`u${i}`, 8)]++;
  for (const h of hist) assert.ok(h > 800 && h < 1200, `partition load ${h}`);
  assert.deepEqual(ownedPartitions(8, 1, 3), [1, 4, 7]);
  assert.throws(
    () => ownedPartitions(8, 3, 3),
    (e) => isTailorError(e, 'CONFIG_INVALID'),
  );
});

test('log: appended events reach in-process consumers before append resolves', async () => {
  const s = await openStream('log:', { partitions: 2 });
  const seen: string[] = [];
  const c = await s.consume({ group: 'g', partitions: [0, 1] }, async (b) => {
    seen.push(...b.map((r) => r.event.item));
  });
  await s.append([{ user: 'u', item: 'now', type: 'click', timestamp: 5 }]);
  assert.deepEqual(seen, ['now']);
  await c.stop();
  await s.close();
});

test('unknown stream scheme is UNSUPPORTED_URL; unreachable NATS is STREAM_UNAVAILABLE', async () => {
  await assert.rejects(openStream('kafka://x'), (e) => isTailorError(e, 'UNSUPPORTED_URL') && e.location.field === 'events');
  await assert.rejects(openStream('nats://127.0.0.1:1'), (e) => isTailorError(e, 'STREAM_UNAVAILABLE'));
});

test('log: trim drops only acknowledged events older than the cutoff', async () => {
  const s = await openStream('log:', { partitions: 2 });
  const now = Date.now();
  const seen: string[] = [];
  const c = await s.consume({ group: 'g', partitions: [0, 1] }, async (b) => {
    seen.push(...b.map((r) => r.event.item));
  });
  await s.append([
    { user: 'a', item: 'old1', type: 'click', timestamp: 1000 },
    { user: 'b', item: 'old2', type: 'click', timestamp: 2000 },
    { user: 'c', item: 'new', type: 'click', timestamp: now },
  ]);
  await until(() => seen.length === 3);
  await c.stop();
  await s.append([{ user: 'a', item: 'old-unread', type: 'click', timestamp: 3000 }]);
  assert.equal(await s.trim?.(now - 86_400_000), 2);
  assert.equal(await s.trim?.(now - 86_400_000), 0, 'the unacknowledged and the recent events stay');
  const again: string[] = [];
  const c2 = await s.consume({ group: 'g', partitions: [0, 1] }, async (b) => {
    again.push(...b.map((r) => r.event.item));
  });
  await until(() => again.length === 1);
  assert.deepEqual(again, ['old-unread']);
  await c2.stop();
  await s.close();
});
