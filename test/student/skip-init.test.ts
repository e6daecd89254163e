import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { mlpForward } from '../../src/nn/mlp.js';
import { principalDirections, projectPrincipal } from '../../src/nn/tf/pca.js';
import { loadTf } from '../../src/nn/tf/setup.js';
import { procrustes, studentSizes, withContentSkip } from '../../src/student/skip-init.js';

function dist2(m: { cols: number; data: Float32Array }, i: number, j: number): number {
  let s = 0;
  for (let c = 0; c < m.cols; c++) s += (m.data[i * m.cols + c] - m.data[j * m.cols + c]) ** 2;
  return s;
}

test('principal directions are orthonormal and find the high-variance subspace', async () => {
  const tf = await loadTf();
  const rng = new Rng(4);
  const n = 500;
  const D = 10;
  // variance 9 on axes 0 and 1, 0.01 elsewhere
  const x = { rows: n, cols: D, data: Float32Array.from({ length: n * D }, (_, i) => rng.normal() * (i % D < 2 ? 3 : 0.1)) };
  const pc = principalDirections(
    tf,
    x,
    Int32Array.from({ length: n }, (_, i) => i),
    2,
    new Rng(1),
  );
  for (let a = 0; a < 2; a++)
    for (let b = 0; b < 2; b++) {
      let s = 0;
      for (let r = 0; r < D; r++) s += pc.dirs[r * 2 + a] * pc.dirs[r * 2 + b];
      assert.ok(Math.abs(s - (a === b ? 1 : 0)) < 1e-4, `column ${a}·${b} = ${s}`);
    }
  // nearly all of each direction lies on axes 0 and 1
  for (let a = 0; a < 2; a++) assert.ok(pc.dirs[0 * 2 + a] ** 2 + pc.dirs[1 * 2 + a] ** 2 > 0.99);
  const p = projectPrincipal(tf, x, pc);
  assert.equal(p.cols, 2);
  assert.ok(Math.abs(dist2(p, 0, 1) - dist2(x, 0, 1)) < 0.05 * dist2(x, 0, 1) + 0.2);
});

test('procrustes recovers a rotation and is orthogonal', () => {
  const rng = new Rng(5);
  const n = 200;
  const k = 3;
  const theta = 0.7;
  const rot = [Math.cos(theta), -Math.sin(theta), 0, Math.sin(theta), Math.cos(theta), 0, 0, 0, 1];
  const p = Float32Array.from({ length: n * k }, () => rng.normal());
  const z = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let b = 0; b < k; b++) for (let a = 0; a < k; a++) z[i * k + b] += p[i * k + a] * rot[a * k + b] * 2;
  const r = procrustes(p, z, n, k, k);
  for (let i = 0; i < k * k; i++) assert.ok(Math.abs(r[i] - rot[i]) < 1e-3, `R[${i}] = ${r[i]} vs ${rot[i]}`);
});

test('a student initialised with the content skip starts as a scaled map that keeps content distances', async () => {
  const tf = await loadTf();
  const rng = new Rng(6);
  const n = 300;
  const D = 6;
  const d = 6;
  const h = 5;
  const x = { rows: n, cols: D, data: Float32Array.from({ length: n * D }, () => rng.normal()) };
  const pc = principalDirections(
    tf,
    x,
    Int32Array.from({ length: n }, (_, i) => i),
    D,
    new Rng(2),
  );
  const rot = new Float32Array(D * d);
  for (let j = 0; j < D; j++) rot[j * d + j] = 1;
  const mlp = [
    { weight: Float32Array.from({ length: D * h }, () => rng.normal()), bias: new Float32Array(h) },
    { weight: new Float32Array(h * d), bias: Float32Array.from({ length: d }, () => rng.normal()) },
  ];
  const layers = withContentSkip(mlp, [D, h, d], pc, rot, 2);
  assert.deepEqual(
    layers.map((l) => l.weight.length),
    [D * (h + 2 * D), (h + 2 * D) * d],
  );
  const student = {
    layers: layers.map((l, i) => ({ inDim: i === 0 ? D : h + 2 * D, outDim: i === 0 ? h + 2 * D : d, weight: l.weight, bias: l.bias })),
  };
  const y = mlpForward(student, x);
  // k = D: the principal basis is complete, so distances are kept exactly, times the scale s = 2
  for (let t = 0; t < 20; t++) {
    const i = rng.int(n);
    const j = rng.int(n);
    assert.ok(Math.abs(dist2(y, i, j) - 4 * dist2(x, i, j)) < 1e-3 * (1 + dist2(x, i, j)), `pair ${i},${j}`);
  }
});

test('studentSizes gives the shipped width: 2·min(D, d) extra units per hidden layer with the skip only', () => {
  assert.deepEqual(studentSizes(512, [256], 64, 'pca'), [512, 384, 64]);
  assert.deepEqual(studentSizes(512, [256, 128], 64, 'pca'), [512, 384, 256, 64]);
  assert.deepEqual(studentSizes(32, [256], 64, 'pca'), [32, 320, 64]);
  assert.deepEqual(studentSizes(512, [256], 64, 'none'), [512, 256, 64]);
  assert.deepEqual(studentSizes(512, [], 64, 'pca'), [512, 64]);
});
