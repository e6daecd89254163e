import type { ModelArtifact } from '../artifact/types.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { TailorConfig } from '../core/config.js';
import { TailorError } from '../core/errors.js';
import { RELATIONS } from '../graph/product-graph.js';
import { loadTf } from '../nn/tf/setup.js';
import { distilStudent } from '../student/distil.js';
import { relationWeights, trainTeacher } from '../teacher/train-teacher.js';
import { graphFromPairs } from './cold-start.js';
import { makeArtifact } from './train.js';

/**
 * Trains teacher and student on an already aggregated item-pair list (e.g. H&M's `co_purchase_top6.csv`: each
 * article's most co-purchased articles with counts) instead of an event log: one co-purchase relation weighted by the
 * pair counts. For catalogues that ship such a list but no per-user events.
 */
export async function trainModelFromPairs(
  catalogue: Catalogue,
  pairs: ReadonlyArray<readonly [number, number, number]>,
  config: TailorConfig,
  opts: { quiet?: boolean } = {},
): Promise<ModelArtifact> {
  const t0 = performance.now();
  const graph = graphFromPairs(catalogue.size, pairs, RELATIONS.indexOf('purchase'));
  if (graph.stats.connectedItems === 0) throw new TailorError('TRAINING_FAILED', 'the pair list names no two catalogue items');
  const tf = await loadTf();
  const teacher = await trainTeacher(tf, graph, catalogue.vectors, config.teacher, { seed: config.seed, quiet: opts.quiet });
  const z = teacher.embeddings;
  teacher.teacher.dispose();
  const student = await distilStudent(tf, catalogue.vectors, z, config.student, {
    seed: config.seed,
    quiet: opts.quiet,
    graph,
    contrastive: { relationWeights: relationWeights(config.teacher), margin: config.teacher.margin },
  });
  return makeArtifact({
    config,
    seed: config.seed,
    student: student.student,
    catalogue,
    teacherEmbeddings: z,
    metrics: {
      trainSeconds: (performance.now() - t0) / 1000,
      graphConnectedItems: graph.stats.connectedItems,
      edges_purchase: graph.stats.edges[RELATIONS.indexOf('purchase')],
      teacherEpochs: teacher.history.length,
      studentHeldOutAlignment: student.heldOutAlignment,
    },
  });
}

/**
 * Reads a pair list CSV laid out as H&M's co_purchase_top6.csv (`article_id,rank,neighbor_article_id,score`: first
 * column one item, third the other, last the weight) into catalogue index pairs; unknown ids and zero weights are skipped.
 */
export function parsePairList(text: string, catalogue: Catalogue, file: string): Array<[number, number, number]> {
  const lines = text.split('\n');
  const header = lines[0].split(',');
  if (header.length < 3) throw new TailorError('DATA_FORMAT', 'a pair list needs at least three columns', { file, line: 1 });
  const pairs: Array<[number, number, number]> = [];
  for (let ln = 1; ln < lines.length; ln++) {
    const line = lines[ln].trim();
    if (line === '') continue;
    const f = line.split(',');
    const i = catalogue.indexOf(f[0]);
    const j = catalogue.indexOf(f[2]);
    const w = Number(f[f.length - 1]);
    if (i === undefined || j === undefined || i === j) continue;
    if (!Number.isFinite(w) || w < 0)
      throw new TailorError('DATA_FIELD', `weight must be a non-negative number, got "${f[f.length - 1]}"`, {
        file,
        line: ln + 1,
        field: header[header.length - 1],
      });
    if (w > 0) pairs.push([i, j, w]);
  }
  return pairs;
}
