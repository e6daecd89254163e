import { loadConfig } from '../src/core/config.js';
import { evaluate } from '../src/eval/evaluate.js';
import { allModelSpecs, BASELINE_NAMES } from '../src/eval/models.js';
import { generateWorld } from '../src/synthetic/index.js';
import { runIfMain } from './lib/direct-run.js';
import type { BenchOptions, BenchResult } from './types.js';

/**
 * Replay throughput and quality of every baseline (and two Tailor rows with briefly trained models) on a seeded
 * synthetic world, through the same `evaluate` the CLI uses: F1 on both views, fit and replay seconds, events/s.
 */
export async function run(opts: BenchOptions): Promise<BenchResult> {
  const world = generateWorld(
    opts.quick ? { items: 600, users: 150, weeks: 2, dim: 32, seed: 5 } : { items: 3000, users: 800, weeks: 3, dim: 64, seed: 5 },
  );
  const config = loadConfig();
  config.teacher.epochs = opts.quick ? 1 : 3;
  config.teacher.maxStepsPerEpoch = opts.quick ? 10 : 100;
  config.student.epochs = opts.quick ? 2 : 10;
  const names = [...BASELINE_NAMES, 'tailor-no-personalisation', 'tailor-2w'];
  const specs = allModelSpecs(names, { config, quiet: true, quick: opts.quick, trainSeconds: opts.quick ? 5 : 60 });
  const testDays = opts.quick ? 7 : 14;
  const ingested = new Map<string, number>();
  const r = await evaluate({ name: 'synthetic', log: world.log, catalogue: world.catalogue }, specs, {
    trainDays: 7,
    testDays,
    windows: 1,
    quiet: true,
    onResult: (run) => ingested.set(run.model, run.ingested),
  });
  const all = r.scenarios.find((s) => s.name === 'all')!.rows;
  const disc = r.scenarios.find((s) => s.name === 'discovery')!.rows;
  const events = r.windows[0].testEvents;
  return {
    name: 'eval',
    rows: all.map((row, i) => ({
      model: row.model,
      'F1 all': Number(row.f1.toFixed(4)),
      'F1 discovery': Number(disc[i].f1.toFixed(4)),
      'fit s': Number(row.fitSeconds.toFixed(1)),
      'replay s': Number(row.replaySeconds.toFixed(1)),
      'events/s': Math.round(events / Math.max(row.replaySeconds, 1e-9)),
      ingested: ingested.get(row.model) ?? 0,
    })),
    notes: [
      `synthetic world ${world.catalogue.size} items, ${world.log.users.size} shoppers; 7 training days, ${testDays} test days (${events} events, ${all[0].points} points)`,
      'events/s = test events / replay time; the Tailor rows ingest each shopper only up to their last prediction point (column ingested)',
      'Tailor rows use a briefly trained model (bounded teacher/student epochs): compare throughput, not quality, here',
    ],
  };
}

await runIfMain(import.meta, run);
