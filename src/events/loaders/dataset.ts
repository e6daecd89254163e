import { Catalogue } from '../../catalogue/catalogue.js';
import { type ContentVectorMethod, deriveContentVectors, imputeMissingVectors } from '../../catalogue/content-vectors.js';
import { readItemVectors } from '../../catalogue/npy.js';
import { TailorError } from '../../core/errors.js';
import type { TypeWeights } from '../../core/types.js';
import type { EventLog } from '../event-log.js';
import type { AttributeColumns } from './event-table.js';
import type { LoadReport, ReportBuilder } from './report.js';

/** A loaded data set: events sorted by time over the catalogue's item dictionary (`log.items === catalogue.ids`). */
export interface Dataset {
  name: string;
  log: EventLog;
  catalogue: Catalogue;
  report: LoadReport;
}

/** How a data set gets its content vectors x_i: from a file, else the documented fallback. */
export interface VectorOptions {
  /** Item vectors (.npy, float32 n×D) with an id list (default `<name>.ids.txt`); items missing from it are imputed. */
  vectors?: string;
  vectorIds?: string;
  /** Dimension of derived vectors (default 64). */
  dim?: number;
  /** Fallback method when no vector file is given (default per format, see docs/data.md). */
  contentVectors?: ContentVectorMethod;
  /**
   * Interactions used for derived vectors must be earlier than this (epoch ms), or than what this function returns
   * for the loaded, time-sorted log (e.g. `(log) => log.timeRange()!.start + 7 * 86_400_000`, without loading twice).
   * Default: the median event time (the first half of the events).
   */
  vectorCutoff?: number | ((log: EventLog) => number);
  /** Attributes used for derived vectors and imputation (default: per format). */
  vectorAttributes?: string[];
  /** Weights of the interaction types in the interaction projection (default SPEC §1: 1, 2, 3, 4). */
  typeWeights?: TypeWeights;
  seed?: number;
}

/** The pieces a format loader hands over to become a Dataset. */
export interface DatasetParts {
  name: string;
  log: EventLog;
  report: ReportBuilder;
  attributes: AttributeColumns;
  inStock?: (boolean | undefined)[];
  defaults: { method: ContentVectorMethod; attributes?: string[] };
  /** A vector file that comes with the data set (the synthetic world's vectors.npy), used unless the caller names one. */
  vectors?: string;
}

/**
 * The default cutoff for interaction-derived vectors: the median event time of the (sorted) log, so vectors use only
 * the first half of the events and never look into a later test period. A median, not the middle of the range,
 * because a few stray old stamps (Taobao has some from September) would otherwise move it to before nearly everything.
 */
export function defaultVectorCutoff(log: EventLog): number {
  if (log.length === 0) return 0;
  log.sortByTime();
  return log.timeAt(Math.floor(log.length / 2));
}

/**
 * Turns loaded events and item attributes into a Dataset: sorts the log by time, builds the catalogue on the log's
 * item dictionary, and gives every item a content vector (from `vectors`, imputing the missing ones in the same
 * space, or derived by `deriveContentVectors`).
 */
export async function assembleDataset(parts: DatasetParts, opts: VectorOptions): Promise<Dataset> {
  const { log, report, attributes } = parts;
  log.sortByTime();
  const ids = log.items;
  const attrNames = opts.vectorAttributes ?? parts.defaults.attributes ?? [...attributes.keys()];
  let dim: number;
  let data: Float32Array;
  let fromFile = 0;
  let derived = 0;
  let method: string;
  if (opts.vectors) {
    const file = await readItemVectors(opts.vectors, opts.vectorIds);
    for (const id of file.ids) ids.intern(id);
    dim = file.vectors.cols;
    const n = ids.size;
    data = new Float32Array(n * dim);
    const has = new Uint8Array(n);
    for (let r = 0; r < file.ids.length; r++) {
      const i = ids.get(file.ids[r])!;
      data.set(file.vectors.data.subarray(r * dim, (r + 1) * dim), i * dim);
      has[i] = 1;
    }
    fromFile = file.ids.length;
    derived = imputeMissingVectors({ rows: n, cols: dim, data }, has, attributes, attrNames);
    method = derived > 0 ? 'file + attribute-mean imputation' : 'file';
  } else {
    dim = opts.dim ?? 64;
    const m = opts.contentVectors ?? parts.defaults.method;
    const before = typeof opts.vectorCutoff === 'function' ? opts.vectorCutoff(log) : (opts.vectorCutoff ?? defaultVectorCutoff(log));
    const d = deriveContentVectors({
      ids: ids.ids,
      dim,
      method: m,
      seed: opts.seed,
      attributes,
      attributeNames: attrNames,
      log,
      before,
      typeWeights: opts.typeWeights,
    });
    data = d.vectors.data;
    derived = ids.size;
    method = `derived:${m} (attributes ${d.fromAttributes}, interactions ${d.fromInteractions}, id-only ${d.fromIdOnly})`;
  }
  for (let k = 0; k < data.length; k++)
    if (!Number.isFinite(data[k]))
      throw new TailorError('DATA_FIELD', `item "${ids.id(Math.floor(k / dim))}" has a non-finite vector value`, {
        file: opts.vectors,
        field: 'vector',
      });
  const catalogue = new Catalogue(dim, { ids, vectors: data });
  for (const [name, col] of attributes) catalogue.attributes.set(name, col);
  if (parts.inStock) for (let i = 0; i < parts.inStock.length; i++) if (parts.inStock[i] === false) catalogue.setInStock(i, false);
  if (log.columnBytes() > 1.1 * 17 * log.length + 1024) log.trim();
  return {
    name: parts.name,
    log,
    catalogue,
    report: report.finish({ events: log.length, items: ids.size, users: log.users.size, vectors: { dim, fromFile, derived, method } }),
  };
}
