import type { ModelArtifact } from '../../src/artifact/types.js';
import { type ConfigInput, loadConfig, type TailorConfig } from '../../src/core/config.js';
import { Rng } from '../../src/core/rng.js';
import { createMlp } from '../../src/nn/mlp.js';

/** A model artifact with a seeded random student (sizes e.g. [D, 32, 16]): enough to test the engine's mechanics. */
export function randomArtifact(sizes: number[], seed = 1, version = `test-${seed}`): ModelArtifact {
  return {
    version,
    formatVersion: 1,
    createdAt: new Date(0).toISOString(),
    featureDim: sizes[0],
    embeddingDim: sizes[sizes.length - 1],
    student: createMlp(sizes, new Rng(seed)),
    config: {},
    metrics: {},
  };
}

/** Test config: environment ignored, inline adaptation unless `workers` is given. */
export function testConfig(online: ConfigInput['online'] = {}): TailorConfig {
  return loadConfig({ online: { workers: 0, ...online } }, {});
}
