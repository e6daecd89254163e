import { createHash } from 'node:crypto';
import type { ModelArtifact } from '../artifact/types.js';
import type { TailorConfig } from '../core/config.js';
import type { TrainingData } from '../recommender/contract.js';
import { type TrainOptions, trainModel } from '../train/train.js';

/**
 * Trains the artifact of one evaluation window with a version made of the window, the seed and the student's weights.
 * The engine seeds every user's first personal delta from the model version, and the trainer's version holds the
 * training time and the whole config (online part included): with it, two runs of one command, or the same rows
 * listed in another order, adapted from different initial deltas and gave (slightly) different tables.
 */
export async function trainForEval(data: TrainingData, config: TailorConfig, opts: TrainOptions = {}): Promise<ModelArtifact> {
  const artifact = await trainModel(data, config, opts);
  const hash = createHash('sha256');
  for (const l of artifact.student.layers) hash.update(new Uint8Array(l.weight.buffer, l.weight.byteOffset, l.weight.byteLength));
  const digest = hash.digest('hex').slice(0, 8);
  return { ...artifact, version: `eval-${data.window.start}-${data.seed ?? config.seed}-${digest}` };
}
