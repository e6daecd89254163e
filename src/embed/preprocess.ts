import sharp from 'sharp';
import { TailorError } from '../core/errors.js';
import type { EmbedModelOptions } from './options.js';

/** File extensions the embedder reads (sharp/libvips decoders). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'] as const;

/**
 * Decodes one image (JPEG/PNG/WebP), fits it into size×size as `opts.fit` says, and returns its RGB bytes
 * (size·size·3, row-major HWC). Throws DATA_PARSE naming the file when the image cannot be decoded.
 */
export async function decodeImage(file: string, opts: EmbedModelOptions): Promise<Uint8Array> {
  const s = opts.size;
  try {
    const [r, g, b] = opts.background;
    // transparent product cut-outs sit on the background colour (white), not on black
    let img = sharp(file, { failOn: 'error' }).rotate().flatten({ background: { r, g, b } }).removeAlpha();
    if (opts.fit === 'crop') {
      // torchvision: shorter side → resizeShorter, then a centre crop of size×size
      const meta = await sharp(file, { failOn: 'error' }).metadata();
      const w0 = meta.autoOrient?.width ?? meta.width;
      const h0 = meta.autoOrient?.height ?? meta.height;
      if (!w0 || !h0) throw new Error('no image dimensions');
      const k = opts.resizeShorter / Math.min(w0, h0);
      const w = Math.max(s, Math.round(w0 * k));
      const h = Math.max(s, Math.round(h0 * k));
      img = img.resize(w, h, { fit: 'fill' }).extract({ left: Math.floor((w - s) / 2), top: Math.floor((h - s) / 2), width: s, height: s });
    } else if (opts.fit === 'contain') {
      img = img.resize(s, s, { fit: 'contain', background: { r, g, b } });
    } else img = img.resize(s, s, { fit: 'fill' });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    if (info.width !== s || info.height !== s || info.channels !== 3)
      throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${s}×${s}×3`);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TailorError('DATA_PARSE', `cannot decode image: ${reason}`, { file }, { reason }, { cause: err });
  }
}

/**
 * Writes one decoded image into slot `slot` of a batch tensor: pixel·scale, minus mean, over std, per channel,
 * in the model's layout (NCHW planes or NHWC interleaved).
 */
export function writeNormalised(rgb: Uint8Array, opts: EmbedModelOptions, out: Float32Array, slot: number): void {
  const hw = opts.size * opts.size;
  const base = slot * hw * 3;
  const a = [opts.scale / opts.std[0], opts.scale / opts.std[1], opts.scale / opts.std[2]];
  const b = [-opts.mean[0] / opts.std[0], -opts.mean[1] / opts.std[1], -opts.mean[2] / opts.std[2]];
  if (opts.layout === 'nchw') {
    for (let c = 0; c < 3; c++) {
      const plane = base + c * hw;
      const ac = a[c];
      const bc = b[c];
      for (let i = 0; i < hw; i++) out[plane + i] = rgb[i * 3 + c] * ac + bc;
    }
  } else {
    for (let i = 0; i < hw * 3; i++) {
      const c = i % 3;
      out[base + i] = rgb[i] * a[c] + b[c];
    }
  }
}
