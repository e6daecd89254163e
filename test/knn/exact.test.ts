import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { exactKnn } from '../../src/knn/exact.js';

test('exact k-NN returns the k nearest rows in order, honouring stock, exclusions and filters', () => {
  const rng = new Rng(11);
  const n = 500;
  const d = 8;
  const data = Float32Array.from({ length: n * d }, () => rng.normal());
  const query = Float32Array.from({ length: d }, () => rng.normal());
  const allowed = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i += 3) allowed[i] = 0;
  const exclude = new Set([1, 2, 4]);
  const filter = (i: number) => i % 5 !== 0;
  const hits = exactKnn({ data, rows: n, dim: d, query, k: 10, allowed, exclude, filter });
  const brute = [];
  for (let i = 0; i < n; i++) {
    if (!allowed[i] || exclude.has(i) || !filter(i)) continue;
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j] - query[j]) ** 2;
    brute.push({ index: i, dist: s });
  }
  brute.sort((a, b) => a.dist - b.dist);
  assert.deepEqual(
    hits.map((h) => h.index),
    brute.slice(0, 10).map((b) => b.index),
  );
  assert.equal(exactKnn({ data, rows: n, dim: d, query, k: 0 }).length, 0);
  assert.equal(exactKnn({ data, rows: 3, dim: d, query, k: 10 }).length, 3);
});

test('int8 scan + exact re-rank finds the exact top 10 on rotated data (recall@10 = 1 here)', async () => {
  const { quantize, quantizedKnn } = await import('../../src/knn/quantized.js');
  const rng = new Rng(5);
  const n = 3000;
  const d = 16;
  // decreasing variance per coordinate, as after the variance rotation
  const data = Float32Array.from({ length: n * d }, (_, x) => rng.normal(0, 1 / (1 + (x % d) / 4)));
  const q = quantize(data, n, d, 12);
  assert.equal(q.codes.length, n * 12);
  let found = 0;
  for (let t = 0; t < 50; t++) {
    const query = Float32Array.from({ length: d }, (_, j) => rng.normal(0, 1 / (1 + j / 4)));
    const exact = exactKnn({ data, rows: n, dim: d, query, k: 10 }).map((h) => h.index);
    const approx = quantizedKnn({ q, query, k: 10, candidates: 64, exactRow: (i, out) => out.set(data.subarray(i * d, (i + 1) * d)) });
    assert.equal(approx.length, 10);
    for (let r = 1; r < approx.length; r++) assert.ok(approx[r - 1].dist <= approx[r].dist);
    found += approx.filter((h) => exact.includes(h.index)).length;
  }
  assert.ok(found / 500 >= 0.98, `recall@10 ${found / 500}`);
});

test('the WASM SIMD scan kernel gives the same answers as the TypeScript scan', async () => {
  const { quantize, quantizedKnn } = await import('../../src/knn/quantized.js');
  const { WasmArena } = await import('../../src/kernels/arena.js');
  const arena = WasmArena.get();
  assert.ok(arena, 'WASM SIMD with shared memory is available on Node 20');
  const rng = new Rng(8);
  const n = 2000;
  const d = 32;
  const data = Float32Array.from({ length: n * d }, () => rng.normal());
  const at = arena.alloc(n * d) as number;
  const q = quantize(data, n, d, d, arena.int8(at, n * d));
  const plain = { ...q, arenaOffset: undefined };
  const withKernel = { ...q, arenaOffset: at };
  const allowed = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i += 4) allowed[i] = 0;
  for (let t = 0; t < 20; t++) {
    const query = Float32Array.from({ length: d }, () => rng.normal());
    const exactRow = (i: number, out: Float32Array) => out.set(data.subarray(i * d, (i + 1) * d));
    const a = quantizedKnn({ q: plain, query, k: 10, candidates: 40, exactRow, allowed });
    const b = quantizedKnn({ q: withKernel, query, k: 10, candidates: 40, exactRow, allowed });
    assert.deepEqual(
      b.map((h) => h.index),
      a.map((h) => h.index),
    );
  }
  arena.release(at, n * d);
});
