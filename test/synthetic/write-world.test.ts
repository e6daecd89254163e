import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isTailorError } from '../../src/core/errors.js';
import { generateWorld, resolveWorldParams, thumbnailSvg, writeWorld } from '../../src/synthetic/index.js';

/** Parses an .npy v1/v2 header by hand: returns descr, fortran_order, shape and the data offset. */
function parseNpyHeader(buf: Buffer): { descr: string; fortran: boolean; shape: number[]; offset: number } {
  assert.equal(buf.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  const major = buf[6];
  const len = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.subarray(start, start + len).toString('latin1');
  assert.equal((start + len) % 64, 0, 'data starts on a 64-byte boundary');
  assert.ok(header.endsWith('\n'));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] ?? '';
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { descr, fortran, shape, offset: start + len };
}

test('writeWorld writes the synthetic layout and it reads back exactly', async () => {
  const w = generateWorld({ items: 300, users: 200, weeks: 1, dim: 24, seed: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'tailor-world-'));
  try {
    const summary = await writeWorld(w, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['events.csv', 'items.csv', 'thumbnails', 'vectors.ids.txt', 'vectors.npy', 'world.json']);

    const events = readFileSync(join(dir, 'events.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(events[0], 'user,item,type,timestamp');
    assert.equal(events.length - 1, w.log.length);
    for (let k = 1; k < events.length; k += 97) {
      const [user, item, type, ts] = events[k].split(',');
      const e = w.log.get(k - 1);
      assert.deepEqual({ user, item, type, timestamp: Number(ts) }, e);
      assert.ok(Number.isInteger(Number(ts)));
    }

    const items = readFileSync(join(dir, 'items.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(items[0], 'id,type,colour,pattern,department,price,name,style,arrival,in_stock');
    assert.equal(items.length - 1, w.catalogue.size);
    const first = items[1].split(',');
    assert.equal(first[0], w.catalogue.ids.id(0));
    assert.equal(first[1], w.catalogue.attribute(0, 'type'));
    assert.equal(Number(first[5]), w.catalogue.attribute(0, 'price'));
    let outOfStock = 0;
    for (const line of items.slice(1)) {
      const flag = line.slice(line.lastIndexOf(',') + 1);
      assert.ok(flag === '1' || flag === '0');
      if (flag === '0') outOfStock++;
    }
    assert.equal(outOfStock, summary.outOfStockAtEnd);

    const npy = readFileSync(join(dir, 'vectors.npy'));
    const h = parseNpyHeader(npy);
    assert.deepEqual({ descr: h.descr, fortran: h.fortran, shape: h.shape }, { descr: '<f4', fortran: false, shape: [300, 24] });
    const body = npy.subarray(h.offset);
    assert.equal(body.length, 300 * 24 * 4);
    const vectors = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
    assert.deepEqual(vectors, w.catalogue.vectors.data);
    assert.deepEqual(readFileSync(join(dir, 'vectors.ids.txt'), 'utf8').trimEnd().split('\n'), w.catalogue.ids.ids);

    const thumbs = readdirSync(join(dir, 'thumbnails'));
    assert.equal(thumbs.length, 300);
    assert.match(
      readFileSync(join(dir, 'thumbnails', `${w.catalogue.ids.id(0)}.svg`), 'utf8'),
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );

    const meta = JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8'));
    assert.equal(meta.format, 'synthetic');
    assert.deepEqual(meta.params, w.params);
    assert.equal(meta.summary.events, w.log.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('world parameters are validated with the field named', () => {
  assert.equal(resolveWorldParams({}).items, 12_000);
  for (const bad of [{ items: 0 }, { users: 1.5 }, { weeks: Number.NaN }, { bogus: 1 } as never]) {
    assert.throws(
      () => resolveWorldParams(bad),
      (e: unknown) => isTailorError(e, 'CONFIG_INVALID') && e.location.field === Object.keys(bad)[0],
    );
  }
});

test('thumbnailSvg draws the silhouette in the item colour with its pattern', () => {
  const svg = thumbnailSvg({ type: 'dress', colour: 'red', pattern: 'striped', name: 'Red <striped> dress' });
  assert.match(svg, /fill="#c0392b"/);
  assert.match(svg, /<pattern id="p"/);
  assert.match(svg, /&lt;striped&gt;/);
  const plain = thumbnailSvg({ type: 'unknown-type', colour: '#123456', pattern: 'solid' });
  assert.match(plain, /fill="#123456"/);
  assert.doesNotMatch(plain, /<pattern/);
});
