import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { generateWorld } from '../../src/synthetic/world.js';
import { serviceApp } from './service-app.js';

const CHROMIUM = process.env.TAILOR_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium not installed at ${CHROMIUM} (scripts/install-browser.sh installs it)`;
// screenshots for the docs only when asked (TAILOR_SCREENSHOT_DIR=docs/images); otherwise a temp folder
const shots = process.env.TAILOR_SCREENSHOT_DIR;

let app: FastifyInstance;
let closeApp: () => Promise<void>;
let ctx: BrowserContext;
let profile: string;
let url: string;

before(async () => {
  if (skip) return;
  const world = generateWorld({ seed: 7, items: 400, users: 120, weeks: 1, dim: 32, styles: 6 });
  ({ app, close: closeApp } = await serviceApp(world));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  url = `${address}/shop/`;
  profile = mkdtempSync(join(tmpdir(), 'tailor-chromium-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await ctx?.close();
  await closeApp?.();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function recStyles(page: Page): Promise<{ ids: string[]; styles: string[] }> {
  return page.$$eval('[data-testid=rec-row] .card', (els) => ({
    ids: els.map((e) => (e as HTMLElement).dataset.id ?? ''),
    styles: els.map((e) => (e as HTMLElement).dataset.style ?? ''),
  }));
}

async function version(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-testid=rec-row]', 'data-version'));
}

/** Clicks `selector` and waits until the recommended row has been re-rendered. */
async function actAndWait(page: Page, selector: string): Promise<void> {
  const v = await version(page);
  await page.click(selector);
  await page.waitForFunction((v0) => Number(document.querySelector('[data-testid=rec-row]')?.getAttribute('data-version')) > v0, v);
}

test('storefront in Chromium: a new shopper who favourites and buys one style gets more of it; out-of-stock items leave the row', {
  skip,
}, async (t) => {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=rec-row]')?.getAttribute('data-version')) >= 1);
  const before0 = await recStyles(page);
  assert.ok(before0.ids.length > 0, 'a new shopper sees recommendations (popular items)');
  assert.ok((await page.textContent('[data-testid=rec-time]'))?.endsWith('ms'));

  // the style least present in the new shopper's row, among styles with enough items to shop from
  const options = await page.$$eval('[data-testid=style-filter] option', (os) =>
    os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '' })).filter((o) => o.value !== ''),
  );
  const count = (s: string, list: string[]) => list.filter((x) => x === s).length;
  const target = options.map((o) => o.value).sort((a, b) => count(a, before0.styles) - count(b, before0.styles))[0];
  await page.selectOption('[data-testid=style-filter]', target);
  await page.waitForFunction((s) => {
    const cards = [...document.querySelectorAll('[data-testid=grid] .card')];
    return cards.length > 0 && cards.every((c) => (c as HTMLElement).dataset.style === s);
  }, target);
  const gridIds = await page.$$eval('[data-testid=grid] .card', (els) => els.slice(0, 4).map((e) => (e as HTMLElement).dataset.id ?? ''));
  for (const id of gridIds) {
    await actAndWait(page, `[data-testid=grid] .card[data-id="${id}"] button[data-action=favorite]`);
    await actAndWait(page, `[data-testid=grid] .card[data-id="${id}"] button[data-action=purchase]`);
  }
  const after1 = await recStyles(page);
  const nBefore = count(target, before0.styles);
  const nAfter = count(target, after1.styles);
  t.diagnostic(`style ${target}: ${nBefore} → ${nAfter} of ${after1.ids.length} recommended`);
  assert.ok(nAfter > nBefore, `style ${target}: ${nBefore} → ${nAfter} of ${after1.ids.length} recommended`);
  assert.ok((await page.$$('[data-testid=rec-row] .card.new')).length > 0, 'changed items are marked');
  // 8 events with adaptation every 2: the indicator reports an adaptation (from the service's /metrics)
  await page.waitForFunction(() => /adapted/.test(document.querySelector('[data-testid=adapt-indicator]')?.textContent ?? ''));
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'storefront.png'), fullPage: false });
  }

  // set the first recommended item out of stock from its card: it leaves the row
  const gone = after1.ids[0];
  await actAndWait(page, `[data-testid=rec-row] .card[data-id="${gone}"] input[data-stock-toggle]`);
  const after2 = await recStyles(page);
  assert.ok(!after2.ids.includes(gone), `${gone} is out of stock and no longer recommended`);
  assert.ok(after2.ids.length > 0);
  if (shots) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'storefront-stock.png'), fullPage: false });
  }

  // the shopper switcher: an existing shopper (with a history from the world) and back to a new one
  const existing = await page.$$eval('[data-testid=shopper-select] option', (os) =>
    os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== '' && !v.startsWith('guest-')),
  );
  assert.ok(existing.length > 0, 'existing shoppers are offered');
  await page.selectOption('[data-testid=shopper-select]', existing[0]);
  await page.waitForFunction((u) => document.querySelector('[data-testid=shopper-id]')?.textContent === u, existing[0]);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=rec-row]')?.getAttribute('data-version')) >= 1);
  assert.ok((await recStyles(page)).ids.length > 0);
  await page.click('[data-testid=new-shopper]');
  await page.waitForFunction(() => /^guest-/.test(document.querySelector('[data-testid=shopper-id]')?.textContent ?? ''));
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=rec-row]')?.getAttribute('data-version')) >= 1);
  assert.equal(await page.textContent('[data-testid=rec-source]'), 'popular', 'a new shopper starts from popular items');
  assert.deepEqual(errors, []);
  await page.close();
});
