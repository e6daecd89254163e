import Fastify, { type FastifyInstance } from 'fastify';
import { CnnEmaRecommender } from '../../src/baselines/cnn-ema.js';
import type { Catalogue } from '../../src/catalogue/catalogue.js';
import { isTailorError, TailorError } from '../../src/core/errors.js';
import { isInteractionType } from '../../src/core/types.js';
import type { EventLog } from '../../src/events/event-log.js';
import { storefront } from '../../src/storefront/plugin.js';

/**
 * A minimal stand-in for the service's public API (POST /v1/events, GET /v1/users/:id/recommendations,
 * PUT /v1/items/stock) over the CNN-EMA baseline, with the storefront mounted at /shop: lets the page be tested
 * in a browser exactly as it talks to the real service, without depending on the service's internals.
 */
export async function standInApp(catalogue: Catalogue, log: EventLog, window: { start: number; end: number }): Promise<FastifyInstance> {
  const rec = new CnnEmaRecommender();
  await rec.fit({ log, catalogue, window });
  const app = Fastify();
  app.setErrorHandler((err, _req, reply) => {
    if (isTailorError(err)) return reply.status(err.status).send(err.toJSON());
    return reply.status(500).send({ error: { code: 'INTERNAL', message: String(err) } });
  });
  app.post('/v1/events', async (req, reply) => {
    const b = req.body as { user?: unknown; item?: unknown; type?: unknown; timestamp?: unknown };
    if (typeof b.user !== 'string') throw new TailorError('VALIDATION', 'user must be a string', { field: 'user' });
    if (typeof b.item !== 'string' || catalogue.indexOf(b.item) === undefined)
      throw new TailorError('VALIDATION', 'unknown item', { field: 'item' });
    if (!isInteractionType(b.type)) throw new TailorError('VALIDATION', 'bad type', { field: 'type' });
    await rec.ingest({ user: b.user, item: b.item, type: b.type, timestamp: Number(b.timestamp) || Date.now() });
    return reply.status(202).send({ accepted: 1 });
  });
  app.get('/v1/users/:id/recommendations', async (req) => {
    const t0 = performance.now();
    const k = Number((req.query as { k?: string }).k ?? 10);
    const r = await rec.recommend((req.params as { id: string }).id, { k });
    return { ...r, modelVersion: 'stand-in', tookMs: performance.now() - t0 };
  });
  app.put('/v1/items/stock', async (req) => {
    const b = req.body as { ids?: string[]; inStock?: boolean };
    for (const id of b.ids ?? []) {
      const i = catalogue.indexOf(id);
      if (i === undefined) throw new TailorError('UNKNOWN_ITEM', `no item ${id}`, { field: 'ids' });
      catalogue.setInStock(i, b.inStock === true);
    }
    return { updated: b.ids?.length ?? 0 };
  });
  await app.register(storefront, { prefix: '/shop', catalogue, shoppers: () => [log.users.id(0), log.users.id(1), log.users.id(2)] });
  return app;
}
