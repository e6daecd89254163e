/**
 * Benchmark runner: `npm run bench [-- [--quick] [name …]]` runs every bench/<name>.ts (or the named ones),
 * prints each result as a table and writes bench/results/<name>.json with the machine and the time.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable } from './lib/format-table.js';
import type { BenchModule, BenchResult } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, '..', '..', 'bench', 'results');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const names = readdirSync(here)
    .filter((f) => f.endsWith('.js') && !['index.js', 'types.js'].includes(f) && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .filter((n) => wanted.length === 0 || wanted.includes(n))
    .sort();
  if (names.length === 0) throw new Error(`no benchmark matched ${wanted.join(', ')}`);
  mkdirSync(resultsDir, { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  for (const name of names) {
    const mod = (await import(pathToFileURL(join(here, `${name}.js`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') continue;
    const t0 = Date.now();
    const res: BenchResult = await mod.run({ quick });
    const seconds = (Date.now() - t0) / 1000;
    process.stdout.write(`\n## ${res.name}${quick ? ' (quick)' : ''} — ${seconds.toFixed(1)} s\n\n${formatTable(res.rows)}\n`);
    for (const n of res.notes ?? []) process.stdout.write(`- ${n}\n`);
    const file = join(resultsDir, `${name}${quick ? '.quick' : ''}.json`);
    writeFileSync(file, `${JSON.stringify({ ...res, quick, seconds, machine, date: new Date().toISOString() }, null, 2)}\n`);
  }
}

await main();
