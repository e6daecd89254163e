import { basename } from 'node:path';
import type { IdDictionary } from '../id-dictionary.js';
import type { AttributeColumns } from './event-table.js';
import { asText, stringPool } from './fields.js';
import { openTable, type TableOptions } from './readers.js';
import type { ReportBuilder } from './report.js';

/** Options of the item-table reader (a catalogue file: one row per item, an id column and attribute columns). */
export interface ItemTableOptions extends TableOptions {
  idColumn: string;
  /** Attribute columns to keep (default: every column but the id, the in-stock column and `ignore`). */
  attributeColumns?: string[];
  ignore?: string[];
  /** Columns stored as numbers (others stay strings, so codes such as `0111565001` keep their zeros). */
  numericColumns?: string[];
  /** A 0/1/true/false column giving the in-stock flag. */
  inStockColumn?: string;
  normalizeId?: (id: string) => string;
}

/** Items read from a catalogue file: ids interned (file order) into `ids`, attributes aligned with indices, stock flags. */
export interface ItemTableResult {
  /** Item indices that came from the file (in file order). */
  indices: number[];
  attributes: AttributeColumns;
  /** In-stock flags by item index (undefined = not given). */
  inStock: (boolean | undefined)[];
}

/**
 * Streams a catalogue file into `ids` and attribute columns. A duplicate id, an empty id or a bad number is reported
 * with file, line and field through `report` (stop throws, skip counts and keeps the first occurrence).
 */
export async function readItemTable(
  file: string,
  ids: IdDictionary,
  report: ReportBuilder,
  opts: ItemTableOptions,
  partial?: () => unknown,
): Promise<ItemTableResult> {
  const table = await openTable(file, opts);
  const name = basename(file);
  report.files.push(file);
  const idIdx = table.columns.indexOf(opts.idColumn);
  if (idIdx < 0) {
    report.bad({
      code: 'DATA_FIELD',
      reason: 'field',
      file: name,
      line: 1,
      field: opts.idColumn,
      message: `no id column "${opts.idColumn}" (columns: ${table.columns.join(', ')})`,
    });
    return { indices: [], attributes: new Map(), inStock: [] };
  }
  const skip = new Set([opts.idColumn, ...(opts.ignore ?? []), ...(opts.inStockColumn ? [opts.inStockColumn] : [])]);
  const attrNames = opts.attributeColumns ?? table.columns.filter((c) => !skip.has(c) && c !== '');
  const attrs = attrNames.map((a) => ({
    name: a,
    idx: table.columns.indexOf(a),
    col: [] as (string | number | undefined)[],
    numeric: opts.numericColumns?.includes(a) ?? false,
  }));
  const stockIdx = opts.inStockColumn ? table.columns.indexOf(opts.inStockColumn) : -1;
  const attributes: AttributeColumns = new Map(attrs.filter((a) => a.idx >= 0).map((a) => [a.name, a.col]));
  const inStock: (boolean | undefined)[] = [];
  const indices: number[] = [];
  const lineOf = new Map<number, number>();
  const pool = stringPool();
  for await (const batch of table.rows)
    rows: for (const row of batch) {
      report.rowsRead++;
      if (row.error !== undefined) {
        report.bad({ code: 'DATA_PARSE', reason: 'parse', file: name, line: row.line, message: row.error }, partial);
        continue;
      }
      let id = asText(row.values[idIdx]);
      if (id === '') {
        report.bad(
          { code: 'DATA_FIELD', reason: 'field', file: name, line: row.line, field: opts.idColumn, message: 'empty item id' },
          partial,
        );
        continue;
      }
      if (opts.normalizeId) id = opts.normalizeId(id);
      const known = ids.get(id);
      if (known !== undefined && lineOf.has(known)) {
        report.bad(
          {
            code: 'DATA_DUPLICATE_ID',
            reason: 'duplicate',
            file: name,
            line: row.line,
            field: opts.idColumn,
            value: id,
            message: `item id "${id}" already defined on line ${lineOf.get(known)}`,
          },
          partial,
        );
        continue;
      }
      const values: (string | number | undefined)[] = [];
      for (const a of attrs) {
        if (a.idx < 0) continue;
        const raw = asText(row.values[a.idx]);
        if (a.numeric && raw !== '') {
          const num = Number(raw);
          if (!Number.isFinite(num)) {
            report.bad(
              {
                code: 'DATA_FIELD',
                reason: 'field',
                file: name,
                line: row.line,
                field: a.name,
                value: raw,
                message: `"${raw}" is not a number`,
              },
              partial,
            );
            continue rows;
          }
          values.push(num);
        } else values.push(raw === '' ? undefined : pool(raw));
      }
      let stock: boolean | undefined;
      if (stockIdx >= 0) {
        const raw = asText(row.values[stockIdx]).toLowerCase();
        if (raw === '1' || raw === 'true') stock = true;
        else if (raw === '0' || raw === 'false') stock = false;
        else if (raw !== '') {
          report.bad(
            {
              code: 'DATA_FIELD',
              reason: 'field',
              file: name,
              line: row.line,
              field: opts.inStockColumn,
              value: raw,
              message: `in-stock flag "${raw}" is not 0/1/true/false`,
            },
            partial,
          );
          continue;
        }
      }
      const i = ids.intern(id);
      lineOf.set(i, row.line);
      indices.push(i);
      let k = 0;
      for (const a of attrs) if (a.idx >= 0) a.col[i] = values[k++];
      inStock[i] = stock;
      report.accepted++;
    }
  return { indices, attributes, inStock };
}
