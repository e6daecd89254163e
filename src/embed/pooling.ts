import { TailorError } from '../core/errors.js';
import type { EmbedModelOptions } from './options.js';

/** The vector length that `pool` produces from an output of shape `dims` (batch axis first). */
export function pooledDim(dims: readonly number[], opts: Pick<EmbedModelOptions, 'pool' | 'outputLayout'>): number {
  const rest = dims.slice(1);
  if (opts.pool === 'none') return rest.reduce((a, b) => a * b, 1);
  if (rest.length === 3) return opts.outputLayout === 'nchw' ? rest[0] : rest[2];
  if (rest.length === 2) return rest[1];
  if (rest.length === 1) return rest[0];
  throw new TailorError('DATA_DIMENSION', `cannot pool an output of shape [${dims.join(',')}] with pool "${opts.pool}"`, { field: 'pool' });
}

/**
 * Reduces a model output (row-major, shape `dims`, batch first) to one vector per image, written into `out`
 * (n × pooledDim): mean/max over H×W (rank 4) or over tokens (rank 3), token 0 for 'cls', a flat copy for 'none'.
 * The spatial mean of MobileNetV2's last feature map is exactly its classifier's input.
 */
export function poolOutput(
  data: Float32Array,
  dims: readonly number[],
  opts: Pick<EmbedModelOptions, 'pool' | 'outputLayout'>,
  out: Float32Array,
): void {
  const n = dims[0];
  const d = pooledDim(dims, opts);
  const per = data.length / n;
  const rest = dims.slice(1);
  if (opts.pool === 'none' || rest.length === 1) {
    out.set(data.subarray(0, n * d));
    return;
  }
  // normalise every case to [n, spatial, channel] strides
  let sp: number;
  let spStride: number;
  let chStride: number;
  if (rest.length === 3 && opts.outputLayout === 'nchw') {
    sp = rest[1] * rest[2];
    spStride = 1;
    chStride = sp;
  } else {
    sp = rest.length === 3 ? rest[0] * rest[1] : rest[0];
    spStride = d;
    chStride = 1;
  }
  for (let i = 0; i < n; i++) {
    const src = i * per;
    const dst = i * d;
    for (let c = 0; c < d; c++) {
      const o = src + c * chStride;
      let v: number;
      if (opts.pool === 'cls') v = data[o];
      else if (opts.pool === 'max') {
        v = Number.NEGATIVE_INFINITY;
        for (let s = 0; s < sp; s++) v = Math.max(v, data[o + s * spStride]);
      } else {
        v = 0;
        for (let s = 0; s < sp; s++) v += data[o + s * spStride];
        v /= sp;
      }
      out[dst + c] = v;
    }
  }
}
