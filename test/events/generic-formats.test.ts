import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeItemVectors } from '../../src/catalogue/npy.js';
import { isTailorError } from '../../src/core/errors.js';
import { loadDataset, parseTimestamp } from '../../src/events/loaders/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tailor-generic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = [
  { who: 'alice', sku: 'p1', action: 'view', at: '2024-03-01T10:00:00Z' },
  { who: 'bob', sku: 'p2', action: 'basket', at: '2024-03-01T09:00:00Z' },
  { who: 'alice', sku: 'p2', action: 'bought', at: '2024-03-02' },
];
const MAPPED = {
  columns: { user: 'who', item: 'sku', type: 'action', timestamp: 'at' },
  behaviours: { basket: 'cart', bought: 'purchase' } as const,
};

function expectRows(d: Awaited<ReturnType<typeof loadDataset>>): void {
  assert.deepEqual(
    [...d.log].map((e) => `${e.user}/${e.item}/${e.type}/${new Date(e.timestamp).toISOString()}`),
    ['bob/p2/cart/2024-03-01T09:00:00.000Z', 'alice/p1/click/2024-03-01T10:00:00.000Z', 'alice/p2/purchase/2024-03-02T00:00:00.000Z'],
  );
  assert.equal(d.log.items, d.catalogue.ids);
}

test('generic CSV with mapped column and behaviour names, ISO timestamps, sorted by time', async () => {
  const p = join(dir, 'log.csv');
  writeFileSync(p, `who,sku,action,at\n${ROWS.map((r) => `${r.who},${r.sku},${r.action},${r.at}`).join('\n')}\n`);
  expectRows(await loadDataset({ path: p, format: 'events', ...MAPPED }));
});

test('generic NDJSON, with an NDJSON catalogue file whose other keys become attributes', async () => {
  const p = join(dir, 'log.ndjson');
  writeFileSync(p, `${ROWS.map((r) => JSON.stringify(r)).join('\n')}\n`);
  expectRows(await loadDataset({ path: p, format: 'events', ...MAPPED }));
  const items = join(dir, 'items.jsonl');
  writeFileSync(items, '{"sku":"p1","colour":"red"}\n{"sku":"p3","colour":"blue"}\n');
  const d = await loadDataset({ path: p, format: 'events', ...MAPPED, items, itemIdColumn: 'sku' });
  assert.equal(d.catalogue.size, 3);
  assert.equal(d.catalogue.attribute(d.catalogue.indexOf('p1')!, 'colour'), 'red');
  assert.equal(d.catalogue.attribute(d.catalogue.indexOf('p2')!, 'colour'), undefined);
});

test('generic Parquet (row groups streamed)', async () => {
  const { parquetWriteFile } = await import('hyparquet-writer');
  const p = join(dir, 'log.parquet');
  parquetWriteFile({
    filename: p,
    columnData: [
      { name: 'who', data: ROWS.map((r) => r.who), type: 'STRING' },
      { name: 'sku', data: ROWS.map((r) => r.sku), type: 'STRING' },
      { name: 'action', data: ROWS.map((r) => r.action), type: 'STRING' },
      { name: 'at', data: ROWS.map((r) => Date.parse(r.at.length === 10 ? `${r.at}T00:00:00Z` : r.at)), type: 'DOUBLE' },
    ],
    rowGroupSize: 2,
  });
  expectRows(await loadDataset({ path: p, format: 'events', ...MAPPED, timestampUnit: 'ms' }));
});

test('timestamps: epoch seconds, milliseconds, ISO dates; garbage and implausible values rejected', () => {
  assert.equal(parseTimestamp('1511544070', 'auto'), 1511544070000);
  assert.equal(parseTimestamp(1511544070000, 'auto'), 1511544070000);
  assert.equal(parseTimestamp('1511544070', 's'), 1511544070000);
  assert.equal(parseTimestamp('2020-09-22', 'iso'), Date.UTC(2020, 8, 22));
  assert.equal(parseTimestamp('2020-09-22 10:30:00', 'auto'), Date.UTC(2020, 8, 22, 10, 30));
  assert.equal(parseTimestamp('2020-09-22T10:30:00+02:00', 'auto'), Date.UTC(2020, 8, 22, 8, 30));
  assert.equal(parseTimestamp('2020-09-22', 's'), undefined);
  assert.equal(parseTimestamp('yesterday', 'auto'), undefined);
  assert.equal(parseTimestamp('17', 's'), undefined);
  assert.equal(parseTimestamp('', 'auto'), undefined);
});

test('synthetic world folder: items with attributes and stock, events in epoch ms, vectors.npy with ids, thumbnails', async () => {
  const w = join(dir, 'world');
  mkdirSync(join(w, 'thumbnails'), { recursive: true });
  writeFileSync(join(w, 'items.csv'), 'id,garment,colour,price,in_stock\ni1,dress,red,29.9,1\ni2,shirt,red,15,0\ni3,dress,blue,31,1\n');
  writeFileSync(
    join(w, 'events.csv'),
    'user,item,type,timestamp\nu1,i1,click,1700000001000\nu1,i2,favorite,1700000000000\nu2,i3,purchase,1700000002000\nu2,i1,cart,1700000003000\n',
  );
  const ids = ['i1', 'i2'];
  await writeItemVectors(join(w, 'vectors.npy'), ids, { rows: 2, cols: 3, data: new Float32Array([1, 0, 0, 0, 1, 0]) });
  writeFileSync(join(w, 'thumbnails', 'i1.svg'), '<svg/>');
  const d = await loadDataset({ path: w, format: 'synthetic' });
  assert.equal(d.catalogue.size, 3);
  assert.equal(d.catalogue.dim, 3);
  assert.deepEqual([...d.catalogue.vector(d.catalogue.indexOf('i2')!)], [0, 1, 0]);
  // i3 has no vector in the file: imputed in the same space from items sharing its attributes (garment=dress → i1).
  assert.deepEqual([...d.catalogue.vector(d.catalogue.indexOf('i3')!)], [1, 0, 0]);
  assert.equal(d.report.vectors.fromFile, 2);
  assert.equal(d.report.vectors.derived, 1);
  assert.equal(d.catalogue.isInStock(d.catalogue.indexOf('i2')!), false);
  assert.equal(d.catalogue.isInStock(d.catalogue.indexOf('i1')!), true);
  assert.equal(d.catalogue.attribute(0, 'price'), 29.9);
  assert.match(String(d.catalogue.attribute(0, 'thumbnail')), /i1\.svg$/);
  assert.deepEqual(d.log.countByType(), [1, 1, 1, 1]);
  assert.equal(d.log.get(0).item, 'i2');
  writeFileSync(join(w, 'world.json'), JSON.stringify({ format: 'synthetic', version: 99 }));
  await assert.rejects(
    () => loadDataset({ path: w, format: 'synthetic' }),
    (e: unknown) => isTailorError(e, 'DATA_FORMAT') && e.location.field === 'version',
  );
});

test('vectorCutoff may be computed from the loaded log; later interactions do not shape the vectors', async () => {
  const p = join(dir, 'cutoff.csv');
  // a and b share users before day 2; c shares them only later.
  const t0 = Date.UTC(2024, 0, 1);
  const day = 86_400_000;
  const rows = ['user,item,type,timestamp'];
  for (let u = 0; u < 6; u++) rows.push(`u${u},a,click,${t0 + u}`, `u${u},b,click,${t0 + 10 + u}`, `u${u},c,click,${t0 + 3 * day + u}`);
  writeFileSync(p, `${rows.join('\n')}\n`);
  const d = await loadDataset({ path: p, format: 'events', vectorCutoff: (log) => log.timeRange()!.start + 2 * day });
  const v = (id: string) => d.catalogue.vector(d.catalogue.indexOf(id)!);
  const dist = (x: Float32Array, y: Float32Array) => x.reduce((s, xi, k) => s + (xi - y[k]) ** 2, 0);
  assert.ok(dist(v('a'), v('b')) < 1e-9);
  assert.ok(dist(v('a'), v('c')) > 0.5, 'c is only co-viewed after the cutoff');
  assert.match(d.report.vectors.method, /interactions 2, id-only 1/);
});
