import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import type { TrainingData } from '../recommender/contract.js';
import { type Bipartite, buildBipartite } from './bipartite.js';
import { type EmaKnnOptions, EmaKnnRecommender } from './ema-knn.js';

export interface LightGcnOptions extends EmaKnnOptions {
  dim?: number;
  layers?: number;
  epochs?: number;
  /** BPR triples per gradient step. */
  batchSize?: number;
  lr?: number;
  /** L2 regularisation λ on the layer-0 embeddings of each batch's nodes (LightGCN eq. 15). */
  l2?: number;
  /** Stop early when a budget of seconds is spent (evaluation time bound). */
  maxSeconds?: number;
}

/**
 * LightGCN (He et al., SIGIR 2020) trained on the training window's user–item graph, served through EMA + k-NN
 * as the paper's App. C prescribes (no content features). Faithful pieces: parameter-free propagation
 * E^(k+1) = D^−½ A D^−½ E^(k), final embedding = mean of layers 0..L, BPR loss with one sampled negative per
 * observed (user, item) pair, L2 on layer-0 embeddings, Adam. Hand-written sparse forward/backward: propagation is
 * linear and Â symmetric, so the gradient w.r.t. E^(0) is (1/(L+1)) Σ_k Â^k G.
 */
export class LightGcnRecommender extends EmaKnnRecommender {
  readonly name = 'lightgcn';
  /** Loss per epoch of the last fit, for tests and reports. */
  losses: number[] = [];

  constructor(private readonly opts: LightGcnOptions = {}) {
    super(opts);
  }

  protected async embed(data: TrainingData): Promise<{ embeddings: Matrix; valid: Uint8Array }> {
    const d = this.opts.dim ?? 64;
    const layers = this.opts.layers ?? 3;
    const epochs = this.opts.epochs ?? 30;
    const batch = this.opts.batchSize ?? 2048;
    const lr = this.opts.lr ?? 0.005;
    const l2 = this.opts.l2 ?? 1e-4;
    const rng = new Rng(data.seed ?? 42);
    const g = buildBipartite(data);
    const nU = g.users;
    const nI = g.items;
    const n = nU + nI;
    const norm = degreesInvSqrt(g);
    // Xavier-normal init as in the reference implementation
    const std = Math.sqrt(2 / (n + d));
    const e0 = Float32Array.from({ length: n * d }, () => rng.normal(0, std));
    const adam = new Adam(e0.length, lr);
    const grad = new Float32Array(n * d);
    const reg = new Float32Array(n * d);
    const tmpA = new Float32Array(n * d);
    const tmpB = new Float32Array(n * d);
    const final = new Float32Array(n * d);
    const t0 = performance.now();
    this.losses = [];
    if (g.edges > 0) {
      const stepsPerEpoch = Math.max(1, Math.ceil(g.edges / batch));
      // edge list for uniform positive sampling
      const eu = new Int32Array(g.edges);
      const ei = new Int32Array(g.edges);
      for (let u = 0, k = 0; u < nU; u++)
        for (let p = g.uPtr[u]; p < g.uPtr[u + 1]; p++, k++) {
          eu[k] = u;
          ei[k] = g.uIdx[p];
        }
      const itemsWithEdges = Int32Array.from({ length: nI }, (_, i) => i).filter((i) => g.iPtr[i + 1] > g.iPtr[i]);
      for (let ep = 0; ep < epochs; ep++) {
        let loss = 0;
        for (let s = 0; s < stepsPerEpoch; s++) {
          propagate(g, norm, e0, final, tmpA, tmpB, d, layers);
          grad.fill(0);
          for (let b = 0; b < batch; b++) {
            const k = rng.int(g.edges);
            const u = eu[k];
            const i = ei[k];
            let j = itemsWithEdges[rng.int(itemsWithEdges.length)];
            for (let t = 0; t < 5 && hasEdge(g, u, j); t++) j = itemsWithEdges[rng.int(itemsWithEdges.length)];
            const ou = u * d;
            const oi = (nU + i) * d;
            const oj = (nU + j) * d;
            let x = 0;
            for (let c = 0; c < d; c++) x += final[ou + c] * (final[oi + c] - final[oj + c]);
            // −ln σ(x); d/dx = −σ(−x)
            loss += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
            const gx = -1 / (1 + Math.exp(x)) / batch;
            for (let c = 0; c < d; c++) {
              grad[ou + c] += gx * (final[oi + c] - final[oj + c]);
              grad[oi + c] += gx * final[ou + c];
              grad[oj + c] -= gx * final[ou + c];
            }
            const r = (2 * l2) / batch;
            regularise(reg, e0, ou, d, r);
            regularise(reg, e0, oi, d, r);
            regularise(reg, e0, oj, d, r);
          }
          // G0 = (1/(L+1)) Σ_k Â^k G for the BPR part; the L2 term acts on E^(0) directly
          backpropagate(g, norm, grad, tmpA, tmpB, d, layers);
          for (let k = 0; k < tmpA.length; k++) tmpA[k] += reg[k];
          reg.fill(0);
          adam.step(e0, tmpA);
        }
        this.losses.push(loss / (stepsPerEpoch * batch));
        if (this.opts.maxSeconds !== undefined && (performance.now() - t0) / 1000 > this.opts.maxSeconds) break;
      }
    }
    propagate(g, norm, e0, final, tmpA, tmpB, d, layers);
    const valid = new Uint8Array(nI);
    for (let i = 0; i < nI; i++) valid[i] = g.iPtr[i + 1] > g.iPtr[i] ? 1 : 0;
    return { embeddings: { rows: nI, cols: d, data: final.slice(nU * d) }, valid };
  }
}

function regularise(grad: Float32Array, e0: Float32Array, o: number, d: number, r: number): void {
  for (let c = 0; c < d; c++) grad[o + c] += r * e0[o + c];
}

function hasEdge(g: Bipartite, u: number, i: number): boolean {
  for (let p = g.uPtr[u]; p < g.uPtr[u + 1]; p++) if (g.uIdx[p] === i) return true;
  return false;
}

/** 1/√deg for users then items (0 for isolated nodes). */
function degreesInvSqrt(g: Bipartite): Float32Array {
  const out = new Float32Array(g.users + g.items);
  for (let u = 0; u < g.users; u++) {
    const k = g.uPtr[u + 1] - g.uPtr[u];
    out[u] = k > 0 ? 1 / Math.sqrt(k) : 0;
  }
  for (let i = 0; i < g.items; i++) {
    const k = g.iPtr[i + 1] - g.iPtr[i];
    out[g.users + i] = k > 0 ? 1 / Math.sqrt(k) : 0;
  }
  return out;
}

/** out = Â x for the bipartite normalised adjacency (users first, then items). */
function spmm(g: Bipartite, norm: Float32Array, x: Float32Array, out: Float32Array, d: number): void {
  out.fill(0);
  const nU = g.users;
  for (let u = 0; u < nU; u++) {
    const ou = u * d;
    for (let p = g.uPtr[u]; p < g.uPtr[u + 1]; p++) {
      const i = g.uIdx[p];
      const oi = (nU + i) * d;
      const w = norm[u] * norm[nU + i];
      for (let c = 0; c < d; c++) {
        out[ou + c] += w * x[oi + c];
        out[oi + c] += w * x[ou + c];
      }
    }
  }
}

/** final = mean_{k=0..L} Â^k e0. */
function propagate(
  g: Bipartite,
  norm: Float32Array,
  e0: Float32Array,
  final: Float32Array,
  a: Float32Array,
  b: Float32Array,
  d: number,
  layers: number,
): void {
  final.set(e0);
  let cur = e0;
  let next = a;
  for (let l = 0; l < layers; l++) {
    spmm(g, norm, cur, next, d);
    for (let k = 0; k < final.length; k++) final[k] += next[k];
    cur = next;
    next = next === a ? b : a;
  }
  const s = 1 / (layers + 1);
  for (let k = 0; k < final.length; k++) final[k] *= s;
}

/** out = (1/(L+1)) Σ_k Â^k grad (Â is symmetric, so this is the exact gradient of `propagate`). */
function backpropagate(
  g: Bipartite,
  norm: Float32Array,
  grad: Float32Array,
  out: Float32Array,
  tmp: Float32Array,
  d: number,
  layers: number,
): void {
  // out accumulates; `grad` is reused as the running Â^k G
  out.set(grad);
  let cur = grad;
  let next = tmp;
  for (let l = 0; l < layers; l++) {
    spmm(g, norm, cur, next, d);
    for (let k = 0; k < out.length; k++) out[k] += next[k];
    const t = cur;
    cur = next;
    next = t;
  }
  const s = 1 / (layers + 1);
  for (let k = 0; k < out.length; k++) out[k] *= s;
}

/** Adam (Kingma & Ba) over one flat parameter vector. */
export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    size: number,
    private readonly lr: number,
    private readonly b1 = 0.9,
    private readonly b2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** One update of `param` by gradient `g`. */
  step(param: Float32Array, g: Float32Array): void {
    this.t++;
    const c1 = 1 - this.b1 ** this.t;
    const c2 = 1 - this.b2 ** this.t;
    for (let k = 0; k < param.length; k++) {
      const gk = g[k];
      this.m[k] = this.b1 * this.m[k] + (1 - this.b1) * gk;
      this.v[k] = this.b2 * this.v[k] + (1 - this.b2) * gk * gk;
      param[k] -= (this.lr * (this.m[k] / c1)) / (Math.sqrt(this.v[k] / c2) + this.eps);
    }
  }
}
