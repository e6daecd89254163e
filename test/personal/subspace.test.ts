import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { packInt8Columns, unpackInt8Columns } from '../../src/personal/int8-columns.js';
import { initDelta, personalRow } from '../../src/personal/low-rank.js';
import { correctionRows, deltaSubspace } from '../../src/personal/subspace.js';

/** ‖p_i − q‖² from the exact personal row, and from the global row plus the rank-r correction. */
function check(h: number, d: number, r: number, seed: number): void {
  const rng = new Rng(seed);
  const delta = initDelta(h, d, r, rng);
  for (let i = 0; i < delta.a.length; i++) delta.a[i] = rng.normal(0, 0.3);
  const n = 40;
  const basis = Float32Array.from({ length: n * h }, () => Math.max(0, rng.normal()));
  const pg = Float32Array.from({ length: n * d }, () => rng.normal());
  const query = Float32Array.from({ length: d }, () => rng.normal());
  const sub = deltaSubspace(delta);
  // Q has orthonormal (or zero) rows
  for (let k = 0; k < r; k++)
    for (let l = 0; l < r; l++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += sub.q[k * d + j] * sub.q[l * d + j];
      if (k !== l) assert.ok(Math.abs(dot) < 1e-5, `rows ${k}, ${l} orthogonal`);
      else assert.ok(Math.abs(dot - 1) < 1e-5 || Math.abs(dot) < 1e-9, `row ${k} unit or zero`);
    }
  const u = new Float32Array(n * r);
  const s = new Float32Array(n);
  correctionRows(basis, pg, sub, h, 0, n, u, s);
  const qq = new Float64Array(r);
  for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) qq[k] += sub.q[k * d + j] * query[j];
  const row = new Float32Array(d);
  for (let i = 0; i < n; i++) {
    personalRow(basis.subarray(i * h, (i + 1) * h), pg.subarray(i * d, (i + 1) * d), delta, row);
    let exact = 0;
    let global = 0;
    for (let j = 0; j < d; j++) {
      exact += (row[j] - query[j]) ** 2;
      global += (pg[i * d + j] - query[j]) ** 2;
    }
    let corr = s[i];
    for (let k = 0; k < r; k++) corr -= 2 * u[i * r + k] * qq[k];
    assert.ok(Math.abs(global + corr - exact) <= 1e-3 * Math.max(1, exact), `row ${i}: ${global + corr} ≉ ${exact}`);
  }
}

test('a personal distance is the global one plus a rank-r correction (‖p−q‖² = ‖g−q‖² + s − 2u·Qq)', () => {
  check(24, 16, 4, 1);
  check(32, 16, 8, 2);
  // more rank than output dimensions: B's rows are dependent, Q gets zero rows, the identity still holds
  check(12, 4, 8, 3);
});

test('int8 column packing: small error, and re-packing unpacked values gives the same codes', () => {
  const rng = new Rng(4);
  const m = Float32Array.from({ length: 30 * 8 }, (_, i) => rng.normal(0, 1 + (i % 8)));
  const p = packInt8Columns(m, 30, 8);
  const back = unpackInt8Columns(p, 30, 8);
  for (let i = 0; i < m.length; i++) assert.ok(Math.abs(back[i] - m[i]) <= p.scale[i % 8] / 2 + 1e-6);
  assert.deepEqual(packInt8Columns(back, 30, 8).codes, p.codes);
  assert.deepEqual([...unpackInt8Columns(packInt8Columns(new Float32Array(4), 2, 2), 2, 2)], [0, 0, 0, 0]);
});
