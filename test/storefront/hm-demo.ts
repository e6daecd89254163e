/**
 * The storefront on the real H&M catalogue with its photos (not a test; a reproducible demo and screenshot):
 *   tailor embed --images <hm>/images --model <feat627.onnx> --preset mobilenetv2 --out var/hm.npy
 *   node dist/test/storefront/hm-demo.js var/hm.npy [screenshot.png]
 * shared/hm has no interaction log to train on, so the student is an untrained random projection 1280→256→64 of the
 * photo vectors: recommendations are content-based until the shopper's personal model adapts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../../src/core/config.js';
import { sharedDataPath } from '../../src/core/paths.js';
import { Rng } from '../../src/core/rng.js';
import { Engine } from '../../src/engine/engine.js';
import { loadDataset } from '../../src/events/loaders/index.js';
import { createMlp } from '../../src/nn/mlp.js';
import { buildApp } from '../../src/server/app.js';
import { TailorService } from '../../src/server/service.js';
import { openStore } from '../../src/storage/store.js';
import { storefront } from '../../src/storefront/plugin.js';
import { openStream } from '../../src/stream/stream.js';

const [vectors, shot] = process.argv.slice(2);
const hm = sharedDataPath('hm');
if (hm.skip || !vectors) throw new Error(`usage: hm-demo.js <vectors.npy> [screenshot.png]; ${hm.skip || ''}`);
const ds = await loadDataset({ path: hm.path, format: 'hm', vectors });
const config = loadConfig({ online: { workers: 0, adaptEvery: 2 } }, {});
const dim = ds.catalogue.dim;
const artifact = {
  version: 'hm-photos-random-student',
  formatVersion: 1 as const,
  createdAt: new Date().toISOString(),
  featureDim: dim,
  embeddingDim: 64,
  student: createMlp([dim, 256, 64], new Rng(1)),
  config: {},
  metrics: {},
};
const engine = await Engine.open({ artifact, catalogue: ds.catalogue, config });
const service = new TailorService({
  engine,
  store: await openStore('memory:'),
  stream: await openStream('log:', { partitions: 2 }),
  config,
});
await service.start();
const app = await buildApp({
  service,
  defaultMetrics: false,
  plugins: [async (a) => void (await a.register(storefront, { prefix: '/shop', catalogue: ds.catalogue, title: 'Tailor × H&M photos' }))],
});
const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/shop/`;
process.stdout.write(`storefront on ${url}\n`);
if (shot) {
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tailor-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
  await page.selectOption('[data-testid=style-filter]', process.env.HM_STYLE ?? 'Dress');
  await page.waitForTimeout(1000);
  const ids = await page.$$eval('[data-testid=grid] .card', (els) => els.slice(0, 4).map((e) => (e as HTMLElement).dataset.id ?? ''));
  for (const id of ids)
    for (const a of ['favorite', 'purchase']) {
      const v = Number(await page.getAttribute('[data-testid=rec-row]', 'data-version'));
      await page.click(`[data-testid=grid] .card[data-id="${id}"] button[data-action=${a}]`);
      await page.waitForFunction((v0) => Number(document.querySelector('[data-testid=rec-row]')?.getAttribute('data-version')) > v0, v);
    }
  await page.waitForTimeout(2500);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot });
  await ctx.close();
  await app.close();
  await service.close();
}
