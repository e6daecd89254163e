import { TailorError } from '../core/errors.js';
import { DATASET_FORMATS, type DatasetFormat } from '../events/loaders/options.js';

/** Checks a `--format` value against the loaders' formats; DATA_FORMAT naming the option otherwise. */
export function datasetFormat(value: string): DatasetFormat {
  if (!(DATASET_FORMATS as readonly string[]).includes(value))
    throw new TailorError('DATA_FORMAT', `--format must be one of ${DATASET_FORMATS.join(', ')}, got "${value}"`, { field: 'format' });
  return value as DatasetFormat;
}

/** Checks an `--on-bad-row` value (stop | skip); CONFIG_INVALID naming the option otherwise. */
export function badRowPolicy(value: string): 'stop' | 'skip' {
  if (value !== 'stop' && value !== 'skip')
    throw new TailorError('CONFIG_INVALID', `--on-bad-row must be stop or skip, got "${value}"`, { field: 'on-bad-row' });
  return value;
}
