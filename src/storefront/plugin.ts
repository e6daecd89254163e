import { createReadStream, existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Catalogue } from '../catalogue/catalogue.js';
import { TailorError } from '../core/errors.js';
import { projectRoot } from '../core/paths.js';
import { type AttributeNames, cataloguePage, DEFAULT_ATTRIBUTE_NAMES, shopItem, styleFacets } from './catalogue-view.js';
import { placeholderSvg } from './placeholder-svg.js';

/** What the storefront needs from the app that mounts it. */
export interface StorefrontOptions {
  /** The catalogue shown; a getter when the app can swap catalogues. */
  catalogue: Catalogue | (() => Catalogue);
  /** H&M-layout photo folder: `<imagesDir>/<first 3 digits>/<id>.jpg` (e.g. `../shared/data/hm/images`). Not needed when
   * the catalogue has an `image` attribute holding each photo's path (the H&M loader sets it). */
  imagesDir?: string;
  /** Synthetic-world thumbnails: `<thumbnailsDir>/<id>.svg`. Items with neither get a drawn placeholder. */
  thumbnailsDir?: string;
  /** Existing shoppers offered by the switcher (a sample is enough). */
  shoppers?: () => readonly string[];
  /** Where the service's API lives, as the page sees it (default `/v1`). */
  apiBase?: string;
  /** A demo API key the page sends with writes (only for a local demo; never a production key). */
  apiKey?: string;
  /** Where the Prometheus text lives (default `/metrics`) for the live chart. */
  metricsPath?: string;
  title?: string;
  attributeNames?: Partial<AttributeNames>;
}

/** The folder of the page's static files (HTML, CSS, JS), found from the package root so it works from src and dist. */
export function storefrontAssetsDir(): string {
  return join(projectRoot(), 'src', 'storefront', 'public');
}

const IMAGE_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };

const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

function intParam(v: unknown, field: string, def: number, max: number): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new TailorError('VALIDATION', `must be an integer in 0..${max}`, { field, value: v });
  return n;
}

/**
 * The storefront demo as a Fastify plugin: the page (`/`), its catalogue JSON (`/api/*`) and product pictures
 * (`/pictures/:id`). Register it under a prefix, e.g. `app.register(storefront, { prefix: '/shop', catalogue })`;
 * the page itself talks to the service's public API (`apiBase`) like any client would.
 */
export const storefront: FastifyPluginAsync<StorefrontOptions> = async (app: FastifyInstance, opts: StorefrontOptions) => {
  const cat = typeof opts.catalogue === 'function' ? opts.catalogue : () => opts.catalogue as Catalogue;
  const names: AttributeNames = { ...DEFAULT_ATTRIBUTE_NAMES, ...opts.attributeNames };

  app.get('/api/config', async () => ({
    title: opts.title ?? 'Tailor storefront',
    apiBase: opts.apiBase ?? '/v1',
    apiKey: opts.apiKey ?? null,
    metricsPath: opts.metricsPath ?? '/metrics',
    items: cat().size,
  }));

  app.get('/api/catalogue', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const offset = intParam(q.offset, 'offset', 0, 10_000_000);
    const limit = intParam(q.limit, 'limit', 24, 200);
    return cataloguePage(cat(), { offset, limit, style: q.style || undefined, q: q.q || undefined, names });
  });

  app.get('/api/items', async (req) => {
    const raw = (req.query as Record<string, string | undefined>).ids ?? '';
    const ids = raw.split(',').filter(Boolean);
    if (ids.length > 200) throw new TailorError('VALIDATION', 'at most 200 ids', { field: 'ids' });
    const c = cat();
    const items = [];
    for (const id of ids) {
      const i = c.indexOf(id);
      if (i !== undefined) items.push(shopItem(c, i, names));
    }
    return { items };
  });

  app.get('/api/styles', async () => ({ styles: styleFacets(cat(), names) }));

  app.get('/api/shoppers', async () => ({ shoppers: (opts.shoppers?.() ?? []).slice(0, 50) }));

  app.get('/pictures/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!ID_RE.test(id)) throw new TailorError('VALIDATION', 'not a valid item id', { field: 'id', value: id });
    const c = cat();
    const i = c.indexOf(id);
    if (i === undefined) throw new TailorError('UNKNOWN_ITEM', `no item "${id}"`, { field: 'id', value: id });
    reply.header('cache-control', 'public, max-age=3600');
    // the H&M loader records each article's photo path in the `image` attribute
    const image = c.attribute(i, 'image');
    if (typeof image === 'string' && /\.(jpe?g|png|webp)$/i.test(image) && existsSync(image))
      return reply.type(IMAGE_TYPES[extname(image).toLowerCase()] ?? 'application/octet-stream').send(createReadStream(image));
    if (opts.imagesDir) {
      const f = join(opts.imagesDir, id.slice(0, 3), `${id}.jpg`);
      if (existsSync(f)) return reply.type('image/jpeg').send(createReadStream(f));
    }
    if (opts.thumbnailsDir) {
      const f = join(opts.thumbnailsDir, `${id}.svg`);
      if (existsSync(f)) return reply.type('image/svg+xml').send(createReadStream(f));
    }
    const item = shopItem(c, i, names);
    const pattern = c.attribute(i, 'pattern');
    return reply.type('image/svg+xml').send(
      placeholderSvg({
        type: item.type,
        colour: item.colour,
        pattern: pattern !== undefined ? String(pattern) : null,
        label: item.type ?? item.name,
      }),
    );
  });

  await app.register(fastifyStatic, { root: storefrontAssetsDir(), prefix: '/', decorateReply: false, index: 'index.html' });
};
