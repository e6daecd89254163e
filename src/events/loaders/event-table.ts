import { basename } from 'node:path';
import { startProgress } from '../../core/progress.js';
import { type InteractionType, type TimeWindow, TYPE_CODE } from '../../core/types.js';
import { EventLog } from '../event-log.js';
import { asText, behaviourMapper, parseTimestamp, stringPool, type TimestampUnit } from './fields.js';
import { estimateRows, openTable, type TableOptions } from './readers.js';
import { type BadRowPolicy, type LoadReport, ReportBuilder } from './report.js';

/** Which column holds each event field; defaults `user`, `item`, `type`, `timestamp`. */
export interface EventColumns {
  user: string;
  item: string;
  type: string;
  timestamp: string;
}

/** Options of the generic event-table reader (CSV / NDJSON / Parquet). */
export interface EventTableOptions extends TableOptions {
  columns?: Partial<EventColumns>;
  /** Extra behaviour names → types, on top of (or, with `strictBehaviours`, instead of) the defaults. */
  behaviours?: Record<string, InteractionType>;
  strictBehaviours?: boolean;
  /** Every row is this type and no type column is read (e.g. H&M transactions are purchases). */
  fixedType?: InteractionType;
  timestampUnit?: TimestampUnit;
  /** Keep only events with timestamps in [start, end) (epoch ms); others are counted as `filtered`. */
  window?: TimeWindow;
  /** Columns kept as item attributes (attribute name → column); the first value seen for an item wins. */
  itemAttributes?: Record<string, string>;
  /** Rewrites raw item ids (e.g. zero-padding) before interning. */
  normalizeItem?: (id: string) => string;
  onBadRow?: BadRowPolicy;
  maxErrors?: number;
  /** Show a progress bar (rows read against the size estimate) on stderr. */
  progress?: boolean;
}

/** Item attribute columns aligned with the item dictionary (index = item index). */
export type AttributeColumns = Map<string, (string | number | undefined)[]>;

/** What one event file yields: events appended to `log`, and item attributes read from the event rows. */
export interface EventTableResult {
  log: EventLog;
  itemAttributes: AttributeColumns;
}

/**
 * Streams one event file into a columnar EventLog (appending to `into.log` when given, so several files share
 * dictionaries). Bad rows follow `onBadRow`: `stop` throws a TailorError naming file, line and field with the events
 * read so far in `details.partial`; `skip` counts them per reason in the report.
 */
export async function readEventTable(
  file: string,
  opts: EventTableOptions = {},
  into: { log?: EventLog; report?: ReportBuilder; itemAttributes?: AttributeColumns } = {},
): Promise<EventTableResult> {
  const cols: EventColumns = { user: 'user', item: 'item', type: 'type', timestamp: 'timestamp', ...opts.columns };
  const attrCols = Object.entries(opts.itemAttributes ?? {});
  const wanted = [cols.user, cols.item, ...(opts.fixedType ? [] : [cols.type]), cols.timestamp, ...attrCols.map(([, c]) => c)];
  const table = await openTable(file, { ...opts, fields: opts.fields ?? wanted });
  const name = basename(file);
  const report = into.report ?? new ReportBuilder('events', opts.onBadRow ?? 'stop', opts.maxErrors);
  report.files.push(file);
  const estimate = table.rowCount ?? (await estimateRows(file));
  const log = into.log ?? new EventLog({ capacity: estimate });
  if (into.log) log.reserve(log.length + estimate);
  const bar = opts.progress ? startProgress(`loading ${name}`, estimate, { unit: 'rows' }) : undefined;
  let seen = 0;
  const itemAttributes = into.itemAttributes ?? new Map();

  const where = (c: string): number => table.columns.indexOf(c);
  // A missing column is a file-level error: it throws even under `skip`, since every row would fail.
  const missingColumn = wanted.find((c) => !table.columns.includes(c));
  if (missingColumn !== undefined) {
    const strict = new ReportBuilder(report.format, 'stop');
    strict.files.push(file);
    strict.bad({
      code: 'DATA_FIELD',
      reason: 'field',
      file: name,
      line: 1,
      field: missingColumn,
      message: `no column "${missingColumn}" (columns: ${table.columns.join(', ')})`,
    });
  }
  const iu = where(cols.user);
  const ii = where(cols.item);
  const it = opts.fixedType ? -1 : where(cols.type);
  const its = where(cols.timestamp);
  const attrIdx = attrCols.map(([attr, c]) => ({ attr, idx: where(c), col: getColumn(itemAttributes, attr) }));
  const fixedCode = opts.fixedType ? TYPE_CODE[opts.fixedType] : -1;
  const pool = stringPool();
  const mapBehaviour = behaviourMapper(opts.behaviours, opts.strictBehaviours);
  const unit = opts.timestampUnit ?? 'auto';
  const win = opts.window;
  const partial = () => partialLoad(log, report, itemAttributes);

  for await (const batch of table.rows)
    for (const row of batch) {
      report.rowsRead++;
      if (bar && (++seen & 0xffff) === 0) bar.update(seen);
      const line = row.line;
      if (row.error !== undefined) {
        report.bad({ code: 'DATA_PARSE', reason: 'parse', file: name, line, message: row.error }, partial);
        continue;
      }
      const v = row.values;
      const user = asText(v[iu]);
      if (user === '') {
        report.bad({ code: 'DATA_FIELD', reason: 'field', file: name, line, field: cols.user, message: 'empty user id' }, partial);
        continue;
      }
      let item = asText(v[ii]);
      if (item === '') {
        report.bad({ code: 'DATA_FIELD', reason: 'field', file: name, line, field: cols.item, message: 'empty item id' }, partial);
        continue;
      }
      if (opts.normalizeItem) item = opts.normalizeItem(item);
      let code = fixedCode;
      if (code < 0) {
        const raw = asText(v[it]);
        const type = mapBehaviour(raw);
        if (type === undefined) {
          report.bad(
            {
              code: 'DATA_FIELD',
              reason: 'behaviour',
              file: name,
              line,
              field: cols.type,
              value: raw,
              message: `unknown behaviour "${raw}"`,
            },
            partial,
          );
          continue;
        }
        code = TYPE_CODE[type];
      }
      const ts = parseTimestamp(v[its], unit);
      if (ts === undefined) {
        const raw = asText(v[its]);
        report.bad(
          {
            code: 'DATA_FIELD',
            reason: 'timestamp',
            file: name,
            line,
            field: cols.timestamp,
            value: raw,
            message: `bad timestamp "${raw}" (expected ${unit === 'auto' ? 'epoch s/ms or an ISO date' : unit})`,
          },
          partial,
        );
        continue;
      }
      if (win && (ts < win.start || ts >= win.end)) {
        report.filtered();
        continue;
      }
      const itemIndex = log.items.intern(item);
      log.pushIndexed(log.users.intern(user), itemIndex, code, ts);
      for (const a of attrIdx) if (a.col[itemIndex] === undefined) a.col[itemIndex] = pool(asText(v[a.idx])) || undefined;
      report.accepted++;
    }
  bar?.update(seen);
  bar?.stop();
  return { log, itemAttributes };
}

/** What a `stop` error carries in `partialOf(err)`: the events and item attributes read before the bad row. */
export interface PartialLoad {
  log: EventLog;
  itemAttributes: AttributeColumns;
  report: LoadReport;
}

/** The partial result of an interrupted load (no vectors yet). */
export function partialLoad(log: EventLog, report: ReportBuilder, itemAttributes: AttributeColumns = new Map()): PartialLoad {
  return {
    log,
    itemAttributes,
    report: report.finish({
      events: log.length,
      items: log.items.size,
      users: log.users.size,
      vectors: { dim: 0, fromFile: 0, derived: 0, method: 'none' },
    }),
  };
}

function getColumn(m: AttributeColumns, name: string): (string | number | undefined)[] {
  let c = m.get(name);
  if (!c) {
    c = [];
    m.set(name, c);
  }
  return c;
}
