import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { Catalogue } from '../../src/catalogue/catalogue.js';
import { isTailorError } from '../../src/core/errors.js';
import { sharedDataPath } from '../../src/core/paths.js';
import { storefront } from '../../src/storefront/plugin.js';

function shop(opts: { imagesDir?: string } = {}) {
  const c = new Catalogue(4);
  c.upsert({
    id: 'a1',
    attributes: { name: 'Navy striped t-shirt', style: 'classic', type: 't-shirt', colour: 'navy', pattern: 'striped', price: 19.5 },
  });
  c.upsert({ id: 'b2', attributes: { name: 'Red dress', style: 'party', type: 'dress', colour: 'red', price: 59 } });
  c.upsert({ id: 'c3', attributes: { name: 'Navy jeans', style: 'classic', type: 'jeans', colour: 'navy' }, inStock: false });
  c.upsert({ id: '0111565001', attributes: { prod_name: 'Strap top', product_type_name: 'Vest top', colour_group_name: 'Black' } });
  const app = Fastify();
  app.setErrorHandler((err, _req, reply) =>
    isTailorError(err) ? reply.status(err.status).send(err.toJSON()) : reply.status(500).send({ error: String(err) }),
  );
  app.register(storefront, {
    prefix: '/shop',
    catalogue: c,
    apiKey: 'demo-key-123',
    imagesDir: opts.imagesDir,
    shoppers: () => ['u1', 'u2'],
  });
  return app;
}

test('storefront serves the page, its config and the shopper list', async () => {
  const app = shop();
  const page = await app.inject('/shop/');
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['content-type'] as string, /text\/html/);
  assert.match(page.body, /Recommended for you/);
  assert.equal((await app.inject('/shop/app.js')).statusCode, 200);
  const cfg = (await app.inject('/shop/api/config')).json();
  assert.deepEqual(cfg, { title: 'Tailor storefront', apiBase: '/v1', apiKey: 'demo-key-123', metricsPath: '/metrics', items: 4 });
  assert.deepEqual((await app.inject('/shop/api/shoppers')).json(), { shoppers: ['u1', 'u2'] });
  await app.close();
});

test('catalogue pages filter by style and name, show price, picture and stock; H&M attribute names work too', async () => {
  const app = shop();
  const all = (await app.inject('/shop/api/catalogue?limit=2')).json();
  assert.equal(all.total, 4);
  assert.equal(all.items.length, 2);
  assert.deepEqual(all.items[0], {
    id: 'a1',
    name: 'Navy striped t-shirt',
    price: 19.5,
    picture: 'pictures/a1',
    inStock: true,
    style: 'classic',
    type: 't-shirt',
    colour: 'navy',
  });
  const classic = (await app.inject('/shop/api/catalogue?style=classic')).json();
  assert.deepEqual(
    classic.items.map((i: { id: string; inStock: boolean }) => [i.id, i.inStock]),
    [
      ['a1', true],
      ['c3', false],
    ],
  );
  assert.equal((await app.inject('/shop/api/catalogue?q=JEANS')).json().total, 1);
  const hm = (await app.inject('/shop/api/items?ids=0111565001,nope')).json();
  assert.equal(hm.items.length, 1);
  assert.equal(hm.items[0].name, 'Strap top');
  assert.equal(hm.items[0].style, 'Vest top');
  assert.equal(hm.items[0].price, null);
  const styles = (await app.inject('/shop/api/styles')).json().styles;
  assert.deepEqual(styles[0], { style: 'classic', count: 2 });
  await app.close();
});

test('pictures: a drawn SVG when there is no file; bad ids are 400, unknown ones 404; bad paging is 400', async () => {
  const app = shop();
  const svg = await app.inject('/shop/pictures/a1');
  assert.equal(svg.statusCode, 200);
  assert.match(svg.headers['content-type'] as string, /image\/svg\+xml/);
  assert.match(svg.body, /<svg/);
  assert.match(svg.body, /#1f2a44/, 'navy fill');
  assert.equal((await app.inject('/shop/pictures/..%2F..%2Fetc')).statusCode, 400);
  assert.equal((await app.inject('/shop/pictures/zz9')).statusCode, 404);
  const bad = await app.inject('/shop/api/catalogue?limit=-3');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.field, 'limit');
  await app.close();
});

const hm = sharedDataPath('hm', 'images');
test('pictures: H&M photos come from images/<3 digits>/<id>.jpg', { skip: hm.skip }, async () => {
  const app = shop({ imagesDir: hm.path });
  const res = await app.inject('/shop/pictures/0111565001');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'image/jpeg');
  assert.deepEqual([...res.rawPayload.subarray(0, 2)], [0xff, 0xd8]);
  await app.close();
});

test('pictures: the catalogue image attribute (set by the H&M loader) is served', { skip: hm.skip }, async () => {
  const c = new Catalogue(2);
  c.upsert({ id: 'x', attributes: { image: `${hm.path}/011/0111565001.jpg` } });
  const app = Fastify();
  app.register(storefront, { prefix: '/shop', catalogue: c });
  const res = await app.inject('/shop/pictures/x');
  assert.equal(res.headers['content-type'], 'image/jpeg');
  await app.close();
});
