import type { BenchOptions, BenchResult } from '../types.js';
import { formatTable } from './format-table.js';

/**
 * Lets a benchmark file run on its own (`node dist/bench/<name>.js [--quick]`): when `meta` is the entry module,
 * runs `run` and prints its table and notes as the runner does (without writing bench/results/).
 */
export async function runIfMain(meta: ImportMeta, run: (opts: BenchOptions) => Promise<BenchResult>): Promise<void> {
  if (meta.url !== `file://${process.argv[1]}`) return;
  const res = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${formatTable(res.rows)}\n`);
  for (const n of res.notes ?? []) process.stdout.write(`- ${n}\n`);
}
