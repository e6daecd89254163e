import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { aggregateRows, sparseAggregate } from '../../src/nn/tf/aggregate.js';
import { denseBlocks } from '../../src/nn/tf/dense.js';
import { loadTf } from '../../src/nn/tf/setup.js';
import { contrastiveLoss, contrastiveLossValue, type LossPairs } from '../../src/teacher/loss.js';

function rand(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** Central finite-difference check of d f / d x for a few coordinates. */
function fdCheck(f: (x: Float32Array) => number, x: Float32Array, grad: Float32Array, coords: number[], tol = 2e-2): void {
  for (const i of coords) {
    const h = 1e-2;
    const a = x.slice();
    a[i] += h;
    const b = x.slice();
    b[i] -= h;
    const fd = (f(a) - f(b)) / (2 * h);
    assert.ok(Math.abs(fd - grad[i]) <= tol * Math.max(1, Math.abs(fd)), `coord ${i}: analytic ${grad[i]} vs numeric ${fd}`);
  }
}

test('custom-gradient dense blocks, sparse aggregation and both contrastive losses match finite differences', async () => {
  const tf = await loadTf();
  const rng = new Rng(11);
  const index = { indptr: Int32Array.from([0, 2, 2, 5]), indices: Int32Array.from([0, 3, 1, 2, 3]) };
  const pairs: LossPairs = {
    u: Int32Array.from([0, 0, 1, 2]),
    v: Int32Array.from([1, 2, 2, 0]),
    positive: Uint8Array.from([1, 0, 1, 0]),
    coef: Float32Array.from([0.5, 0.5, 1, 0.3]),
  };
  for (const mode of ['mean', 'sum', 'max'] as const) {
    for (const loss of ['margin', 'difference'] as const) {
      const h = rand(rng, 4 * 5);
      const w0 = rand(rng, 5 * 3);
      const w1 = rand(rng, 5 * 3);
      const f = (hv: Float32Array, w0v: Float32Array) =>
        tf.tidy(() => {
          const H = tf.tensor2d(hv, [4, 5]);
          const self = tf.slice(H, [0, 0], [3, 5]);
          const m = sparseAggregate(tf, H, index, 3, mode);
          const z = denseBlocks(tf, [self, m], [tf.tensor2d(w0v, [5, 3]), tf.tensor2d(w1, [5, 3])], tf.zeros([3]), { relu: true });
          return contrastiveLoss(tf, z, pairs, loss, 2).dataSync()[0];
        });
      const grads = tf.tidy(() => {
        const g = tf.grads((...args) => {
          const [H, W0] = args as Array<ReturnType<typeof tf.tensor2d>>;
          const self = tf.slice(H, [0, 0], [3, 5]);
          const m = sparseAggregate(tf, H, index, 3, mode);
          const z = denseBlocks(tf, [self, m], [W0, tf.tensor2d(w1, [5, 3])], tf.zeros([3]), { relu: true });
          return contrastiveLoss(tf, z, pairs, loss, 2);
        })([tf.tensor2d(h, [4, 5]), tf.tensor2d(w0, [5, 3])]);
        return g.map((t) => t.dataSync() as Float32Array);
      });
      fdCheck((x) => f(x, w0), h, grads[0], [0, 4, 7, 13, 19]);
      fdCheck((x) => f(h, x), w0, grads[1], [0, 5, 9, 14]);
    }
  }
  // aggregateRows: an empty row is zeros; max keeps the winning source row
  const src = Float32Array.from([1, 5, 3, -1, 2, 2, 0, 0]);
  const arg = new Int32Array(3 * 2);
  const out = aggregateRows(src, 2, { indptr: Int32Array.from([0, 0, 2, 4]), indices: Int32Array.from([0, 1, 2, 3]) }, 3, 'max', arg);
  assert.deepEqual(Array.from(out), [0, 0, 3, 5, 2, 2]);
  assert.deepEqual(Array.from(arg), [-1, -1, 1, 0, 2, 2]);
  // the margin loss ignores negatives beyond the margin
  const far = contrastiveLossValue(
    Float32Array.from([0, 0, 10, 0]),
    2,
    { u: Int32Array.from([0]), v: Int32Array.from([1]), positive: Uint8Array.from([0]), coef: Float32Array.from([1]) },
    'margin',
    1,
  );
  assert.equal(far.loss, 0);
});

test('denseBlocks with compact row blocks equals the dense layer with zero rows, values and gradients', async () => {
  const tf = await loadTf();
  const rng = new Rng(5);
  const n = 7;
  const rows = Int32Array.from([1, 4, 5]);
  const x0 = rand(rng, n * 3);
  const compact = rand(rng, rows.length * 2);
  const full = new Float32Array(n * 2);
  rows.forEach((r, k) => {
    full.set(compact.subarray(k * 2, k * 2 + 2), r * 2);
  });
  const w0 = rand(rng, 3 * 4);
  const w1 = rand(rng, 2 * 4);
  const run = (sparse: boolean) =>
    tf.tidy(() => {
      const W0 = tf.tensor2d(w0, [3, 4]);
      const W1 = tf.tensor2d(w1, [2, 4]);
      const X1 = sparse ? tf.tensor2d(compact, [rows.length, 2]) : tf.tensor2d(full, [n, 2]);
      const f = (...args: ReturnType<typeof tf.tensor2d>[]) => {
        const y = denseBlocks(tf, [tf.tensor2d(x0, [n, 3]), args[2]], [args[0], args[1]], tf.zeros([4]), {
          relu: true,
          blockRows: sparse ? [undefined, rows] : undefined,
        });
        return contrastiveLoss(
          tf,
          y,
          { u: Int32Array.of(0, 1, 4), v: Int32Array.of(4, 5, 6), positive: Uint8Array.of(1, 0, 1), coef: Float32Array.of(1, 1, 1) },
          'margin',
          3,
        );
      };
      // biome-ignore lint/suspicious/noExplicitAny: tf.grads wants (...Tensor[]) => Tensor
      const g = tf.grads(f as any)([W0, W1, X1]);
      return g.map((t) => Array.from(t.dataSync() as Float32Array));
    });
  const a = run(true);
  const b = run(false);
  for (let i = 0; i < 2; i++)
    for (let k = 0; k < a[i].length; k++) assert.ok(Math.abs(a[i][k] - b[i][k]) < 1e-4, `grad ${i}[${k}]: ${a[i][k]} vs ${b[i][k]}`);
  rows.forEach((r, k) => {
    for (let c = 0; c < 2; c++) assert.ok(Math.abs(a[2][k * 2 + c] - b[2][r * 2 + c]) < 1e-4);
  });
});
