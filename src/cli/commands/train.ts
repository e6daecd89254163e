import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { saveArtifact } from '../../artifact/store.js';
import { type ConfigInput, loadConfig } from '../../core/config.js';
import { TailorError } from '../../core/errors.js';
import type { TimeWindow } from '../../core/types.js';
import { DATASET_FORMATS, loadDataset } from '../../events/loaders/index.js';
import { trainModel } from '../../train/train.js';
import { badRowPolicy, datasetFormat } from '../dataset-options.js';

const DAY_MS = 86_400_000;

/**
 * Parses a training window: `START..END` (ISO dates/times or epoch ms, END exclusive) or, when absent, the last
 * `days` days of the log up to its last event.
 */
export function parseWindow(spec: string | undefined, days: number, range: TimeWindow | undefined): TimeWindow {
  if (spec) {
    const parts = spec.split('..');
    const t = parts.map((p) => (/^\d+$/.test(p.trim()) ? Number(p) : Date.parse(p.trim())));
    if (parts.length !== 2 || t.some((x) => !Number.isFinite(x)) || t[1] <= t[0])
      throw new TailorError('CONFIG_INVALID', `--window must be START..END with START < END (ISO dates or epoch ms), got "${spec}"`, {
        field: 'window',
      });
    return { start: t[0], end: t[1] };
  }
  if (!range) throw new TailorError('TRAINING_FAILED', 'the data set has no events');
  const end = range.end + 1;
  return { start: Math.max(range.start, end - days * DAY_MS), end };
}

/** `tailor train <path> --format <fmt> --out <dir>`: loads a data set, trains teacher + student, writes the artifact. */
export function registerTrain(program: Command): void {
  program
    .command('train <path>')
    .description('Train the HGNN teacher and distil the student on one window of a data set; write a model artifact')
    .requiredOption('--format <fmt>', `data set layout: ${DATASET_FORMATS.join(' | ')}`)
    .requiredOption('--out <dir>', 'artifact directory to write (replaced atomically)')
    .option('--window <start..end>', 'training window, END exclusive (default: the last --days days of the data)')
    .option('--days <n>', 'window length when --window is absent', '7')
    .option('--config <file>', 'JSON file with configuration overrides (see docs/config.md)')
    .option('--seed <n>', 'random seed')
    .option('--epochs <n>', 'teacher epochs (overrides the config)')
    .option('--vectors <file>', 'item vectors (.npy with <name>.ids.txt beside it)')
    .option('--on-bad-row <policy>', 'stop at the first bad row, or skip and count bad rows', 'stop')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output')
    .action(
      async (
        path: string,
        o: {
          format: string;
          out: string;
          window?: string;
          days: string;
          config?: string;
          seed?: string;
          epochs?: string;
          vectors?: string;
          onBadRow: string;
          json?: boolean;
          quiet?: boolean;
        },
      ) => {
        const format = datasetFormat(o.format);
        const onBadRow = badRowPolicy(o.onBadRow);
        let overrides: ConfigInput = {};
        if (o.config) {
          try {
            overrides = JSON.parse(await readFile(o.config, 'utf8')) as ConfigInput;
          } catch (err) {
            throw new TailorError('CONFIG_INVALID', `cannot read the config file: ${(err as Error).message}`, { file: o.config });
          }
        }
        const num = (v: string | undefined, field: string): number | undefined => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!Number.isInteger(n)) throw new TailorError('CONFIG_INVALID', `--${field} must be an integer, got "${v}"`, { field });
          return n;
        };
        const seed = num(o.seed, 'seed');
        const epochs = num(o.epochs, 'epochs');
        const days = num(o.days, 'days') ?? 7;
        if (seed !== undefined) overrides = { ...overrides, seed };
        if (epochs !== undefined) overrides = { ...overrides, teacher: { ...(overrides.teacher ?? {}), epochs } };
        const config = loadConfig(overrides);
        const data = await loadDataset({
          path,
          format,
          onBadRow,
          vectors: o.vectors,
          progress: !o.quiet && !o.json,
        });
        const window = parseWindow(o.window, days, data.log.timeRange());
        const artifact = await trainModel({ log: data.log, catalogue: data.catalogue, window, seed: config.seed }, config, {
          quiet: o.quiet || o.json,
        });
        await saveArtifact(o.out, artifact);
        const m = artifact.metrics;
        const summary = {
          artifact: o.out,
          version: artifact.version,
          window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
          items: data.catalogue.size,
          featureDim: artifact.featureDim,
          embeddingDim: artifact.embeddingDim,
          metrics: m,
        };
        if (o.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else {
          const f = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
          process.stdout.write(
            [
              `model        ${artifact.version} → ${o.out}`,
              `window       ${summary.window.start} .. ${summary.window.end}`,
              `catalogue    ${data.catalogue.size} items, D=${artifact.featureDim} → d=${artifact.embeddingDim}`,
              `graph        ${m.graphConnectedItems} items with edges; edges click ${m.edges_click}, favorite ${m.edges_favorite}, cart ${m.edges_cart}, purchase ${m.edges_purchase}`,
              `teacher      ${m.teacherEpochs} epochs (best ${m.teacherBestEpoch}), ${m.teacherSteps} steps, ${f(m.teacherSeconds, 1)} s, val loss ${f(m.teacherValLoss, 4)}`,
              `student      best epoch ${m.studentBestEpoch}, held-out alignment ${f(m.studentHeldOutAlignment, 4)}, ${f(m.studentSeconds, 1)} s`,
              `held-out AUC content ${f(m.contentAuc)}  teacher ${f(m.teacherAuc)}  student ${f(m.studentAuc)}  (${m.heldOutEdges ?? 0} new edges)`,
              `total        ${f(m.trainSeconds, 1)} s`,
              '',
            ].join('\n'),
          );
        }
      },
    );
}
