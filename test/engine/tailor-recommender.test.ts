import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TailorRecommender } from '../../src/engine/tailor-recommender.js';
import { recommenderContractSuite } from '../recommender/contract-suite.js';
import { smallWorld } from '../recommender/small-world.js';
import { randomArtifact, testConfig } from './helpers.js';

const artifact = randomArtifact([8, 16, 8], 3);

recommenderContractSuite('tailor', async () => new TailorRecommender({ artifact, config: testConfig({ adaptEvery: 2 }) }));
recommenderContractSuite(
  'tailor-2w-reengage',
  async () =>
    new TailorRecommender({ artifact, config: testConfig({ adaptEvery: 2 }), lifetime: { weeks: 2 }, reengagement: { slots: 2 } }),
);

test('variants: names, no personalisation never adapts, no pre-training replaces the student, re-engagement blends carts', async () => {
  assert.equal(new TailorRecommender({ artifact, personalise: false }).name, 'tailor-no-personalisation');
  assert.equal(new TailorRecommender({ artifact, lifetime: 'daily', pretrained: false }).name, 'tailor-no-pretraining-daily');
  const w = smallWorld();
  const plain = new TailorRecommender({ artifact, config: testConfig({ adaptEvery: 1 }), personalise: false });
  await plain.fit(w.train);
  for (const e of w.test.slice(0, 40)) await plain.ingest(e);
  assert.equal(plain.current.stats().adaptations.count, 0);
  await plain.close();
  const random = new TailorRecommender({ artifact, config: testConfig({ adaptEvery: 1 }), pretrained: false });
  await random.fit(w.train);
  assert.match(random.current.modelVersion, /-random$/);
  await random.close();
  const blend = new TailorRecommender({ artifact, config: testConfig({ adaptEvery: 5 }), reengagement: { slots: 1 } });
  await blend.fit(w.train);
  const t = w.train.window.end + 1000;
  await blend.ingest({ user: 'newbie', item: 'item-7', type: 'cart', timestamp: t });
  await blend.ingest({ user: 'newbie', item: 'item-20', type: 'click', timestamp: t + 1 });
  assert.equal(blend.recommend('newbie', { k: 5 }).items[0].item, 'item-7');
  await blend.ingest({ user: 'newbie', item: 'item-7', type: 'purchase', timestamp: t + 2 });
  assert.ok(!blend.recommend('newbie', { k: 5, excludePurchased: true }).items.some((s) => s.item === 'item-7'));
  await blend.close();
});

test('fit trains the model with the real trainer and serves it', async () => {
  const { loadConfig } = await import('../../src/core/config.js');
  const config = loadConfig(
    { teacher: { epochs: 2, hidden: [16], outDim: 8 }, student: { epochs: 5, hidden: [16] }, online: { workers: 0, adaptEvery: 2 } },
    {},
  );
  const w = smallWorld();
  const m = new TailorRecommender({ config });
  await m.fit(w.train);
  assert.equal(m.current.stats().modelVersion.length > 0, true);
  for (const e of w.test.slice(0, 30)) await m.ingest(e);
  const list = m.recommend(w.test[0].user, { k: 5 });
  assert.equal(list.items.length, 5);
  assert.ok(m.current.stats().adaptations.count > 0);
  await m.close();
});
