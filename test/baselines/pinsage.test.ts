import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PinSageRecommender } from '../../src/baselines/pinsage.js';
import { smallWorld } from '../recommender/small-world.js';

test('PinSage: max-margin loss falls and users are served from their taste cluster', async () => {
  const w = smallWorld({ items: 80, users: 40 });
  const m = new PinSageRecommender({ epochs: 8, hidden: 16, dim: 16, batchSize: 64, lr: 0.01 });
  await m.fit(w.train);
  assert.ok(m.losses[m.losses.length - 1] < m.losses[0], `loss ${m.losses[0]} → ${m.losses[m.losses.length - 1]}`);
  let inTaste = 0;
  let total = 0;
  for (let u = 0; u < 40; u++) {
    for (const s of (await m.recommend(`user-${u}`, { k: 5 })).items) {
      total++;
      if (w.clusterOf(s.item) === u % 4) inTaste++;
    }
  }
  assert.ok(inTaste / total > 0.5, `in-taste share ${inTaste / total}`);
});

test('PinSage convolution: hand-written gradients match finite differences', async () => {
  const { forwardLayer, backwardLayer, newLayer, zeroGrads } = await import('../../src/baselines/pinsage.js');
  const { Rng } = await import('../../src/core/rng.js');
  const rng = new Rng(3);
  const l = newLayer(5, 4, 3, rng);
  for (const p of [l.q, l.w]) for (let i = 0; i < p.length; i++) p[i] = rng.normal(0, 0.3);
  const S = 6;
  const T = 3;
  const H = Float32Array.from({ length: S * 5 }, () => rng.normal());
  const nb = { ptr: Int32Array.from([0, 2, 4, 5]), idx: Int32Array.from([3, 4, 5, 0, 1]), w: Float32Array.from([0.5, 0.5, 0.7, 0.3, 1]) };
  const R = Float32Array.from({ length: T * 3 }, () => rng.normal());
  const f = () => forwardLayer(l, H, S, T, nb).out.reduce((s, v, i) => s + v * R[i], 0);
  const g = zeroGrads(l);
  const dH = backwardLayer(l, forwardLayer(l, H, S, T, nb), R, g, true)!;
  let maxErr = 0;
  const numeric = (p: Float32Array, i: number) => {
    const o = p[i];
    p[i] = o + 1e-3;
    const a = f();
    p[i] = o - 1e-3;
    const b = f();
    p[i] = o;
    return (a - b) / 2e-3;
  };
  [l.Q, l.q, l.W, l.w].forEach((p, k) => {
    for (let i = 0; i < p.length; i++) maxErr = Math.max(maxErr, Math.abs(numeric(p, i) - g[k][i]));
  });
  for (let i = 0; i < H.length; i++) maxErr = Math.max(maxErr, Math.abs(numeric(H, i) - dH[i]));
  assert.ok(maxErr < 1e-3, `max gradient error ${maxErr}`);
});
