import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { saveArtifact } from '../../artifact/store.js';
import { loadConfig, type TailorConfig } from '../../core/config.js';
import { TailorError } from '../../core/errors.js';
import { loadDataset } from '../../events/loaders/index.js';
import { startServer } from '../../server/bootstrap.js';
import { generateWorld } from '../../synthetic/index.js';
import { writeWorld } from '../../synthetic/write-world.js';
import { trainModel } from '../../train/train.js';
import { parsePairList, trainModelFromPairs } from '../../train/train-from-pairs.js';
import { announce, closeOnSignals } from './serve.js';

const WEEK_MS = 7 * 24 * 3600 * 1000;
/** The H&M layout ships an aggregated co-purchase list instead of per-user events for the demo catalogue. */
const PAIR_LIST = 'co_purchase_top6.csv';

/** A quick training configuration for the demo: minutes on 2 cores, not the weekly job's full schedule. */
function quickConfig(): TailorConfig {
  return loadConfig({
    teacher: { epochs: 4, patience: 2, hidden: [128] },
    student: { epochs: 15, patience: 3, hidden: [128] },
  });
}

/**
 * `tailor start` (what `npm start` runs): the embedded default in one command — generates the synthetic world into
 * <var>/world if absent, trains a quick model into <var>/model if absent (few epochs: minutes on 2 cores), then
 * serves it on SQLite (<var>/tailor.db) and prints the URL. With `--catalogue <dir>` it serves a real catalogue in
 * the H&M layout instead (articles.csv, images/, and co_purchase_top6.csv to train on), with its product photos.
 */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('Generate a demo world and train a quick model when absent, then serve on the embedded store (npm start)')
    .option('--var <dir>', 'working folder for the world, the model and the database', 'var')
    .option('--items <n>', 'catalogue size of the generated world', '6000')
    .option('--users <n>', 'shoppers of the generated world', '5000')
    .option('--catalogue <dir>', 'serve a real catalogue in the H&M layout (articles.csv, images/, co_purchase_top6.csv) instead')
    .option('--vectors <file.npy>', 'with --catalogue: content vectors from tailor embed (default: derived from attributes)')
    .option('--port <port>', 'listen port', '')
    .action(async (o) => {
      const dir = resolve(o.var);
      const base = loadConfig();
      const served = o.catalogue ? await prepareCatalogue(dir, resolve(o.catalogue), o.vectors) : await prepareWorld(dir, o.items, o.users);
      const server = await startServer({
        ...served,
        config: base,
        store: process.env.TAILOR_STORE ? undefined : `sqlite:${join(dir, `${served.name}.db`)}`,
        port: o.port === '' ? undefined : Number(o.port),
        storefrontApiKey: base.server.apiKeys[0],
      });
      announce(server, base.server.apiKeys);
      closeOnSignals(server);
    });
}

/** Generates the synthetic world and trains on its last week, each only when absent. */
async function prepareWorld(dir: string, itemsArg: string, usersArg: string) {
  const worldDir = join(dir, 'world');
  const modelDir = join(dir, 'model');
  const items = Number(itemsArg);
  const users = Number(usersArg);
  if (!Number.isInteger(items) || !Number.isInteger(users))
    throw new TailorError('CONFIG_INVALID', '--items and --users must be integers', {
      field: Number.isInteger(items) ? 'users' : 'items',
    });
  if (!existsSync(join(worldDir, 'world.json'))) {
    process.stderr.write(`generating a synthetic world (${items} items, ${users} shoppers) into ${worldDir}\n`);
    await writeWorld(generateWorld({ items, users, weeks: 2, dim: 128 }), worldDir);
  }
  if (!existsSync(join(modelDir, 'manifest.json'))) {
    const data = await loadDataset({ path: worldDir, format: 'synthetic' });
    const end = data.log.length > 0 ? data.log.timeAt(data.log.length - 1) + 1 : Date.now();
    process.stderr.write(`training a quick model on the last week of ${worldDir} (a few minutes on 2 cores)\n`);
    const artifact = await trainModel({ log: data.log, catalogue: data.catalogue, window: { start: end - WEEK_MS, end } }, quickConfig());
    await saveArtifact(modelDir, artifact);
  }
  return { name: 'tailor', data: worldDir, format: 'synthetic' as const, model: modelDir };
}

/** Trains on an H&M-layout catalogue's co-purchase list when no model exists yet for it (and these vectors). */
async function prepareCatalogue(dir: string, catalogueDir: string, vectors: string | undefined) {
  const name = basename(catalogueDir);
  const modelDir = join(dir, `${name}${vectors ? `-${basename(vectors, '.npy')}` : ''}-model`);
  if (!existsSync(join(modelDir, 'manifest.json'))) {
    const pairsFile = join(catalogueDir, PAIR_LIST);
    if (!existsSync(pairsFile))
      throw new TailorError(
        'DATA_NOT_FOUND',
        `no ${PAIR_LIST} to train on; train a model with tailor train and serve it with tailor serve`,
        {
          file: pairsFile,
        },
      );
    const data = await loadDataset({ path: catalogueDir, format: 'hm', vectors });
    const pairs = parsePairList(await readFile(pairsFile, 'utf8'), data.catalogue, pairsFile);
    process.stderr.write(`training a quick model on ${pairs.length} co-purchase pairs of ${data.catalogue.size} articles\n`);
    await saveArtifact(modelDir, await trainModelFromPairs(data.catalogue, pairs, quickConfig()));
  }
  return { name, data: catalogueDir, format: 'hm' as const, vectors, model: modelDir };
}
