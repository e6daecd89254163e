import type { Rng } from '../core/rng.js';
import { type Csr, hasEdge } from '../graph/csr.js';

/**
 * Uniform negative sampling for one relation (SPEC §4, E⁻_r): for every anchor, an item drawn uniformly from the
 * catalogue that is neither the anchor nor one of its neighbours in `csr` (re-drawn up to `maxTries` times; on a
 * near-complete row the last draw is kept). One negative per anchor, so |E⁻_r| = |E_r| when anchors are edge ends.
 */
export function sampleNegatives(csr: Csr, anchors: ArrayLike<number>, numItems: number, rng: Rng, maxTries = 8): Int32Array {
  const out = new Int32Array(anchors.length);
  for (let i = 0; i < anchors.length; i++) {
    const a = anchors[i];
    let v = rng.int(numItems);
    for (let t = 1; t < maxTries && (v === a || hasEdge(csr, a, v)); t++) v = rng.int(numItems);
    out[i] = v;
  }
  return out;
}
