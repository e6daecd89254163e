import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadArtifact } from '../../src/artifact/store.js';
import { parseWindow } from '../../src/cli/commands/train.js';
import { buildCli } from '../../src/cli/main.js';
import { isTailorError } from '../../src/core/errors.js';
import { TYPE_CODE } from '../../src/core/types.js';
import { tinyWorld } from './tiny-world.js';

let dir = '';
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('tailor train: Taobao-layout file in, artifact directory and JSON summary out', async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailor-cli-train-'));
  const w = tinyWorld({ items: 150, users: 200 });
  const names = ['pv', 'fav', 'cart', 'buy'];
  const lines: string[] = [];
  for (const e of w.log)
    lines.push(
      `${e.user.slice(5)},${e.item.slice(5)},${Number(e.item.slice(5)) % 6},${names[TYPE_CODE[e.type]]},${Math.floor(e.timestamp / 1000)}`,
    );
  const file = join(dir, 'events.csv');
  await writeFile(file, `${lines.join('\n')}\n`);
  const cfg = join(dir, 'config.json');
  await writeFile(cfg, JSON.stringify({ teacher: { hidden: [16], outDim: 8 }, student: { hidden: [16], epochs: 3 } }));
  const out = join(dir, 'model');
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => {
    chunks.push(String(s));
    return true;
  }) as typeof process.stdout.write;
  try {
    await buildCli().parseAsync([
      'node',
      'tailor',
      'train',
      file,
      '--format',
      'taobao',
      '--out',
      out,
      '--epochs',
      '2',
      '--config',
      cfg,
      '--json',
    ]);
  } finally {
    process.stdout.write = write;
  }
  const summary = JSON.parse(chunks.join(''));
  assert.equal(summary.embeddingDim, 8);
  assert.equal(summary.metrics.teacherEpochs, 2);
  const a = await loadArtifact(out);
  assert.equal(a.version, summary.version);
  assert.equal(a.student.layers.at(-1)?.outDim, 8);
});

test('parseWindow: START..END, default last days, bad input is CONFIG_INVALID', () => {
  const day = 86_400_000;
  assert.deepEqual(parseWindow('2026-01-05..2026-01-12', 7, undefined), { start: Date.UTC(2026, 0, 5), end: Date.UTC(2026, 0, 12) });
  assert.deepEqual(parseWindow(undefined, 7, { start: 0, end: 30 * day }), { start: 23 * day + 1, end: 30 * day + 1 });
  assert.throws(
    () => parseWindow('2026-01-12..2026-01-05', 7, undefined),
    (e) => isTailorError(e, 'CONFIG_INVALID'),
  );
});
