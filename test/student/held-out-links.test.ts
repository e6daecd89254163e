import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { heldOutLinks, linkCheckAuc, linkCheckRecall } from '../../src/student/held-out-links.js';
import { graphFromPairs } from '../../src/train/cold-start.js';

test('held-out link check: links at held-out items, scored by AUC against random items and by recall@k', () => {
  const n = 200;
  // item 2i and 2i+1 are co-purchased
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i += 2) pairs.push([i, i + 1, 1]);
  const g = graphFromPairs(n, pairs, 3);
  const heldOut = Int32Array.from({ length: 30 }, (_, i) => 2 * i);
  const check = heldOutLinks(g, heldOut, [0, 0, 0, 1], new Rng(1), { negPer: 5 });
  assert.ok(check);
  assert.equal(check.relation, 3);
  assert.equal(check.u.length, 30);
  for (let e = 0; e < check.u.length; e++) assert.equal(check.v[e], check.u[e] + 1);
  // a space where linked items coincide and pairs sit far apart: perfect on both measures
  const good = new Float32Array(n);
  for (let i = 0; i < n; i++) good[i] = Math.floor(i / 2) * 10;
  const row = (space: Float32Array) => Float32Array.from(check.items, (it) => space[it]);
  assert.equal(linkCheckAuc(check, row(good), 1, n), 1);
  assert.equal(linkCheckRecall(check, good, 1, n, 1), 1);
  // a space that puts every linked item far away and other items close: recall 0
  const bad = Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i : 1e6 + i));
  assert.equal(linkCheckRecall(check, bad, 1, n, 10), 0);
  assert.ok(linkCheckAuc(check, row(bad), 1, n) < 0.5);
});
