import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataPath, sharedModelsDir } from '../../src/core/paths.js';
import { readCsvLabels } from '../../src/embed/csv-labels.js';
import { embedImages, listImages } from '../../src/embed/embed-images.js';
import { neighbourAgreementAt } from '../../src/embed/neighbour-agreement.js';
import { resolveModelOptions } from '../../src/embed/options.js';

const hm = sharedDataPath('hm');
const model = join(sharedModelsDir(), 'mobilenetv2-12-int8', 'mobilenetv2-12-int8.feat627.onnx');
const skip = hm.skip || (existsSync(model) ? false : `shared model not present: ${model}`);

test('H&M photos: MobileNetV2 neighbours agree on product_type_name far more often than chance', { skip }, async (t) => {
  const labels = readCsvLabels(join(hm.path, 'articles.csv'), 'article_id', 'product_type_name');
  // every 40th photo: ~300 images spread over the whole catalogue, not one department
  const all = listImages(join(hm.path, 'images'));
  const sample = all.filter((_, i) => i % 40 === 0);
  const res = await embedImages(sample, { model, modelOptions: resolveModelOptions('mobilenetv2'), batchSize: 32, quiet: true });
  assert.equal(res.failures.length, 0);
  assert.equal(res.vectors.cols, 1280);
  assert.equal(res.ids.length, sample.length);
  const [a1, a5] = neighbourAgreementAt(
    res.vectors,
    res.ids.map((id) => labels.get(id)),
    [1, 5],
  );
  t.diagnostic(
    `${a1.items} photos, ${a1.labels} types: agree@1 ${a1.agreement.toFixed(3)}, agree@5 ${a5.agreement.toFixed(3)}, chance ${a1.chance.toFixed(4)}`,
  );
  assert.equal(a1.items, sample.length, 'every photo has an article row');
  // measured: agree@1 ≈ 0.5, chance ≈ 0.05 on this sample
  assert.ok(a1.agreement > 3 * a1.chance, `agree@1 ${a1.agreement} vs chance ${a1.chance}`);
  assert.ok(a5.agreement > 3 * a5.chance, `agree@5 ${a5.agreement} vs chance ${a5.chance}`);
});
