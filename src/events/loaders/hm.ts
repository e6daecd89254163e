import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TailorError } from '../../core/errors.js';
import { EventLog } from '../event-log.js';
import type { DatasetParts } from './dataset.js';
import { partialLoad, readEventTable } from './event-table.js';
import { readItemTable } from './item-table.js';
import type { LoadDatasetOptions } from './options.js';
import { ReportBuilder } from './report.js';

/** H&M article ids are 10 digits; files saved through pandas lost the leading zero, so ids are zero-padded back. */
export function hmArticleId(id: string): string {
  return /^\d{1,9}$/.test(id) ? id.padStart(10, '0') : id;
}

/** The categorical articles.csv columns used for derived content vectors (names, ids and free text left out). */
export const HM_VECTOR_ATTRIBUTES = [
  'product_code',
  'product_type_name',
  'product_group_name',
  'graphical_appearance_name',
  'colour_group_name',
  'perceived_colour_value_name',
  'perceived_colour_master_name',
  'department_name',
  'index_name',
  'index_group_name',
  'section_name',
  'garment_group_name',
];

/**
 * H&M Kaggle layout in a folder: `articles.csv` (the 25-column schema; article_id → the other 24 columns as item
 * attributes, plus `image` = the path of `images/<first 3 digits>/<article_id>.jpg` when that file exists) and
 * `transactions_train.csv` (`t_dat,customer_id,article_id,price,sales_channel_id` → purchase events at t_dat 00:00 UTC).
 * Either file may be absent (a catalogue without events, or events without attributes), not both.
 */
export async function loadHm(opts: LoadDatasetOptions): Promise<DatasetParts> {
  const dir = opts.path;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TailorError('DATA_NOT_FOUND', 'H&M data must be a folder', { file: dir });
  const articles = join(dir, 'articles.csv');
  const transactions = join(dir, 'transactions_train.csv');
  if (!existsSync(articles) && !existsSync(transactions))
    throw new TailorError('DATA_NOT_FOUND', 'neither articles.csv nor transactions_train.csv in the folder', { file: dir });
  const report = new ReportBuilder('hm', opts.onBadRow, opts.maxErrors);
  const log = new EventLog({ capacity: 16 });
  let attributes = new Map<string, (string | number | undefined)[]>();
  if (existsSync(articles)) {
    const items = await readItemTable(
      articles,
      log.items,
      report,
      // The head10k copy carries an unnamed pandas index as first column: ignored.
      { format: 'csv', idColumn: 'article_id', normalizeId: hmArticleId, ignore: [''] },
      () => partialLoad(log, report),
    );
    attributes = items.attributes;
    const images = indexImages(opts.imagesDir ?? join(dir, 'images'));
    if (images) {
      const col: (string | undefined)[] = [];
      for (const i of items.indices) {
        const id = log.items.id(i);
        const rel = join(id.slice(0, 3), `${id}.jpg`);
        if (images.has(rel)) col[i] = join(images.root, rel);
      }
      attributes.set('image', col);
    }
  }
  if (existsSync(transactions)) {
    await readEventTable(
      transactions,
      {
        format: 'csv',
        columns: { user: 'customer_id', item: 'article_id', timestamp: 't_dat' },
        fixedType: 'purchase',
        timestampUnit: 'iso',
        normalizeItem: hmArticleId,
        window: opts.window,
        progress: opts.progress,
      },
      { log, report, itemAttributes: attributes },
    );
  }
  return { name: opts.name ?? 'hm', log, report, attributes, defaults: { method: 'attributes', attributes: HM_VECTOR_ATTRIBUTES } };
}

/** The set of `<3 digits>/<id>.jpg` paths under `root` (one directory listing per sub-folder, not one stat per article). */
function indexImages(root: string): { root: string; has(rel: string): boolean } | undefined {
  if (!existsSync(root)) return undefined;
  const set = new Set<string>();
  for (const sub of readdirSync(root)) {
    const p = join(root, sub);
    if (!statSync(p).isDirectory()) continue;
    for (const f of readdirSync(p)) if (f.endsWith('.jpg')) set.add(join(sub, f));
  }
  return { root, has: (rel) => set.has(rel) };
}
