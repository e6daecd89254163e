import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { idsPathFor, writeItemVectors } from '../catalogue/npy.js';
import { TailorError } from '../core/errors.js';
import { type EmbedRunOptions, type EmbedRunResult, embedImages, listImages } from './embed-images.js';

/**
 * Embeds every image under `dir` (`listImages`) and writes the vectors to `out` (.npy, float32 n×d) with their id
 * list (`ids`, default `<out>.ids.txt`): what `tailor embed` does, as a library call. An empty folder is
 * DATA_NOT_FOUND naming it.
 */
export async function embedFolder(
  dir: string,
  out: string,
  opts: EmbedRunOptions & { ids?: string },
): Promise<EmbedRunResult & { idsFile: string }> {
  const entries = listImages(dir);
  if (entries.length === 0) throw new TailorError('DATA_NOT_FOUND', 'no .jpg/.jpeg/.png/.webp images found', { file: dir });
  const res = await embedImages(entries, opts);
  const idsFile = opts.ids ?? idsPathFor(out);
  await mkdir(dirname(out), { recursive: true });
  await writeItemVectors(out, res.ids, res.vectors, idsFile);
  return { ...res, idsFile };
}
