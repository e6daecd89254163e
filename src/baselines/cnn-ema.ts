import type { Matrix } from '../core/matrix.js';
import type { TrainingData } from '../recommender/contract.js';
import { type EmaKnnOptions, EmaKnnRecommender } from './ema-knn.js';

/**
 * CNN-EMA baseline (paper §3): the raw content vectors x_i (the image-CNN embeddings, or the loader's documented
 * fallback) used directly as item embeddings, with EMA user vectors and Euclidean k-NN. No training.
 */
export class CnnEmaRecommender extends EmaKnnRecommender {
  readonly name = 'cnn-ema';

  constructor(opts: EmaKnnOptions = {}) {
    super(opts);
  }

  protected async embed(data: TrainingData): Promise<{ embeddings: Matrix }> {
    return { embeddings: data.catalogue.vectors };
  }
}
