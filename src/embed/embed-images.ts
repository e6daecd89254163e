import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { isTailorError, TailorError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { startProgress } from '../core/progress.js';
import { ImageEmbedder } from './embedder.js';
import type { EmbedModelOptions } from './options.js';
import { decodeImage, IMAGE_EXTENSIONS } from './preprocess.js';

/** One image to embed: its item id (the file name without extension) and path. */
export interface ImageEntry {
  id: string;
  file: string;
}

/** An image that could not be decoded, reported by path. */
export interface ImageFailure {
  file: string;
  reason: string;
}

/** What an embedding run produced: vectors in `ids` order, the skipped images, and timings. */
export interface EmbedRunResult {
  ids: string[];
  vectors: Matrix;
  failures: ImageFailure[];
  seconds: number;
}

export interface EmbedRunOptions {
  model: string;
  modelOptions: EmbedModelOptions;
  batchSize?: number;
  threads?: number;
  /** 'skip' reports a corrupt image and goes on; 'stop' throws DATA_PARSE naming it. */
  onError?: 'skip' | 'stop';
  /** Embed at most this many images (after sorting by path). */
  limit?: number;
  quiet?: boolean;
  /** Called once per skipped image, as it happens. */
  onFailure?: (f: ImageFailure) => void;
}

/**
 * Lists the images under `dir` (recursively; .jpg/.jpeg/.png/.webp), sorted by path, with the file name without
 * extension as the item id — the H&M layout `images/<3 digits>/<article_id>.jpg` gives article ids.
 * Two files with one id are a DATA_DUPLICATE_ID error naming both.
 */
export function listImages(dir: string): ImageEntry[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch {
    throw new TailorError('DATA_NOT_FOUND', 'image folder does not exist', { file: dir });
  }
  if (!st.isDirectory()) throw new TailorError('DATA_NOT_FOUND', 'not a folder', { file: dir });
  const out: ImageEntry[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if ((IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase()))
        out.push({ id: basename(name, extname(name)), file: p });
    }
  };
  walk(dir);
  const seen = new Map<string, string>();
  for (const e of out) {
    const prev = seen.get(e.id);
    if (prev !== undefined)
      throw new TailorError('DATA_DUPLICATE_ID', `two images for item "${e.id}": ${relative(dir, prev)} and ${relative(dir, e.file)}`, {
        file: e.file,
      });
    seen.set(e.id, e.file);
  }
  return out;
}

/**
 * Embeds `entries` in batches: decoding (libvips threads) of the next batch overlaps the model run of the
 * current one. Corrupt images are skipped and reported, or stop the run, by `onError`. Shows progress.
 */
export async function embedImages(entries: readonly ImageEntry[], opts: EmbedRunOptions): Promise<EmbedRunResult> {
  const list = opts.limit !== undefined ? entries.slice(0, opts.limit) : entries;
  const batchSize = opts.batchSize ?? 32;
  const onError = opts.onError ?? 'skip';
  const embedder = await ImageEmbedder.load(opts.model, opts.modelOptions, opts.threads ?? 2);
  const t0 = performance.now();
  const failures: ImageFailure[] = [];
  const ids: string[] = [];
  const parts: Float32Array[] = [];
  let dim = 0;
  const progress = startProgress('embed', list.length, { unit: 'img', quiet: opts.quiet, fields: ['skipped'] });

  const decodeBatch = async (start: number) => {
    const batch = list.slice(start, start + batchSize);
    const settled = await Promise.allSettled(batch.map((e) => decodeImage(e.file, opts.modelOptions)));
    const ok: { entry: ImageEntry; rgb: Uint8Array }[] = [];
    settled.forEach((r, i) => {
      if (r.status === 'fulfilled') ok.push({ entry: batch[i], rgb: r.value });
      else {
        if (onError === 'stop') throw r.reason;
        const reason = isTailorError(r.reason) ? String(r.reason.details.reason ?? r.reason.message) : String(r.reason);
        const f = { file: batch[i].file, reason };
        failures.push(f);
        opts.onFailure?.(f);
      }
    });
    return { ok, size: batch.length };
  };

  try {
    let next = list.length > 0 ? decodeBatch(0) : undefined;
    let done = 0;
    for (let start = 0; start < list.length; start += batchSize) {
      const cur = await (next as ReturnType<typeof decodeBatch>);
      next = start + batchSize < list.length ? decodeBatch(start + batchSize) : undefined;
      // keep a rejected prefetch from surfacing as unhandled while this batch runs
      next?.catch(() => {});
      if (cur.ok.length > 0) {
        const m = await embedder.embed(cur.ok.map((o) => o.rgb));
        dim = m.cols;
        parts.push(m.data);
        for (const o of cur.ok) ids.push(o.entry.id);
      }
      done += cur.size;
      progress.update(done, { skipped: failures.length });
    }
  } finally {
    progress.stop();
    await embedder.close();
  }
  const data = new Float32Array(ids.length * dim);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  return { ids, vectors: { rows: ids.length, cols: dim, data }, failures, seconds: (performance.now() - t0) / 1000 };
}
