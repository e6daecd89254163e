import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatNpy, parseNpy, readItemVectors, readNpy, writeItemVectors, writeNpy } from '../../src/catalogue/npy.js';
import { isTailorError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'tailor-npy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('npy round trip: float32 n×D matrix and id list', async () => {
  const rng = new Rng(7);
  const m = { rows: 5, cols: 7, data: new Float32Array(35).map(() => rng.normal()) };
  const p = join(dir, 'v.npy');
  await writeItemVectors(p, ['a', 'b', 'c', 'd', 'e'], m);
  const back = await readItemVectors(p);
  assert.deepEqual(back.ids, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(back.vectors.rows, 5);
  assert.equal(back.vectors.cols, 7);
  assert.deepEqual(back.vectors.data, m.data);
  await writeNpy(join(dir, 'w.npy'), m);
  assert.deepEqual((await readNpy(join(dir, 'w.npy'))).data, m.data);
});

test('npy header is what NumPy writes: magic, v1, dict padded to a multiple of 64 bytes', () => {
  const buf = formatNpy({ rows: 2, cols: 3, data: new Float32Array(6) });
  assert.equal(buf.subarray(1, 6).toString('latin1'), 'NUMPY');
  const headerLen = buf.readUInt16LE(8);
  assert.equal((10 + headerLen) % 64, 0);
  assert.match(buf.toString('latin1', 10, 10 + headerLen), /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
});

test('npy reader converts float64 and Fortran order, rejects other dtypes', () => {
  const header = (descr: string, fortran: boolean) => {
    let h = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (2, 2), }`;
    h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
    const head = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
    head.writeUInt16LE(h.length, 8);
    return Buffer.concat([head, Buffer.from(h, 'latin1')]);
  };
  const f8 = Buffer.concat([header('<f8', true), Buffer.from(new Float64Array([1, 2, 3, 4]).buffer)]);
  assert.deepEqual([...parseNpy(f8).data], [1, 3, 2, 4]);
  const i4 = Buffer.concat([header('<i4', false), Buffer.alloc(16)]);
  assert.throws(
    () => parseNpy(i4, 'x.npy'),
    (e: unknown) => isTailorError(e, 'DATA_FORMAT'),
  );
  assert.throws(
    () => parseNpy(Buffer.from('hello world'), 'x.npy'),
    (e: unknown) => isTailorError(e, 'DATA_FORMAT'),
  );
});

test('id list problems: duplicate id names the line, row count mismatch is a dimension error', async () => {
  const p = join(dir, 'd.npy');
  await writeNpy(p, { rows: 3, cols: 2, data: new Float32Array(6) });
  writeFileSync(join(dir, 'd.ids.txt'), 'a\nb\na\n');
  await assert.rejects(
    () => readItemVectors(p),
    (e: unknown) => isTailorError(e, 'DATA_DUPLICATE_ID') && e.location.line === 3 && e.location.file === 'd.ids.txt',
  );
  writeFileSync(join(dir, 'd.ids.txt'), 'a\nb\n');
  await assert.rejects(
    () => readItemVectors(p),
    (e: unknown) => isTailorError(e, 'DATA_DIMENSION'),
  );
});
