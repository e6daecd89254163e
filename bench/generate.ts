/**
 * Synthetic world generation: time, events and memory for the default world (12k items, 20k shoppers) and the
 * paper-sized catalogue (105k items), plus the time to write the default world to disk.
 * Run: `npm run bench -- generate` (or `node dist/bench/generate.js [--quick]`).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld, summarizeWorld, type WorldParams } from '../src/synthetic/index.js';
import { writeWorld } from '../src/synthetic/write-world.js';
import { runIfMain } from './lib/direct-run.js';
import type { BenchOptions, BenchResult } from './types.js';

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? dirBytes(p) : s.size;
  }
  return total;
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const configs: Partial<WorldParams>[] = opts.quick
    ? [{ items: 2000, users: 2000 }]
    : [
        { items: 12_000, users: 20_000 },
        { items: 105_000, users: 20_000 },
        { items: 105_000, users: 100_000 },
      ];
  const rows: BenchResult['rows'] = [];
  for (const c of configs) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const w = generateWorld(c);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const s = summarizeWorld(w);
    const pct = (k: string) => Number(((100 * s.eventsByType[k]) / s.events).toFixed(2));
    const mem = process.memoryUsage();
    let writeSeconds: number | string = '-';
    let writtenMB: number | string = '-';
    if (c === configs[0]) {
      const dir = mkdtempSync(join(tmpdir(), 'tailor-bench-world-'));
      try {
        const t1 = performance.now();
        await writeWorld(w, dir);
        writeSeconds = Number(((performance.now() - t1) / 1000).toFixed(2));
        writtenMB = Number((dirBytes(dir) / 2 ** 20).toFixed(1));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push({
      items: s.items,
      users: s.users,
      weeks: w.params.weeks,
      events: s.events,
      sessions: s.sessions,
      'generate s': Number(seconds.toFixed(2)),
      'cpu s': Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      'events/s': Math.round(s.events / seconds),
      'click %': pct('click'),
      'fav %': pct('favorite'),
      'cart %': pct('cart'),
      'buy %': pct('purchase'),
      'rss MB': Math.round(mem.rss / 2 ** 20),
      'write s': writeSeconds,
      'written MB': writtenMB,
    });
  }
  return {
    name: 'synthetic world generation',
    rows,
    notes: [
      'generate s: generateWorld in memory (catalogue, 512-d vectors, shoppers, sorted event log), one thread; wall clock',
      'cpu s: CPU time of the process during generateWorld (user + system; includes GC threads), less sensitive to other jobs on the machine',
      'write s / written MB: writeWorld of the first world (events.csv, items.csv, vectors.npy, ids, SVG thumbnails, world.json)',
    ],
  };
}

await runIfMain(import.meta, run);
