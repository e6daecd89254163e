import type { TailorConfig } from '../core/config.js';
import type { Matrix } from '../core/matrix.js';
import { startProgress } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { type ProductGraph, RELATIONS } from '../graph/product-graph.js';
import { AdamW } from '../nn/tf/optim.js';
import type { Tf } from '../nn/tf/setup.js';
import { NeighbourSampler } from '../sampling/neighbour-sampler.js';
import { meanEdgeWeights, type PairBatch, samplePairs } from '../sampling/pair-sampler.js';
import { auc, linkScore } from '../train/metrics.js';
import { HgnnTeacher } from './hgnn.js';
import { contrastiveLoss, contrastiveLossValue, type LossPairs } from './loss.js';

export type TeacherConfig = TailorConfig['teacher'];

export interface TeacherEpoch {
  epoch: number;
  loss: number;
  /** Validation loss (NaN without a validation graph). */
  valLoss: number;
  /** AUC of the validation pairs: positive edges closer than negatives (NaN without a validation graph). */
  valAuc: number;
  steps: number;
  seconds: number;
}

export interface TeacherResult {
  teacher: HgnnTeacher;
  /** z_v for every item (n × d), from the best epoch's weights. */
  embeddings: Matrix;
  history: TeacherEpoch[];
  bestEpoch: number;
  steps: number;
  seconds: number;
  stopped: 'early' | 'epochs' | 'budget';
}

export interface TeacherTrainOptions {
  seed: number;
  /** Graph of held-out users' events over the same items: early stopping watches the loss on its edges. */
  valGraph?: ProductGraph;
  quiet?: boolean;
  onEpoch?: (e: TeacherEpoch) => void;
  /** performance.now() after which no new step starts: the epoch ends there, is validated, and training stops. */
  deadline?: number;
}

/** λ_r in RELATIONS order from the config's per-relation weights. */
export function relationWeights(cfg: TeacherConfig): number[] {
  return RELATIONS.map((r) => cfg.relationWeights[r]);
}

/**
 * Turns a pair batch into the seeds of one batch graph, laid out [anchors | positives | negatives], and the loss
 * pairs over those rows with coefficients λ_r·ŵ/n_r (positives) and λ_r/n_r (negatives), so that the batch loss is
 * Σ_r λ_r L_r with L_r a per-pair mean (eq. 3), independent of batch size.
 */
export function batchLayout(b: PairBatch, lambda: number[]): { seeds: Int32Array; exclude: Int32Array; pairs: LossPairs } {
  const A = b.anchor.length;
  const seeds = new Int32Array(3 * A);
  seeds.set(b.anchor, 0);
  seeds.set(b.positive, A);
  seeds.set(b.negative, 2 * A);
  // the trained edge itself is not a message-passing edge for its two ends
  const exclude = new Int32Array(3 * A).fill(-1);
  exclude.set(b.positive, 0);
  exclude.set(b.anchor, A);
  const perRel = new Array(lambda.length).fill(0);
  for (let i = 0; i < A; i++) perRel[b.relation[i]]++;
  const u = new Int32Array(2 * A);
  const v = new Int32Array(2 * A);
  const positive = new Uint8Array(2 * A);
  const coef = new Float32Array(2 * A);
  for (let i = 0; i < A; i++) {
    const r = b.relation[i];
    const c = lambda[r] / perRel[r];
    u[i] = i;
    v[i] = A + i;
    positive[i] = 1;
    coef[i] = c * b.weight[i];
    u[A + i] = i;
    v[A + i] = 2 * A + i;
    coef[A + i] = c;
  }
  return { seeds, exclude, pairs: { u, v, positive, coef } };
}

/**
 * Trains the HGNN teacher (SPEC §4) self-supervised on `graph` with content vectors `x`: mini-batches of anchor items,
 * one positive edge and one uniform negative per anchor, the batch graph from the weighted neighbour sampler, AdamW,
 * early stopping (patience) on the validation graph's loss, best weights restored. Deterministic for a seed.
 */
export async function trainTeacher(
  tf: Tf,
  graph: ProductGraph,
  x: Matrix,
  cfg: TeacherConfig,
  opts: TeacherTrainOptions,
): Promise<TeacherResult> {
  const t0 = performance.now();
  const rng = new Rng(opts.seed);
  const lambda = relationWeights(cfg);
  const R = graph.relations.length;
  const active = lambda.map((l, r) => (l > 0 ? r : -1)).filter((r) => r >= 0);
  const fanouts = fitFanouts(cfg.numNeighbors, cfg.hidden.length + 1);
  const teacher = new HgnnTeacher(
    tf,
    {
      inDim: x.cols,
      hidden: cfg.hidden,
      outDim: cfg.outDim,
      numRelations: R,
      neighbourAgg: cfg.neighbourAgg,
      relationAgg: cfg.relationAgg,
      normalizeOutput: cfg.loss === 'difference',
    },
    rng.fork('init'),
  );
  const sampler = new NeighbourSampler(graph, { fanouts, weighted: cfg.weightedSampling });
  const meanW = meanEdgeWeights(graph);
  const anchors: number[] = [];
  for (let i = 0; i < graph.numItems; i++)
    if (active.some((r) => graph.relations[r].indptr[i + 1] > graph.relations[r].indptr[i])) anchors.push(i);
  const order = Int32Array.from(anchors);
  const stepsPerEpoch = Math.max(
    1,
    Math.min(Math.ceil(order.length / cfg.batchSize), cfg.maxStepsPerEpoch > 0 ? cfg.maxStepsPerEpoch : Number.POSITIVE_INFINITY),
  );
  const val = opts.valGraph ? validationBatches(opts.valGraph, lambda, cfg.batchSize, new Rng(`${opts.seed}:val`)) : [];
  const opt = new AdamW(tf, cfg.lr, cfg.weightDecay, teacher.variables());
  const progress = startProgress('teacher', cfg.epochs * stepsPerEpoch, {
    unit: 'steps',
    quiet: opts.quiet,
    fields: ['epoch', 'loss', 'val'],
  });
  const history: TeacherEpoch[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: Float32Array[] | undefined;
  let sinceBest = 0;
  let steps = 0;
  let stopped: TeacherResult['stopped'] = 'epochs';
  const stepRng = rng.fork('steps');
  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    const te = performance.now();
    stepRng.shuffle(order);
    let lossSum = 0;
    let done = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (opts.deadline !== undefined && performance.now() > opts.deadline && done > 0) {
        stopped = 'budget';
        break;
      }
      const lo = (s * cfg.batchSize) % Math.max(1, order.length);
      const batch = samplePairs(graph, order.subarray(lo, lo + cfg.batchSize), stepRng, { relationWeights: lambda, meanWeights: meanW });
      if (batch.anchor.length === 0) continue;
      const { seeds, exclude, pairs } = batchLayout(batch, lambda);
      const sub = sampler.sample(seeds, stepRng, cfg.excludeTargetEdges ? exclude : undefined);
      lossSum += opt.step(() => contrastiveLoss(tf, teacher.forwardBatch(sub, x), pairs, cfg.loss, cfg.margin));
      steps++;
      done++;
      progress.update((epoch - 1) * stepsPerEpoch + s + 1, {
        epoch,
        loss: (lossSum / (s + 1)).toFixed(4),
        val: history.at(-1)?.valLoss.toFixed(4) ?? '-',
      });
      if (s % 8 === 7) await yieldToLoop();
    }
    const v = val.length > 0 ? validationLoss(tf, teacher, sampler, val, x, cfg, opts.seed) : { loss: Number.NaN, auc: Number.NaN };
    const valLoss = v.loss;
    const rec: TeacherEpoch = {
      epoch,
      loss: lossSum / Math.max(1, done),
      valLoss,
      valAuc: v.auc,
      steps: done,
      seconds: (performance.now() - te) / 1000,
    };
    history.push(rec);
    opts.onEpoch?.(rec);
    const watch = Number.isNaN(valLoss) ? rec.loss : cfg.earlyStopping === 'auc' ? -v.auc : valLoss;
    if (watch < best - 1e-6) {
      best = watch;
      bestEpoch = epoch;
      bestWeights = teacher.snapshot();
      sinceBest = 0;
    } else if (++sinceBest >= cfg.patience) {
      stopped = 'early';
      break;
    }
    if (stopped === 'budget') break;
  }
  progress.stop();
  opt.dispose();
  if (bestWeights) teacher.restore(bestWeights);
  const nbrs = sampler.sampleAll(Math.max(...fanouts), new Rng(`${opts.seed}:infer`));
  const embeddings = teacher.inferAll(x, nbrs);
  return { teacher, embeddings, history, bestEpoch, steps, seconds: (performance.now() - t0) / 1000, stopped };
}

/** Fan-outs for an L-layer teacher: the configured ones, the last repeated or extra ones dropped to match L. */
export function fitFanouts(fanouts: number[], layers: number): number[] {
  const out = fanouts.slice(0, layers);
  while (out.length < layers) out.push(out.at(-1) ?? 10);
  return out;
}

interface ValBatch {
  seeds: Int32Array;
  exclude: Int32Array;
  pairs: LossPairs;
}

/** Fixed validation pair batches (up to 8 batches of anchors) drawn once from the validation graph. */
function validationBatches(g: ProductGraph, lambda: number[], batchSize: number, rng: Rng): ValBatch[] {
  const meanW = meanEdgeWeights(g);
  const anchors: number[] = [];
  for (let i = 0; i < g.numItems; i++)
    if (lambda.some((l, r) => l > 0 && g.relations[r].indptr[i + 1] > g.relations[r].indptr[i])) anchors.push(i);
  const order = rng.shuffle(Int32Array.from(anchors));
  const out: ValBatch[] = [];
  for (let lo = 0; lo < order.length && out.length < 8; lo += batchSize) {
    const b = samplePairs(g, order.subarray(lo, lo + batchSize), rng, { relationWeights: lambda, meanWeights: meanW });
    if (b.anchor.length > 0) out.push(batchLayout(b, lambda));
  }
  return out;
}

/**
 * Mean validation loss and the AUC of the validation pairs (positive edge closer than its negative, by Euclidean
 * distance); the batch graphs come from the training graph with a fixed seed, so epochs compare.
 */
function validationLoss(
  tf: Tf,
  teacher: HgnnTeacher,
  sampler: NeighbourSampler,
  val: ValBatch[],
  x: Matrix,
  cfg: TeacherConfig,
  seed: number,
): { loss: number; auc: number } {
  const rng = new Rng(`${seed}:valsample`);
  let s = 0;
  const pos: number[] = [];
  const neg: number[] = [];
  for (const b of val) {
    const sub = sampler.sample(b.seeds, rng);
    const z = tf.tidy(() => teacher.forwardBatch(sub, x));
    const data = z.dataSync() as Float32Array;
    const d = z.shape[1];
    s += contrastiveLossValue(data, d, b.pairs, cfg.loss, cfg.margin).loss;
    z.dispose();
    for (let p = 0; p < b.pairs.u.length; p++) {
      const m = { rows: data.length / d, cols: d, data };
      (b.pairs.positive[p] === 1 ? pos : neg).push(linkScore(m, b.pairs.u[p], b.pairs.v[p]));
    }
  }
  return { loss: s / val.length, auc: auc(pos, neg) };
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
