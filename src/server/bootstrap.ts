import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadArtifact } from '../artifact/store.js';
import { loadConfig, type TailorConfig } from '../core/config.js';
import { TailorError } from '../core/errors.js';
import { componentLogger } from '../core/log.js';
import { Engine } from '../engine/engine.js';
import { loadDataset } from '../events/loaders/index.js';
import type { DatasetFormat } from '../events/loaders/options.js';
import { openStore, redactUrl } from '../storage/store.js';
import { openStream } from '../stream/stream.js';
import { buildApp } from './app.js';
import { TailorService } from './service.js';

const log = componentLogger('serve');

export interface ServeOptions {
  /** The data set whose catalogue is served (and whose events give the popularity prior). */
  data: string;
  format: DatasetFormat;
  /** Content vectors (.npy with its .ids.txt) replacing the data set's own or fallback vectors, e.g. from `tailor embed`. */
  vectors?: string;
  /** Model artifact folder. */
  model: string;
  config?: TailorConfig;
  /** Overrides of config.storage.store / events and config.server.host / port. */
  store?: string;
  events?: string;
  host?: string;
  port?: number;
  /** This process among those sharing the stream (default 0 of 1). */
  processIndex?: number;
  processCount?: number;
  partitions?: number;
  /** A key the storefront page sends with writes: only for a local demo (the page shows it to anyone). */
  storefrontApiKey?: string;
  /** Acknowledged events older than this many days leave the embedded log (default 7; 0 keeps everything). */
  retentionDays?: number;
  /** Mount the storefront demo at /shop (default true). */
  storefront?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  service: TailorService;
  url: string;
  close(): Promise<void>;
}

/** Loads catalogue and model, opens store and stream, starts the service and listens; the thin core of `tailor serve`. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const config = opts.config ?? loadConfig();
  const storeUrl = opts.store ?? config.storage.store;
  const eventsUrl = opts.events ?? config.storage.events;
  const dataset = await loadDataset({ path: opts.data, format: opts.format, onBadRow: 'skip', vectors: opts.vectors });
  const { catalogue, log: events } = dataset;
  const popularity = new Float64Array(catalogue.size);
  const w = [config.typeWeights.click, config.typeWeights.favorite, config.typeWeights.cart, config.typeWeights.purchase];
  for (let i = 0; i < events.length; i++) popularity[events.itemAt(i)] += w[events.typeAt(i)];
  const artifact = await loadArtifact(opts.model, { expectFeatureDim: catalogue.dim });
  const engine = await Engine.open({ artifact, catalogue, config, popularity });
  const store = await openStore(storeUrl);
  const stream = await openStream(eventsUrl, { storeUrl, partitions: opts.partitions });
  const service = new TailorService({
    engine,
    store,
    stream,
    config,
    processIndex: opts.processIndex,
    processCount: opts.processCount,
    modelDir: opts.model,
    retentionMs: opts.retentionDays === undefined ? undefined : opts.retentionDays * 86_400_000,
    loadModel: (dir) => loadArtifact(dir, { expectFeatureDim: catalogue.dim }),
  });
  await service.start();
  const plugins: Array<(app: FastifyInstance) => Promise<void>> = [];
  if (opts.storefront ?? true) {
    const { storefront } = await import('../storefront/plugin.js');
    const thumbs = join(opts.data, 'thumbnails');
    const shoppers = Array.from({ length: Math.min(events.users.size, 50) }, (_, i) => events.users.id(i));
    plugins.push(async (app) => {
      await app.register(storefront, {
        prefix: '/shop',
        catalogue,
        thumbnailsDir: existsSync(thumbs) ? thumbs : undefined,
        shoppers: () => shoppers,
        apiKey: opts.storefrontApiKey,
      });
    });
  }
  const app = await buildApp({ service, plugins });
  const host = opts.host ?? config.server.host;
  const port = opts.port ?? config.server.port;
  try {
    await app.listen({ host, port });
  } catch (err) {
    await service.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new TailorError(
      'CONFIG_INVALID',
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is in use (set --port or TAILOR_PORT)`
        : `cannot listen on ${host}:${port}: ${(err as Error).message}`,
      { field: 'port', value: port },
      {},
      { cause: err },
    );
  }
  const addr = app.server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof addr === 'object' && addr ? addr.port : port}`;
  log.info({ url, store: redactUrl(storeUrl), events: redactUrl(eventsUrl), model: engine.modelVersion }, 'listening');
  let closing: Promise<void> | undefined;
  return {
    app,
    service,
    url,
    close: () => {
      closing ??= (async () => {
        await app.close();
        await service.close();
      })();
      return closing;
    },
  };
}
