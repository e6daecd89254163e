import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { loadConfig } from '../../src/core/config.js';
import { TailorError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { mlpForward } from '../../src/nn/mlp.js';
import { parsePairList, trainModelFromPairs } from '../../src/train/train-from-pairs.js';

function catalogue(n: number, dim: number): Catalogue {
  const rng = new Rng(5);
  const cat = new Catalogue(dim);
  for (let i = 0; i < n; i++) cat.upsert({ id: `a${i}`, vector: Float32Array.from({ length: dim }, () => rng.normal()) });
  return cat;
}

test('parsePairList reads the H&M co-purchase layout, skips unknown ids and zero weights, names a bad weight', () => {
  const cat = catalogue(4, 8);
  const text = 'article_id,rank,neighbor_article_id,score\na0,1,a1,0.5\na0,2,zz,0.4\na2,1,a3,0\na1,1,a2,2\n';
  assert.deepEqual(parsePairList(text, cat, 'p.csv'), [
    [0, 1, 0.5],
    [1, 2, 2],
  ]);
  assert.throws(
    () => parsePairList('article_id,rank,neighbor_article_id,score\na0,1,a1,x\n', cat, 'p.csv'),
    (e: unknown) => e instanceof TailorError && e.code === 'DATA_FIELD' && e.location.line === 2 && e.location.field === 'score',
  );
});

test('trainModelFromPairs trains a student that maps the catalogue to the configured dimension', async () => {
  const cat = catalogue(120, 16);
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i + 1 < 120; i += 2) pairs.push([i, i + 1, 1]);
  const config = loadConfig({ teacher: { epochs: 2, hidden: [16], outDim: 8 }, student: { epochs: 3, hidden: [16] } }, {});
  const a = await trainModelFromPairs(cat, pairs, config, { quiet: true });
  assert.equal(a.featureDim, 16);
  assert.equal(a.embeddingDim, 8);
  const z = mlpForward(a.student, cat.vectors);
  assert.equal(z.cols, 8);
  assert.ok(z.data.every(Number.isFinite));
  assert.equal(a.metrics.edges_purchase, 60);
});
