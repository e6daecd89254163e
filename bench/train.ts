/**
 * Offline training benchmark (issue 3): graph build, teacher and student training time, steps/s and peak memory
 * for the synthetic world at 12k and 105k items (one week each) and for the Taobao head. Each case runs in its own
 * Node process so that its peak RSS is its own. `--quick` shrinks everything to a smoke run.
 * Run one case directly: `node dist/bench/train.js <case> [--quick]` (prints one JSON row).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Catalogue } from '../src/catalogue/catalogue.js';
import { type ConfigInput, loadConfig } from '../src/core/config.js';
import { sharedDataPath } from '../src/core/paths.js';
import type { TimeWindow } from '../src/core/types.js';
import type { EventLog } from '../src/events/event-log.js';
import { loadDataset } from '../src/events/loaders/index.js';
import { generateWorld } from '../src/synthetic/index.js';
import { trainModel } from '../src/train/train.js';
import type { BenchOptions, BenchResult } from './types.js';

const DAY = 86_400_000;

interface Case {
  name: string;
  load: () => Promise<{ log: EventLog; catalogue: Catalogue; window: TimeWindow }>;
  config: ConfigInput;
}

function cases(quick: boolean): Case[] {
  const synth =
    (items: number, users: number): Case['load'] =>
    async () => {
      const w = generateWorld({ items, users, weeks: 1, seed: 11 });
      return { log: w.log, catalogue: w.catalogue, window: w.truth.period };
    };
  // full runs cap the teacher at 3 epochs and the student at 30 (early stopping usually ends the student sooner):
  // enough to measure the step rate and the quality trend on a shared 2-core machine; see docs/training.md
  const base: ConfigInput = quick
    ? { teacher: { epochs: 1, maxStepsPerEpoch: 5 }, student: { epochs: 2 } }
    : { teacher: { epochs: 3 }, student: { epochs: 30 } };
  const taobao = sharedDataPath('taobao-userbehavior', 'UserBehavior_head.csv');
  const out: Case[] = [
    { name: quick ? 'synthetic 2k' : 'synthetic 12k', load: synth(quick ? 2000 : 12_000, quick ? 3000 : 20_000), config: base },
    {
      name: quick ? 'synthetic 5k' : 'synthetic 105k',
      load: synth(quick ? 5000 : 105_000, quick ? 5000 : 100_000),
      // the weekly job as shipped: default config, so the `train.maxSeconds` budget (14 min) and early stopping
      // decide when the teacher and the student stop (docs/training.md)
      config: quick ? base : {},
    },
  ];
  if (!taobao.skip)
    out.push({
      name: 'taobao head',
      load: async () => {
        const d = await loadDataset({ path: taobao.path, format: 'taobao', officialWindow: true });
        const r = d.log.timeRange();
        const end = (r?.end ?? 0) + 1;
        return { log: d.log, catalogue: d.catalogue, window: { start: end - 7 * DAY, end } };
      },
      config: base,
    });
  return out;
}

async function runCase(c: Case): Promise<Record<string, string | number>> {
  const t0 = performance.now();
  const d = await c.load();
  const loadS = (performance.now() - t0) / 1000;
  const rssData = process.memoryUsage().rss;
  const config = loadConfig(c.config, {});
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const a = await trainModel({ ...d, seed: 1 }, config, { quiet: true });
  const wall = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const m = a.metrics;
  const f = (x: number, k = 3) => (Number.isFinite(x) ? Number(x.toFixed(k)) : '-');
  return {
    case: c.name,
    items: d.catalogue.size,
    D: d.catalogue.dim,
    events: d.log.window(d.window).length,
    'load s': f(loadS, 1),
    'graph s': f(m.graphBuildMs / 1000, 2),
    'edges click/fav/cart/buy': `${m.edges_click}/${m.edges_favorite}/${m.edges_cart}/${m.edges_purchase}`,
    'teacher in D': m.teacherInputDim,
    epochs: m.teacherEpochs,
    'out of time t/s': `${m.teacherOutOfTime}/${m.studentOutOfTime}`,
    'teacher steps': m.teacherSteps,
    'steps/s': f(m.teacherSteps / m.teacherSeconds, 2),
    'steps/epoch': Math.ceil(m.graphConnectedItems / config.teacher.batchSize),
    'epoch s (proj.)': f(Math.ceil(m.graphConnectedItems / config.teacher.batchSize) / (m.teacherSteps / m.teacherSeconds), 0),
    'teacher s': f(m.teacherSeconds, 1),
    'student s': f(m.studentSeconds, 1),
    'train s': f(wall, 1),
    'cpu s': f((cpu.user + cpu.system) / 1e6, 1),
    'rss data MB': Math.round(rssData / 2 ** 20),
    'peak rss MB': Math.round(process.resourceUsage().maxRSS / 1024),
    'AUC content': f(m.contentAuc),
    'AUC teacher': f(m.teacherAuc),
    'AUC student': f(m.studentAuc),
    'held-out edges': m.heldOutEdges ?? 0,
  };
}

/** Runs every case in a child process and collects the rows. */
export async function run(opts: BenchOptions): Promise<BenchResult> {
  const self = fileURLToPath(import.meta.url);
  const rows: Array<Record<string, string | number>> = [];
  for (const c of cases(opts.quick)) {
    const res = spawnSync(process.execPath, [self, c.name, ...(opts.quick ? ['--quick'] : [])], {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    });
    const line = res.stdout.trim().split('\n').at(-1) ?? '';
    try {
      rows.push(JSON.parse(line) as Record<string, string | number>);
    } catch {
      rows.push({ case: c.name, error: `exit ${res.status}` });
    }
  }
  return {
    name: 'offline training (graph + HGNN teacher + student)',
    rows,
    notes: [
      'one Node process per case; wall clock on a shared 2-core machine (cpu s = user + system CPU of the process)',
      'teacher capped at 3 epochs, student at 30; synthetic 105k: the shipped defaults (time budget train.maxSeconds = 840)',
      'train s: trainModel end to end (user split, both graphs, teacher with early stopping, student, held-out AUCs)',
      'peak rss MB: the process maximum, including the data set; rss data MB: after loading, before training',
      'AUC: held-out co-purchase edges (validation users, absent from the training graph) vs one random item each',
      'epoch s (proj.) = steps/epoch ÷ steps/s; teacher in D: the teacher input after the principal-component projection',
      'steps/s includes the per-epoch validation loss and the final full-catalogue inference (teacher s / steps)',
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2];
  const quick = process.argv.includes('--quick');
  const c = cases(quick).find((k) => k.name === name);
  if (!c) {
    const r = await run({ quick });
    console.log(JSON.stringify(r, null, 2));
  } else {
    process.env.TAILOR_LOG_LEVEL ??= 'silent';
    console.log(JSON.stringify(await runCase(c)));
  }
}
