import type { Catalogue } from '../catalogue/catalogue.js';
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
