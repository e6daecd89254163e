import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTailorError } from '../../src/core/errors.js';
import { compareOffsets, hashUser } from '../../src/server/service.js';
import { parseFilter } from '../../src/server/validation.js';

test('hashUser: stable, short, and does not contain the id', () => {
  assert.equal(hashUser('alice@example.com'), hashUser('alice@example.com'));
  assert.notEqual(hashUser('alice'), hashUser('bob'));
  assert.match(hashUser('alice'), /^[0-9a-f]{12}$/);
  assert.ok(!hashUser('alice').includes('alice'));
});

test('compareOffsets orders log sequences and Redis ids', () => {
  assert.ok(compareOffsets('9', '10') < 0);
  assert.equal(compareOffsets('42', '42'), 0);
  assert.ok(compareOffsets('1700000000000-2', '1700000000000-10') < 0);
  assert.ok(compareOffsets('1700000000001-0', '1700000000000-99') > 0);
});

test('parseFilter: all clauses must match; alternatives with |; unknown names are a 400 on filter', () => {
  const attrs = [
    { colour: 'Black', type: 'Dress' },
    { colour: 'White', type: 'Dress' },
    { colour: 'Black', type: 'Shirt' },
  ];
  const f = parseFilter(
    'colour:Black|White, type:Dress',
    (i, n) => (attrs[i] as Record<string, string>)[n],
    (n) => n === 'colour' || n === 'type',
  );
  assert.deepEqual([0, 1, 2].map(f), [true, true, false]);
  assert.throws(
    () =>
      parseFilter(
        'size:XL',
        () => undefined,
        () => false,
      ),
    (e) => isTailorError(e, 'VALIDATION') && e.location.field === 'filter',
  );
});

test('reads degrade to local state while the shared store is unreachable; writes report it', async () => {
  const { loadConfig } = await import('../../src/core/config.js');
  const { Engine } = await import('../../src/engine/engine.js');
  const { TailorService } = await import('../../src/server/service.js');
  const { MemoryStore } = await import('../../src/storage/drivers/memory.js');
  const { openStream } = await import('../../src/stream/stream.js');
  const { TailorError } = await import('../../src/core/errors.js');
  const { randomArtifact, tinyWorld } = await import('./fixture.js');
  // a shared store whose connection is down: every call fails as the Redis driver does
  class DownStore extends MemoryStore {
    override readonly shared = true;
    down = false;
    override async getUserVersion(user: string): Promise<number> {
      if (this.down) throw new TailorError('STORAGE_UNAVAILABLE', 'Redis HGET failed: connection closed');
      return super.getUserVersion(user);
    }
  }
  const world = tinyWorld();
  const config = loadConfig({ online: { workers: 0 } }, {});
  const engine = await Engine.open({ artifact: randomArtifact(world.catalogue.dim), catalogue: world.catalogue, config });
  const store = new DownStore();
  const svc = new TailorService({
    engine,
    store,
    stream: await openStream('log:', { partitions: 2 }),
    config,
    processIndex: 0,
    processCount: 2,
  });
  await svc.start();
  try {
    // a user owned by the other process (partition 1), so reads consult the store
    let user = 'a';
    for (let n = 0; (await import('../../src/stream/stream.js')).partitionOf(user, 2) !== 1; n++) user = `a${n}`;
    store.down = true;
    const r = await svc.recommend(user, { k: 3 });
    assert.equal(r.items.length, 3);
    assert.equal(svc.counters.staleReads, 1);
  } finally {
    await svc.close();
  }
});
