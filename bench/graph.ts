/**
 * Product-graph benchmark (issue 3): build time, edges and memory of the four-relation CSR graph for the synthetic
 * world at 12k and 105k items (one week), with the default pair bound (last 30 items per user and type) and a
 * tighter one; plus neighbour-sampler throughput. `--quick` uses small worlds.
 * Run directly: `node dist/bench/graph.js [--quick]`.
 */
import { loadConfig } from '../src/core/config.js';
import { Rng } from '../src/core/rng.js';
import { buildProductGraph, graphBytes } from '../src/graph/product-graph.js';
import { NeighbourSampler } from '../src/sampling/neighbour-sampler.js';
import { generateWorld } from '../src/synthetic/index.js';
import { runIfMain } from './lib/direct-run.js';
import type { BenchOptions, BenchResult } from './types.js';

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const sizes = opts.quick
    ? [
        [2000, 3000],
        [5000, 5000],
      ]
    : [
        [12_000, 20_000],
        [105_000, 100_000],
      ];
  const cfg = loadConfig({}, {});
  const rows: Array<Record<string, string | number>> = [];
  for (const [items, users] of sizes) {
    const w = generateWorld({ items, users, weeks: 1, seed: 11, dim: 8 });
    for (const maxItemsPerUser of [cfg.graph.maxItemsPerUser, 10]) {
      global.gc?.();
      const heap0 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      const t0 = performance.now();
      const g = buildProductGraph(w.log, w.catalogue.size, { maxItemsPerUser, sessionGapMs: 0 });
      const ms = performance.now() - t0;
      const heap1 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      const sampler = new NeighbourSampler(g, { fanouts: cfg.teacher.numNeighbors, weighted: true });
      const rng = new Rng(1);
      const t1 = performance.now();
      let edges = 0;
      const batches = 50;
      for (let b = 0; b < batches; b++) {
        const seeds = Int32Array.from({ length: 3 * cfg.teacher.batchSize }, () => rng.int(items));
        const sub = sampler.sample(seeds, rng);
        edges += sub.edgesPerHop.reduce((a, c) => a + c, 0);
      }
      const sampleMs = (performance.now() - t1) / batches;
      rows.push({
        items,
        events: w.log.length,
        'last M': maxItemsPerUser,
        'build s': Number((ms / 1000).toFixed(2)),
        'pairs (M)': Number((g.stats.pairs.reduce((a, c) => a + c, 0) / 1e6).toFixed(2)),
        'edges click': g.stats.edges[0],
        'edges fav': g.stats.edges[1],
        'edges cart': g.stats.edges[2],
        'edges buy': g.stats.edges[3],
        'CSR MB': Number((graphBytes(g) / 2 ** 20).toFixed(1)),
        'heap after MB': Number(((heap1 - heap0) / 2 ** 20).toFixed(1)),
        'sample ms/batch': Number(sampleMs.toFixed(2)),
        'edges/batch': Math.round(edges / batches),
      });
    }
  }
  return {
    name: 'product graph build and neighbour sampling',
    rows,
    notes: [
      'one week of the synthetic world; pair bound: each event pairs with the user’s last M distinct items of the same type',
      'pairs: (user, pair) keys emitted after per-user de-duplication, before merging into distinct-user weights',
      'CSR MB: indptr + indices + weights of the four relations (both directions stored)',
      'sample: 3·128 seeds (anchor, positive, negative), default fan-out [10, 5] as a per-node budget over relations',
    ],
  };
}

await runIfMain(import.meta, run);
