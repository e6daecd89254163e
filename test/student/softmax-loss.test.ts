import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { type SoftmaxPairs, softmaxLinkLossValue } from '../../src/student/softmax-loss.js';

test('softmax link loss: gradient matches finite differences; the anchor and copies of its positive are never negatives', () => {
  const rng = new Rng(5);
  const d = 3;
  // rows 0-1 anchors, 2-3 their positives, 4-6 other candidates; row 6 is another copy of item 12 (row 2's item)
  const p: SoftmaxPairs = {
    anchor: Int32Array.from([0, 1]),
    positive: Int32Array.from([2, 3]),
    candidates: Int32Array.from([2, 3, 4, 5, 6]),
    item: Int32Array.from([10, 11, 12, 13, 14, 10, 12]),
    coef: Float32Array.from([0.7, 1.3]),
  };
  const z = Float32Array.from({ length: 7 * d }, () => rng.normal());
  const tau = 0.8;
  const { loss, grad } = softmaxLinkLossValue(z, d, p, tau);
  assert.ok(loss > 0 && Number.isFinite(loss));
  for (let i = 0; i < z.length; i++) {
    const h = 1e-3;
    const a = z.slice();
    a[i] += h;
    const b = z.slice();
    b[i] -= h;
    const fd = (softmaxLinkLossValue(a, d, p, tau).loss - softmaxLinkLossValue(b, d, p, tau).loss) / (2 * h);
    assert.ok(Math.abs(fd - grad[i]) <= 1e-2 * Math.max(1, Math.abs(fd)), `coord ${i}: analytic ${grad[i]} vs numeric ${fd}`);
  }
  // row 5 is anchor 0's own item and row 6 a copy of its positive: neither enters anchor 0's softmax, so moving them
  // changes only anchor 1's term; with anchor 1's coefficient at 0 they get no gradient at all
  const only0 = softmaxLinkLossValue(z, d, { ...p, coef: Float32Array.from([1, 0]) }, tau);
  for (const r of [5, 6]) for (let c = 0; c < d; c++) assert.equal(only0.grad[r * d + c], 0);
  // a positive far closer than every candidate costs almost nothing
  const near = Float32Array.from([0, 0, 0, 0, 0, 0, 0.01, 0, 0, 0, 0, 0, 5, 0, 0, -5, 0, 0, 0, 5, 0]);
  const one: SoftmaxPairs = { ...p, anchor: Int32Array.from([0]), positive: Int32Array.from([2]), coef: Float32Array.from([1]) };
  assert.ok(softmaxLinkLossValue(near, d, { ...one, candidates: Int32Array.from([2, 4, 5]) }, 0.1).loss < 1e-6);
});
