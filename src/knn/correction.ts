/**
 * A personal catalogue stored as a rank-r correction of the shared global one (src/personal/subspace.ts): per row,
 * u_i (r values) as int8 with a per-coordinate scale and offset, and s_i as int16 with one scale and offset — r + 2
 * bytes a row (10 at r = 8) instead of a full int8 projection. The offsets shift every row's distance by the same
 * amount for a given query, so the scan ignores them; the candidates are re-ranked exactly anyway.
 */
export interface PersonalCorrection {
  rows: number;
  rank: number;
  /** int8 u codes per row: rank rounded up to a multiple of 8 (the SIMD kernel reads 8 at a time), padding 0. */
  stride: number;
  /** Q (rank×d, row-major): the orthonormal basis the u_i are coordinates in. */
  basis: Float32Array;
  /** One block: rows×stride int8 u codes, then at `sAt` (64-byte aligned) rows int16 s codes. */
  block: Int8Array;
  uScale: Float32Array;
  uOffset: Float32Array;
  sScale: number;
  sOffset: number;
  /** Byte offset of `block` in this thread's WASM arena, when it lives there (the SIMD kernel then scans it). */
  arenaOffset?: number;
}

/** u codes per row for a rank. */
export function correctionStride(rank: number): number {
  return Math.ceil(rank / 8) * 8;
}

/** Byte offset of the s codes in a block. */
function sAt(rows: number, rank: number): number {
  return Math.ceil((rows * correctionStride(rank)) / 64) * 64;
}

/** Bytes of a correction block of `rows` rows. */
export function correctionBlockBytes(rows: number, rank: number): number {
  return sAt(rows, rank) + rows * 2;
}

/** The int16 s codes of a correction (a view of its block). */
export function sCodes(c: PersonalCorrection): Int16Array {
  return new Int16Array(c.block.buffer, c.block.byteOffset + sAt(c.rows, c.rank), c.rows);
}

/** Bytes a correction holds (block, basis, scales). */
export function correctionBytes(c: PersonalCorrection | null): number {
  return c ? c.block.byteLength + c.basis.byteLength + c.uScale.byteLength + c.uOffset.byteLength + 16 : 0;
}

/**
 * Encodes u (rows×rank floats) and s (rows floats) into `out` when it is a block of the right size (else a new
 * SharedArrayBuffer): scales from the value ranges, so the codes use the full int8 / int16 range.
 */
export function encodeCorrection(
  u: Float32Array,
  s: Float32Array,
  rows: number,
  rank: number,
  basis: Float32Array,
  out?: Int8Array,
): PersonalCorrection {
  const lo = new Float64Array(rank).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(rank).fill(Number.NEGATIVE_INFINITY);
  let sLo = Number.POSITIVE_INFINITY;
  let sHi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < rank; k++) {
      const v = u[i * rank + k];
      if (v < lo[k]) lo[k] = v;
      if (v > hi[k]) hi[k] = v;
    }
    if (s[i] < sLo) sLo = s[i];
    if (s[i] > sHi) sHi = s[i];
  }
  const uScale = new Float32Array(rank);
  const uOffset = new Float32Array(rank);
  for (let k = 0; k < rank && rows > 0; k++) {
    uOffset[k] = (lo[k] + hi[k]) / 2;
    uScale[k] = Math.max((hi[k] - lo[k]) / 254, 1e-12);
  }
  const bytes = correctionBlockBytes(rows, rank);
  const block = out && out.length === bytes ? out : new Int8Array(new SharedArrayBuffer(bytes));
  const c: PersonalCorrection = {
    rows,
    rank,
    stride: correctionStride(rank),
    basis,
    block,
    uScale,
    uOffset,
    sScale: rows > 0 ? Math.max((sHi - sLo) / 65534, 1e-12) : 1,
    sOffset: rows > 0 ? (sLo + sHi) / 2 : 0,
  };
  encodeCorrectionRows(c, u, s, 0, rows);
  return c;
}

/** Encodes rows `from … to−1` with the existing scales (row `from` at row 0 of u and s), clamping out-of-range values. */
export function encodeCorrectionRows(c: PersonalCorrection, u: Float32Array, s: Float32Array, from: number, to: number): void {
  const { rank, stride, block, uOffset } = c;
  const inv = Float64Array.from(c.uScale, (v) => 1 / v);
  const sc = sCodes(c);
  const sInv = 1 / c.sScale;
  for (let i = from; i < to; i++) {
    const o = (i - from) * rank;
    const bo = i * stride;
    for (let k = 0; k < rank; k++) {
      const v = Math.round((u[o + k] - uOffset[k]) * inv[k]);
      block[bo + k] = Math.min(127, Math.max(-127, v));
    }
    for (let k = rank; k < stride; k++) block[bo + k] = 0;
    const v = Math.round((s[i - from] - c.sOffset) * sInv);
    sc[i] = Math.min(32767, Math.max(-32767, v));
  }
}

/**
 * The scan's per-query weights: w_k = −2·uScale_k·(Q·query)_k (padded to the stride), so that a row's correction is
 * sScale·s_code + Σ_k u_code·w_k, up to a constant shared by every row.
 */
export function correctionWeights(c: PersonalCorrection, query: Float32Array): Float32Array {
  const d = query.length;
  const w = new Float32Array(c.stride);
  for (let k = 0; k < c.rank; k++) {
    let p = 0;
    for (let j = 0; j < d; j++) p += c.basis[k * d + j] * query[j];
    w[k] = -2 * c.uScale[k] * p;
  }
  return w;
}
