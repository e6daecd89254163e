import { EventLog } from '../event-log.js';
import type { DatasetParts } from './dataset.js';
import { partialLoad, readEventTable } from './event-table.js';
import { readItemTable } from './item-table.js';
import type { LoadDatasetOptions } from './options.js';
import { estimateRows, requireFile } from './readers.js';
import { ReportBuilder } from './report.js';

/**
 * A generic event log (CSV, NDJSON or Parquet, by extension or `tableFormat`): column names mapped by `columns`,
 * behaviour names by `behaviours`, timestamps as epoch s/ms or ISO dates (`timestampUnit`, default auto).
 * `items` optionally names a catalogue file whose non-id columns become item attributes.
 */
export async function loadEvents(opts: LoadDatasetOptions): Promise<DatasetParts> {
  requireFile(opts.path);
  const report = new ReportBuilder('events', opts.onBadRow, opts.maxErrors);
  const log = new EventLog({ capacity: await estimateRows(opts.path) });
  let attributes = new Map<string, (string | number | undefined)[]>();
  let inStock: (boolean | undefined)[] | undefined;
  if (opts.items) {
    const items = await readItemTable(
      opts.items,
      log.items,
      report,
      { idColumn: opts.itemIdColumn ?? 'id', inStockColumn: undefined },
      () => partialLoad(log, report),
    );
    attributes = items.attributes;
    inStock = items.inStock;
  }
  await readEventTable(
    opts.path,
    {
      format: opts.tableFormat,
      columns: opts.columns,
      behaviours: opts.behaviours,
      strictBehaviours: opts.strictBehaviours,
      timestampUnit: opts.timestampUnit,
      header: opts.header,
      names: opts.names,
      delimiter: opts.delimiter,
      window: opts.window,
      progress: opts.progress,
    },
    { log, report, itemAttributes: attributes },
  );
  return {
    name: opts.name ?? 'events',
    log,
    report,
    attributes,
    inStock,
    defaults: { method: attributes.size > 0 ? 'both' : 'interactions' },
  };
}
