import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TailorError } from '../../core/errors.js';
import type { DatasetParts } from './dataset.js';
import { readEventTable } from './event-table.js';
import type { LoadDatasetOptions } from './options.js';
import { ReportBuilder } from './report.js';

/** The official UserBehavior window, 2017-11-25 00:00 .. 2017-12-03 23:59:59 China time (unix s 1511539200 .. 1512316799). */
export const TAOBAO_WINDOW = { start: 1511539200_000, end: 1512316800_000 };

/**
 * Taobao UserBehavior (Alibaba/Tianchi): no header, `user_id,item_id,category_id,behavior,timestamp` with
 * behaviours pv|fav|cart|buy (→ click|favorite|cart|purchase) and unix seconds; the category becomes the item
 * attribute `category`. `officialWindow` drops the few out-of-window stamps (counted as filtered).
 */
export async function loadTaobao(opts: LoadDatasetOptions): Promise<DatasetParts> {
  const file = resolveFile(opts.path, /^UserBehavior.*\.csv$/i);
  const report = new ReportBuilder('taobao', opts.onBadRow, opts.maxErrors);
  const { log, itemAttributes } = await readEventTable(
    file,
    {
      format: 'csv',
      header: false,
      names: ['user', 'item', 'category', 'behavior', 'timestamp'],
      columns: { type: 'behavior' },
      behaviours: { pv: 'click', fav: 'favorite', cart: 'cart', buy: 'purchase' },
      strictBehaviours: true,
      timestampUnit: 's',
      window: opts.window ?? (opts.officialWindow ? TAOBAO_WINDOW : undefined),
      progress: opts.progress,
      itemAttributes: { category: 'category' },
    },
    { report },
  );
  return { name: opts.name ?? 'taobao', log, report, attributes: itemAttributes, defaults: { method: 'both', attributes: ['category'] } };
}

/** `path` itself when it is a file, else the single file in the folder whose name matches `pattern`. */
export function resolveFile(path: string, pattern: RegExp): string {
  if (!existsSync(path)) throw new TailorError('DATA_NOT_FOUND', 'no such file or folder', { file: path });
  if (!statSync(path).isDirectory()) return path;
  const matches = readdirSync(path)
    .filter((f) => pattern.test(f))
    .sort();
  if (matches.length === 0) throw new TailorError('DATA_NOT_FOUND', `no file matching ${pattern} in the folder`, { file: basename(path) });
  return join(path, matches[0]);
}
