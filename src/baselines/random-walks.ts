import type { Rng } from '../core/rng.js';
import type { Bipartite } from './bipartite.js';

/** Each item's importance neighbourhood (PinSage §3.1) and a pool of "hard-ish" negatives further down its ranking. */
export interface WalkNeighbourhoods {
  /** CSR over items: top-T visited items and their L1-normalised visit counts (importance weights α). */
  ptr: Int32Array;
  idx: Int32Array;
  weight: Float32Array;
  /** CSR over items: items ranked after the top T (up to `hardPool`), candidates for hard negatives. */
  hardPtr: Int32Array;
  hardIdx: Int32Array;
}

/**
 * Random walks item → user → item … from every item with edges (PinSage's importance-based neighbourhoods):
 * `walks` walks of `hops` item-to-item steps each; the T most visited other items become the neighbourhood, with
 * weights proportional to visit counts; items ranked T+1 … T+hardPool are kept for hard-negative sampling.
 */
export function walkNeighbourhoods(
  g: Bipartite,
  rng: Rng,
  opts: { walks: number; hops: number; top: number; hardPool: number },
): WalkNeighbourhoods {
  const nI = g.items;
  const ptr = new Int32Array(nI + 1);
  const hardPtr = new Int32Array(nI + 1);
  const idx: number[] = [];
  const weight: number[] = [];
  const hard: number[] = [];
  const visits = new Map<number, number>();
  for (let i = 0; i < nI; i++) {
    visits.clear();
    if (g.iPtr[i + 1] > g.iPtr[i]) {
      for (let w = 0; w < opts.walks; w++) {
        let cur = i;
        for (let h = 0; h < opts.hops; h++) {
          const du = g.iPtr[cur + 1] - g.iPtr[cur];
          if (du === 0) break;
          const u = g.iIdx[g.iPtr[cur] + rng.int(du)];
          const di = g.uPtr[u + 1] - g.uPtr[u];
          cur = g.uIdx[g.uPtr[u] + rng.int(di)];
          if (cur !== i) visits.set(cur, (visits.get(cur) ?? 0) + 1);
        }
      }
    }
    const ranked = [...visits].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const top = ranked.slice(0, opts.top);
    const total = top.reduce((s, e) => s + e[1], 0);
    for (const [j, c] of top) {
      idx.push(j);
      weight.push(c / total);
    }
    for (const [j] of ranked.slice(opts.top, opts.top + opts.hardPool)) hard.push(j);
    ptr[i + 1] = idx.length;
    hardPtr[i + 1] = hard.length;
  }
  return { ptr, idx: Int32Array.from(idx), weight: Float32Array.from(weight), hardPtr, hardIdx: Int32Array.from(hard) };
}
