import type * as TfCore from '@tensorflow/tfjs-core';
import type { TailorConfig } from '../core/config.js';
import { gatherRows, type Matrix } from '../core/matrix.js';
import { startProgress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import type { ProductGraph } from '../graph/product-graph.js';
import type { Mlp } from '../nn/mlp.js';
import { applyDense, type DenseParams, glorot } from '../nn/tf/dense.js';
import { AdamW } from '../nn/tf/optim.js';
import { principalDirections } from '../nn/tf/pca.js';
import type { Tf } from '../nn/tf/setup.js';
import { meanEdgeWeights, type PairBatch, samplePairs } from '../sampling/pair-sampler.js';
import { contrastiveLoss } from '../teacher/loss.js';
import { batchLayout } from '../teacher/train-teacher.js';
import { heldOutLinks, type LinkCheck, linkCheckAuc, linkCheckRecall } from './held-out-links.js';
import { type InitLayer, procrustes, studentSizes, withContentSkip } from './skip-init.js';
import { type SoftmaxPairs, softmaxLinkLoss } from './softmax-loss.js';

export type StudentConfig = TailorConfig['student'];

export interface StudentEpoch {
  epoch: number;
  /** Mean alignment error ‖f(x) − z‖² on the training items. */
  loss: number;
  /** Same on the held-out items. */
  valLoss: number;
  /** AUC of the training graph's links at held-out items against random items (NaN without a graph). */
  valLinkAuc: number;
  seconds: number;
}

export interface StudentResult {
  student: Mlp;
  history: StudentEpoch[];
  bestEpoch: number;
  /** Alignment error of the best epoch on held-out items (eq. 4 on items the student never saw). */
  heldOutAlignment: number;
  /** Held-out link AUC of the kept weights, and of the initial weights (epoch 0, kept when no epoch beats it). */
  heldOutLinkAuc: number;
  startLinkAuc: number;
  /** Training stopped at `deadline` (the job's time budget), not by early stopping or the epoch cap. */
  outOfTime: boolean;
  heldOutItems: Int32Array;
  seconds: number;
}

/**
 * Distils the teacher into the student MLP f_θ: D → hidden… → d (SPEC §5, eq. 4): minimise
 * (1/|V|) Σ_v ‖f_θ(x_v) − z_v‖² over `items` (default: all), AdamW, early stopping (patience) on a held-out 10 %
 * of the items. The result is in the src/nn/mlp.ts layout (in×out row-major) and needs no graph at inference.
 */
export async function distilStudent(
  tf: Tf,
  x: Matrix,
  z: Matrix,
  cfg: StudentConfig,
  opts: {
    seed: number;
    items?: Int32Array;
    quiet?: boolean;
    heldOutFraction?: number;
    onEpoch?: (e: StudentEpoch) => void;
    /**
     * With `cfg.contrastiveWeight` > 0: the training graph, whose edges add β·(margin contrastive loss of eq. 2–3)
     * on the student's own outputs to the alignment loss (an option beyond eq. 4; off by default).
     */
    graph?: ProductGraph;
    contrastive?: { relationWeights: number[]; margin: number };
    /** performance.now() after which no new step starts: the epoch is evaluated and training stops. */
    deadline?: number;
  },
): Promise<StudentResult> {
  const t0 = performance.now();
  const rng = new Rng(`${opts.seed}:student`);
  const all = opts.items ? opts.items.slice() : Int32Array.from({ length: x.rows }, (_, i) => i);
  rng.shuffle(all);
  const nHeld = Math.min(all.length - 1, Math.max(1, Math.round(all.length * (opts.heldOutFraction ?? 0.1))));
  const heldOut = all.slice(0, nHeld);
  const train = all.slice(nHeld);
  const { sizes, layers } = initStudent(tf, x, z, train, cfg, rng);
  const vars = layers.flatMap((p) => [...p.w, p.b] as TfCore.Variable[]);
  const forward: Forward = (xb) => {
    let h = xb;
    layers.forEach((p, l) => {
      h = applyDense(tf, p, [h], { relu: l + 1 < layers.length, inputGrads: l > 0 });
    });
    return h;
  };
  const opt = new AdamW(tf, cfg.lr, cfg.weightDecay, vars);
  const stepsPerEpoch = Math.max(1, Math.ceil(train.length / cfg.batchSize));
  const progress = startProgress('student', cfg.epochs * stepsPerEpoch, {
    unit: 'steps',
    quiet: opts.quiet,
    fields: ['epoch', 'loss', 'val'],
  });
  const history: StudentEpoch[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: Float32Array[] = vars.map((v) => (v.dataSync() as Float32Array).slice());
  let sinceBest = 0;
  const beta = cfg.contrastiveWeight;
  const g = opts.graph;
  const con = opts.contrastive;
  const useGraph = beta > 0 && g !== undefined && con !== undefined;
  const anchors = useGraph ? connectedItems(g, con.relationWeights) : new Int32Array(0);
  const meanW = useGraph ? meanEdgeWeights(g) : [];
  const pairRng = rng.fork('pairs');
  const tau = cfg.temperature * meanSquaredDistance(z, train);
  // held-out items stay out of the graph term too, so the link check below sees items the student never fitted
  const isHeld = new Uint8Array(x.rows);
  for (const i of heldOut) isHeld[i] = 1;
  const anchorsFit = anchors.filter((a) => isHeld[a] === 0);
  const links = g && con ? heldOutLinks(g, heldOut, con.relationWeights, rng.fork('links')) : undefined;
  const byRecall = cfg.earlyStopping === 'recall';
  const linkAuc = (): number =>
    !links ? Number.NaN : byRecall ? projectedRecall(tf, forward, x, links) : projectedLinkAuc(tf, forward, x, links);
  const watchLinks = cfg.earlyStopping !== 'alignment' && links !== undefined;
  const startAuc = linkAuc();
  let outOfTime = false;
  if (watchLinks) best = -startAuc;
  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    const te = performance.now();
    rng.shuffle(train);
    let sum = 0;
    let seen = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (opts.deadline !== undefined && performance.now() > opts.deadline && (s > 0 || epoch > 1)) {
        outOfTime = true;
        break;
      }
      const rows = train.subarray(s * cfg.batchSize, (s + 1) * cfg.batchSize);
      const xb = gatherRows(x, rows).data;
      const zb = gatherRows(z, rows).data;
      let extra: { xs: Float32Array; n: number; pairs: ReturnType<typeof batchLayout>['pairs']; soft?: SoftmaxPairs } | undefined;
      if (useGraph && anchorsFit.length > 0) {
        const nA = Math.min(cfg.graphAnchors, anchorsFit.length);
        const pick = Int32Array.from({ length: nA }, () => anchorsFit[pairRng.int(anchorsFit.length)]);
        const b = withoutItems(samplePairs(g, pick, pairRng, { relationWeights: con.relationWeights, meanWeights: meanW }), isHeld);
        if (b.anchor.length > 0) {
          const lay = batchLayout(
            b,
            con.relationWeights.map((l) => l * beta),
          );
          const soft = cfg.graphLoss === 'softmax' ? softmaxPairs(lay.seeds, lay.pairs, cfg.softmaxNegatives) : undefined;
          extra = { xs: gatherRows(x, lay.seeds).data, n: lay.seeds.length, pairs: lay.pairs, soft };
        }
      }
      const e = extra;
      const loss = opt.step(() => {
        const align = mseLoss(tf, forward(tf.tensor2d(xb, [rows.length, x.cols])), zb);
        if (!e || !con) return align;
        const ze = forward(tf.tensor2d(e.xs, [e.n, x.cols]));
        return tf.add(align, e.soft ? softmaxLinkLoss(tf, ze, e.soft, tau) : contrastiveLoss(tf, ze, e.pairs, 'margin', con.margin));
      });
      sum += loss * rows.length;
      seen += rows.length;
      progress.update((epoch - 1) * stepsPerEpoch + s + 1, {
        epoch,
        loss: (sum / Math.min(train.length, (s + 1) * cfg.batchSize)).toFixed(4),
        val: history.at(-1)?.valLoss.toFixed(4) ?? '-',
      });
      if (s % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    const valLoss = evaluate(tf, forward, x, z, heldOut);
    const valLinkAuc = linkAuc();
    const rec = { epoch, loss: sum / Math.max(1, seen), valLoss, valLinkAuc, seconds: (performance.now() - te) / 1000 };
    history.push(rec);
    opts.onEpoch?.(rec);
    const watch = watchLinks ? -valLinkAuc : valLoss;
    if (watch < best - 1e-7) {
      best = watch;
      bestEpoch = epoch;
      bestWeights = vars.map((v) => (v.dataSync() as Float32Array).slice());
      sinceBest = 0;
    } else if (++sinceBest >= cfg.patience) break;
    if (outOfTime) break;
  }
  progress.stop();
  opt.dispose();
  const student: Mlp = {
    layers: layers.map((_p, l) => ({ inDim: sizes[l], outDim: sizes[l + 1], weight: bestWeights[2 * l], bias: bestWeights[2 * l + 1] })),
  };
  for (const v of vars) v.dispose();
  const bestRec = history[bestEpoch - 1];
  return {
    student,
    history,
    bestEpoch,
    heldOutAlignment: bestRec ? bestRec.valLoss : Number.NaN,
    heldOutLinkAuc: bestRec ? bestRec.valLinkAuc : startAuc,
    startLinkAuc: startAuc,
    outOfTime,
    heldOutItems: heldOut,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Projects every row of `x` through an MLP with tfjs-wasm, in chunks (the fast path for whole catalogues). */
export function projectAll(tf: Tf, mlp: Mlp, x: Matrix, chunk = 8192): Matrix {
  const d = mlp.layers.at(-1)?.outDim ?? x.cols;
  const out = new Float32Array(x.rows * d);
  const ws = mlp.layers.map((l) => ({ w: tf.tensor2d(l.weight, [l.inDim, l.outDim]), b: tf.tensor1d(l.bias) }));
  for (let s = 0; s < x.rows; s += chunk) {
    const e = Math.min(x.rows, s + chunk);
    const y = tf.tidy(() => {
      let h: TfCore.Tensor2D = tf.tensor2d(x.data.subarray(s * x.cols, e * x.cols), [e - s, x.cols]);
      ws.forEach((p, l) => {
        h = tf.add(tf.matMul(h, p.w), p.b);
        if (l + 1 < ws.length) h = tf.relu(h);
      });
      return h;
    });
    out.set(y.dataSync() as Float32Array, s * d);
    y.dispose();
  }
  for (const p of ws) {
    p.w.dispose();
    p.b.dispose();
  }
  return { rows: x.rows, cols: d, data: out };
}

/**
 * The student's initial layers: Glorot everywhere, or with `cfg.skip = 'pca'` (and at least one hidden layer) the
 * content-preserving start of `withContentSkip`: f(x) = MLP(x) + s·(x − μ)·A·R with A the top-k principal directions
 * of the training items' content (k = min(D, d)), R the rotation that best aligns them with the teacher's z, and s
 * matching z's spread, so the student starts from content neighbourhoods and learns the graph's correction.
 */
function initStudent(
  tf: Tf,
  x: Matrix,
  z: Matrix,
  train: Int32Array,
  cfg: StudentConfig,
  rng: Rng,
): { sizes: number[]; layers: DenseParams[] } {
  const plain = [x.cols, ...cfg.hidden, z.cols];
  const initRng = rng.fork('init');
  const mlp = plain.slice(1).map((out, l) => ({ weight: glorot(initRng, plain[l], out), bias: new Float32Array(out) }));
  let init: InitLayer[] = mlp;
  let sizes = plain;
  if (cfg.skip === 'pca' && cfg.hidden.length > 0) {
    const d = z.cols;
    const pc = principalDirections(tf, x, train, Math.min(x.cols, d), rng.fork('pca'));
    const k = pc.k;
    const n = train.length;
    const p = new Float32Array(n * k);
    const zc = new Float32Array(n * d);
    const zMean = new Float32Array(d);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) zMean[c] += z.data[train[i] * d + c] / n;
    let varP = 0;
    let varZ = 0;
    for (let i = 0; i < n; i++) {
      const o = train[i] * x.cols;
      for (let j = 0; j < k; j++) {
        let u = 0;
        for (let c = 0; c < x.cols; c++) u += (x.data[o + c] - pc.mean[c]) * pc.dirs[c * k + j];
        p[i * k + j] = u;
        varP += u * u;
      }
      for (let c = 0; c < d; c++) {
        const v = z.data[train[i] * d + c] - zMean[c];
        zc[i * d + c] = v;
        varZ += v * v;
      }
    }
    const rot = procrustes(p, zc, n, k, d);
    const scale = varP > 0 ? Math.sqrt(varZ / varP) : 1;
    const last = mlp[mlp.length - 1];
    // the MLP's own output starts at zero, so f starts as the content map exactly and learns only the graph's correction
    last.weight.fill(0);
    last.bias.set(zMean);
    init = withContentSkip(mlp, plain, pc, rot, scale);
    sizes = studentSizes(x.cols, cfg.hidden, d, cfg.skip);
  }
  const layers: DenseParams[] = init.map((l, i) => ({
    w: [tf.variable(tf.tensor2d(l.weight, [sizes[i], sizes[i + 1]]), true, `student_l${i}_w0`)],
    b: tf.variable(tf.tensor1d(l.bias), true, `student_l${i}_b`),
  }));
  return { sizes, layers };
}

/**
 * The softmax graph term's layout over `batchLayout`'s rows (anchors, then positives, then negatives): each pair's
 * anchor is ranked against its positive and the batch's negative rows ('uniform') or every positive and negative row
 * ('batch'), with the pair's coefficient.
 */
function softmaxPairs(
  seeds: Int32Array,
  pairs: ReturnType<typeof batchLayout>['pairs'],
  negatives: StudentConfig['softmaxNegatives'],
): SoftmaxPairs {
  const A = seeds.length / 3;
  const coef = new Float32Array(A);
  for (let p = 0; p < pairs.u.length; p++) if (pairs.positive[p] === 1) coef[pairs.u[p]] = pairs.coef[p];
  return {
    anchor: Int32Array.from({ length: A }, (_, i) => i),
    positive: Int32Array.from({ length: A }, (_, i) => A + i),
    candidates:
      negatives === 'uniform' ? Int32Array.from({ length: A }, (_, i) => 2 * A + i) : Int32Array.from({ length: 2 * A }, (_, i) => A + i),
    item: seeds,
    coef,
  };
}

/** 2·(mean squared distance of `z`'s rows at `rows` from their mean): the expected ‖z_u − z_v‖² of two random items. */
function meanSquaredDistance(z: Matrix, rows: Int32Array): number {
  const mean = new Float64Array(z.cols);
  for (const r of rows) for (let c = 0; c < z.cols; c++) mean[c] += z.data[r * z.cols + c] / rows.length;
  let s = 0;
  for (const r of rows) for (let c = 0; c < z.cols; c++) s += (z.data[r * z.cols + c] - mean[c]) ** 2;
  return rows.length > 0 && s > 0 ? (2 * s) / rows.length : 1;
}

/** The pairs of a batch whose anchor, positive and negative are all outside `mask` (1 = left out). */
function withoutItems(b: PairBatch, mask: Uint8Array): PairBatch {
  const keep: number[] = [];
  for (let i = 0; i < b.anchor.length; i++) if (!mask[b.anchor[i]] && !mask[b.positive[i]] && !mask[b.negative[i]]) keep.push(i);
  if (keep.length === b.anchor.length) return b;
  return {
    anchor: Int32Array.from(keep, (i) => b.anchor[i]),
    positive: Int32Array.from(keep, (i) => b.positive[i]),
    negative: Int32Array.from(keep, (i) => b.negative[i]),
    relation: Uint8Array.from(keep, (i) => b.relation[i]),
    weight: Float32Array.from(keep, (i) => b.weight[i]),
  };
}

type Forward = (x: TfCore.Tensor2D) => TfCore.Tensor2D;

/** `forward` over rows `rows` of `x` (every row when omitted), in chunks of 4096: the outputs (n×d) and d. */
function forwardRows(tf: Tf, forward: Forward, x: Matrix, rows?: Int32Array): { out: Float32Array; d: number } {
  const n = rows ? rows.length : x.rows;
  let d = 0;
  let out = new Float32Array(0);
  for (let lo = 0; lo < n; lo += 4096) {
    const hi = Math.min(n, lo + 4096);
    const xs = rows ? gatherRows(x, rows.subarray(lo, hi)).data : x.data.subarray(lo * x.cols, hi * x.cols);
    const y = tf.tidy(() => forward(tf.tensor2d(xs, [hi - lo, x.cols])));
    if (lo === 0) {
      d = y.shape[1];
      out = new Float32Array(n * d);
    }
    out.set(y.dataSync() as Float32Array, lo * d);
    y.dispose();
  }
  return { out, d };
}

/** Held-out link AUC of the current weights (only the items the check reads are projected). */
function projectedLinkAuc(tf: Tf, forward: Forward, x: Matrix, links: LinkCheck): number {
  const { out, d } = forwardRows(tf, forward, x, links.items);
  return linkCheckAuc(links, out, d, x.rows);
}

/** Held-out recall@10 of the current weights over the whole catalogue (`linkCheckRecall`). */
function projectedRecall(tf: Tf, forward: Forward, x: Matrix, links: LinkCheck): number {
  const { out, d } = forwardRows(tf, forward, x);
  return linkCheckRecall(links, out, d, x.rows);
}

function connectedItems(g: ProductGraph, lambda: number[]): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < g.numItems; i++)
    if (lambda.some((l, r) => l > 0 && g.relations[r].indptr[i + 1] > g.relations[r].indptr[i])) out.push(i);
  return Int32Array.from(out);
}

/** (1/n) Σ_i ‖pred_i − target_i‖² with its gradient computed in TypeScript. */
function mseLoss(tf: Tf, pred: TfCore.Tensor2D, target: Float32Array): TfCore.Scalar {
  const f = tf.customGrad((...args: Array<TfCore.Tensor | TfCore.GradSaveFunc>) => {
    const p = (args[0] as TfCore.Tensor).dataSync() as Float32Array;
    const n = pred.shape[0];
    const g = new Float32Array(p.length);
    let loss = 0;
    for (let i = 0; i < p.length; i++) {
      const t = p[i] - target[i];
      loss += t * t;
      g[i] = (2 * t) / n;
    }
    return {
      value: tf.scalar(loss / n),
      gradFunc: (dy: TfCore.Tensor | TfCore.Tensor[]) => tf.mul(tf.tensor2d(g, pred.shape), dy as TfCore.Tensor),
    };
  });
  return f(pred) as TfCore.Scalar;
}

function evaluate(tf: Tf, forward: Forward, x: Matrix, z: Matrix, rows: Int32Array): number {
  const { out } = forwardRows(tf, forward, x, rows);
  const t = gatherRows(z, rows).data;
  let s = 0;
  for (let i = 0; i < out.length; i++) s += (out[i] - t[i]) ** 2;
  return s / rows.length;
}
