import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StateStore } from '../../src/storage/store.js';

/** The behaviour every StateStore driver must show; each driver's test file runs it. */
export function storeContract(
  name: string,
  open: () => Promise<StateStore>,
  opts: { skip?: string | false; reopen?: boolean; exclusiveLeases?: boolean } = {},
): void {
  const skip = opts.skip ?? false;

  test(`${name}: user states are versioned bytes`, { skip }, async () => {
    const s = await open();
    try {
      assert.equal(await s.getUser('alice'), undefined);
      assert.equal(await s.getUserVersion('alice'), 0);
      const v1 = await s.putUsers([
        { user: 'alice', data: new Uint8Array([1, 2, 3]) },
        { user: 'bob{x}', data: new Uint8Array([9]) },
      ]);
      assert.deepEqual(v1, [1, 1]);
      const [v2] = await s.putUsers([{ user: 'alice', data: new Uint8Array([4, 5]) }]);
      assert.equal(v2, 2);
      const a = await s.getUser('alice');
      assert.equal(a?.version, 2);
      assert.deepEqual([...(a?.data ?? [])], [4, 5]);
      assert.equal(await s.getUserVersion('bob{x}'), 1);
      assert.equal(await s.countUsers(), 2);
      await s.deleteUser('bob{x}');
      assert.equal(await s.getUser('bob{x}'), undefined);
      assert.equal(await s.countUsers(), 1);
      assert.deepEqual(await s.putUsers([]), []);
    } finally {
      await s.close();
    }
  });

  test(`${name}: item changes merge per id`, { skip }, async () => {
    const s = await open();
    try {
      await s.putItems([{ id: 'i1', vector: new Float32Array([0.5, -1, 2]), attributes: { colour: 'red' } }]);
      await s.setStock(['i1', 'i2'], false);
      await s.putItems([{ id: 'i1', attributes: { type: 'dress' } }]);
      const items = new Map((await s.listItems()).map((i) => [i.id, i]));
      assert.equal(items.size, 2);
      const i1 = items.get('i1');
      assert.deepEqual([...(i1?.vector ?? [])], [0.5, -1, 2]);
      assert.deepEqual(i1?.attributes, { colour: 'red', type: 'dress' });
      assert.equal(i1?.inStock, false);
      assert.equal(items.get('i2')?.inStock, false);
      assert.equal(items.get('i2')?.vector, undefined);
      await s.setStock(['i2'], true);
      assert.equal((await s.listItems()).find((i) => i.id === 'i2')?.inStock, true);
    } finally {
      await s.close();
    }
  });

  test(`${name}: metadata`, { skip }, async () => {
    const s = await open();
    try {
      assert.equal(await s.getMeta('checkpoint'), undefined);
      await s.setMeta('checkpoint', '42');
      await s.setMeta('checkpoint', '43');
      assert.equal(await s.getMeta('checkpoint'), '43');
    } finally {
      await s.close();
    }
  });

  test(`${name}: leases`, { skip }, async () => {
    const s = await open();
    try {
      assert.equal(await s.lease('p1', 'a', 5000), true);
      assert.equal(await s.lease('p1', 'a', 5000), true, 'the holder renews');
      assert.equal(await s.lease('p1', 'b', 5000), !opts.exclusiveLeases, 'another holder is refused where leases are shared');
      await s.releaseLease('p1', 'b');
      assert.equal(await s.lease('p1', 'b', 5000), !opts.exclusiveLeases, "releasing someone else's lease does nothing");
      await s.releaseLease('p1', 'a');
      assert.equal(await s.lease('p1', 'b', 5000), true);
      await s.releaseLease('p1', 'b');
    } finally {
      await s.close();
    }
  });

  if (opts.reopen)
    test(`${name}: survives close and reopen`, { skip }, async () => {
      const s = await open();
      await s.putUsers([{ user: 'carol', data: new Uint8Array([7, 7]) }]);
      await s.setMeta('k', 'v');
      await s.close();
      const t = await open();
      try {
        assert.deepEqual([...((await t.getUser('carol'))?.data ?? [])], [7, 7]);
        assert.equal(await t.getMeta('k'), 'v');
      } finally {
        await t.close();
      }
    });
}
