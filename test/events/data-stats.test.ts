import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Command } from 'commander';
import { dataStats, formatDataStats, registerDataStats } from '../../src/cli/commands/data-stats.js';
import { isTailorError } from '../../src/core/errors.js';
import { loadDataset } from '../../src/events/loaders/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tailor-stats-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'UserBehavior.csv');
writeFileSync(
  file,
  '1,10,100,pv,1511544070\n1,11,100,cart,1511644070\n2,10,100,buy,1511744070\n2,12,101,fav,1511844070\n3,12,101,pv,1511944070\n',
);

test('data stats: users, items, events per type, date range', async () => {
  const s = dataStats(await loadDataset({ path: file, format: 'taobao' }));
  assert.equal(s.users, 3);
  assert.equal(s.items, 3);
  assert.equal(s.events, 5);
  assert.deepEqual(s.eventsByType, { click: 2, favorite: 1, cart: 1, purchase: 1 });
  assert.equal(s.firstEvent, new Date(1511544070_000).toISOString());
  assert.equal(s.lastEvent, new Date(1511944070_000).toISOString());
  assert.deepEqual(s.attributes, ['category']);
  const text = formatDataStats(s);
  assert.match(text, /users\s+3\n/);
  assert.match(text, /click\s+2 \(40\.0 %\)/);
});

test('tailor data stats <path> --format taobao --json', async () => {
  // The command alone on a fresh program (in-process), so the test depends on no other command module.
  const run = async (...args: string[]): Promise<string> => {
    const program = new Command('tailor').exitOverride();
    const out: string[] = [];
    registerDataStats(program, (t) => out.push(t));
    await program.parseAsync(['node', 'tailor', 'data', 'stats', ...args]);
    return out.join('');
  };
  const s = JSON.parse(await run(file, '--format', 'taobao', '--json'));
  assert.equal(s.events, 5);
  assert.equal(s.eventsByType.purchase, 1);
  await assert.rejects(
    () => run(file, '--format', 'nope'),
    (e: unknown) => isTailorError(e, 'DATA_FORMAT'),
  );
  await assert.rejects(
    () => run(file, '--format', 'taobao', '--on-bad-row', 'maybe'),
    (e: unknown) => isTailorError(e, 'CONFIG_INVALID'),
  );
});
