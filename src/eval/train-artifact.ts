import type { ModelArtifact } from '../artifact/types.js';
import type { TailorConfig } from '../core/config.js';
import type { TrainingData } from '../recommender/contract.js';
import { type TrainOptions, trainModel } from '../train/train.js';

/**
 * Trains the artifact of one evaluation window with a version free of the training time. The engine seeds every
 * user's first personal delta from the model version, and the trainer's version starts with a timestamp: without
 * this, two runs of the same command adapted from different initial deltas and gave (slightly) different tables.
 */
export async function trainForEval(data: TrainingData, config: TailorConfig, opts: TrainOptions = {}): Promise<ModelArtifact> {
  const artifact = await trainModel(data, config, opts);
  // the trainer's version ends in a digest of config, seed and weights (src/train/train.ts, makeArtifact)
  const digest = artifact.version.slice(artifact.version.lastIndexOf('-') + 1);
  return { ...artifact, version: `eval-${data.window.start}-${data.seed ?? config.seed}-${digest}` };
}
