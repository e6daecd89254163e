import type { InteractionType, TimeWindow } from '../../core/types.js';
import type { DatasetParts, VectorOptions } from './dataset.js';
import type { EventColumns } from './event-table.js';
import type { TimestampUnit } from './fields.js';
import type { TableFormat } from './readers.js';
import type { BadRowPolicy } from './report.js';

/** The data set layouts `loadDataset` reads. */
export const DATASET_FORMATS = ['events', 'taobao', 'retailrocket', 'hm', 'synthetic'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** Options of `loadDataset`; each format reads the ones that concern it. */
export interface LoadDatasetOptions extends VectorOptions {
  /** A file (events, taobao, retailrocket) or a folder (hm, synthetic; taobao/retailrocket accept their folder too). */
  path: string;
  format: DatasetFormat;
  /** `stop` (default) throws at the first bad row with what was loaded in `err.details.partial`; `skip` counts and goes on. */
  onBadRow?: BadRowPolicy;
  /** How many bad rows the report keeps with their place (default 20). */
  maxErrors?: number;
  /** Show progress bars while reading event files (stderr). */
  progress?: boolean;
  name?: string;
  /** Keep only events in [start, end) (epoch ms). */
  window?: TimeWindow;
  // generic event log
  tableFormat?: TableFormat | 'auto';
  columns?: Partial<EventColumns>;
  behaviours?: Record<string, InteractionType>;
  strictBehaviours?: boolean;
  timestampUnit?: TimestampUnit;
  header?: boolean;
  names?: string[];
  delimiter?: string;
  /** A catalogue file for the generic log (CSV/NDJSON/Parquet) and its id column (default `id`). */
  items?: string;
  itemIdColumn?: string;
  // Taobao
  /** Keep only the official window 2017-11-25 .. 2017-12-03 (unix s 1511539200 .. 1512316799). */
  officialWindow?: boolean;
  // H&M
  /** Folder of `<3 digits>/<article_id>.jpg` images (default `<path>/images`). */
  imagesDir?: string;
}

/** A format loader: reads files and hands the parts to `assembleDataset`. */
export type FormatLoader = (opts: LoadDatasetOptions) => Promise<DatasetParts>;
