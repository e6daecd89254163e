import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { TailorError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';

test('Rng is deterministic by seed and differs across seeds', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.next()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => c.next()),
  );
  for (const x of xs) assert.ok(x >= 0 && x < 1);
});

test('Rng.normal has roughly zero mean and unit variance', () => {
  const r = new Rng(1);
  let s = 0;
  let s2 = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const v = r.normal();
    s += v;
    s2 += v * v;
  }
  assert.ok(Math.abs(s / n) < 0.03);
  assert.ok(Math.abs(s2 / n - 1) < 0.05);
});

test('config has documented defaults, reads environment variables and names a bad field', () => {
  const c = loadConfig({}, {});
  assert.equal(c.online.adaptEvery, 5);
  assert.equal(c.teacher.outDim, 64);
  assert.equal(c.storage.store, 'sqlite:./var/tailor.db');
  const e = loadConfig({}, { TAILOR_PORT: '9999', TAILOR_API_KEYS: 'abcdefgh1,abcdefgh2' });
  assert.equal(e.server.port, 9999);
  assert.deepEqual(e.server.apiKeys, ['abcdefgh1', 'abcdefgh2']);
  assert.throws(
    () => loadConfig({ online: { alpha: 2 } }, {}),
    (err: unknown) => err instanceof TailorError && err.code === 'CONFIG_INVALID' && err.location.field === 'online.alpha',
  );
  assert.throws(() => loadConfig({}, { TAILOR_PORT: 'eighty' }), /TAILOR_PORT/);
});

test('TailorError names file, line and field', () => {
  const e = new TailorError('DATA_FIELD', 'unknown behaviour "zap"', { file: 'a.csv', line: 3, field: 'behavior' });
  assert.equal(e.status, 400);
  assert.match(e.message, /a\.csv:3, field "behavior": unknown behaviour/);
});
