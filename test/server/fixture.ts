import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveArtifact } from '../../src/artifact/store.js';
import type { ModelArtifact } from '../../src/artifact/types.js';
import { Rng } from '../../src/core/rng.js';
import { createMlp } from '../../src/nn/mlp.js';
import { generateWorld, type World } from '../../src/synthetic/index.js';
import { writeWorld } from '../../src/synthetic/write-world.js';

/** A tiny synthetic world (16-d vectors) for service tests. */
export function tinyWorld(seed = 1): World {
  return generateWorld({ seed, items: 300, users: 40, weeks: 1, dim: 16, styles: 4 });
}

/** A model artifact with a seeded random student: enough for the service's mechanics. */
export function randomArtifact(dim: number, seed = 1, version = `svc-test-${seed}`): ModelArtifact {
  return {
    version,
    formatVersion: 1,
    createdAt: new Date(0).toISOString(),
    featureDim: dim,
    embeddingDim: 8,
    student: createMlp([dim, 24, 8], new Rng(seed)),
    config: {},
    metrics: {},
  };
}

/** Writes the tiny world and two model artifacts to a fresh temporary folder. */
export async function writeFixture(): Promise<{ dir: string; world: World; data: string; model: string; model2: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-svc-'));
  const world = tinyWorld();
  const data = join(dir, 'world');
  await writeWorld(world, data, { thumbnails: false });
  const model = join(dir, 'model');
  const model2 = join(dir, 'model2');
  await saveArtifact(model, randomArtifact(world.catalogue.dim, 1));
  await saveArtifact(model2, randomArtifact(world.catalogue.dim, 2));
  return { dir, world, data, model, model2 };
}
