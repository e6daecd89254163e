import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TailorError } from '../../core/errors.js';
import { EventLog } from '../event-log.js';
import type { DatasetParts } from './dataset.js';
import { readEventTable } from './event-table.js';
import { readItemTable } from './item-table.js';
import type { LoadDatasetOptions } from './options.js';
import { estimateRows } from './readers.js';
import { ReportBuilder } from './report.js';

/**
 * The folder `tailor generate` writes: `items.csv` (`id,<attributes…>,in_stock`; `price` numeric), `events.csv`
 * (`user,item,type,timestamp`, type ∈ click|favorite|cart|purchase, epoch ms), `vectors.npy` + `vectors.ids.txt`
 * (float32 n×D content vectors, used unless `vectors` says otherwise) and `thumbnails/<id>.svg` (recorded as
 * the attribute `thumbnail`).
 */
export async function loadSynthetic(opts: LoadDatasetOptions): Promise<DatasetParts & { vectors?: string }> {
  const dir = opts.path;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new TailorError('DATA_NOT_FOUND', 'a synthetic world must be a folder', { file: dir });
  const itemsFile = join(dir, 'items.csv');
  const eventsFile = join(dir, 'events.csv');
  for (const f of [itemsFile, eventsFile])
    if (!existsSync(f)) throw new TailorError('DATA_NOT_FOUND', 'missing from the synthetic world', { file: f });
  const report = new ReportBuilder('synthetic', opts.onBadRow, opts.maxErrors);
  const log = new EventLog({ capacity: await estimateRows(eventsFile) });
  const items = await readItemTable(
    itemsFile,
    log.items,
    report,
    { format: 'csv', idColumn: 'id', inStockColumn: 'in_stock', numericColumns: ['price'] },
    () => ({ log, report }),
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
    },
    { log, report, itemAttributes: items.attributes },
  );
  const npy = join(dir, 'vectors.npy');
  const attrs = [...items.attributes.keys()].filter((a) => a !== 'thumbnail' && a !== 'price' && a !== 'name');
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
