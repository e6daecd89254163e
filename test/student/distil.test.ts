import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import { Rng } from '../../src/core/rng.js';
import { mlpForward } from '../../src/nn/mlp.js';
import { loadTf } from '../../src/nn/tf/setup.js';
import { distilStudent, projectAll } from '../../src/student/distil.js';
import { alignmentError } from '../../src/train/metrics.js';

test('distilStudent learns a content → embedding map that generalises to items it never saw', async () => {
  const tf = await loadTf();
  const rng = new Rng(3);
  const n = 600;
  const D = 12;
  const d = 4;
  const A = Float32Array.from({ length: D * d }, () => rng.normal() / Math.sqrt(D));
  const x = { rows: n, cols: D, data: Float32Array.from({ length: n * D }, () => rng.normal()) };
  const z = { rows: n, cols: d, data: new Float32Array(n * d) };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < D; k++) s += x.data[i * D + k] * A[k * d + j];
      z.data[i * d + j] = Math.tanh(s);
    }
  const cfg = loadConfig({ student: { hidden: [32], epochs: 60, batchSize: 64 } }, {}).student;
  const s = await distilStudent(tf, x, z, { ...cfg, contrastiveWeight: 0 }, { seed: 1, quiet: true });
  let variance = 0;
  for (const v of z.data) variance += v * v;
  variance /= n;
  assert.ok(s.heldOutAlignment < 0.2 * variance, `held-out alignment ${s.heldOutAlignment} vs target variance ${variance}`);
  // the tfjs projection equals the reference forward pass of the exported weights (in×out row-major layout)
  const fast = projectAll(tf, s.student, x);
  const ref = mlpForward(s.student, x);
  assert.ok(alignmentError(fast, ref) < 1e-8);
  assert.ok(Math.abs(alignmentError(ref, z, s.heldOutItems) - s.heldOutAlignment) < 1e-4);
});
