import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { stepsFor, weightedCentroid } from '../../src/personal/centroid.js';
import { emaOfRows, emaUpdate } from '../../src/personal/ema.js';
import { initDelta, projectOne, projectRows } from '../../src/personal/low-rank.js';
import { adaptDelta, tripletLoss } from '../../src/personal/triplet.js';

const close = (a: number, b: number, eps = 1e-5) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

test('eq. 5: EMA of projections, first event sets the vector', () => {
  const e = new Float32Array(2);
  emaUpdate(e, [2, 4], 0.5, true);
  assert.deepEqual([...e], [2, 4]);
  emaUpdate(e, [4, 0], 0.5, false); // 0.5·(4,0) + 0.5·(2,4) = (3,2)
  assert.deepEqual([...e], [3, 2]);
  emaUpdate(e, [0, 0], 0.25, false); // 0.75·(3,2)
  close(e[0], 2.25);
  close(e[1], 1.5);
  const replay = emaOfRows(Float32Array.from([2, 4, 4, 0]), 2, 2, 0.5);
  assert.deepEqual([...replay], [3, 2]);
});

test('eq. 6: interaction-weighted centroid in content space', () => {
  // a click (w=1) on (0,0,3) and a purchase (w=4) on (5,0,-2): ((0,0,3) + 4·(5,0,-2)) / 5 = (4, 0, -1)
  const c = weightedCentroid(Float32Array.from([0, 0, 3, 5, 0, -2]), [1, 4], 3);
  close(c[0], 4);
  close(c[1], 0);
  close(c[2], -1);
  // zero weights fall back to the plain mean
  const m = weightedCentroid(Float32Array.from([2, 4]), [0, 0], 1);
  close(m[0], 3);
});

test('steps grow with interaction weights and stay within [minSteps, maxSteps]', () => {
  assert.equal(stepsFor([1, 1, 1], 1, 3, 30), 3);
  assert.equal(stepsFor([4, 4, 4], 1, 3, 30), 12);
  assert.equal(stepsFor([1, 4], 1, 3, 30), 8); // mean 2.5 → 7.5 → 8
  assert.equal(stepsFor([4], 1, 10, 30), 30);
});

test('eq. 7: triplet loss on hand-computed points', () => {
  const anchor = Float32Array.from([0, 0]);
  const pos = Float32Array.from([1, 0, 0, 2]); // squared distances 1 and 4
  const neg = Float32Array.from([3, 0]); // squared distance 9
  // margin 1: max(0, 1-9+1) = 0, max(0, 4-9+1) = 0 → 0; margin 6: (1-9+6 → 0) + (4-9+6 = 1) → 1/2
  close(tripletLoss(anchor, pos, neg, 1), 0);
  close(tripletLoss(anchor, pos, neg, 6), 0.5);
  // margin 10: (2 + 5)/2
  close(tripletLoss(anchor, pos, neg, 10), 3.5);
  // ∞ (or no negatives): pull positives only, mean squared distance (1 + 4)/2
  close(tripletLoss(anchor, pos, neg, Number.POSITIVE_INFINITY), 2.5);
  close(tripletLoss(anchor, pos, new Float32Array(0), 1), 2.5);
});

test('eq. 7 through the low-rank last layer: analytic gradient matches finite differences, SGD lowers the loss', () => {
  const rng = new Rng(7);
  const h = 6;
  const d = 4;
  const r = 2;
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const weight = rand(h * d);
  const bias = rand(d);
  const anchor = rand(h);
  const pos = rand(2 * h);
  const neg = rand(3 * h);
  const delta = initDelta(h, d, r, rng);
  for (let i = 0; i < delta.a.length; i++) delta.a[i] = rng.normal(0, 0.3);
  const margin = 50;
  const lossAt = (dl: typeof delta) => {
    const proj = (src: Float32Array, n: number) => {
      const out = new Float32Array(n * d);
      for (let t = 0; t < n; t++) out.set(projectOne(src.subarray(t * h, (t + 1) * h), weight, bias, dl, new Float32Array(d)), t * d);
      return out;
    };
    return tripletLoss(proj(anchor, 1), proj(pos, 2), proj(neg, 3), margin);
  };
  // one SGD step with lr ε moves the loss by ≈ −ε‖∇‖²; compare with the numeric gradient
  const eps = 1e-3;
  const numGrad: number[] = [];
  for (const arr of [delta.a, delta.b])
    for (let i = 0; i < arr.length; i++) {
      const keep = arr[i];
      arr[i] = keep + eps;
      const up = lossAt(delta);
      arr[i] = keep - eps;
      const down = lossAt(delta);
      arr[i] = keep;
      numGrad.push((up - down) / (2 * eps));
    }
  const lr = 1e-4;
  const copy = { ...delta, a: delta.a.slice(), b: delta.b.slice() };
  const { lossBefore, lossAfter } = adaptDelta(copy, { anchor, pos, neg, weight, steps: 1, lr, weightDecay: 0, margin });
  close(lossBefore, lossAt(delta), 1e-3);
  const moved = [...copy.a.map((v, i) => (delta.a[i] - v) / lr), ...copy.b.map((v, i) => (delta.b[i] - v) / lr)];
  for (let i = 0; i < moved.length; i++) close(moved[i], numGrad[i], 2e-2 * Math.max(1, Math.abs(numGrad[i])));
  assert.ok(lossAfter < lossBefore);
  // many steps keep lowering it
  const many = adaptDelta(
    { ...delta, a: delta.a.slice(), b: delta.b.slice() },
    { anchor, pos, neg, weight, steps: 50, lr: 1e-3, weightDecay: 0, margin },
  );
  assert.ok(many.lossAfter < many.lossBefore * 0.9, `${many.lossAfter} vs ${many.lossBefore}`);
});

test('eq. 7 SGD backtracks: a learning rate far too large never raises the loss nor breaks the delta', () => {
  const rng = new Rng(11);
  const h = 8;
  const d = 4;
  const rand = (n: number, s = 1) => Float32Array.from({ length: n }, () => rng.normal(0, s));
  const weight = rand(h * d);
  const delta = initDelta(h, d, 2, rng);
  const input = { anchor: rand(h), pos: rand(3 * h), neg: rand(4 * h), weight, steps: 40, weightDecay: 0, margin: 5 };
  for (const lr of [0.1, 10, 1e4]) {
    const copy = { ...delta, a: delta.a.slice(), b: delta.b.slice() };
    const { lossBefore, lossAfter } = adaptDelta(copy, { ...input, lr });
    assert.ok(Number.isFinite(lossAfter) && lossAfter <= lossBefore, `lr ${lr}: ${lossAfter} vs ${lossBefore}`);
    assert.ok([...copy.a, ...copy.b].every(Number.isFinite), `lr ${lr}: finite weights`);
  }
});

test('projectRows equals the global projection plus (H·A)·B', () => {
  const rng = new Rng(3);
  const h = 5;
  const d = 3;
  const n = 4;
  const basis = Float32Array.from({ length: n * h }, () => rng.normal());
  const weight = Float32Array.from({ length: h * d }, () => rng.normal());
  const bias = Float32Array.from({ length: d }, () => rng.normal());
  const delta = initDelta(h, d, 2, rng);
  for (let i = 0; i < delta.a.length; i++) delta.a[i] = rng.normal();
  const pg = new Float32Array(n * d);
  for (let i = 0; i < n; i++) pg.set(projectOne(basis.subarray(i * h, (i + 1) * h), weight, bias, null, new Float32Array(d)), i * d);
  const out = new Float32Array(n * d);
  projectRows(basis, pg, delta, 0, n, out);
  for (let i = 0; i < n; i++) {
    const ref = projectOne(basis.subarray(i * h, (i + 1) * h), weight, bias, delta, new Float32Array(d));
    for (let j = 0; j < d; j++) close(out[i * d + j], ref[j], 1e-4);
  }
});

test('half-precision packing of idle deltas round-trips within 2^-11 relative error', async () => {
  const { packHalf, unpackHalf, toHalfBits, fromHalfBits } = await import('../../src/personal/half.js');
  assert.equal(toHalfBits(1), 0x3c00);
  assert.equal(toHalfBits(-2), 0xc000);
  assert.equal(fromHalfBits(0x3555), 0.333251953125);
  assert.equal(fromHalfBits(toHalfBits(1e6)), Number.POSITIVE_INFINITY);
  assert.equal(fromHalfBits(toHalfBits(2 ** -24)), 2 ** -24);
  const rng = new Rng(2);
  const a = Float32Array.from({ length: 1000 }, () => rng.normal(0, 0.05));
  const b = unpackHalf(packHalf(a));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= Math.abs(a[i]) * 2 ** -11 + 6e-8, `${a[i]} vs ${b[i]}`);
});
