import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertArtifactFits, loadArtifact, saveArtifact } from '../../src/artifact/store.js';
import type { ModelArtifact } from '../../src/artifact/types.js';
import { isTailorError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { createMlp } from '../../src/nn/mlp.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'tailor-artifact-'));
  dirs.push(d);
  return d;
}

function artifact(): ModelArtifact {
  const rng = new Rng(4);
  const emb = Float32Array.from({ length: 5 * 4 }, () => rng.normal());
  return {
    version: 'v-test-1',
    formatVersion: 1,
    createdAt: '2026-12-04T00:00:00.000Z',
    featureDim: 6,
    embeddingDim: 4,
    student: createMlp([6, 8, 4], rng),
    teacher: { itemIds: ['a', 'b', 'c', 'd', 'e'], embeddings: { rows: 5, cols: 4, data: emb } },
    window: { start: 1, end: 2 },
    config: { seed: 1, teacher: { hidden: [8] } },
    metrics: { teacherAuc: 0.9, nothing: Number.NaN },
  };
}

test('saveArtifact / loadArtifact round-trip every field bit for bit', async () => {
  const dir = join(await tmp(), 'model');
  const a = artifact();
  await saveArtifact(dir, a);
  const b = await loadArtifact(dir);
  assert.deepEqual(b.student, a.student);
  assert.deepEqual(b.teacher, a.teacher);
  assert.equal(b.version, a.version);
  assert.deepEqual(b.window, a.window);
  assert.deepEqual(b.config, a.config);
  assert.equal(b.metrics.teacherAuc, 0.9);
  assert.ok(Number.isNaN(b.metrics.nothing));
  // overwriting an existing artifact directory replaces it
  a.version = 'v-test-2';
  await saveArtifact(dir, a);
  assert.equal((await loadArtifact(dir, { withTeacher: false })).version, 'v-test-2');
  assert.equal((await loadArtifact(dir, { withTeacher: false })).teacher, undefined);
});

test('loadArtifact: tampered weights, bad manifest → ARTIFACT_CORRUPT; other version or dimension → ARTIFACT_MISMATCH', async () => {
  const root = await tmp();
  const dir = join(root, 'm');
  await saveArtifact(dir, artifact());
  const w = join(dir, 'student.f32');
  const bytes = await readFile(w);
  bytes[10] ^= 0xff;
  await writeFile(w, bytes);
  await assert.rejects(loadArtifact(dir), (e) => isTailorError(e, 'ARTIFACT_CORRUPT') && e.message.includes('student.f32'));

  await saveArtifact(dir, artifact());
  const mPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(mPath, 'utf8'));
  await writeFile(mPath, '{"format": "tailor-model", ');
  await assert.rejects(loadArtifact(dir), (e) => isTailorError(e, 'ARTIFACT_CORRUPT'));
  await writeFile(mPath, JSON.stringify({ ...manifest, formatVersion: 99 }));
  await assert.rejects(loadArtifact(dir), (e) => isTailorError(e, 'ARTIFACT_MISMATCH') && e.location.field === 'formatVersion');
  await writeFile(mPath, JSON.stringify({ ...manifest, featureDim: 7 }));
  await assert.rejects(loadArtifact(dir), (e) => isTailorError(e, 'ARTIFACT_CORRUPT'));
  await writeFile(mPath, JSON.stringify(manifest));
  await assert.rejects(loadArtifact(dir, { expectFeatureDim: 512 }), (e) => isTailorError(e, 'ARTIFACT_MISMATCH'));
  const ok = await loadArtifact(dir, { expectFeatureDim: 6 });
  assert.throws(
    () => assertArtifactFits(ok, 5),
    (e) => isTailorError(e, 'ARTIFACT_MISMATCH'),
  );
  await assert.rejects(loadArtifact(join(root, 'absent')), (e) => isTailorError(e, 'DATA_NOT_FOUND'));
});
