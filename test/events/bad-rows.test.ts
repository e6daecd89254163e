import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isTailorError, type TailorError } from '../../src/core/errors.js';
import type { EventLog } from '../../src/events/event-log.js';
import { loadDataset, type PartialLoad, partialOf } from '../../src/events/loaders/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tailor-bad-rows-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const events = file(
  'events.csv',
  [
    'user,item,type,timestamp',
    'u1,a,click,1700000000000', // line 2
    'u1,b,unknownthing,1700000001000', // line 3: unknown behaviour
    'u2,a,cart,not-a-time', // line 4: bad timestamp
    'u2,c,purchase', // line 5: malformed (3 fields)
    ',c,purchase,1700000002000', // line 6: empty user
    'u3,"unterminated,click,1700000003000', // line 7+: broken quote
    '',
  ].join('\n'),
);

test('stop (default): the first bad row throws naming file, line and field; what was loaded stays reachable', async () => {
  await assert.rejects(
    () => loadDataset({ path: events, format: 'events' }),
    (err: unknown) => {
      assert.ok(isTailorError(err, 'DATA_FIELD'));
      const e = err as TailorError;
      assert.equal(e.location.file, 'events.csv');
      assert.equal(e.location.line, 3);
      assert.equal(e.location.field, 'type');
      assert.match(e.message, /events\.csv:3, field "type": unknown behaviour "unknownthing"/);
      const partial = partialOf<{ log: EventLog }>(e);
      assert.equal(partial?.log.length, 1);
      assert.equal(partial?.log.get(0).item, 'a');
      // The partial result is not part of the HTTP body.
      assert.equal(JSON.stringify(e.toJSON()).includes('partial'), false);
      return true;
    },
  );
});

test('skip: bad rows are counted per reason with their place, good rows are kept', async () => {
  const d = await loadDataset({ path: events, format: 'events', onBadRow: 'skip' });
  assert.equal(d.log.length, 1);
  const r = d.report;
  assert.equal(r.accepted, 1);
  assert.equal(r.skippedByReason.behaviour, 1);
  assert.equal(r.skippedByReason.timestamp, 1);
  assert.equal(r.skippedByReason.field, 1);
  assert.ok((r.skippedByReason.parse ?? 0) >= 2, 'the short row and the broken quote');
  assert.equal(r.skipped, r.rowsRead - r.accepted);
  const ts = r.errors.find((e) => e.reason === 'timestamp')!;
  assert.deepEqual([ts.file, ts.line, ts.field, ts.value], ['events.csv', 4, 'timestamp', 'not-a-time']);
  const short = r.errors.find((e) => e.line === 5)!;
  assert.equal(short.code, 'DATA_PARSE');
  assert.match(short.message, /expected 4 fields/);
  assert.equal(r.errors.find((e) => e.line === 6)?.field, 'user');
});

test('a missing column is a file-level error even under skip', async () => {
  const p = file('nocol.csv', 'user,item,when\nu1,a,1700000000\n');
  await assert.rejects(
    () => loadDataset({ path: p, format: 'events', onBadRow: 'skip' }),
    (err: unknown) => isTailorError(err, 'DATA_FIELD') && (err as TailorError).location.field === 'type',
  );
});

test('duplicate item id in a catalogue file: stop names the line, skip keeps the first', async () => {
  const world = join(dir, 'world');
  rmSync(world, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(world);
  writeFileSync(join(world, 'items.csv'), 'id,type,colour,price,in_stock\nx1,dress,red,10,1\nx2,shirt,blue,5,0\nx1,dress,green,12,1\n');
  writeFileSync(join(world, 'events.csv'), 'user,item,type,timestamp\nu1,x1,click,1700000000000\n');
  await assert.rejects(
    () => loadDataset({ path: world, format: 'synthetic' }),
    (err: unknown) => {
      const e = err as TailorError;
      assert.ok(isTailorError(err, 'DATA_DUPLICATE_ID'));
      assert.deepEqual([e.location.file, e.location.line, e.location.field], ['items.csv', 4, 'id']);
      const partial = partialOf<PartialLoad>(e);
      assert.equal(partial?.report.accepted, 2);
      assert.equal(partial?.log.items.size, 2);
      return true;
    },
  );
  const d = await loadDataset({ path: world, format: 'synthetic', onBadRow: 'skip' });
  assert.equal(d.catalogue.size, 2);
  assert.equal(d.catalogue.attribute(d.catalogue.indexOf('x1')!, 'colour'), 'red');
  assert.equal(d.report.skippedByReason.duplicate, 1);
});

test('Taobao layout rejects unknown behaviours and out-of-range timestamps with the file line', async () => {
  const p = file('UserBehavior.csv', '1,10,100,pv,1511544070\n1,11,100,click,1511544071\n2,12,101,buy,17\n2,13,101,fav,1511544090\n');
  const d = await loadDataset({ path: p, format: 'taobao', onBadRow: 'skip' });
  assert.equal(d.log.length, 2);
  assert.deepEqual(
    d.report.errors.map((e) => [e.line, e.field, e.reason]),
    [
      [2, 'behavior', 'behaviour'],
      [3, 'timestamp', 'timestamp'],
    ],
  );
});

test('CSV quoting: a quoted field may hold delimiters, quotes and line breaks; a runaway quote is reported and the lines after it recovered', async () => {
  const lines = ['user,item,type,timestamp', '"u,1","a ""b""",click,1700000000000', '"u2","multi', 'line",cart,1700000001000'];
  lines.push('u3,"oops,click,1700000002000'); // line 5: the quote never closes
  for (let k = 0; k < 1100; k++) lines.push(`v${k},x${k % 7},click,${1700000003000 + k}`);
  const p = file('quoted.csv', `${lines.join('\r\n')}\r\n`);
  const d = await loadDataset({ path: p, format: 'events', onBadRow: 'skip' });
  assert.equal(d.log.length, 2 + 1100);
  const ev = [...d.log].slice(0, 2);
  assert.deepEqual(
    ev.map((e) => [e.user, e.item, e.type]),
    [
      ['u,1', 'a "b"', 'click'],
      ['u2', 'multi\nline', 'cart'],
    ],
  );
  assert.deepEqual(
    d.report.errors.map((e) => [e.line, e.reason]),
    [[5, 'parse']],
  );
});
