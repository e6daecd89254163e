import { createHash } from 'node:crypto';
import type { ModelArtifact } from '../artifact/types.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { TailorConfig } from '../core/config.js';
import { TailorError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import type { TimeWindow } from '../core/types.js';
import { buildProductGraph, type ProductGraph, RELATIONS } from '../graph/product-graph.js';
import type { Mlp } from '../nn/mlp.js';
import { principalDirections, projectPrincipal } from '../nn/tf/pca.js';
import { loadTf, type Tf } from '../nn/tf/setup.js';
import type { TrainingData } from '../recommender/contract.js';
import { distilStudent, projectAll, type StudentEpoch } from '../student/distil.js';
import { relationWeights, type TeacherEpoch, trainTeacher } from '../teacher/train-teacher.js';
import { type HeldOutEdges, heldOutAuc, heldOutEdges } from './held-out.js';
import { splitByUser } from './split.js';

export type EpochReport = ({ stage: 'teacher' } & TeacherEpoch) | ({ stage: 'student' } & StudentEpoch);

export interface TrainOptions {
  quiet?: boolean;
  onEpoch?: (e: EpochReport) => void;
}

/**
 * The weekly training job (SPEC §2–5): splits the window's users into train / validation, builds both product graphs,
 * trains the HGNN teacher with early stopping on the validation graph, distils the student MLP, measures held-out
 * link AUC (raw content, teacher, student) and returns the model artifact. Deterministic for `data.seed ?? config.seed`.
 */
export async function trainModel(data: TrainingData, config: TailorConfig, opts: TrainOptions = {}): Promise<ModelArtifact> {
  const t0 = performance.now();
  const seed = data.seed ?? config.seed;
  const rng = new Rng(seed);
  const cat = data.catalogue;
  const x = cat.vectors;
  if (x.rows === 0) throw new TailorError('TRAINING_FAILED', 'the catalogue is empty');
  const log = data.log.window(data.window);
  if (log.length === 0)
    throw new TailorError('TRAINING_FAILED', `no events in the training window [${iso(data.window.start)}, ${iso(data.window.end)})`);
  const gopts = { maxItemsPerUser: config.graph.maxItemsPerUser, sessionGapMs: config.graph.sessionGapMs };
  const split = splitByUser(log, config.teacher.validationFraction, rng.fork('split'));
  const graph = buildProductGraph(split.train, cat.size, gopts);
  const valGraph = split.validation.length > 0 ? buildProductGraph(split.validation, cat.size, gopts) : undefined;
  if (graph.stats.connectedItems === 0)
    throw new TailorError('TRAINING_FAILED', 'the training window produced a product graph without edges');
  const tf = await loadTf();
  // time budget: what is left after the graphs, split between teacher and student (the student keeps a reserve
  // for the whole-catalogue projection and the held-out AUCs after it)
  const budgetMs = config.train.maxSeconds * 1000;
  const now = performance.now();
  const teacherDeadline = budgetMs > 0 ? now + Math.max(0, budgetMs - (now - t0)) * config.train.teacherShare : undefined;
  const xt = teacherInput(tf, x, config.teacher.inputDim, rng.fork('pca'));

  const teacher = await trainTeacher(tf, graph, xt, config.teacher, {
    seed,
    valGraph,
    quiet: opts.quiet,
    deadline: teacherDeadline,
    onEpoch: (e) => opts.onEpoch?.({ stage: 'teacher', ...e }),
  });
  const z = teacher.embeddings;
  teacher.teacher.dispose();
  const student = await distilStudent(tf, x, z, config.student, {
    seed,
    quiet: opts.quiet,
    graph,
    contrastive: { relationWeights: relationWeights(config.teacher), margin: config.teacher.margin },
    deadline: budgetMs > 0 ? t0 + budgetMs * 0.97 : undefined,
    onEpoch: (e) => opts.onEpoch?.({ stage: 'student', ...e }),
  });
  const sz = projectAll(tf, student.student, x);

  const metrics: Record<string, number> = {
    trainSeconds: (performance.now() - t0) / 1000,
    graphBuildMs: graph.stats.buildMs,
    graphConnectedItems: graph.stats.connectedItems,
    teacherSeconds: teacher.seconds,
    teacherSteps: teacher.steps,
    teacherEpochs: teacher.history.length,
    teacherBestEpoch: teacher.bestEpoch,
    teacherLoss: teacher.history[teacher.bestEpoch - 1]?.loss ?? Number.NaN,
    teacherValLoss: teacher.history[teacher.bestEpoch - 1]?.valLoss ?? Number.NaN,
    teacherValAuc: teacher.history[teacher.bestEpoch - 1]?.valAuc ?? Number.NaN,
    teacherOutOfTime: teacher.stopped === 'budget' ? 1 : 0,
    teacherInputDim: xt.cols,
    studentSeconds: student.seconds,
    studentOutOfTime: student.outOfTime ? 1 : 0,
    studentHeldOutLinkAuc: student.heldOutLinkAuc,
    studentBestEpoch: student.bestEpoch,
    studentHeldOutAlignment: student.heldOutAlignment,
    validationUsers: split.validationUsers,
  };
  RELATIONS.forEach((r, i) => {
    metrics[`edges_${r}`] = graph.stats.edges[i];
  });
  if (valGraph) {
    const ho = pickHeldOut(graph, valGraph, rng.fork('heldout'));
    if (ho) {
      metrics.heldOutRelation = ho.relation;
      metrics.heldOutEdges = ho.u.length;
      metrics.contentAuc = heldOutAuc(x, ho);
      metrics.teacherAuc = heldOutAuc(z, ho);
      metrics.studentAuc = heldOutAuc(sz, ho);
    }
  }
  return makeArtifact({ config, seed, student: student.student, catalogue: cat, teacherEmbeddings: z, window: data.window, metrics });
}

/** Assembles a model artifact from a trained student (and the teacher's embeddings): version from time, config and weights. */
export function makeArtifact(p: {
  config: TailorConfig;
  seed: number;
  student: Mlp;
  catalogue: Catalogue;
  teacherEmbeddings?: Matrix;
  window?: TimeWindow;
  metrics: Record<string, number>;
}): ModelArtifact {
  const cfgJson = JSON.parse(JSON.stringify(p.config)) as Record<string, unknown>;
  const createdAt = new Date().toISOString();
  const digest = createHash('sha256')
    .update(JSON.stringify(cfgJson))
    .update(String(p.seed))
    .update(p.student.layers[0].weight.subarray(0, 64))
    .digest('hex')
    .slice(0, 8);
  const cat = p.catalogue;
  return {
    version: `${createdAt.replace(/[:.]/g, '-')}-${digest}`,
    formatVersion: 1,
    createdAt,
    featureDim: cat.dim,
    embeddingDim: p.student.layers[p.student.layers.length - 1].outDim,
    student: p.student,
    teacher: p.teacherEmbeddings
      ? { itemIds: Array.from({ length: cat.size }, (_, i) => cat.ids.id(i)), embeddings: p.teacherEmbeddings }
      : undefined,
    window: p.window,
    config: cfgJson,
    metrics: p.metrics,
  };
}

/**
 * The teacher's input: the content vectors, or their top-`dim` principal coordinates when D > dim (a fixed, shared
 * projection that cuts the input layer's work by D/dim; the student still reads raw content).
 */
function teacherInput(tf: Tf, x: Matrix, dim: number, rng: Rng): Matrix {
  if (dim <= 0 || x.cols <= dim) return x;
  const all = Int32Array.from({ length: x.rows }, (_, i) => i);
  return projectPrincipal(tf, x, principalDirections(tf, x, all, dim, rng));
}

/** Held-out co-purchase edges when there are at least 20, else those of the next relation down the funnel. */
function pickHeldOut(train: ProductGraph, val: ProductGraph, rng: Rng): HeldOutEdges | undefined {
  let best: HeldOutEdges | undefined;
  for (let r = RELATIONS.length - 1; r >= 0; r--) {
    const e = heldOutEdges(train, val, r, rng);
    if (e.u.length >= 20) return e;
    if (!best || e.u.length > best.u.length) best = e;
  }
  return best && best.u.length > 0 ? best : undefined;
}

function iso(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString() : String(t);
}
