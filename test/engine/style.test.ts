import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { Engine } from '../../src/engine/engine.js';
import { generateWorld } from '../../src/synthetic/index.js';
import { randomArtifact, testConfig } from './helpers.js';

/**
 * A shopper who keeps buying one style (the synthetic world's `style` attribute) gets more of that style after
 * adaptation than the same shopper, same events, without it (global student + EMA only).
 */
test('a shopper who keeps buying one style gets more of it after adaptation', async (t) => {
  const world = generateWorld({ seed: 3, items: 3000, users: 20, weeks: 1, dim: 64, styles: 8 });
  const cat = world.catalogue;
  const styleOf = (id: string) => cat.attribute(cat.indexOf(id) as number, 'style');
  const artifact = randomArtifact([64, 64, 32], 4);
  const config = testConfig({ adaptEvery: 5, margin: 1, lr: 0.05, minSteps: 5, maxSteps: 40 });
  const shares: Record<string, number[]> = {};
  for (const personalise of [false, true]) {
    const engine = Engine.create({ artifact, catalogue: cat, config, personalise });
    const rng = new Rng(12);
    const counts: number[] = [];
    for (let u = 0; u < 6; u++) {
      const user = `shopper-${u}`;
      const target = styleOf(`${cat.ids.id(rng.int(cat.size))}`);
      const ofStyle: number[] = [];
      for (let i = 0; i < cat.size; i++) if (cat.attribute(i, 'style') === target) ofStyle.push(i);
      let now = world.truth.period.end;
      for (let e = 0; e < 30; e++) {
        engine.recommend(user, { k: 10 });
        engine.ingest({ user, item: cat.ids.id(ofStyle[rng.int(ofStyle.length)]), type: 'purchase', timestamp: (now += 60_000) });
        await engine.drain();
      }
      const top = engine.recommend(user, { k: 20, excludePurchased: true }).items;
      counts.push(top.filter((s) => styleOf(s.item) === target).length);
    }
    shares[String(personalise)] = counts;
    await engine.close();
  }
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  t.diagnostic(`style share in top 20, global: ${shares.false}; adapted: ${shares.true}`);
  assert.ok(sum(shares.true) > sum(shares.false), `adapted ${shares.true} vs global ${shares.false}`);
});
