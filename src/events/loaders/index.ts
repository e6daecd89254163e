import { TailorError } from '../../core/errors.js';
import { assembleDataset, type Dataset } from './dataset.js';
import { loadEvents } from './generic.js';
import { loadHm } from './hm.js';
import { DATASET_FORMATS, type DatasetFormat, type FormatLoader, type LoadDatasetOptions } from './options.js';
import { loadRetailRocket } from './retailrocket.js';
import { loadSynthetic } from './synthetic.js';
import { loadTaobao } from './taobao.js';

export { type ContentVectorMethod, deriveContentVectors, imputeMissingVectors } from '../../catalogue/content-vectors.js';
export { idsPathFor, readItemVectors, readNpy, writeItemVectors, writeNpy } from '../../catalogue/npy.js';
export { type Dataset, defaultVectorCutoff, type VectorOptions } from './dataset.js';
export { type EventColumns, type EventTableOptions, type PartialLoad, readEventTable } from './event-table.js';
export { DEFAULT_BEHAVIOURS, parseTimestamp, type TimestampUnit } from './fields.js';
export { HM_VECTOR_ATTRIBUTES, hmArticleId } from './hm.js';
export { type ItemTableOptions, readItemTable } from './item-table.js';
export { DATASET_FORMATS, type DatasetFormat, type LoadDatasetOptions } from './options.js';
export { openTable, type Table, type TableFormat } from './readers.js';
export { type BadRowPolicy, type LoadReport, partialOf, ReportBuilder, type RowProblem, type SkipReason } from './report.js';
export { TAOBAO_WINDOW } from './taobao.js';

const LOADERS: Record<DatasetFormat, FormatLoader> = {
  events: loadEvents,
  taobao: loadTaobao,
  retailrocket: loadRetailRocket,
  hm: loadHm,
  synthetic: loadSynthetic,
};

/**
 * The one entry point to data: reads a data set in `format` from `path` into a Dataset whose EventLog is sorted by
 * time and whose items are the catalogue's (`log.items === catalogue.ids`), every item with a content vector.
 * Bad rows: `onBadRow: 'stop'` (default) throws a TailorError naming file, line and field, with what was loaded in
 * `partialOf(err)`; `'skip'` counts them per reason in `report`.
 */
export async function loadDataset(opts: LoadDatasetOptions): Promise<Dataset> {
  const loader = LOADERS[opts.format];
  if (!loader)
    throw new TailorError('DATA_FORMAT', `unknown data set format "${opts.format}" (expected ${DATASET_FORMATS.join(', ')})`, {
      field: 'format',
    });
  const parts = await loader(opts);
  const vectors = opts.vectors ?? parts.vectors;
  return assembleDataset(parts, { ...opts, vectors });
}
