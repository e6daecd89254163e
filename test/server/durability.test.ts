import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { type Child, call, eventually, spawnServe, stop } from './child.js';
import { writeFixture } from './fixture.js';

let fx: Awaited<ReturnType<typeof writeFixture>>;
const children: Child[] = [];
before(async () => {
  fx = await writeFixture();
});
after(async () => {
  for (const c of children) await stop(c, 'SIGKILL');
  rmSync(fx.dir, { recursive: true, force: true });
});

test('after kill -9 and restart no accepted event is lost and users keep their personalisation', async () => {
  const db = join(fx.dir, 'tailor.db');
  const args = ['--data', fx.data, '--model', fx.model, '--store', `sqlite:${db}`, '--partitions', '4'];
  const item = (i: number) => fx.world.catalogue.ids.id(i);
  let a = await spawnServe(args);
  children.push(a);

  // a shopper who gets personalised (adaptation every 2 events), then one more event so the adapted state is stored
  for (let n = 0; n < 4; n++)
    assert.equal(
      (await call(`${a.url}/v1/events`, 'POST', { user: 'keeper', item: item(20 + n), type: 'purchase', timestamp: 1000 + n })).status,
      202,
    );
  await eventually(async () => (await call(`${a.url}/v1/users/keeper/recommendations?k=8`)).json.source === 'personalised');
  assert.equal((await call(`${a.url}/v1/events`, 'POST', { user: 'keeper', item: item(30), type: 'click', timestamp: 2000 })).status, 202);
  const before = (await call(`${a.url}/v1/users/keeper/recommendations?k=8`)).json;
  assert.equal(before.source, 'personalised');

  // many concurrent writes, killed in the middle
  const accepted: Array<{ user: string; timestamp: number }> = [];
  const posts = Array.from({ length: 120 }, (_, n) => {
    const ev = { user: `burst${n % 12}`, item: item(n % 200), type: 'cart', timestamp: 10_000 + n };
    return call(`${a.url}/v1/events`, 'POST', ev).then(
      (r) => {
        if (r.status === 202) accepted.push(ev);
      },
      () => {},
    );
  });
  await eventually(async () => accepted.length >= 30);
  await stop(a, 'SIGKILL');
  await Promise.all(posts);
  assert.ok(accepted.length >= 30 && accepted.length <= 120);

  a = await spawnServe(args);
  children.push(a);
  // every 202 is in the log, and replayed into the user's state
  const conn = new Database(db, { readonly: true });
  try {
    const logged = new Set(
      (conn.prepare('SELECT user, ts FROM events').all() as { user: string; ts: number }[]).map((r) => `${r.user}@${r.ts}`),
    );
    for (const e of accepted) assert.ok(logged.has(`${e.user}@${e.timestamp}`), `accepted event ${e.user}@${e.timestamp} is in the log`);
    // the restarted process applies the tail; then each user's stored history holds its accepted events
    await eventually(async () => {
      const rows = conn.prepare("SELECT user, data FROM users WHERE user LIKE 'burst%'").all() as { user: string; data: Buffer }[];
      const seen = new Set<string>();
      for (const r of rows) for (const h of JSON.parse(r.data.toString()).state.history) seen.add(`${r.user}@${h.timestamp}`);
      return accepted.every((e) => seen.has(`${e.user}@${e.timestamp}`));
    });
  } finally {
    conn.close();
  }
  // the restored personal model is re-projected off the request path; meanwhile answers come from the global space
  const after = await eventually(async () => {
    const r = (await call(`${a.url}/v1/users/keeper/recommendations?k=8`)).json;
    return r.source === 'personalised' && r;
  });
  const was = new Set(before.items.map((i: { item: string }) => i.item));
  const overlap = after.items.filter((i: { item: string }) => was.has(i.item)).length;
  assert.ok(overlap >= 6, `the restored personal model recommends what it did before (${overlap}/8 shared)`);
  await stop(a, 'SIGTERM');
});
