import type { Rng } from '../core/rng.js';
import type { Csr } from '../graph/csr.js';
import type { ProductGraph } from '../graph/product-graph.js';

/**
 * The batch graph of SPEC §3 (paper App. A.1) as plain data: the seeds, the nodes reached hop by hop,
 * and, per relation, only the sampled edges, in local indices.
 */
export interface SampledSubgraph {
  /** Global item index of every local node: first the seeds as given (duplicates allowed), then new nodes hop by hop. */
  nodes: Int32Array;
  /** `hopEnds[k]` = number of local nodes within k hops of the seeds (`hopEnds[0]` = number of seeds); length L + 1. */
  hopEnds: number[];
  /**
   * Per relation, the sampled neighbours of the expanded nodes (the first `hopEnds[L−1]` local nodes) as a CSR in
   * local indices; a node's row holds distinct neighbours; weights are the graph's edge weights.
   */
  adj: Csr[];
  /** Sampled edges per hop (all relations together); hop k's edges leave the nodes first reached at hop k−1. */
  edgesPerHop: number[];
}

export interface SamplerOptions {
  /** Neighbours per node per hop, all relations together (`num_neighbors`). */
  fanouts: number[];
  /** Probability ∝ edge weight (true) or uniform (false). */
  weighted: boolean;
  /** Relations to expand (default: all). */
  relations?: number[];
}

/**
 * Weighted multi-relation neighbour sampler with memory bounded by batch · Π fan-out, not by the graph: per hop,
 * from every frontier node, at most `fanouts[hop]` distinct neighbours in all, split over its relations (see
 * `quotas`), drawn ∝ edge weight
 * (cumulative weights + binary search, duplicates re-drawn a bounded number of times) or uniformly (Floyd).
 * Construction precomputes per-row cumulative weights once (O(edges)); sampling touches only sampled rows.
 */
export class NeighbourSampler {
  private readonly cum: Float64Array[];
  private readonly local: Int32Array;
  private readonly relations: number[];

  constructor(
    readonly graph: Pick<ProductGraph, 'numItems' | 'relations'>,
    readonly opts: SamplerOptions,
  ) {
    this.relations = opts.relations ?? graph.relations.map((_, r) => r);
    this.cum = graph.relations.map((c) => {
      const cum = new Float64Array(c.weights.length);
      for (let i = 0; i + 1 < c.indptr.length; i++) {
        let s = 0;
        for (let e = c.indptr[i]; e < c.indptr[i + 1]; e++) {
          s += c.weights[e];
          cum[e] = s;
        }
      }
      return cum;
    });
    this.local = new Int32Array(graph.numItems).fill(-1);
  }

  /**
   * Samples the L-hop batch graph around `seeds` (L = fanouts.length). `exclude[i]` (optional, −1 = none) is a global
   * node that seed i must not receive as a direct neighbour: the far end of the edge it is trained on, so that the
   * loss cannot be met by passing the positive's own features along the very edge being predicted.
   */
  sample(seeds: ArrayLike<number>, rng: Rng, exclude?: ArrayLike<number>): SampledSubgraph {
    const fanouts = this.opts.fanouts;
    const R = this.graph.relations.length;
    const nodes = new GrowInt(Math.max(16, seeds.length * 4));
    for (let i = 0; i < seeds.length; i++) {
      nodes.push(seeds[i]);
      if (this.local[seeds[i]] === -1) this.local[seeds[i]] = i;
    }
    const hopEnds = [seeds.length];
    const rowPtr: GrowInt[] = [];
    const nbr: GrowInt[] = [];
    const wts: GrowFloat[] = [];
    for (let r = 0; r < R; r++) {
      rowPtr.push(new GrowInt(seeds.length + 1));
      rowPtr[r].push(0);
      nbr.push(new GrowInt(seeds.length * 4));
      wts.push(new GrowFloat(seeds.length * 4));
    }
    const edgesPerHop: number[] = [];
    const picked: number[] = [];
    const quota = new Array<number>(R).fill(0);
    let from = 0;
    for (let hop = 0; hop < fanouts.length; hop++) {
      const to = hopEnds[hop];
      const k = fanouts[hop];
      let edges = 0;
      for (let v = from; v < to; v++) {
        const g = nodes.at(v);
        this.quotas(g, k, quota);
        for (let r = 0; r < R; r++) {
          if (quota[r] > 0) {
            this.pick(r, g, quota[r], rng, picked);
            const c = this.graph.relations[r];
            const banned = exclude && hop === 0 ? exclude[v] : -1;
            for (const e of picked) {
              const u = c.indices[e];
              if (u === banned) continue;
              let lu = this.local[u];
              if (lu === -1) {
                lu = nodes.length;
                this.local[u] = lu;
                nodes.push(u);
              }
              nbr[r].push(lu);
              wts[r].push(c.weights[e]);
              edges++;
            }
          }
          rowPtr[r].push(nbr[r].length);
        }
      }
      edgesPerHop.push(edges);
      hopEnds.push(nodes.length);
      from = to;
    }
    const out = nodes.view().slice();
    for (let i = 0; i < out.length; i++) this.local[out[i]] = -1;
    return {
      nodes: out,
      hopEnds,
      adj: rowPtr.map((p, r) => ({ indptr: p.view().slice(), indices: nbr[r].view().slice(), weights: wts[r].view().slice() })),
      edgesPerHop,
    };
  }

  /**
   * One fixed sampled neighbourhood for every item (global indices, one CSR per relation): what layer-wise
   * full-catalogue inference aggregates over, so each item sees at most `k` neighbours in all.
   */
  sampleAll(k: number, rng: Rng): Csr[] {
    const n = this.graph.numItems;
    const picked: number[] = [];
    const R = this.graph.relations.length;
    const quota = new Array<number>(R).fill(0);
    const indptr = this.graph.relations.map(() => new Int32Array(n + 1));
    const idx = this.graph.relations.map((c) => new GrowInt(Math.min(c.indices.length, n * k) + 1));
    const w = this.graph.relations.map((c) => new GrowFloat(Math.min(c.indices.length, n * k) + 1));
    for (let g = 0; g < n; g++) {
      this.quotas(g, k, quota);
      for (let r = 0; r < R; r++) {
        if (quota[r] > 0) {
          this.pick(r, g, quota[r], rng, picked);
          const c = this.graph.relations[r];
          for (const e of picked) {
            idx[r].push(c.indices[e]);
            w[r].push(c.weights[e]);
          }
        }
        indptr[r][g + 1] = idx[r].length;
      }
    }
    return indptr.map((p, r) => ({ indptr: p, indices: idx[r].view().slice(), weights: w[r].view().slice() }));
  }

  /**
   * Splits a node's budget of k neighbours over its relations (SPEC §3: k edges per node per hop): every relation
   * where the node has edges gets an equal share, capped by its degree; unused slots go round-robin to relations
   * with edges left. So a node with only co-click edges gets k co-click neighbours, one with all four relations
   * about k/4 of each, and the batch never exceeds batch · Π k edges.
   */
  private quotas(g: number, k: number, out: number[]): void {
    const rels = this.relations;
    let active = 0;
    out.fill(0);
    for (const r of rels) if (this.graph.relations[r].indptr[g + 1] > this.graph.relations[r].indptr[g]) active++;
    if (active === 0) return;
    let left = k;
    const share = Math.floor(k / active);
    for (const r of rels) {
      const c = this.graph.relations[r];
      const q = Math.min(share, c.indptr[g + 1] - c.indptr[g]);
      out[r] = q;
      left -= q;
    }
    while (left > 0) {
      let gave = false;
      for (const r of rels) {
        if (left === 0) break;
        const c = this.graph.relations[r];
        if (out[r] < c.indptr[g + 1] - c.indptr[g]) {
          out[r]++;
          left--;
          gave = true;
        }
      }
      if (!gave) break;
    }
  }

  /** Edge positions (into relation r's CSR) of up to k distinct sampled neighbours of global node g. */
  pick(r: number, g: number, k: number, rng: Rng, out: number[]): void {
    out.length = 0;
    const c = this.graph.relations[r];
    const lo = c.indptr[g];
    const deg = c.indptr[g + 1] - lo;
    if (deg === 0) return;
    if (deg <= k) {
      for (let e = lo; e < lo + deg; e++) out.push(e);
      return;
    }
    if (!this.opts.weighted) {
      // Floyd's algorithm: k distinct positions out of deg, uniformly
      for (let j = deg - k; j < deg; j++) {
        const t = rng.int(j + 1);
        const e = lo + t;
        out.push(out.includes(e) ? lo + j : e);
      }
      return;
    }
    const cum = this.cum[r];
    const total = cum[lo + deg - 1];
    // draws ∝ weight with replacement; duplicates are re-drawn up to 3k times in all (heavy edges may win fewer slots)
    for (let tries = 0; tries < 3 * k && out.length < k; tries++) {
      const x = rng.next() * total;
      let a = lo;
      let b = lo + deg - 1;
      while (a < b) {
        const m = (a + b) >>> 1;
        if (cum[m] > x) b = m;
        else a = m + 1;
      }
      if (!out.includes(a)) out.push(a);
    }
  }
}

class GrowInt {
  private buf: Int32Array;
  length = 0;
  constructor(cap: number) {
    this.buf = new Int32Array(Math.max(4, cap));
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  at(i: number): number {
    return this.buf[i];
  }
  view(): Int32Array {
    return this.buf.subarray(0, this.length);
  }
}

class GrowFloat {
  private buf: Float32Array;
  length = 0;
  constructor(cap: number) {
    this.buf = new Float32Array(Math.max(4, cap));
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  view(): Float32Array {
    return this.buf.subarray(0, this.length);
  }
}
