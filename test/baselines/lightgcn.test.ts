import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LightGcnRecommender } from '../../src/baselines/lightgcn.js';
import { smallWorld } from '../recommender/small-world.js';

test('LightGCN: BPR loss falls and same-taste users are served from their cluster', async () => {
  const w = smallWorld({ items: 80, users: 40 });
  const m = new LightGcnRecommender({ epochs: 40, dim: 16, batchSize: 256, lr: 0.01 });
  await m.fit(w.train);
  assert.ok(m.losses[m.losses.length - 1] < m.losses[0] * 0.8, `loss ${m.losses[0]} → ${m.losses[m.losses.length - 1]}`);
  let inTaste = 0;
  let total = 0;
  for (let u = 0; u < 40; u++) {
    const recs = await m.recommend(`user-${u}`, { k: 5 });
    for (const s of recs.items) {
      total++;
      if (w.clusterOf(s.item) === u % 4) inTaste++;
    }
  }
  // chance is 1/4: collaborative structure alone must put most recommendations in the user's taste cluster
  assert.ok(inTaste / total > 0.5, `in-taste share ${inTaste / total}`);
});
