import type { DatasetParts } from './dataset.js';
import { readEventTable } from './event-table.js';
import type { LoadDatasetOptions } from './options.js';
import { openTable } from './readers.js';
import { ReportBuilder } from './report.js';
import { resolveFile } from './taobao.js';

/**
 * RetailRocket. Two layouts, told apart by the header: the multi-behaviour subset `user,item,behavior,timestamp`
 * (view|cart|buy, unix SECONDS — checked: 1430623510 is 2015-05-03), and Kaggle's original `events.csv`
 * `timestamp,visitorid,event,itemid,transactionid` (view|addtocart|transaction, unix MILLISECONDS).
 * No item attributes: content vectors default to the interaction projection.
 */
export async function loadRetailRocket(opts: LoadDatasetOptions): Promise<DatasetParts> {
  const file = resolveFile(opts.path, /^(train_events|events)\.csv$/i);
  const report = new ReportBuilder('retailrocket', opts.onBadRow, opts.maxErrors);
  const { columns } = await openTable(file, { format: 'csv' });
  const original = columns.includes('visitorid');
  const { log, itemAttributes } = await readEventTable(
    file,
    {
      format: 'csv',
      columns: original ? { user: 'visitorid', item: 'itemid', type: 'event', timestamp: 'timestamp' } : { type: 'behavior' },
      behaviours: { view: 'click', cart: 'cart', addtocart: 'cart', buy: 'purchase', transaction: 'purchase' },
      strictBehaviours: true,
      timestampUnit: original ? 'ms' : 's',
      window: opts.window,
      progress: opts.progress,
    },
    { report },
  );
  return {
    name: opts.name ?? 'retailrocket',
    log,
    report,
    attributes: itemAttributes,
    defaults: { method: 'interactions', attributes: [] },
  };
}
