import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { buildCli } from '../../src/cli/main.js';
import { isTailorError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { embedImages, listImages } from '../../src/embed/embed-images.js';
import { neighbourAgreement, neighbourAgreementAt, neighbourAgreementTf } from '../../src/embed/neighbour-agreement.js';
import { resolveModelOptions } from '../../src/embed/options.js';
import { poolOutput } from '../../src/embed/pooling.js';
import { decodeImage, writeNormalised } from '../../src/embed/preprocess.js';
import { tinyPoolModel } from './tiny-onnx.js';

let dir: string;
let model: string;
// raw 0..1 pixels, no normalisation: the tiny model's output is the mean colour
const plain = resolveModelOptions('torchvision', {
  size: 16,
  resizeShorter: 16,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  output: 'feat',
  l2: false,
});

async function solid(file: string, r: number, g: number, b: number, w = 24, h = 36): Promise<void> {
  await sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } }).toFile(file);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tailor-embed-'));
  mkdirSync(join(dir, 'img', 'sub'), { recursive: true });
  model = join(dir, 'tiny.onnx');
  writeFileSync(model, tinyPoolModel(16));
  await solid(join(dir, 'img', 'red.png'), 255, 0, 0);
  await solid(join(dir, 'img', 'sub', 'blue.jpg'), 0, 0, 255);
  await solid(join(dir, 'img', 'sub', 'green.webp'), 0, 255, 0);
  writeFileSync(join(dir, 'img', 'broken.jpg'), Buffer.from('this is not a jpeg at all'));
  writeFileSync(join(dir, 'img', 'notes.txt'), 'ignored');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('listImages walks sub-folders, keeps JPEG/PNG/WebP, and uses the file name as the item id', () => {
  const e = listImages(join(dir, 'img'));
  assert.deepEqual(e.map((x) => x.id).sort(), ['blue', 'broken', 'green', 'red']);
});

test('listImages rejects two images with one id, naming both', () => {
  const d = mkdtempSync(join(tmpdir(), 'tailor-dup-'));
  try {
    mkdirSync(join(d, 'a'));
    writeFileSync(join(d, 'x.jpg'), '');
    writeFileSync(join(d, 'a', 'x.png'), '');
    assert.throws(
      () => listImages(d),
      (e) => isTailorError(e, 'DATA_DUPLICATE_ID') && /x\.jpg/.test(e.message) && /x\.png/.test(e.message),
    );
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('preprocessing normalises with torchvision mean/std in NCHW and NHWC', async () => {
  const file = join(dir, 'img', 'red.png');
  const tv = resolveModelOptions('torchvision');
  const rgb = await decodeImage(file, tv);
  assert.equal(rgb.length, 224 * 224 * 3);
  const x = new Float32Array(2 * 3 * 224 * 224);
  writeNormalised(rgb, tv, x, 1);
  const hw = 224 * 224;
  const base = 3 * hw;
  assert.ok(Math.abs(x[base] - (1 - 0.485) / 0.229) < 1e-5);
  assert.ok(Math.abs(x[base + hw] - (0 - 0.456) / 0.224) < 1e-5);
  const nhwc = resolveModelOptions('torchvision', { layout: 'nhwc' });
  const y = new Float32Array(3 * hw);
  writeNormalised(rgb, nhwc, y, 0);
  assert.ok(Math.abs(y[0] - (1 - 0.485) / 0.229) < 1e-5);
  assert.ok(Math.abs(y[2] - (0 - 0.406) / 0.225) < 1e-5);
  for (const fit of ['contain', 'stretch'] as const) assert.equal((await decodeImage(file, { ...tv, fit })).length, 224 * 224 * 3);
});

test('transparent pixels are flattened onto the background colour (white), not black', async () => {
  const file = join(dir, 'clear.png');
  await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).toFile(file);
  const rgb = await decodeImage(file, plain);
  assert.deepEqual([rgb[0], rgb[1], rgb[2]], [255, 255, 255]);
});

test('a corrupt image is a DATA_PARSE error naming its path', async () => {
  const file = join(dir, 'img', 'broken.jpg');
  await assert.rejects(decodeImage(file, plain), (e) => isTailorError(e, 'DATA_PARSE') && e.location.file === file);
});

test('pooling: mean and max over H×W (NCHW and NHWC), cls token, flat copy', () => {
  // one image, 2 channels, 2×1 spatial
  const nchw = Float32Array.from([1, 3, 10, 20]);
  const out = new Float32Array(2);
  poolOutput(nchw, [1, 2, 2, 1], { pool: 'mean', outputLayout: 'nchw' }, out);
  assert.deepEqual([...out], [2, 15]);
  poolOutput(nchw, [1, 2, 2, 1], { pool: 'max', outputLayout: 'nchw' }, out);
  assert.deepEqual([...out], [3, 20]);
  const nhwc = Float32Array.from([1, 10, 3, 20]);
  poolOutput(nhwc, [1, 2, 1, 2], { pool: 'mean', outputLayout: 'nhwc' }, out);
  assert.deepEqual([...out], [2, 15]);
  poolOutput(Float32Array.from([7, 8, 1, 2]), [1, 2, 2], { pool: 'cls', outputLayout: 'nchw' }, out);
  assert.deepEqual([...out], [7, 8]);
  const flat = new Float32Array(4);
  poolOutput(nchw, [1, 2, 2, 1], { pool: 'none', outputLayout: 'nchw' }, flat);
  assert.deepEqual([...flat], [1, 3, 10, 20]);
});

test('embedImages runs an ONNX model in batches; a corrupt image is skipped and reported by path', async () => {
  const failures: string[] = [];
  const res = await embedImages(listImages(join(dir, 'img')), {
    model,
    modelOptions: plain,
    batchSize: 2,
    quiet: true,
    onFailure: (f) => failures.push(f.file),
  });
  assert.deepEqual(failures, [join(dir, 'img', 'broken.jpg')]);
  assert.deepEqual(res.ids, ['red', 'blue', 'green']);
  assert.equal(res.vectors.cols, 3);
  const v = (i: number) => [...res.vectors.data.subarray(i * 3, i * 3 + 3)].map((x) => Math.round(x * 100) / 100);
  assert.deepEqual(v(0), [1, 0, 0]);
  assert.deepEqual(v(1), [0, 0, 1]);
  assert.deepEqual(v(2), [0, 1, 0]);
});

test('embedImages with onError stop throws on the corrupt image', async () => {
  await assert.rejects(
    embedImages(listImages(join(dir, 'img')), { model, modelOptions: plain, batchSize: 8, quiet: true, onError: 'stop' }),
    (e) => isTailorError(e, 'DATA_PARSE') && /broken\.jpg/.test(e.message),
  );
});

test('a missing output tensor or wrong input size is a CONFIG_INVALID error', async () => {
  const list = listImages(join(dir, 'img')).slice(0, 1);
  await assert.rejects(embedImages(list, { model, modelOptions: { ...plain, output: '627' }, quiet: true }), (e) =>
    isTailorError(e, 'CONFIG_INVALID'),
  );
  await assert.rejects(embedImages(list, { model, modelOptions: { ...plain, size: 32, resizeShorter: 32 }, quiet: true }), (e) =>
    isTailorError(e, 'CONFIG_INVALID'),
  );
  assert.throws(
    () => resolveModelOptions('nope'),
    (e) => isTailorError(e, 'CONFIG_INVALID'),
  );
});

test('tailor embed writes a float32 .npy and the id list', async () => {
  const out = join(dir, 'out', 'v.npy');
  await buildCli().parseAsync(
    ['embed', '--images', join(dir, 'img'), '--model', model, '--out', out, '--size', '16', '--resize-shorter', '16'].concat([
      '--mean',
      '0,0,0',
      '--std',
      '1,1,1',
      '--output',
      'feat',
      '--quiet',
    ]),
    { from: 'user' },
  );
  const buf = readFileSync(out);
  assert.equal(buf.subarray(1, 6).toString('latin1'), 'NUMPY');
  const hlen = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + hlen).toString('latin1');
  assert.match(header, /'descr': '<f4'/);
  assert.match(header, /'shape': \(3, 3\)/);
  assert.equal((10 + hlen) % 64, 0);
  assert.equal(buf.length, 10 + hlen + 9 * 4);
  const v = new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + hlen, buf.byteOffset + buf.length));
  assert.ok(Math.abs(Math.hypot(v[0], v[1], v[2]) - 1) < 1e-5, 'L2-normalised by default');
  assert.equal(readFileSync(join(dir, 'out', 'v.ids.txt'), 'utf8'), 'red\nblue\ngreen\n');
});

test('neighbour agreement: clustered labels beat chance', () => {
  const data = Float32Array.from([0, 0, 0, 1, 10, 10, 10, 11]);
  const r = neighbourAgreement({ rows: 4, cols: 2, data }, ['a', 'a', 'b', 'b'], 1);
  assert.equal(r.agreement, 1);
  assert.ok(Math.abs(r.chance - 1 / 3) < 1e-9);
});

test('neighbour agreement on tfjs-wasm matches the plain loop', async () => {
  const rng = new Rng(5);
  const n = 60;
  const d = 16;
  const data = new Float32Array(n * d);
  const labels: (string | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    labels.push(i === 7 ? undefined : `c${c}`);
    for (let j = 0; j < d; j++) data[i * d + j] = (j === c ? 2 : 0) + rng.normal(0, 1);
  }
  const m = { rows: n, cols: d, data };
  const a = neighbourAgreementAt(m, labels, [1, 5]);
  const b = await neighbourAgreementTf(m, labels, [1, 5]);
  assert.equal(a[0].items, 59);
  for (let t = 0; t < 2; t++) assert.ok(Math.abs(a[t].agreement - b[t].agreement) < 1e-9, `${a[t].agreement} vs ${b[t].agreement}`);
  assert.ok(a[1].agreement > a[1].chance);
});
