import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TailorError } from '../../core/errors.js';
import { EventLog } from '../event-log.js';
import type { DatasetParts } from './dataset.js';
import { partialLoad, readEventTable } from './event-table.js';
import { readItemTable } from './item-table.js';
import type { LoadDatasetOptions } from './options.js';
import { estimateRows } from './readers.js';
import { ReportBuilder } from './report.js';

/**
 * The folder `tailor generate` writes: `items.csv` (`id,<attributes…>,in_stock`; `price` numeric), `events.csv`
 * (`user,item,type,timestamp`, type ∈ click|favorite|cart|purchase, epoch ms), `vectors.npy` + `vectors.ids.txt`
 * (float32 n×D content vectors, used unless `vectors` says otherwise), `thumbnails/<id>.svg` (recorded as
 * the attribute `thumbnail`) and `world.json` (when present, its layout version must be one this loader reads).
 */
export async function loadSynthetic(opts: LoadDatasetOptions): Promise<DatasetParts> {
  const dir = opts.path;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new TailorError('DATA_NOT_FOUND', 'a synthetic world must be a folder', { file: dir });
  const itemsFile = join(dir, 'items.csv');
  const eventsFile = join(dir, 'events.csv');
  for (const f of [itemsFile, eventsFile])
    if (!existsSync(f)) throw new TailorError('DATA_NOT_FOUND', 'missing from the synthetic world', { file: f });
  checkWorldVersion(join(dir, 'world.json'));
  const report = new ReportBuilder('synthetic', opts.onBadRow, opts.maxErrors);
  const log = new EventLog({ capacity: await estimateRows(eventsFile) });
  const items = await readItemTable(
    itemsFile,
    log.items,
    report,
    { format: 'csv', idColumn: 'id', inStockColumn: 'in_stock', numericColumns: ['price', 'arrival'] },
    () => partialLoad(log, report),
  );
  const thumbs = join(dir, 'thumbnails');
  if (existsSync(thumbs)) {
    const files = new Set(readdirSync(thumbs));
    const col: (string | undefined)[] = [];
    for (const i of items.indices) {
      const f = `${log.items.id(i)}.svg`;
      if (files.has(f)) col[i] = join(thumbs, f);
    }
    items.attributes.set('thumbnail', col);
  }
  await readEventTable(
    eventsFile,
    {
      format: 'csv',
      strictBehaviours: true,
      behaviours: { click: 'click', favorite: 'favorite', cart: 'cart', purchase: 'purchase' },
      timestampUnit: 'ms',
      window: opts.window,
      progress: opts.progress,
    },
    { log, report, itemAttributes: items.attributes },
  );
  const npy = join(dir, 'vectors.npy');
  const attrs = [...items.attributes.keys()].filter((a) => !['thumbnail', 'price', 'name', 'arrival'].includes(a));
  return {
    name: opts.name ?? 'synthetic',
    log,
    report,
    attributes: items.attributes,
    inStock: items.inStock,
    defaults: { method: 'attributes', attributes: attrs },
    vectors: existsSync(npy) ? npy : undefined,
  };
}

/** The world.json layout versions this loader reads. */
export const SUPPORTED_WORLD_VERSIONS = [1];

function checkWorldVersion(file: string): void {
  if (!existsSync(file)) return;
  let meta: { format?: unknown; version?: unknown };
  try {
    meta = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TailorError('DATA_PARSE', `world.json is not valid JSON: ${(err as Error).message}`, { file: 'world.json' });
  }
  if (meta.format !== undefined && meta.format !== 'synthetic')
    throw new TailorError('DATA_FORMAT', `world.json says format "${String(meta.format)}", expected "synthetic"`, {
      file: 'world.json',
      field: 'format',
    });
  if (meta.version !== undefined && !SUPPORTED_WORLD_VERSIONS.includes(Number(meta.version)))
    throw new TailorError(
      'DATA_FORMAT',
      `world layout version ${String(meta.version)} is not supported (supported: ${SUPPORTED_WORLD_VERSIONS.join(', ')})`,
      {
        file: 'world.json',
        field: 'version',
      },
    );
}
