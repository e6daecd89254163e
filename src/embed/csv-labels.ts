import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { TailorError } from '../core/errors.js';

/**
 * Reads one label column of a headed CSV keyed by an id column (e.g. H&M articles.csv: article_id →
 * product_type_name), for the embedding quality check. A missing column is a DATA_FIELD error naming it.
 */
export function readCsvLabels(file: string, idField: string, labelField: string): Map<string, string> {
  let rows: Record<string, string>[];
  try {
    rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    throw new TailorError('DATA_PARSE', `cannot parse CSV: ${(err as Error).message}`, { file }, {}, { cause: err });
  }
  const out = new Map<string, string>();
  if (rows.length === 0) return out;
  for (const f of [idField, labelField])
    if (!(f in rows[0])) throw new TailorError('DATA_FIELD', 'column missing from the header', { file, line: 1, field: f });
  for (const r of rows) out.set(r[idField], r[labelField]);
  return out;
}
