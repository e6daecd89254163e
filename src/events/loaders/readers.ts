import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { TailorError } from '../../core/errors.js';

/** Tabular file formats the generic loaders read. */
export type TableFormat = 'csv' | 'ndjson' | 'parquet';

/** One row: its 1-based line in the file (the row number for Parquet), values aligned with the table's columns, or why it could not be parsed. */
export interface TableRow {
  line: number;
  values: unknown[];
  error?: string;
}

/** A streamed table: column names and an async stream of rows (never the whole file in memory for CSV/NDJSON). */
export interface Table {
  file: string;
  columns: string[];
  rows: AsyncIterable<TableRow>;
}

export interface TableOptions {
  format?: TableFormat | 'auto';
  /** CSV: true when the first line names the columns (default true); otherwise `names` gives them. */
  header?: boolean;
  names?: string[];
  delimiter?: string;
  /** NDJSON/Parquet: the fields to extract (all of a Parquet file's columns when absent). */
  fields?: string[];
}

/** The format implied by a file's extension (.csv/.tsv/.txt → csv, .ndjson/.jsonl → ndjson, .parquet → parquet). */
export function formatFromExtension(file: string): TableFormat {
  const f = file.toLowerCase();
  if (f.endsWith('.ndjson') || f.endsWith('.jsonl') || f.endsWith('.json')) return 'ndjson';
  if (f.endsWith('.parquet') || f.endsWith('.pq')) return 'parquet';
  return 'csv';
}

/** Throws DATA_NOT_FOUND unless `file` exists. */
export function requireFile(file: string): void {
  if (!existsSync(file)) throw new TailorError('DATA_NOT_FOUND', 'no such file', { file });
}

/** Opens `file` as a streamed table in its format. */
export async function openTable(file: string, opts: TableOptions = {}): Promise<Table> {
  requireFile(file);
  const format = !opts.format || opts.format === 'auto' ? formatFromExtension(file) : opts.format;
  if (format === 'csv') return openCsv(file, opts);
  if (format === 'ndjson') return openNdjson(file, opts);
  return openParquet(file, opts);
}

/** Rough number of data rows, from the file size and the mean length of the first 64 KiB of lines (capacity hint only). */
export async function estimateRows(file: string): Promise<number> {
  const size = statSync(file).size;
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 65536));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (buf[i] === 10) lines++;
    if (lines === 0) return 16;
    return Math.ceil((size / (bytesRead / lines)) * 1.02) + 16;
  } finally {
    await fh.close();
  }
}

async function openCsv(file: string, opts: TableOptions): Promise<Table> {
  const header = opts.header ?? true;
  const delimiter = opts.delimiter ?? (file.toLowerCase().endsWith('.tsv') ? '\t' : ',');
  let columns: string[] = opts.names ?? [];
  if (header) columns = await readCsvHeader(file, delimiter);
  if (columns.length === 0) throw new TailorError('DATA_FORMAT', 'CSV without a header needs column names', { file });
  const width = columns.length;
  async function* rows(): AsyncGenerator<TableRow> {
    const skipped: TableRow[] = [];
    const parser = createReadStream(file).pipe(
      parse({
        bom: true,
        delimiter,
        from_line: header ? 2 : 1,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_error: true,
        on_skip: (err) => {
          skipped.push({ line: Number(err?.lines ?? 0), values: [], error: err?.message ?? 'unparsable CSV record' });
          return undefined;
        },
      }),
    );
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length > 0) yield skipped.shift()!;
      const line = rec.info.lines;
      if (rec.record.length !== width)
        yield { line, values: rec.record, error: `expected ${width} fields (${columns.join(',')}), got ${rec.record.length}` };
      else yield { line, values: rec.record };
    }
    while (skipped.length > 0) yield skipped.shift()!;
  }
  return { file, columns, rows: rows() };
}

async function readCsvHeader(file: string, delimiter: string): Promise<string[]> {
  const parser = createReadStream(file).pipe(parse({ bom: true, delimiter, to_line: 1, relax_column_count: true }));
  for await (const rec of parser as AsyncIterable<string[]>) return rec.map((s) => s.trim());
  throw new TailorError('DATA_FORMAT', 'empty CSV file: no header line', { file, line: 1 });
}

async function openNdjson(file: string, opts: TableOptions): Promise<Table> {
  const fields = opts.fields ?? [];
  if (fields.length === 0) throw new TailorError('DATA_FORMAT', 'NDJSON reading needs the field names to extract', { file });
  async function* rows(): AsyncGenerator<TableRow> {
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    let line = 0;
    for await (const text of rl) {
      line++;
      if (text.trim() === '') continue;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch (err) {
        yield { line, values: [], error: `invalid JSON: ${(err as Error).message}` };
        continue;
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        yield { line, values: [], error: 'a line must hold one JSON object' };
        continue;
      }
      const o = obj as Record<string, unknown>;
      yield { line, values: fields.map((f) => o[f]) };
    }
  }
  return { file, columns: fields, rows: rows() };
}

async function openParquet(file: string, opts: TableOptions): Promise<Table> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } = await import('hyparquet');
  const buffer = await asyncBufferFromFile(file);
  let meta: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    meta = await parquetMetadataAsync(buffer);
  } catch (err) {
    throw new TailorError('DATA_FORMAT', `not a readable Parquet file: ${(err as Error).message}`, { file });
  }
  const all = parquetSchema(meta).children.map((c) => c.element.name);
  const columns = opts.fields ?? all;
  const missing = columns.filter((c) => !all.includes(c));
  if (missing.length > 0)
    throw new TailorError('DATA_FIELD', `Parquet file has no column ${missing.join(', ')} (it has ${all.join(', ')})`, {
      file,
      field: missing[0],
    });
  async function* rows(): AsyncGenerator<TableRow> {
    // One row group at a time keeps memory bounded by the largest row group, not the file.
    let start = 0;
    for (const rg of meta.row_groups) {
      const end = start + Number(rg.num_rows);
      let chunk: unknown[][] = [];
      await parquetRead({
        file: buffer,
        metadata: meta,
        columns,
        rowStart: start,
        rowEnd: end,
        onComplete: (r: unknown[][]) => {
          chunk = r;
        },
      });
      for (let i = 0; i < chunk.length; i++) yield { line: start + i + 1, values: chunk[i] };
      start = end;
    }
  }
  return { file, columns, rows: rows() };
}
