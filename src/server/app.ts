import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isTailorError, TailorError } from '../core/errors.js';
import { componentLogger } from '../core/log.js';
import { keyGuard, requestKey } from './auth.js';
import { hashUser } from './ids.js';
import { createMetrics } from './metrics.js';
import type { TailorService } from './service.js';
import {
  eventsBodySchema,
  itemsBodySchema,
  parse,
  parseFilter,
  recommendQuerySchema,
  reloadBodySchema,
  similarQuerySchema,
  stockBodySchema,
  toInteraction,
  toItemRecord,
} from './validation.js';

const log = componentLogger('http');

export interface AppDeps {
  service: TailorService;
  /** Extra Fastify plugins (e.g. the storefront) registered after the API routes. */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
  /** Collect Node.js process metrics too (default true). */
  defaultMetrics?: boolean;
}

/** JSON schema of a zod schema, for the OpenAPI document only (zod does the validation). */
function doc(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const idParam = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };

/**
 * The HTTP API (Fastify) over a started TailorService: events, recommendations, similar items, stock, new items,
 * model hot swap, health, readiness, Prometheus metrics and the OpenAPI document at /docs. Errors are TailorError
 * JSON bodies with the catalogue's status; user ids never reach a log line unhashed.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { service } = deps;
  const cfg = service.config.server;
  const app = Fastify({ logger: false, bodyLimit: cfg.maxBodyBytes });
  // zod validates (with field names); the route schemas only feed the OpenAPI document
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  const metrics = createMetrics(service, { defaultMetrics: deps.defaultMetrics });
  const writeGuard = keyGuard(cfg.apiKeys);
  const readGuard = cfg.requireKeyForReads ? writeGuard : () => {};
  const secured = cfg.apiKeys.length > 0 ? [{ apiKey: [] }] : [];
  // built once: a zod schema compiles itself on first use
  const recommendQuery = recommendQuerySchema(cfg.maxK);
  const similarQuery = similarQuerySchema(cfg.maxK);

  app.setErrorHandler((err: FastifyError | TailorError, req, reply) => {
    let e: TailorError;
    if (isTailorError(err)) e = err;
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      e = new TailorError('PAYLOAD_TOO_LARGE', `the body is larger than ${cfg.maxBodyBytes} bytes`, { field: 'body' });
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.statusCode === 400)
      e = new TailorError('VALIDATION', err.message, { field: 'body' });
    else if (err.statusCode === 429) e = new TailorError('RATE_LIMITED', 'too many requests; slow down');
    else {
      log.error({ route: req.routeOptions.url, err: err.message }, 'unexpected error');
      e = new TailorError('INTERNAL', 'internal error');
    }
    void reply.status(e.status).send(e.toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new TailorError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
    void reply.status(404).send(e.toJSON());
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) log.warn({ method: req.method, route, status: reply.statusCode }, 'request failed');
  });

  await app.register(rateLimit, {
    max: cfg.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => requestKey(req) ?? req.ip,
    allowList: (req: FastifyRequest) => {
      const url = req.url;
      return url === '/healthz' || url === '/readyz' || url === '/metrics';
    },
    errorResponseBuilder: () => new TailorError('RATE_LIMITED', `more than ${cfg.rateLimitPerMinute} requests a minute`),
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Tailor', description: 'Real-time, personalised product recommendations', version: '0.1.0' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const notReady = () => {
    if (!service.ready) throw new TailorError('NOT_READY', 'the service is starting or shutting down');
  };

  app.post(
    '/v1/events',
    {
      schema: {
        summary: 'Record one event or a batch; 202 once durable',
        tags: ['events'],
        body: doc(eventsBodySchema),
        security: secured,
      },
    },
    async (req, reply) => {
      writeGuard(req);
      notReady();
      const body = parse(eventsBodySchema, req.body);
      const list = 'events' in body ? body.events : [body];
      const where = 'events' in body ? 'events' : undefined;
      const now = Date.now();
      const events = list.map((e) => toInteraction(e, now));
      events.forEach((e, n) => {
        if (service.engine.catalogue.indexOf(e.item) === undefined)
          throw new TailorError('UNKNOWN_ITEM', `item "${e.item}" is not in the catalogue`, {
            field: where ? `${where}.${n}.item` : 'item',
            value: e.item,
          });
      });
      await service.accept(events);
      metrics.eventsAccepted.inc(events.length);
      return reply.status(202).send({ accepted: events.length });
    },
  );

  app.get(
    '/v1/users/:id/recommendations',
    {
      schema: {
        summary: 'Top-k items for a shopper (personalised, cold-start or popular)',
        tags: ['recommendations'],
        params: idParam,
        querystring: doc(recommendQuery),
        security: cfg.requireKeyForReads ? secured : [],
      },
    },
    async (req) => {
      readGuard(req);
      notReady();
      const user = (req.params as { id: string }).id;
      const q = parse(recommendQuery, req.query);
      const cat = service.engine.catalogue;
      const filter = q.filter
        ? parseFilter(
            q.filter,
            (i, n) => cat.attribute(i, n),
            (n) => cat.attributes.has(n),
          )
        : undefined;
      const r = await service.recommend(user, { k: q.k, excludePurchased: q.exclude_purchased, filter });
      return {
        user,
        items: r.items,
        source: r.source,
        personalised: r.source === 'personalised',
        modelVersion: r.modelVersion,
        tookMs: Math.round(r.tookMs * 1000) / 1000,
      };
    },
  );

  app.get(
    '/v1/items/:id/similar',
    {
      schema: {
        summary: 'Items nearest to an item in the student space',
        tags: ['items'],
        params: idParam,
        querystring: doc(similarQuery),
        security: cfg.requireKeyForReads ? secured : [],
      },
    },
    async (req) => {
      readGuard(req);
      notReady();
      const item = (req.params as { id: string }).id;
      const q = parse(similarQuery, req.query);
      const t0 = performance.now();
      const items = service.similar(item, q.k);
      return { item, items, modelVersion: service.engine.modelVersion, tookMs: Math.round((performance.now() - t0) * 1000) / 1000 };
    },
  );

  app.put(
    '/v1/items/stock',
    { schema: { summary: 'Mark items in or out of stock (bulk)', tags: ['items'], body: doc(stockBodySchema), security: secured } },
    async (req) => {
      writeGuard(req);
      notReady();
      const b = parse(stockBodySchema, req.body);
      return service.setStock(b.ids, b.inStock);
    },
  );

  app.post(
    '/v1/items',
    {
      schema: {
        summary: 'Add or update products with content vectors (recommendable at once)',
        tags: ['items'],
        body: doc(itemsBodySchema),
        security: secured,
      },
    },
    async (req, reply) => {
      writeGuard(req);
      notReady();
      const b = parse(itemsBodySchema, req.body);
      const list = 'items' in b ? b.items : [b];
      const dim = service.engine.catalogue.dim;
      list.forEach((it, n) => {
        if (it.vector && it.vector.length !== dim)
          throw new TailorError('DATA_DIMENSION', `vector has ${it.vector.length} values, the catalogue has ${dim}`, {
            field: 'items' in b ? `items.${n}.vector` : 'vector',
          });
        if (!it.vector && service.engine.catalogue.indexOf(it.id) === undefined)
          throw new TailorError('VALIDATION', `new item "${it.id}" needs a content vector`, {
            field: 'items' in b ? `items.${n}.vector` : 'vector',
          });
      });
      const added = await service.addItems(list.map(toItemRecord));
      return reply.status(201).send({ added, size: service.engine.catalogue.size });
    },
  );

  app.post(
    '/v1/models/reload',
    {
      schema: {
        summary: 'Load a model artifact and hot-swap it (no downtime)',
        tags: ['admin'],
        body: doc(reloadBodySchema),
        security: secured,
      },
    },
    async (req) => {
      writeGuard(req);
      notReady();
      const b = parse(reloadBodySchema, req.body ?? {});
      return service.reloadModel(b.dir);
    },
  );

  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['ops'] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness (model loaded, stream consumed)', tags: ['ops'] } }, async (_req, reply) => {
    if (!service.ready) return reply.status(503).send(new TailorError('NOT_READY', 'not ready').toJSON());
    return { status: 'ready', modelVersion: service.engine.modelVersion };
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['ops'] } }, async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
}

export { hashUser };
