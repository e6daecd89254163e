import { loadTf } from '../nn/tf/setup.js';

/**
 * The catalogue-wide projections (the shared basis H and the global projection P = H·W + b) on tfjs-wasm SIMD:
 * ~8× faster than the plain TypeScript loops (STACK.md), which matters at 10⁵ items (a model load or swap).
 */

export interface DenseSpec {
  inDim: number;
  outDim: number;
  weight: Float32Array;
  bias: Float32Array;
  relu: boolean;
}

/**
 * Pushes `rows` rows of `x` (row-major, `layers[0].inDim` wide) through `layers` in chunks, writing the output of
 * layer `tapAt` (inclusive, −1 for the input itself) into `tap` and the final output into `out`. Yields between chunks.
 */
export async function forwardChunked(
  x: Float32Array,
  rows: number,
  layers: DenseSpec[],
  tapAt: number,
  tap: Float32Array,
  out: Float32Array,
  chunk = 4096,
): Promise<void> {
  const tf = await loadTf();
  const ws = layers.map((l) => tf.tensor2d(l.weight, [l.inDim, l.outDim]));
  const bs = layers.map((l) => tf.tensor1d(l.bias));
  try {
    const inDim = layers[0].inDim;
    const tapDim = tapAt < 0 ? inDim : layers[tapAt].outDim;
    const outDim = layers[layers.length - 1].outDim;
    for (let from = 0; from < rows; from += chunk) {
      const n = Math.min(chunk, rows - from);
      const [tapped, y] = tf.tidy(() => {
        let cur = tf.tensor2d(x.subarray(from * inDim, (from + n) * inDim), [n, inDim]);
        let t = tapAt < 0 ? cur.clone() : undefined;
        layers.forEach((l, i) => {
          cur = tf.add(tf.matMul(cur, ws[i]), bs[i]);
          if (l.relu) cur = tf.relu(cur);
          if (i === tapAt) t = cur.clone();
        });
        return [t as typeof cur, cur];
      });
      tap.set(await tapped.data(), from * tapDim);
      out.set(await y.data(), from * outDim);
      tapped.dispose();
      y.dispose();
    }
  } finally {
    for (const t of [...ws, ...bs]) t.dispose();
  }
}
