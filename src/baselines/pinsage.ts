import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import type { TrainingData } from '../recommender/contract.js';
import { buildBipartite } from './bipartite.js';
import { addMatmulTA, matmul, matmulTB } from './dense.js';
import { type EmaKnnOptions, EmaKnnRecommender } from './ema-knn.js';
import { Adam } from './lightgcn.js';
import { type WalkNeighbourhoods, walkNeighbourhoods } from './random-walks.js';

export interface PinSageOptions extends EmaKnnOptions {
  hidden?: number;
  dim?: number;
  /** Importance neighbourhood size T and random walks per item. */
  neighbours?: number;
  walks?: number;
  epochs?: number;
  batchSize?: number;
  /** Shared random negatives per mini-batch (the paper shares them across the batch). */
  negatives?: number;
  margin?: number;
  lr?: number;
  maxSeconds?: number;
}

interface Layer {
  din: number;
  dh: number;
  dout: number;
  Q: Float32Array;
  q: Float32Array;
  W: Float32Array;
  w: Float32Array;
}

interface Cache {
  H: Float32Array;
  S: number;
  T: number;
  nb: { ptr: Int32Array; idx: Int32Array; w: Float32Array };
  pre: Float32Array;
  M: Float32Array;
  cat: Float32Array;
  A: Float32Array;
  out: Float32Array;
  norm: Float32Array;
}

/**
 * PinSage (Ying et al., KDD 2018) trained on the training window with content features, served through EMA + k-NN
 * (paper App. C). Faithful pieces: importance-based neighbourhoods from item→user→item random walks (top-T visit
 * counts), convolutions n_v = Σ α_u ReLU(Q h_u + q) (importance pooling), h_v ← ‖ReLU(W [h_v ; n_v] + w)‖-normalised,
 * two layers over x_i, max-margin loss max(0, z_q·z_n − z_q·z_p + Δ) with positives drawn from the walk
 * neighbourhood, negatives shared across the batch, plus a curriculum of hard-ish negatives (items ranked just below
 * the neighbourhood) from the second epoch. Hand-written forward/backward, Adam.
 */
export class PinSageRecommender extends EmaKnnRecommender {
  readonly name = 'pinsage';
  losses: number[] = [];

  constructor(private readonly opts: PinSageOptions = {}) {
    super(opts);
  }

  protected async embed(data: TrainingData): Promise<{ embeddings: Matrix }> {
    const rng = new Rng(data.seed ?? 42);
    const X = data.catalogue.vectors;
    const D = X.cols;
    const h = this.opts.hidden ?? 64;
    const d = this.opts.dim ?? 64;
    const g = buildBipartite(data);
    const nb = walkNeighbourhoods(g, rng, { walks: this.opts.walks ?? 40, hops: 3, top: this.opts.neighbours ?? 10, hardPool: 40 });
    const layers = [newLayer(D, h, h, rng), newLayer(h, h, d, rng)];
    const params = layers.flatMap((l) => [l.Q, l.q, l.W, l.w]);
    const adams = params.map((p) => new Adam(p.length, this.opts.lr ?? 0.003));
    const queries = Int32Array.from({ length: X.rows }, (_, i) => i).filter((i) => nb.ptr[i + 1] > nb.ptr[i]);
    const batch = this.opts.batchSize ?? 128;
    const margin = this.opts.margin ?? 0.2;
    const nNeg = this.opts.negatives ?? 32;
    const epochs = this.opts.epochs ?? 5;
    const t0 = performance.now();
    this.losses = [];
    if (queries.length > 0) {
      const steps = Math.max(1, Math.ceil(queries.length / batch));
      outer: for (let ep = 0; ep < epochs; ep++) {
        let loss = 0;
        for (let s = 0; s < steps; s++) {
          const qs = new Int32Array(batch);
          const ps = new Int32Array(batch);
          const hs = new Int32Array(batch).fill(-1);
          for (let b = 0; b < batch; b++) {
            const q = queries[rng.int(queries.length)];
            qs[b] = q;
            ps[b] = sampleNeighbour(nb, q, rng);
            const hp = nb.hardPtr[q + 1] - nb.hardPtr[q];
            if (ep > 0 && hp > 0) hs[b] = nb.hardIdx[nb.hardPtr[q] + rng.int(hp)];
          }
          const negs = Int32Array.from({ length: nNeg }, () => rng.int(X.rows));
          const nodes = [...new Set([...qs, ...ps, ...negs, ...Array.from(hs).filter((x) => x >= 0)])];
          const { z, backward } = this.forwardBatch(layers, X, nb, nodes);
          const pos = new Map(nodes.map((v, i) => [v, i]));
          const dz = new Float32Array(z.length);
          for (let b = 0; b < batch; b++) {
            const zq = pos.get(qs[b])! * d;
            const zp = pos.get(ps[b])! * d;
            const sp = dotAt(z, zq, zp, d);
            const cand = hs[b] >= 0 ? [...negs, hs[b]] : negs;
            const c = 1 / (cand.length * batch);
            for (const n of cand) {
              const zn = pos.get(n)! * d;
              const l = dotAt(z, zq, zn, d) - sp + margin;
              if (l <= 0) continue;
              loss += l * c;
              for (let j = 0; j < d; j++) {
                dz[zq + j] += c * (z[zn + j] - z[zp + j]);
                dz[zn + j] += c * z[zq + j];
                dz[zp + j] -= c * z[zq + j];
              }
            }
          }
          const grads = backward(dz);
          for (let k = 0; k < params.length; k++) adams[k].step(params[k], grads[k]);
          if (this.opts.maxSeconds !== undefined && (performance.now() - t0) / 1000 > this.opts.maxSeconds) {
            this.losses.push(loss / (s + 1));
            break outer;
          }
        }
        this.losses.push(loss / steps);
      }
    }
    // inference for every item, in chunks: content features give cold items an embedding too
    const out = new Float32Array(X.rows * d);
    const chunk = 512;
    for (let s = 0; s < X.rows; s += chunk) {
      const nodes = Array.from({ length: Math.min(chunk, X.rows - s) }, (_, i) => s + i);
      out.set(this.forwardBatch(layers, X, nb, nodes).z, s * d);
    }
    return { embeddings: { rows: X.rows, cols: d, data: out } };
  }

  /** Two convolutions for `nodes`: gathers their 2-hop computation graph, returns z and a backward closure. */
  private forwardBatch(layers: Layer[], X: Matrix, nb: WalkNeighbourhoods, nodes: number[]) {
    const s1 = expand(nodes, nb);
    const s0 = expand(s1.nodes, nb);
    const H0 = new Float32Array(s0.nodes.length * X.cols);
    for (let i = 0; i < s0.nodes.length; i++) H0.set(X.data.subarray(s0.nodes[i] * X.cols, (s0.nodes[i] + 1) * X.cols), i * X.cols);
    const c1 = forwardLayer(layers[0], H0, s0.nodes.length, s1.nodes.length, s0.nb);
    const c2 = forwardLayer(layers[1], c1.out, s1.nodes.length, nodes.length, s1.nb);
    const backward = (dz: Float32Array): Float32Array[] => {
      const g2 = zeroGrads(layers[1]);
      const dH1 = backwardLayer(layers[1], c2, dz, g2, true)!;
      const g1 = zeroGrads(layers[0]);
      backwardLayer(layers[0], c1, dH1, g1, false);
      return [...g1, ...g2];
    };
    return { z: c2.out, backward };
  }
}

/** The node list extended by the neighbourhoods of its members (members first), and their CSR in local indices. */
function expand(nodes: number[], nb: WalkNeighbourhoods) {
  const local = new Map<number, number>();
  const all = [...nodes];
  for (let i = 0; i < nodes.length; i++) local.set(nodes[i], i);
  const ptr = new Int32Array(nodes.length + 1);
  const idx: number[] = [];
  const w: number[] = [];
  for (let t = 0; t < nodes.length; t++) {
    const v = nodes[t];
    for (let p = nb.ptr[v]; p < nb.ptr[v + 1]; p++) {
      const u = nb.idx[p];
      let li = local.get(u);
      if (li === undefined) {
        li = all.length;
        all.push(u);
        local.set(u, li);
      }
      idx.push(li);
      w.push(nb.weight[p]);
    }
    ptr[t + 1] = idx.length;
  }
  return { nodes: all, nb: { ptr, idx: Int32Array.from(idx), w: Float32Array.from(w) } };
}

export function newLayer(din: number, dh: number, dout: number, rng: Rng): Layer {
  const init = (rows: number, cols: number) =>
    Float32Array.from({ length: rows * cols }, () => rng.normal(0, Math.sqrt(2 / (rows + cols))));
  return { din, dh, dout, Q: init(din, dh), q: new Float32Array(dh), W: init(din + dh, dout), w: new Float32Array(dout) };
}

export function zeroGrads(l: Layer): Float32Array[] {
  return [new Float32Array(l.Q.length), new Float32Array(l.q.length), new Float32Array(l.W.length), new Float32Array(l.w.length)];
}

/** One PinSage convolution (exported for the gradient test). */
export function forwardLayer(l: Layer, H: Float32Array, S: number, T: number, nb: Cache['nb']): Cache {
  const pre = matmul(H, l.Q, S, l.din, l.dh);
  const M = new Float32Array(pre.length);
  for (let r = 0; r < S; r++)
    for (let j = 0; j < l.dh; j++) {
      const v = pre[r * l.dh + j] + l.q[j];
      pre[r * l.dh + j] = v;
      M[r * l.dh + j] = Math.max(v, 0);
    }
  const dc = l.din + l.dh;
  const cat = new Float32Array(T * dc);
  for (let t = 0; t < T; t++) {
    cat.set(H.subarray(t * l.din, (t + 1) * l.din), t * dc);
    for (let p = nb.ptr[t]; p < nb.ptr[t + 1]; p++) {
      const a = nb.w[p];
      const src = nb.idx[p] * l.dh;
      for (let j = 0; j < l.dh; j++) cat[t * dc + l.din + j] += a * M[src + j];
    }
  }
  const A = matmul(cat, l.W, T, dc, l.dout);
  const out = new Float32Array(T * l.dout);
  const norm = new Float32Array(T);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < l.dout; j++) {
      const v = A[t * l.dout + j] + l.w[j];
      A[t * l.dout + j] = v;
      const r = Math.max(v, 0);
      out[t * l.dout + j] = r;
      s += r * r;
    }
    const n = Math.sqrt(s) + 1e-6;
    norm[t] = n;
    for (let j = 0; j < l.dout; j++) out[t * l.dout + j] /= n;
  }
  return { H, S, T, nb, pre, M, cat, A, out, norm };
}

/** Gradients of one convolution into `g` = [dQ, dq, dW, dw]; returns dH for the source rows when asked. */
export function backwardLayer(l: Layer, c: Cache, dOut: Float32Array, g: Float32Array[], needInput: boolean): Float32Array | undefined {
  const { T, S } = c;
  const dA = new Float32Array(T * l.dout);
  for (let t = 0; t < T; t++) {
    const o = t * l.dout;
    let dp = 0;
    for (let j = 0; j < l.dout; j++) dp += c.out[o + j] * dOut[o + j];
    for (let j = 0; j < l.dout; j++) {
      const dr = (dOut[o + j] - c.out[o + j] * dp) / c.norm[t];
      dA[o + j] = c.A[o + j] > 0 ? dr : 0;
    }
  }
  const dc = l.din + l.dh;
  addMatmulTA(c.cat, dA, T, dc, l.dout, g[2]);
  for (let t = 0; t < T; t++) for (let j = 0; j < l.dout; j++) g[3][j] += dA[t * l.dout + j];
  const dCat = matmulTB(dA, l.W, T, l.dout, dc);
  const dM = new Float32Array(S * l.dh);
  const dH = needInput ? new Float32Array(S * l.din) : undefined;
  for (let t = 0; t < T; t++) {
    if (dH) for (let j = 0; j < l.din; j++) dH[t * l.din + j] += dCat[t * dc + j];
    for (let p = c.nb.ptr[t]; p < c.nb.ptr[t + 1]; p++) {
      const a = c.nb.w[p];
      const dst = c.nb.idx[p] * l.dh;
      for (let j = 0; j < l.dh; j++) dM[dst + j] += a * dCat[t * dc + l.din + j];
    }
  }
  for (let k = 0; k < dM.length; k++) if (c.pre[k] <= 0) dM[k] = 0;
  addMatmulTA(c.H, dM, S, l.din, l.dh, g[0]);
  for (let r = 0; r < S; r++) for (let j = 0; j < l.dh; j++) g[1][j] += dM[r * l.dh + j];
  if (dH) {
    const back = matmulTB(dM, l.Q, S, l.dh, l.din);
    for (let k = 0; k < dH.length; k++) dH[k] += back[k];
  }
  return dH;
}

function sampleNeighbour(nb: WalkNeighbourhoods, q: number, rng: Rng): number {
  let r = rng.next();
  for (let p = nb.ptr[q]; p < nb.ptr[q + 1]; p++) {
    r -= nb.weight[p];
    if (r < 0) return nb.idx[p];
  }
  return nb.idx[nb.ptr[q + 1] - 1];
}

function dotAt(z: Float32Array, a: number, b: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += z[a + j] * z[b + j];
  return s;
}
