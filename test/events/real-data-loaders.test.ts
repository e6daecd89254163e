import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { squaredDistance } from '../../src/core/matrix.js';
import { sharedDataPath } from '../../src/core/paths.js';
import { Rng } from '../../src/core/rng.js';
import { TYPE_CODE } from '../../src/core/types.js';
import { type Dataset, loadDataset } from '../../src/events/loaders/index.js';

// Counts asserted here are the ones documented in the shared data README / SOURCE.txt files.

function assertUsableCatalogue(d: Dataset): void {
  assert.equal(d.log.items, d.catalogue.ids, 'log.items is catalogue.ids');
  assert.equal(d.catalogue.vectors.rows, d.catalogue.size);
  const v = d.catalogue.vectors.data;
  for (let i = 0; i < d.catalogue.size; i++) {
    let s = 0;
    for (let k = 0; k < d.catalogue.dim; k++) {
      const x = v[i * d.catalogue.dim + k];
      assert.ok(Number.isFinite(x));
      s += x * x;
    }
    assert.ok(s > 0, `item ${d.catalogue.ids.id(i)} has a zero vector`);
  }
  assert.ok(d.log.isSorted());
}

function byType(d: Dataset): Record<string, number> {
  const c = d.log.countByType();
  return { click: c[TYPE_CODE.click], favorite: c[TYPE_CODE.favorite], cart: c[TYPE_CODE.cart], purchase: c[TYPE_CODE.purchase] };
}

const taobao = sharedDataPath('taobao-userbehavior', 'UserBehavior_head.csv');
test('Taobao UserBehavior head: 84,473 rows, 815 users, 55,366 items, 2,914 categories, per-behaviour counts', {
  skip: taobao.skip,
}, async () => {
  const d = await loadDataset({ path: taobao.path, format: 'taobao' });
  assert.equal(d.report.rowsRead, 84473);
  assert.equal(d.report.accepted, 84473);
  assert.equal(d.log.length, 84473);
  assert.equal(d.log.users.size, 815);
  assert.equal(d.catalogue.size, 55366);
  assert.equal(new Set(d.catalogue.attributes.get('category')?.filter((c) => c !== undefined)).size, 2914);
  assert.deepEqual(byType(d), { click: 75870, favorite: 2356, cart: 4497, purchase: 1750 });
  const first = d.log.get(d.log.length - 1);
  assert.ok(first.timestamp <= Date.UTC(2017, 11, 4));
  assert.equal(d.report.vectors.dim, 64);
  assertUsableCatalogue(d);

  const w = await loadDataset({ path: taobao.path, format: 'taobao', officialWindow: true });
  const range = w.log.timeRange()!;
  assert.ok(range.start >= 1511539200_000 && range.end <= 1512316799_000);
  assert.equal(w.log.length + (w.report.skippedByReason.filtered ?? 0), 84473);
  // README: 99.96 % of the stamps are inside the official window.
  assert.ok(w.log.length / 84473 > 0.999 && w.log.length < 84473);
});

const rr = sharedDataPath('retailrocket', 'train_events.csv');
test('RetailRocket: 97,381 rows, 2,174 users, 29,905 items, view/cart/buy counts, unix seconds 2015-05-03 .. 09-18', {
  skip: rr.skip,
}, async () => {
  const d = await loadDataset({ path: rr.path, format: 'retailrocket' });
  assert.equal(d.report.rowsRead, 97381);
  assert.equal(d.log.length, 97381);
  assert.equal(d.log.users.size, 2174);
  assert.equal(d.catalogue.size, 29905);
  assert.deepEqual(byType(d), { click: 75374, favorite: 0, cart: 12456, purchase: 9551 });
  const r = d.log.timeRange()!;
  assert.equal(new Date(r.start).toISOString().slice(0, 10), '2015-05-03');
  assert.equal(new Date(r.end).toISOString().slice(0, 10), '2015-09-18');
  assertUsableCatalogue(d);
});

const hm10k = sharedDataPath('hm-head10k');
test('H&M head10k: 10,000 purchases by 2,954 customers of 4,903 articles on 2018-09-20, all with attributes', {
  skip: hm10k.skip,
}, async () => {
  const d = await loadDataset({ path: hm10k.path, format: 'hm' });
  assert.equal(d.log.length, 10000);
  assert.equal(d.log.users.size, 2954);
  assert.equal(d.catalogue.size, 4903);
  assert.deepEqual(byType(d), { click: 0, favorite: 0, cart: 0, purchase: 10000 });
  assert.deepEqual(d.log.timeRange(), { start: Date.UTC(2018, 8, 20), end: Date.UTC(2018, 8, 20) });
  // 9-digit ids of this copy are zero-padded back to the 10-digit article ids.
  assert.equal(d.log.get(0).item, '0663713001');
  assert.equal(d.log.get(0).user, '000058a12d5b43e67d225668fa1f8d618c13dc232df0cad8ffe7ad4a1091e318');
  const i = d.catalogue.indexOf('0108775015')!;
  assert.equal(d.catalogue.attribute(i, 'prod_name'), 'Strap top');
  assert.equal(d.catalogue.attributes.size, 24, 'the 24 non-id articles.csv columns (the pandas index column dropped)');
  assertUsableCatalogue(d);
  const photos = sharedDataPath('hm', 'images');
  if (!photos.skip) {
    // The head10k fixture has no images; 271 of its 2018 articles are among the 11,800 photographed ones.
    const withImages = await loadDataset({ path: hm10k.path, format: 'hm', imagesDir: photos.path });
    assert.equal(withImages.catalogue.attributes.get('image')?.filter((p) => p !== undefined).length, 271);
  }
});

const hm = sharedDataPath('hm');
test('H&M catalogue: 11,800 articles, 24 attribute columns plus the image path of each', { skip: hm.skip }, async () => {
  const d = await loadDataset({ path: hm.path, format: 'hm' });
  assert.equal(d.catalogue.size, 11800);
  assert.equal(d.log.length, 0);
  assert.equal(d.catalogue.attributes.size, 25);
  const images = d.catalogue.attributes.get('image')!;
  let withImage = 0;
  for (let i = 0; i < d.catalogue.size; i++) if (images[i] !== undefined) withImage++;
  assert.equal(withImage, 11800);
  const i = d.catalogue.indexOf('0111565001')!;
  assert.match(String(d.catalogue.attribute(i, 'image')), /images[/\\]011[/\\]0111565001\.jpg$/);
  assert.equal(d.catalogue.attribute(i, 'colour_group_name'), 'Black');
  assertUsableCatalogue(d);

  // The attribute fallback carries signal: articles bought together (co_purchase_top6.csv, from real transactions)
  // are closer than random pairs.
  const pairs = sharedDataPath('hm', 'co_purchase_top6.csv');
  if (pairs.skip) return;
  const c = d.catalogue;
  const dist = (a: number, b: number) => squaredDistance(c.vector(a), c.vector(b));
  let together = 0;
  let n = 0;
  for (const line of readFileSync(pairs.path, 'utf8').trim().split('\n').slice(1)) {
    const [a, , b] = line.split(',');
    const ia = c.indexOf(a);
    const ib = c.indexOf(b);
    if (ia === undefined || ib === undefined) continue;
    together += dist(ia, ib);
    n++;
  }
  const rng = new Rng(1);
  let random = 0;
  for (let k = 0; k < n; k++) random += dist(rng.int(c.size), rng.int(c.size));
  assert.ok(n > 60000);
  assert.ok(together / n < 0.9 * (random / n), `co-purchased ${together / n} vs random ${random / n}`);
});
