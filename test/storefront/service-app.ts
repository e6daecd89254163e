import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/core/config.js';
import { Engine } from '../../src/engine/engine.js';
import { buildApp } from '../../src/server/app.js';
import { TailorService } from '../../src/server/service.js';
import { openStore } from '../../src/storage/store.js';
import { storefront } from '../../src/storefront/plugin.js';
import { openStream } from '../../src/stream/stream.js';
import type { World } from '../../src/synthetic/world.js';
import { trainModel } from '../../src/train/train.js';

/**
 * The real service (engine with online adaptation, HTTP API, metrics) over a small synthetic world and a model
 * trained on it with few epochs, with the storefront mounted at /shop as `tailor serve` mounts it.
 */
export async function serviceApp(world: World): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const config = loadConfig(
    {
      teacher: { epochs: 3, hidden: [32], outDim: 16 },
      student: { epochs: 15, hidden: [32] },
      online: { workers: 0, adaptEvery: 2 },
    },
    {},
  );
  const artifact = await trainModel({ log: world.log, catalogue: world.catalogue, window: world.truth.period }, config, { quiet: true });
  const engine = await Engine.open({ artifact, catalogue: world.catalogue, config });
  const service = new TailorService({
    engine,
    store: await openStore('memory:'),
    stream: await openStream('log:', { partitions: 2 }),
    config,
    modelDir: '',
    loadModel: async () => artifact,
  });
  await service.start();
  const shoppers = [0, 1, 2].map((u) => world.log.users.id(u));
  const app = await buildApp({
    service,
    defaultMetrics: false,
    plugins: [
      async (a) => {
        await a.register(storefront, { prefix: '/shop', catalogue: world.catalogue, shoppers: () => shoppers });
      },
    ],
  });
  return {
    app,
    close: async () => {
      await app.close();
      await service.close();
    },
  };
}
