import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Interaction } from '../../src/core/types.js';
import { type EventStream, ownedPartitions, partitionOf, type StreamRecord } from '../../src/stream/stream.js';

/** Polls `cond` until true (at most `ms`). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function events(n: number, tag: string, t0 = 1_700_000_000_000): Interaction[] {
  const types = ['click', 'favorite', 'cart', 'purchase'] as const;
  return Array.from({ length: n }, (_, i) => ({ user: `${tag}-u${i % 7}`, item: `i${i}`, type: types[i % 4], timestamp: t0 + i }));
}

/**
 * The behaviour every EventStream driver must show; `open` returns a fresh handle on the SAME stream each
 * call (so reopening simulates a restart), `destroy` removes it afterwards.
 */
export function streamContract(name: string, open: () => Promise<EventStream>, opts: { skip?: string | false } = {}): void {
  const skip = opts.skip ?? false;

  test(`${name}: delivers each owned partition in order, resumes after the last ack`, { skip }, async () => {
    const s = await open();
    const got: StreamRecord[] = [];
    const all = ownedPartitions(s.partitions, 0, 1);
    const batch1 = events(30, 'a');
    await s.append(batch1);
    let c = await s.consume({ group: 'g1', partitions: all }, async (b) => {
      got.push(...b);
    });
    await until(() => got.length >= 30);
    assert.deepEqual(got.map((r) => r.event.item).sort(), batch1.map((e) => e.item).sort());
    const e0 = got.find((r) => r.event.item === 'i3')?.event;
    assert.deepEqual(e0, batch1[3]);
    for (const r of got) assert.equal(r.partition, partitionOf(r.event.user, s.partitions));
    // per user (hence per partition) order is the append order
    const byUser = new Map<string, number[]>();
    for (const r of got) byUser.set(r.event.user, [...(byUser.get(r.event.user) ?? []), r.event.timestamp]);
    for (const ts of byUser.values())
      assert.deepEqual(
        ts,
        [...ts].sort((a, b) => a - b),
      );
    await c.stop();
    await s.close();

    // a restarted consumer of the same group gets only what came after
    const s2 = await open();
    const batch2 = events(10, 'b', 1_800_000_000_000);
    await s2.append(batch2);
    const got2: StreamRecord[] = [];
    c = await s2.consume({ group: 'g1', partitions: all }, async (b) => {
      got2.push(...b);
    });
    await until(() => got2.length >= 10);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(got2.map((r) => r.event.item).sort(), batch2.map((e) => e.item).sort());
    await c.stop();
    await s2.close();
  });

  test(`${name}: two owners of disjoint partitions share the events exactly once`, { skip }, async () => {
    const a = await open();
    const b = await open();
    const seenA: StreamRecord[] = [];
    const seenB: StreamRecord[] = [];
    // a new group starts at the stream's beginning: count only this test's events
    const mine = (x: StreamRecord[]) => x.filter((r) => r.event.user.startsWith('c-'));
    const ca = await a.consume({ group: 'g2', partitions: ownedPartitions(a.partitions, 0, 2) }, async (x) => {
      seenA.push(...mine(x));
    });
    const cb = await b.consume({ group: 'g2', partitions: ownedPartitions(b.partitions, 1, 2) }, async (x) => {
      seenB.push(...mine(x));
    });
    const evs = events(40, 'c');
    await a.append(evs.slice(0, 20));
    await b.append(evs.slice(20));
    await until(() => seenA.length + seenB.length >= 40);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(seenA.length + seenB.length, 40);
    for (const r of seenA) assert.equal(r.partition % 2, 0);
    for (const r of seenB) assert.equal(r.partition % 2, 1);
    await ca.stop();
    await cb.stop();
    await a.close();
    await b.close();
  });

  test(`${name}: a failing handler gets the records again`, { skip }, async () => {
    const s = await open();
    let fails = 1;
    const got: string[] = [];
    const c = await s.consume({ group: 'g3', partitions: ownedPartitions(s.partitions, 0, 1) }, async (b) => {
      if (fails-- > 0) throw new Error('transient');
      got.push(...b.map((r) => r.event.item));
    });
    await s.append([{ user: 'd', item: 'x1', type: 'cart', timestamp: 1 }]);
    await until(() => got.includes('x1'));
    await c.stop();
    await s.close();
  });
}
