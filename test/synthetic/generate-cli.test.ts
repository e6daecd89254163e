import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerGenerate } from '../../src/cli/commands/generate.js';
import { isTailorError } from '../../src/core/errors.js';

function cli(): Command {
  const program = new Command('tailor').exitOverride();
  registerGenerate(program);
  return program;
}

test('tailor generate writes a world with the given sizes and seed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-generate-'));
  try {
    const args = ['--items', '120', '--users', '40', '--weeks', '1', '--dim', '8', '--seed', '5', '--start', '2025-03-03'];
    await cli().parseAsync(['node', 'tailor', 'generate', '--out', dir, ...args, '--no-thumbnails', '--quiet']);
    assert.deepEqual(readdirSync(dir).sort(), ['events.csv', 'items.csv', 'vectors.ids.txt', 'vectors.npy', 'world.json']);
    const meta = JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8'));
    assert.equal(meta.params.items, 120);
    assert.equal(meta.params.users, 40);
    assert.equal(meta.params.seed, 5);
    assert.equal(meta.params.startTime, Date.UTC(2025, 2, 3));
    assert.equal(meta.summary.users, 40);
    assert.equal(meta.files.thumbnails, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tailor generate rejects bad numbers with the option named', async () => {
  for (const [flag, value] of [
    ['--items', 'many'],
    ['--users', '0'],
    ['--weeks', '2.5'],
    ['--start', 'someday'],
  ]) {
    await assert.rejects(
      cli().parseAsync(['node', 'tailor', 'generate', '--out', join(tmpdir(), 'never-written'), flag, value, '--quiet']),
      (e: unknown) => isTailorError(e, 'CONFIG_INVALID') && String(e.location.field).includes(flag.slice(2)),
      `${flag} ${value}`,
    );
  }
  // An output folder that cannot be created fails before any generation work.
  const file = join(mkdtempSync(join(tmpdir(), 'tailor-generate-')), 'a-file');
  writeFileSync(file, '');
  try {
    await assert.rejects(
      cli().parseAsync(['node', 'tailor', 'generate', '--out', join(file, 'world'), '--quiet']),
      (e: unknown) => isTailorError(e, 'CONFIG_INVALID') && e.location.field === 'out',
    );
  } finally {
    rmSync(dirname(file), { recursive: true, force: true });
  }
});
