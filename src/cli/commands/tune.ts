import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { loadConfig } from '../../core/config.js';
import { configToJson, loadEvalDataset, readConfigFile } from '../../eval/load.js';
import { tune } from '../../eval/tune.js';
import { DATASET_FORMATS } from '../../events/loaders/index.js';
import { numberOption } from '../number-option.js';

/** `tailor tune`: random search over the paper's Table 5 grid on the validation split, in bounded time → best config. */
export function registerTune(program: Command): void {
  program
    .command('tune')
    .description("Search the paper's Table 5 hyper-parameter grid on a user-based validation split in bounded time; write the best config")
    .requiredOption('--data <path>', 'data set file or folder')
    .addOption(new Option('--format <format>', 'data set layout').choices([...DATASET_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <dir>', 'output folder (best-config.json, trials.json)')
    .option('--train-days <d>', 'training window length in days', numberOption('train-days', { integer: true, sign: 'positive' }), 7)
    .option(
      '--val-days <d>',
      'days replayed for validation after the training window',
      numberOption('val-days', { integer: true, sign: 'positive' }),
      3,
    )
    .option('--val-fraction <f>', 'share of users whose points score a trial', numberOption('val-fraction', { sign: 'positive' }), 0.5)
    .option('--budget <s>', 'wall-clock budget of the search in seconds', numberOption('budget', { integer: true, sign: 'positive' }), 900)
    .option(
      '--offline-trials <n>',
      'teacher/student settings to try (trial 0 = the current config)',
      numberOption('offline-trials', { integer: true, sign: 'positive' }),
      4,
    )
    .option(
      '--online-trials <n>',
      'online settings to try with the best model',
      numberOption('online-trials', { integer: true, sign: 'positive' }),
      20,
    )
    .addOption(new Option('--objective <view>', 'maximise F1 on this view').choices(['all', 'discovery']).default('all'))
    .option('--config <file.json>', 'starting configuration (default: the documented defaults)')
    .option('--k <k>', 'recommendations per point', numberOption('k', { integer: true, sign: 'positive' }), 10)
    .option('--n <n>', 'truth: the next N distinct purchases', numberOption('n', { integer: true, sign: 'positive' }), 12)
    .option('--seed <s>', 'random seed', (v) => Number(v), 42)
    .option('--quiet', 'no progress lines')
    .action(async (o) => {
      const base = o.config ? await readConfigFile(o.config) : loadConfig();
      const data = await loadEvalDataset({ path: o.data, format: o.format, trainDays: o.trainDays, seed: o.seed });
      const result = await tune(data, base, {
        trainDays: o.trainDays,
        valDays: o.valDays,
        valFraction: o.valFraction,
        budgetSeconds: o.budget,
        offlineTrials: o.offlineTrials,
        onlineTrials: o.onlineTrials,
        objective: o.objective,
        k: o.k,
        n: o.n,
        seed: o.seed,
        log: o.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
      });
      const dir = resolve(o.out);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'best-config.json'), `${JSON.stringify(configToJson(result.best), null, 2)}\n`);
      const trials = result.trials.map((t) => ({ ...t, params: configToJson(t.params) }));
      await writeFile(
        join(dir, 'trials.json'),
        `${JSON.stringify({ objective: result.objective, bestF1: result.bestF1, seconds: result.seconds, stoppedByBudget: result.stoppedByBudget, trials }, null, 2)}\n`,
      );
      process.stdout.write(
        `best F1 (${result.objective}) ${result.bestF1.toFixed(4)} after ${result.trials.length} trials in ${result.seconds.toFixed(0)} s${result.stoppedByBudget ? ' (budget reached)' : ''}\nwrote ${join(dir, 'best-config.json')}, ${join(dir, 'trials.json')}\n`,
      );
    });
}
