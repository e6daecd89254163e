import type { Command } from 'commander';
import { TailorError } from '../../core/errors.js';
import { type Progress, startProgress } from '../../core/progress.js';
import { DEFAULT_WORLD_PARAMS, generateWorld, type WorldParams } from '../../synthetic/index.js';
import { prepareOutputDir, writeWorld } from '../../synthetic/write-world.js';
import { numberOption } from '../number-option.js';

/** `tailor generate`: writes a seeded synthetic fashion world (catalogue, vectors, thumbnails, events) to a folder. */
export function registerGenerate(program: Command): void {
  const d = DEFAULT_WORLD_PARAMS;
  program
    .command('generate')
    .description('Generate a seeded synthetic fashion world (catalogue, 512-d vectors, SVG thumbnails, shopper events)')
    .requiredOption('--out <dir>', 'output folder (events.csv, items.csv, vectors.npy, vectors.ids.txt, thumbnails/, world.json)')
    .option('--items <n>', `catalogue size (max 200000)`, numberOption('items', { integer: true }), d.items)
    .option('--users <n>', `shoppers (max 1000000)`, numberOption('users', { integer: true }), d.users)
    .option('--weeks <n>', `length of the period in weeks`, numberOption('weeks', { integer: true }), d.weeks)
    .option('--seed <s>', 'random seed', numberOption('seed', { integer: true }), d.seed)
    .option('--dim <d>', 'content vector dimension', numberOption('dim', { integer: true }), d.dim)
    .option('--styles <n>', 'latent style clusters', numberOption('styles', { integer: true }), d.styles)
    .option('--start <date>', 'first day of the period (ISO date, UTC)', new Date(d.startTime).toISOString().slice(0, 10))
    .option('--sessions-per-week <x>', 'mean sessions per shopper per week', numberOption('sessions-per-week', {}), d.sessionsPerWeek)
    .option('--views-per-session <x>', 'mean product views per session', numberOption('views-per-session', {}), d.viewsPerSession)
    .option('--no-thumbnails', 'skip thumbnails/<id>.svg')
    .option('--quiet', 'no progress output')
    .action(async (o) => {
      const startTime = Date.parse(o.start);
      if (!Number.isFinite(startTime))
        throw new TailorError('CONFIG_INVALID', `--start must be an ISO date, got "${o.start}"`, { field: 'start' });
      const params: Partial<WorldParams> = {
        items: o.items,
        users: o.users,
        weeks: o.weeks,
        seed: o.seed,
        dim: o.dim,
        styles: o.styles,
        startTime,
        sessionsPerWeek: o.sessionsPerWeek,
        viewsPerSession: o.viewsPerSession,
      };
      await prepareOutputDir(o.out);
      const bars = new Map<string, Progress>();
      const report = (phase: string, unit: string) => (done: number, total: number) => {
        let bar = bars.get(phase);
        if (!bar) {
          bar = startProgress(phase, total, { unit, quiet: o.quiet });
          bars.set(phase, bar);
        }
        bar.update(done);
      };
      const t0 = Date.now();
      const world = generateWorld(params, {
        onProgress: (phase, done, total) =>
          report(phase === 'items' ? 'catalogue' : 'sessions', phase === 'items' ? 'items' : 'sessions')(done, total),
      });
      const t1 = Date.now();
      const summary = await writeWorld(world, o.out, {
        thumbnails: o.thumbnails,
        onProgress: (phase, done, total) => report(`write ${phase}`, 'rows')(done, total),
      });
      for (const b of bars.values()) b.stop();
      if (!o.quiet) {
        const s = summary;
        const pct = (k: string) => ((100 * s.eventsByType[k]) / Math.max(1, s.events)).toFixed(1);
        process.stdout.write(
          `world written to ${o.out}: ${s.items} items, ${s.users} shoppers, ${s.sessions} sessions, ${s.events} events ` +
            `(click ${pct('click')} %, favorite ${pct('favorite')} %, cart ${pct('cart')} %, purchase ${pct('purchase')} %), ` +
            `${s.start.slice(0, 10)} .. ${s.end.slice(0, 10)}; generated in ${((t1 - t0) / 1000).toFixed(1)} s, ` +
            `written in ${((Date.now() - t1) / 1000).toFixed(1)} s\n`,
        );
      }
    });
}
