import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse as parseSync } from 'csv-parse/sync';
import { TailorError } from '../../core/errors.js';

/** Tabular file formats the generic loaders read. */
export type TableFormat = 'csv' | 'ndjson' | 'parquet';

/** One row: its 1-based line in the file (the row number for Parquet), values aligned with the table's columns, or why it could not be parsed. */
export interface TableRow {
  line: number;
  values: unknown[];
  error?: string;
}

/** A streamed table: column names and an async stream of row batches (never the whole file in memory for CSV/NDJSON). */
export interface Table {
  file: string;
  columns: string[];
  rows: AsyncIterable<TableRow[]>;
  /** Exact number of rows when the format records it (Parquet). */
  rowCount?: number;
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

/** Lines of a text file in batches (numbered from 1, BOM and CR stripped): streaming, one promise per batch, not per line. */
export async function* lineBatches(file: string, batchSize = 4096): AsyncGenerator<{ first: number; lines: string[] }> {
  let rest = '';
  let next = 1;
  let batch: string[] = [];
  let first = true;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    let text = rest + chunk;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let from = 0;
    for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
      batch.push(text.charCodeAt(nl - 1) === 13 && nl > from ? text.slice(from, nl - 1) : text.slice(from, nl));
      from = nl + 1;
      if (batch.length === batchSize) {
        yield { first: next, lines: batch };
        next += batch.length;
        batch = [];
      }
    }
    rest = text.slice(from);
  }
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest !== '') batch.push(rest);
  if (batch.length > 0) yield { first: next, lines: batch };
}

/** A quoted CSV record may span at most this many lines; beyond it the opening quote is reported as unterminated. */
const MAX_RECORD_LINES = 1000;

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * CSV rows: a line without a quote character is split on the delimiter directly (the common case, several times faster
 * than a general parser — see docs/data.md); a line with quotes, and the lines a quoted field spans, go through
 * csv-parse, so quoting rules are the library's. Row numbers are exact file lines (of the record's first line).
 */
async function openCsv(file: string, opts: TableOptions): Promise<Table> {
  const header = opts.header ?? true;
  const delimiter = opts.delimiter ?? (file.toLowerCase().endsWith('.tsv') ? '\t' : ',');
  let columns: string[] = opts.names ?? [];
  if (header) columns = await readCsvHeader(file, delimiter);
  if (columns.length === 0) throw new TailorError('DATA_FORMAT', 'CSV without a header needs column names', { file });
  const width = columns.length;
  const checkWidth = (values: string[], line: number): TableRow =>
    values.length === width
      ? { line, values }
      : { line, values, error: `expected ${width} fields (${columns.join(',')}), got ${values.length}` };
  const parseOne = (text: string, line: number): TableRow => {
    try {
      const recs = parseSync(text, { delimiter, relax_column_count: true, bom: false }) as string[][];
      if (recs.length !== 1) return { line, values: [], error: `expected one CSV record, found ${recs.length}` };
      return checkWidth(recs[0], line);
    } catch (err) {
      return { line, values: [], error: `unparsable CSV record: ${(err as Error).message}` };
    }
  };
  /** Parses the quoted records of a batch in one csv-parse call (a call per record costs ~6× more); per record only if that fails. */
  const parseQuoted = (out: TableRow[], idx: number[], texts: string[]): void => {
    if (idx.length === 0) return;
    let recs: string[][] | undefined;
    try {
      recs = parseSync(texts.join('\n'), { delimiter, relax_column_count: true, bom: false }) as string[][];
    } catch {
      recs = undefined;
    }
    for (let k = 0; k < idx.length; k++) {
      const line = out[idx[k]].line;
      out[idx[k]] = recs && recs.length === idx.length ? checkWidth(recs[k], line) : parseOne(texts[k], line);
    }
  };
  async function* rows(): AsyncGenerator<TableRow[]> {
    let pending: string[] = [];
    let pendingLine = 0;
    let quotes = 0;
    let out: TableRow[] = [];
    let quotedIdx: number[] = [];
    let quotedText: string[] = [];
    const pushQuoted = (text: string, line: number): void => {
      quotedIdx.push(out.length);
      quotedText.push(text);
      out.push({ line, values: [] });
    };
    // Lines queued for (re)processing: lines given back by a runaway quoted field.
    const queue: Array<{ line: number; text: string }> = [];
    const step = (line: number, text: string): void => {
      if (pending.length > 0) {
        pending.push(text);
        quotes += countQuotes(text);
        if (quotes % 2 === 0) {
          pushQuoted(pending.join('\n'), pendingLine);
          pending = [];
        } else if (pending.length >= MAX_RECORD_LINES) {
          out.push({
            line: pendingLine,
            values: [],
            error: `unterminated quoted field (no closing quote within ${MAX_RECORD_LINES} lines)`,
          });
          const back = pending.slice(1).map((t, k) => ({ line: pendingLine + 1 + k, text: t }));
          pending = [];
          queue.unshift(...back);
        }
        return;
      }
      if (text === '') return;
      if (text.indexOf('"') < 0) {
        out.push(checkWidth(text.split(delimiter), line));
        return;
      }
      quotes = countQuotes(text);
      if (quotes % 2 === 0) pushQuoted(text, line);
      else {
        pending = [text];
        pendingLine = line;
      }
    };
    const flush = (): TableRow[] => {
      parseQuoted(out, quotedIdx, quotedText);
      const done = out;
      out = [];
      quotedIdx = [];
      quotedText = [];
      return done;
    };
    for await (const b of lineBatches(file)) {
      for (let k = 0; k < b.lines.length; k++) {
        const line = b.first + k;
        if (line === 1 && header) continue;
        step(line, b.lines[k]);
        while (queue.length > 0) {
          const q = queue.shift()!;
          step(q.line, q.text);
        }
      }
      if (out.length > 0) yield flush();
    }
    if (pending.length > 0) out.push({ line: pendingLine, values: [], error: 'unterminated quoted field at the end of the file' });
    if (out.length > 0) yield flush();
  }
  return { file, columns, rows: rows() };
}

async function readCsvHeader(file: string, delimiter: string): Promise<string[]> {
  for await (const b of lineBatches(file, 1)) {
    const recs = parseSync(b.lines[0], { delimiter, relax_column_count: true }) as string[][];
    if (recs.length > 0) return recs[0].map((s) => s.trim());
    break;
  }
  throw new TailorError('DATA_FORMAT', 'empty CSV file: no header line', { file, line: 1 });
}

async function firstObjectKeys(file: string): Promise<string[]> {
  for await (const b of lineBatches(file, 64))
    for (const text of b.lines) {
      if (text.trim() === '') continue;
      try {
        const o = JSON.parse(text);
        return o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : [];
      } catch {
        return [];
      }
    }
  return [];
}

async function openNdjson(file: string, opts: TableOptions): Promise<Table> {
  // Without a field list, the keys of the first object name the columns.
  const fields = opts.fields ?? (await firstObjectKeys(file));
  if (fields.length === 0)
    throw new TailorError('DATA_FORMAT', 'no fields to read: the first line holds no JSON object keys', { file, line: 1 });
  async function* rows(): AsyncGenerator<TableRow[]> {
    for await (const b of lineBatches(file)) {
      const out: TableRow[] = [];
      for (let k = 0; k < b.lines.length; k++) {
        const line = b.first + k;
        const text = b.lines[k];
        if (text.trim() === '') continue;
        let obj: unknown;
        try {
          obj = JSON.parse(text);
        } catch (err) {
          out.push({ line, values: [], error: `invalid JSON: ${(err as Error).message}` });
          continue;
        }
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
          out.push({ line, values: [], error: 'a line must hold one JSON object' });
          continue;
        }
        const o = obj as Record<string, unknown>;
        out.push({ line, values: fields.map((f) => o[f]) });
      }
      if (out.length > 0) yield out;
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
  async function* rows(): AsyncGenerator<TableRow[]> {
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
      for (let i = 0; i < chunk.length; i += 4096) yield chunk.slice(i, i + 4096).map((values, k) => ({ line: start + i + k + 1, values }));
      start = end;
    }
  }
  return { file, columns, rows: rows(), rowCount: Number(meta.num_rows) };
}
