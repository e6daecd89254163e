import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { loadConfig } from '../../core/config.js';
import { TailorError } from '../../core/errors.js';
import { evaluate, type RowRun } from '../../eval/evaluate.js';
import { loadEvalDataset, readConfigFile } from '../../eval/load.js';
import { allModelSpecs } from '../../eval/models.js';
import { evaluateInWorkers } from '../../eval/parallel.js';
import { VIEWS, type View } from '../../eval/replay.js';
import { writeResults } from '../../eval/report.js';
import { DATASET_FORMATS } from '../../events/loaders/index.js';
import { numberOption } from '../number-option.js';

/** `tailor eval`: the paper's replay protocol (SPEC §7) for baselines and Tailor on one data set → results.json, report.md, chart.svg. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Replay a data set through Tailor and the baselines (SPEC §7) and write results.json, report.md and chart.svg')
    .requiredOption('--data <path>', 'data set file or folder')
    .addOption(new Option('--format <format>', 'data set layout').choices([...DATASET_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <dir>', 'output folder')
    .option('--k <k>', 'recommendations per point', numberOption('k', { integer: true, sign: 'positive' }), 10)
    .option('--n <n>', 'truth: the next N distinct purchases', numberOption('n', { integer: true, sign: 'positive' }), 12)
    .option('--train-days <d>', 'training window length in days', numberOption('train-days', { integer: true, sign: 'positive' }), 7)
    .option(
      '--test-days <d>',
      'test period after the training window, days (cut to the data)',
      numberOption('test-days', { integer: true, sign: 'positive' }),
      21,
    )
    .option('--train-fraction <f>', 'split by event order instead of time (dates-only logs such as the H&M fixture)', (v) => Number(v))
    .option(
      '--weeks <w>',
      'number of training windows to repeat over (random, seeded), where the data allows',
      numberOption('weeks', { integer: true, sign: 'positive' }),
      3,
    )
    .option('--models <list>', 'comma-separated model names (default: every baseline and every Tailor row available)')
    .option('--views <list>', 'comma-separated views: all, discovery', 'all,discovery')
    .option('--vectors <file.npy>', 'item content vectors (.npy + <name>.ids.txt); default: the loader’s documented fallback')
    .option(
      '--train-seconds <s>',
      'time budget per trained model and window, seconds',
      numberOption('train-seconds', { integer: true, sign: 'positive' }),
      120,
    )
    .option('--config <file.json>', 'Tailor configuration (JSON, e.g. written by tailor tune); default: the documented defaults')
    .option(
      '--teacher-epochs <n>',
      'override teacher.epochs (bounds Tailor training time)',
      numberOption('teacher-epochs', { integer: true, sign: 'positive' }),
    )
    .option('--teacher-steps <n>', 'override teacher.maxStepsPerEpoch', numberOption('teacher-steps', { integer: true, sign: 'positive' }))
    .option('--student-epochs <n>', 'override student.epochs', numberOption('student-epochs', { integer: true, sign: 'positive' }))
    .option(
      '--jobs <n>',
      'worker processes running (window, model) rows side by side; same tables as one process',
      numberOption('jobs', { integer: true, sign: 'positive' }),
      1,
    )
    .option('--every-event', 'replay every test event into the Tailor rows too (the slow reference path; same metrics)')
    .option('--seed <s>', 'random seed', (v) => Number(v), 42)
    .option('--quick', 'few epochs: a smoke run')
    .option('--quiet', 'no progress bars')
    .action(async (o) => {
      const views = String(o.views)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean) as View[];
      for (const v of views)
        if (!VIEWS.includes(v)) throw new TailorError('CONFIG_INVALID', `unknown view "${v}" (all, discovery)`, { field: 'views' });
      const dataset = { path: o.data, format: o.format, vectors: o.vectors, trainDays: o.trainDays, seed: o.seed };
      const data = await loadEvalDataset(dataset);
      const names = o.models
        ? String(o.models)
            .split(',')
            .map((s: string) => s.trim())
        : undefined;
      const config = o.config ? await readConfigFile(o.config) : loadConfig();
      if (o.teacherEpochs) config.teacher.epochs = o.teacherEpochs;
      if (o.teacherSteps) config.teacher.maxStepsPerEpoch = o.teacherSteps;
      if (o.studentEpochs) config.student.epochs = o.studentEpochs;
      const budget = { trainSeconds: o.trainSeconds, quick: o.quick };
      const specs = allModelSpecs(names, { ...budget, config, quiet: o.quiet });
      const options = {
        k: o.k,
        n: o.n,
        trainDays: o.trainDays,
        testDays: o.testDays,
        windows: o.weeks,
        trainFraction: o.trainFraction,
        seed: o.seed,
        views,
        quiet: o.quiet || o.jobs > 1,
        everyEvent: o.everyEvent === true,
      };
      const t0 = performance.now();
      const loadAtStart = loadavg()[0];
      const onResult = (r: RowRun) =>
        process.stderr.write(
          `w${r.window + 1} ${r.model}: fit ${r.fitSeconds.toFixed(1)} s, replay ${r.seconds.toFixed(1)} s ` +
            `(${r.ingested} of ${r.events} test events ingested), ${((performance.now() - t0) / 1000).toFixed(0)} s into the run\n`,
        );
      const result =
        o.jobs > 1
          ? await evaluateInWorkers(data, { dataset, names: specs.map((s) => s.name), budget, config, options }, o.jobs, onResult)
          : await evaluate(data, specs, { ...options, onResult });
      result.notes.push(...data.notes);
      // the machine may be shared: the load average says how far the wall time is from an idle machine's
      result.notes.push(
        `wall time ${((performance.now() - t0) / 1000).toFixed(0)} s (evaluation only, data loaded), --jobs ${o.jobs}, ` +
          `load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end`,
      );
      const command = `tailor ${process.argv.slice(2).join(' ')}`;
      const files = await writeResults(resolve(o.out), result, command);
      for (const sc of result.scenarios) {
        process.stdout.write(`\n${result.dataset} — view ${sc.name} (K=${result.k}, N=${result.n}, ${result.windows.length} window(s))\n`);
        for (const r of sc.rows)
          process.stdout.write(
            `  ${r.model.padEnd(28)} P ${r.precision.toFixed(4)}  R ${r.recall.toFixed(4)}  F1 ${r.f1.toFixed(4)} ± ${r.std.f1.toFixed(4)}  points ${Math.round(r.points)}\n`,
          );
      }
      process.stdout.write(`\nwrote ${files.join(', ')}\n`);
    });
}
