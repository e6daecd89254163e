/**
 * Symmetric int8 packing of a row-major matrix with one scale per column (value ≈ scale_c·code, |code| ≤ 127):
 * an idle shopper's A (h×r) in 1 byte a weight instead of 2 (float16), which is what brings 1M idle + 10k active
 * shoppers at 10⁵ items under 16 GB (docs/engine.md). Per-column error ≤ max|column| / 254.
 */
export interface Int8Columns {
  codes: Int8Array;
  scale: Float32Array;
}

/** Packs `m` (rows×cols, row-major). Re-packing unpacked values gives the same codes. */
export function packInt8Columns(m: Float32Array, rows: number, cols: number): Int8Columns {
  const scale = new Float32Array(cols);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < cols; c++) {
      const v = Math.abs(m[i * cols + c]);
      if (v > scale[c]) scale[c] = v;
    }
  for (let c = 0; c < cols; c++) scale[c] = scale[c] > 0 ? scale[c] / 127 : 1;
  const codes = new Int8Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < cols; c++) codes[i * cols + c] = Math.max(-127, Math.min(127, Math.round(m[i * cols + c] / scale[c])));
  return { codes, scale };
}

/** The float32 matrix back (rows×cols). */
export function unpackInt8Columns(p: Int8Columns, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) out[i * cols + c] = p.codes[i * cols + c] * p.scale[c];
  return out;
}
