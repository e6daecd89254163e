import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecommendationList, Recommender } from '../../src/recommender/contract.js';
import { smallWorld } from './small-world.js';

function check(list: RecommendationList, k: number, known: (id: string) => boolean): void {
  assert.ok(list.items.length <= k, `at most ${k} items, got ${list.items.length}`);
  const ids = list.items.map((s) => s.item);
  assert.equal(new Set(ids).size, ids.length, 'items are distinct');
  for (const id of ids) assert.ok(known(id), `${id} is a catalogue item`);
  for (let i = 1; i < list.items.length; i++) assert.ok(list.items[i - 1].score >= list.items[i].score, 'best first');
  assert.ok(['personalised', 'cold-start', 'popular'].includes(list.source));
}

/**
 * The contract every Recommender (engine and baselines) must pass, on a small hand-made world: fit, ingest,
 * at most k distinct in-stock catalogue items best first, filter and excludePurchased honoured, stock changes
 * seen at once, unknown users answered, same seed and events → same lists. `factory` returns an unfitted model.
 */
export function recommenderContractSuite(name: string, factory: () => Promise<Recommender>): void {
  describe(`Recommender contract: ${name}`, () => {
    test('fits, ingests the stream and returns at most k distinct catalogue items, best first', async () => {
      const w = smallWorld();
      const m = await factory();
      await m.fit(w.train);
      for (const e of w.test) await m.ingest(e);
      const known = (id: string) => w.catalogue.indexOf(id) !== undefined;
      let nonEmpty = 0;
      for (const user of ['user-0', 'user-1', 'user-5']) {
        for (const k of [1, 5, 10]) {
          const list = await m.recommend(user, { k });
          check(list, k, known);
          if (list.items.length > 0) nonEmpty++;
        }
      }
      assert.ok(nonEmpty > 0, 'returns something for known users');
      await m.close?.();
    });

    test('honours filter, excludePurchased and stock changes', async () => {
      const w = smallWorld();
      const m = await factory();
      await m.fit(w.train);
      for (const e of w.test) await m.ingest(e);
      const even = (i: number) => i % 2 === 0;
      const filtered = await m.recommend('user-2', { k: 10, filter: even });
      for (const s of filtered.items) assert.ok(even(w.catalogue.indexOf(s.item)!), `${s.item} passes the filter`);
      await m.ingest({ user: 'user-2', item: 'item-6', type: 'purchase', timestamp: w.train.window.end + 9 * 86400000 });
      const bought = new Set(['item-6']);
      for (const e of [...w.test]) if (e.user === 'user-2' && e.type === 'purchase') bought.add(e.item);
      const ex = await m.recommend('user-2', { k: 20, excludePurchased: true });
      for (const s of ex.items) assert.ok(!bought.has(s.item), `${s.item} was bought by user-2`);
      const before = await m.recommend('user-3', { k: 5 });
      for (const s of before.items) w.catalogue.setInStock(w.catalogue.indexOf(s.item)!, false);
      const after = await m.recommend('user-3', { k: 5 });
      for (const s of after.items) assert.ok(w.catalogue.isInStock(w.catalogue.indexOf(s.item)!), `${s.item} is in stock`);
      await m.close?.();
    });

    test('answers a user it has never seen', async () => {
      const w = smallWorld();
      const m = await factory();
      await m.fit(w.train);
      const list = await m.recommend('nobody-at-all', { k: 5 });
      check(list, 5, (id) => w.catalogue.indexOf(id) !== undefined);
      assert.ok(list.items.length > 0, 'an unknown user still gets recommendations');
      await m.close?.();
    });

    test('is deterministic for a seed', async () => {
      const runOnce = async () => {
        const w = smallWorld();
        const m = await factory();
        await m.fit(w.train);
        const out: string[][] = [];
        for (const e of w.test.slice(0, 30)) {
          await m.ingest(e);
          out.push((await m.recommend(e.user, { k: 5 })).items.map((s) => s.item));
        }
        await m.close?.();
        return out;
      };
      assert.deepEqual(await runOnce(), await runOnce());
    });

    test('resetUsers (when offered) keeps the model usable', async () => {
      const w = smallWorld();
      const m = await factory();
      await m.fit(w.train);
      for (const e of w.test.slice(0, 20)) await m.ingest(e);
      await m.resetUsers?.();
      const list = await m.recommend('user-1', { k: 5 });
      check(list, 5, (id) => w.catalogue.indexOf(id) !== undefined);
      await m.close?.();
    });
  });
}
