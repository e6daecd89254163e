import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { TailorError } from '../core/errors.js';
import type { Mlp } from '../nn/mlp.js';
import type { ModelArtifact } from './types.js';

/** Format version written into manifest.json; loading any other version is ARTIFACT_MISMATCH. */
export const ARTIFACT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

const layerSchema = z.object({ inDim: z.number().int().positive(), outDim: z.number().int().positive() });
const manifestSchema = z.object({
  format: z.literal('tailor-model'),
  formatVersion: z.number().int(),
  version: z.string().min(1),
  createdAt: z.string(),
  featureDim: z.number().int().positive(),
  embeddingDim: z.number().int().positive(),
  window: z.object({ start: z.number(), end: z.number() }).optional(),
  config: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.number().nullable()),
  student: z.object({ file: z.string(), layers: z.array(layerSchema).min(1) }),
  teacher: z
    .object({ file: z.string(), ids: z.string(), rows: z.number().int().nonnegative(), cols: z.number().int().positive() })
    .optional(),
  files: z.record(z.string(), z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().length(64) })),
});
export type ArtifactManifest = z.infer<typeof manifestSchema>;

/**
 * Writes `artifact` as one versioned directory: manifest.json (format version, version, config, dimensions, window,
 * metrics, sha256 of every other file) plus little-endian float32 weight files (student.f32: each layer's in×out
 * weights then bias; teacher.f32 + teacher-ids.json when teacher embeddings are present). Written to a temporary
 * sibling and renamed into place, so a reader never sees half an artifact.
 */
export async function saveArtifact(dir: string, artifact: ModelArtifact): Promise<void> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now()}`);
  await mkdir(tmp, { recursive: true });
  const files: Record<string, { bytes: number; sha256: string }> = {};
  const put = async (name: string, data: Uint8Array) => {
    await writeFile(join(tmp, name), data);
    files[name] = { bytes: data.byteLength, sha256: sha256(data) };
  };
  await put('student.f32', concatFloats(artifact.student.layers.flatMap((l) => [l.weight, l.bias])));
  let teacher: ArtifactManifest['teacher'];
  if (artifact.teacher) {
    const t = artifact.teacher;
    await put('teacher.f32', floatBytes(t.embeddings.data));
    await put('teacher-ids.json', Buffer.from(JSON.stringify(t.itemIds)));
    teacher = { file: 'teacher.f32', ids: 'teacher-ids.json', rows: t.embeddings.rows, cols: t.embeddings.cols };
  }
  const manifest: ArtifactManifest = {
    format: 'tailor-model',
    formatVersion: ARTIFACT_FORMAT_VERSION,
    version: artifact.version,
    createdAt: artifact.createdAt,
    featureDim: artifact.featureDim,
    embeddingDim: artifact.embeddingDim,
    window: artifact.window,
    config: artifact.config,
    metrics: Object.fromEntries(Object.entries(artifact.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
    student: { file: 'student.f32', layers: artifact.student.layers.map((l) => ({ inDim: l.inDim, outDim: l.outDim })) },
    teacher,
    files,
  };
  await writeFile(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  if (existsSync(dir)) {
    const old = `${tmp}.old`;
    await rename(dir, old);
    await rename(tmp, dir);
    await rm(old, { recursive: true, force: true });
  } else {
    await mkdir(dirname(dir), { recursive: true });
    await rename(tmp, dir);
  }
}

/**
 * Reads an artifact directory written by `saveArtifact`, verifying every checksum and shape.
 * Missing directory → DATA_NOT_FOUND; unreadable, truncated or tampered files → ARTIFACT_CORRUPT (naming the file);
 * another format version or a feature dimension other than `expectFeatureDim` → ARTIFACT_MISMATCH.
 */
export async function loadArtifact(dir: string, opts: { expectFeatureDim?: number; withTeacher?: boolean } = {}): Promise<ModelArtifact> {
  if (!existsSync(dir)) throw new TailorError('DATA_NOT_FOUND', 'model artifact directory does not exist', { file: dir });
  const manifestPath = join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (err) {
    throw new TailorError(
      'ARTIFACT_CORRUPT',
      `cannot read the manifest: ${(err as Error).message}`,
      { file: manifestPath },
      {},
      { cause: err },
    );
  }
  const version = (raw as { formatVersion?: unknown })?.formatVersion;
  if (typeof version === 'number' && version !== ARTIFACT_FORMAT_VERSION)
    throw new TailorError('ARTIFACT_MISMATCH', `artifact format version ${version}, this build reads version ${ARTIFACT_FORMAT_VERSION}`, {
      file: manifestPath,
      field: 'formatVersion',
    });
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TailorError('ARTIFACT_CORRUPT', `invalid manifest: ${issue.message}`, { file: manifestPath, field: issue.path.join('.') });
  }
  const m = parsed.data;
  if (opts.expectFeatureDim !== undefined && opts.expectFeatureDim !== m.featureDim)
    throw new TailorError(
      'ARTIFACT_MISMATCH',
      `the model expects ${m.featureDim}-d content vectors, the catalogue has ${opts.expectFeatureDim}`,
      {
        file: manifestPath,
        field: 'featureDim',
      },
    );
  const read = async (name: string): Promise<Buffer> => {
    const p = join(dir, name);
    const entry = m.files[name];
    if (!entry)
      throw new TailorError('ARTIFACT_CORRUPT', `file ${name} has no checksum in the manifest`, { file: manifestPath, field: 'files' });
    let data: Buffer;
    try {
      data = await readFile(p);
    } catch (err) {
      throw new TailorError('ARTIFACT_CORRUPT', `cannot read ${name}: ${(err as Error).message}`, { file: p }, {}, { cause: err });
    }
    if (data.byteLength !== entry.bytes || sha256(data) !== entry.sha256)
      throw new TailorError('ARTIFACT_CORRUPT', `checksum mismatch (${data.byteLength} bytes, manifest says ${entry.bytes})`, { file: p });
    return data;
  };

  const layers = m.student.layers;
  const sd = m.student.layers[0].inDim;
  if (sd !== m.featureDim || layers.at(-1)?.outDim !== m.embeddingDim)
    throw new TailorError('ARTIFACT_CORRUPT', 'student layer sizes disagree with featureDim/embeddingDim', {
      file: manifestPath,
      field: 'student.layers',
    });
  for (let l = 1; l < layers.length; l++)
    if (layers[l].inDim !== layers[l - 1].outDim)
      throw new TailorError('ARTIFACT_CORRUPT', `student layer ${l} input ${layers[l].inDim} ≠ previous output ${layers[l - 1].outDim}`, {
        file: manifestPath,
        field: `student.layers.${l}`,
      });
  const floats = toFloats(await read(m.student.file));
  const need = layers.reduce((s, l) => s + l.inDim * l.outDim + l.outDim, 0);
  if (floats.length !== need)
    throw new TailorError('ARTIFACT_CORRUPT', `student weights hold ${floats.length} values, the layers need ${need}`, {
      file: join(dir, m.student.file),
    });
  let off = 0;
  const student: Mlp = {
    layers: layers.map((l) => {
      const weight = floats.slice(off, off + l.inDim * l.outDim);
      off += l.inDim * l.outDim;
      const bias = floats.slice(off, off + l.outDim);
      off += l.outDim;
      return { inDim: l.inDim, outDim: l.outDim, weight, bias };
    }),
  };
  let teacher: ModelArtifact['teacher'];
  if (m.teacher && opts.withTeacher !== false) {
    const data = toFloats(await read(m.teacher.file));
    const ids = JSON.parse((await read(m.teacher.ids)).toString('utf8')) as string[];
    if (data.length !== m.teacher.rows * m.teacher.cols || ids.length !== m.teacher.rows)
      throw new TailorError('ARTIFACT_CORRUPT', 'teacher embeddings do not match their declared shape', {
        file: join(dir, m.teacher.file),
      });
    teacher = { itemIds: ids, embeddings: { rows: m.teacher.rows, cols: m.teacher.cols, data } };
  }
  return {
    version: m.version,
    formatVersion: 1,
    createdAt: m.createdAt,
    featureDim: m.featureDim,
    embeddingDim: m.embeddingDim,
    student,
    teacher,
    window: m.window,
    config: m.config,
    metrics: Object.fromEntries(Object.entries(m.metrics).map(([k, v]) => [k, v ?? Number.NaN])),
  };
}

/** Throws ARTIFACT_MISMATCH when the artifact's feature dimension differs from the catalogue's. */
export function assertArtifactFits(artifact: ModelArtifact, catalogueDim: number): void {
  if (artifact.featureDim !== catalogueDim)
    throw new TailorError(
      'ARTIFACT_MISMATCH',
      `model ${artifact.version} expects ${artifact.featureDim}-d content vectors, the catalogue has ${catalogueDim}`,
      { field: 'featureDim' },
    );
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function floatBytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function concatFloats(parts: Float32Array[]): Uint8Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return floatBytes(out);
}

function toFloats(b: Buffer): Float32Array {
  if (b.byteLength % 4 !== 0) throw new TailorError('ARTIFACT_CORRUPT', `weight file length ${b.byteLength} is not a multiple of 4`);
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}
