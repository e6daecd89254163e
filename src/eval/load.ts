import { readFile } from 'node:fs/promises';
import type { Catalogue } from '../catalogue/catalogue.js';
import { type ConfigInput, loadConfig, type TailorConfig } from '../core/config.js';
import { TailorError } from '../core/errors.js';
import type { EventLog } from '../events/event-log.js';
import { type DatasetFormat, loadDataset } from '../events/loaders/index.js';
import { DAY_MS } from './split.js';

/** A data set ready for `evaluate`, with notes on how it was prepared. */
export interface EvalDataset {
  name: string;
  log: EventLog;
  catalogue: Catalogue;
  notes: string[];
}

/**
 * Loads a data set for evaluation. Without a vectors file the loader derives content vectors (its documented
 * fallback); interaction-derived ones must not look into any test period, so they only use events before the
 * end of the earliest possible training window (first event + `trainDays`). Taobao is cut to its official window.
 */
export async function loadEvalDataset(opts: {
  path: string;
  format: DatasetFormat;
  vectors?: string;
  trainDays: number;
  seed?: number;
}): Promise<EvalDataset> {
  const notes: string[] = [];
  const base = {
    path: opts.path,
    format: opts.format,
    vectors: opts.vectors,
    onBadRow: 'skip' as const,
    officialWindow: true,
    seed: opts.seed,
  };
  let ds = await loadDataset(base);
  if (!opts.vectors && opts.format !== 'synthetic' && opts.format !== 'hm') {
    const range = ds.log.timeRange();
    if (range) {
      const cutoff = range.start + opts.trainDays * DAY_MS;
      ds = await loadDataset({ ...base, vectorCutoff: cutoff });
      notes.push(
        `content vectors: ${ds.report.vectors.method} (D = ${ds.report.vectors.dim}), from events before ${new Date(cutoff).toISOString()}`,
      );
    }
  } else notes.push(`content vectors: ${ds.report.vectors.method} (D = ${ds.report.vectors.dim})`);
  if (ds.report.skipped > 0) notes.push(`loader skipped ${ds.report.skipped} rows: ${JSON.stringify(ds.report.skippedByReason)}`);
  return { name: ds.name, log: ds.log, catalogue: ds.catalogue, notes };
}

/** Reads a JSON configuration file (a full or partial TailorConfig, e.g. `tailor tune`'s best.json) and validates it. */
export async function readConfigFile(file: string): Promise<TailorConfig> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    throw new TailorError('DATA_NOT_FOUND', `cannot read the configuration file`, { file }, {}, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new TailorError('CONFIG_INVALID', `not valid JSON: ${(err as Error).message}`, { file }, {}, { cause: err });
  }
  const body = structuredClone((json as { config?: unknown }).config ?? json) as { online?: { margin?: unknown } };
  // JSON has no Infinity: "Infinity" stands for the pull-only triplet margin (SPEC §6), which the schema cannot hold
  const pullOnly = body.online?.margin === 'Infinity';
  if (pullOnly) delete body.online?.margin;
  const config = loadConfig(body as ConfigInput);
  if (pullOnly) config.online.margin = Number.POSITIVE_INFINITY;
  return config;
}

/** A value as JSON-safe data: infinite numbers become the string "Infinity" (read back by `readConfigFile`). */
export function configToJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}
