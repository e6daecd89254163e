import type { Matrix } from '../core/matrix.js';
import type { TimeWindow } from '../core/types.js';
import type { Mlp } from '../nn/mlp.js';

/**
 * What the weekly training job hands to the online engine and the server: the distilled student
 * f_θ (SPEC §5) plus what is needed to check it fits the catalogue it will serve.
 */
export interface ModelArtifact {
  /** Unique version string (e.g. `2026-12-04T20-30-00Z-3f2a9c1b`), shown in every recommendation response. */
  version: string;
  formatVersion: 1;
  createdAt: string;
  /** Content dimension D the student expects. */
  featureDim: number;
  /** Output dimension d. */
  embeddingDim: number;
  student: Mlp;
  /** Teacher embeddings z_v of the training catalogue (optional; used by evaluation and diagnostics). */
  teacher?: { itemIds: string[]; embeddings: Matrix };
  window?: TimeWindow;
  /** Training configuration as used (for reproduction). */
  config: Record<string, unknown>;
  /** Quality and timing figures from training (AUCs, losses, seconds). */
  metrics: Record<string, number>;
}
