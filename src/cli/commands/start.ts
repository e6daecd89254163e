import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { saveArtifact } from '../../artifact/store.js';
import { loadConfig } from '../../core/config.js';
import { TailorError } from '../../core/errors.js';
import { loadDataset } from '../../events/loaders/index.js';
import { startServer } from '../../server/bootstrap.js';
import { generateWorld } from '../../synthetic/index.js';
import { writeWorld } from '../../synthetic/write-world.js';
import { trainModel } from '../../train/train.js';
import { announce, closeOnSignals } from './serve.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * `tailor start` (what `npm start` runs): the embedded default in one command — generates the synthetic world into
 * <var>/world if absent, trains a quick model into <var>/model if absent (few epochs: minutes on 2 cores), then
 * serves it on SQLite (<var>/tailor.db) and prints the URL.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('Generate a demo world and train a quick model when absent, then serve on the embedded store (npm start)')
    .option('--var <dir>', 'working folder for the world, the model and the database', 'var')
    .option('--items <n>', 'catalogue size of the generated world', '6000')
    .option('--users <n>', 'shoppers of the generated world', '5000')
    .option('--port <port>', 'listen port', '')
    .action(async (o) => {
      const dir = resolve(o.var);
      const worldDir = join(dir, 'world');
      const modelDir = join(dir, 'model');
      const items = Number(o.items);
      const users = Number(o.users);
      if (!Number.isInteger(items) || !Number.isInteger(users))
        throw new TailorError('CONFIG_INVALID', '--items and --users must be integers', {
          field: Number.isInteger(items) ? 'users' : 'items',
        });
      if (!existsSync(join(worldDir, 'world.json'))) {
        process.stderr.write(`generating a synthetic world (${items} items, ${users} shoppers) into ${worldDir}\n`);
        await writeWorld(generateWorld({ items, users, weeks: 2, dim: 128 }), worldDir);
      }
      const base = loadConfig();
      if (!existsSync(join(modelDir, 'manifest.json'))) {
        const config = loadConfig({
          teacher: { epochs: 4, patience: 2, hidden: [128] },
          student: { epochs: 15, patience: 3, hidden: [128] },
        });
        const data = await loadDataset({ path: worldDir, format: 'synthetic' });
        const end = data.log.length > 0 ? data.log.timeAt(data.log.length - 1) + 1 : Date.now();
        process.stderr.write(`training a quick model on the last week of ${worldDir} (a few minutes on 2 cores)\n`);
        const artifact = await trainModel({ log: data.log, catalogue: data.catalogue, window: { start: end - WEEK_MS, end } }, config);
        await saveArtifact(modelDir, artifact);
      }
      const server = await startServer({
        data: worldDir,
        format: 'synthetic',
        model: modelDir,
        config: base,
        store: process.env.TAILOR_STORE ? undefined : `sqlite:${join(dir, 'tailor.db')}`,
        port: o.port === '' ? undefined : Number(o.port),
        storefrontApiKey: base.server.apiKeys[0],
      });
      announce(server, base.server.apiKeys);
      closeOnSignals(server);
    });
}
