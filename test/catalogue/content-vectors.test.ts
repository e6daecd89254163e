import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveContentVectors, imputeMissingVectors } from '../../src/catalogue/content-vectors.js';
import { squaredDistance } from '../../src/core/matrix.js';
import { EventLog } from '../../src/events/event-log.js';

const row = (m: { cols: number; data: Float32Array }, i: number) => m.data.subarray(i * m.cols, (i + 1) * m.cols);

test('attribute vectors: deterministic by seed, unit norm, items sharing more attribute values are closer', () => {
  const ids = ['a', 'b', 'c', 'd'];
  const attributes = new Map<string, (string | undefined)[]>([
    ['type', ['dress', 'dress', 'dress', undefined]],
    ['colour', ['red', 'red', 'blue', undefined]],
  ]);
  const d1 = deriveContentVectors({ ids, dim: 32, method: 'attributes', attributes, seed: 1 });
  const d2 = deriveContentVectors({ ids, dim: 32, method: 'attributes', attributes, seed: 1 });
  assert.deepEqual(d1.vectors.data, d2.vectors.data);
  assert.equal(d1.fromAttributes, 3);
  assert.equal(d1.fromIdOnly, 1, 'd has no attributes: a unique id-seeded vector');
  const v = d1.vectors;
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(squaredDistance(row(v, i), new Float32Array(32)) - 1) < 1e-5);
  assert.ok(squaredDistance(row(v, 0), row(v, 1)) < 1e-9, 'identical attributes → identical vectors');
  assert.ok(squaredDistance(row(v, 0), row(v, 2)) < squaredDistance(row(v, 0), row(v, 3)));
});

test('interaction vectors use only events before the cutoff; co-interacted items end up close', () => {
  const log = new EventLog();
  // u1..u5 all view x and y; z is seen by different users; w only after the cutoff.
  for (let u = 0; u < 5; u++) {
    log.push(`u${u}`, 'x', 'click', 1000 + u);
    log.push(`u${u}`, 'y', 'purchase', 1100 + u);
    log.push(`v${u}`, 'z', 'click', 1200 + u);
  }
  log.push('u1', 'w', 'click', 5000);
  const d = deriveContentVectors({ ids: log.items.ids, dim: 64, method: 'both', log, before: 2000, seed: 3 });
  const v = d.vectors;
  const [x, y, z, w] = ['x', 'y', 'z', 'w'].map((id) => log.items.get(id)!);
  assert.equal(d.fromInteractions, 3);
  assert.equal(d.fromIdOnly, 1);
  assert.ok(squaredDistance(row(v, x), row(v, y)) < 1e-9);
  assert.ok(squaredDistance(row(v, x), row(v, z)) > 0.5);
  for (const k of v.data) assert.ok(Number.isFinite(k));
  assert.ok(squaredDistance(row(v, w), new Float32Array(64)) > 0.99);
});

test('imputation fills missing rows from items sharing attribute values, else the global mean', () => {
  const m = { rows: 4, cols: 2, data: new Float32Array([1, 0, 0, 1, 9, 9, 9, 9]) };
  const has = new Uint8Array([1, 1, 0, 0]);
  const attrs = new Map<string, (string | undefined)[]>([['type', ['dress', 'shirt', 'dress', 'hat']]]);
  assert.equal(imputeMissingVectors(m, has, attrs), 2);
  assert.deepEqual([...row(m, 2)], [1, 0]);
  assert.deepEqual([...row(m, 3)], [0.5, 0.5]);
});
