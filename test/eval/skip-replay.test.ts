import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { loadConfig } from '../../src/core/config.js';
import type { Interaction } from '../../src/core/types.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { allModelSpecs } from '../../src/eval/models.js';
import { replay } from '../../src/eval/replay.js';
import { DAY_MS, temporalSplit } from '../../src/eval/split.js';
import { EventLog } from '../../src/events/event-log.js';
import type { Recommender } from '../../src/recommender/contract.js';
import { smallWorld } from '../recommender/small-world.js';

/** Records what the harness feeds it and answers a fixed list. */
class Recorder implements Recommender {
  readonly name = 'recorder';
  readonly seen: string[] = [];
  async fit(): Promise<void> {}
  ingest(e: Interaction): void {
    this.seen.push(`${e.user}:${e.item}:${e.type}`);
  }
  recommend() {
    return { items: [{ item: 'c', score: 1 }], source: 'popular' as const };
  }
}

test('skipAfterLastPoint ingests each user only up to their last prediction point and scores the same points', async () => {
  const catalogue = new Catalogue(1);
  for (const id of ['a', 'b', 'c', 'd']) catalogue.upsert({ id, vector: new Float32Array([1]) });
  const log = new EventLog({ items: catalogue.ids });
  const t0 = Date.UTC(2024, 0, 1);
  log.push('u', 'a', 'click', t0); // training
  log.push('u', 'b', 'click', t0 + 8 * DAY_MS); // point (truth: c)
  log.push('v', 'd', 'click', t0 + 8 * DAY_MS + 1); // v never buys in the test: no point, skipped
  log.push('u', 'c', 'purchase', t0 + 8 * DAY_MS + 2); // u's last purchase: no later one, skipped
  log.push('u', 'd', 'click', t0 + 8 * DAY_MS + 3); // skipped
  const split = temporalSplit(log, { trainDays: 7 });
  const slow = new Recorder();
  const fast = new Recorder();
  const a = await replay(slow, split, catalogue, { k: 1, quiet: true });
  const b = await replay(fast, split, catalogue, { k: 1, quiet: true, skipAfterLastPoint: true });
  assert.deepEqual(fast.seen, ['u:b:click']);
  assert.equal(slow.seen.length, 4);
  assert.equal(b.ingested, 1);
  assert.equal(a.ingested, 4);
  assert.deepEqual(b.metrics, a.metrics);
  assert.equal(b.metrics.all.points, 1);
  assert.equal(b.metrics.all.precision, 1);
  // with a validation split, users whose points do not score are not ingested at all
  const onlyV = new Recorder();
  const c = await replay(onlyV, split, catalogue, { k: 1, quiet: true, skipAfterLastPoint: true, pointUsers: (id) => id === 'v' });
  assert.deepEqual(onlyV.seen, []);
  assert.equal(c.metrics.all.points, 0);
});

test('evaluate: the Tailor rows give the same metrics whether or not events after the last point are replayed', async () => {
  const w = smallWorld({ items: 60, users: 30 });
  const log = new EventLog({ items: w.catalogue.ids, users: w.train.log.users });
  const tr = w.train.log;
  for (let i = 0; i < tr.length; i++) log.pushIndexed(tr.userAt(i), tr.itemAt(i), tr.typeAt(i), tr.timeAt(i));
  for (const e of w.test) log.add(e);
  const data = { name: 'small', log, catalogue: w.catalogue };
  const config = loadConfig(
    { teacher: { epochs: 2, hidden: [16], outDim: 8 }, student: { epochs: 5, hidden: [16] }, online: { workers: 0, adaptEvery: 2 } },
    {},
  );
  const names = ['tailor-2w', 'tailor-daily', 'tailor-no-pretraining', 'tailor-2w-reengage'];
  const run = async (everyEvent: boolean) => {
    const ingested: number[] = [];
    const r = await evaluate(data, allModelSpecs(names, { config, quiet: true }), {
      k: 5,
      trainDays: 7,
      testDays: 3,
      windows: 1,
      quiet: true,
      everyEvent,
      onResult: (x) => ingested.push(x.ingested),
    });
    const metrics = r.scenarios.map((s) => s.rows.map(({ fitSeconds: _f, replaySeconds: _r, ...m }) => m));
    return { metrics, ingested };
  };
  const slow = await run(true);
  const fast = await run(false);
  assert.deepEqual(fast.metrics, slow.metrics);
  assert.ok(slow.metrics[0].every((row) => row.points > 0));
  for (let i = 0; i < names.length; i++)
    assert.ok(fast.ingested[i] < slow.ingested[i], `${names[i]}: ${fast.ingested[i]} < ${slow.ingested[i]}`);
});
