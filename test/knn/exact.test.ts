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
