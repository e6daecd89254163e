import { WasmArena } from '../kernels/arena.js';
import { correctionWeights, type PersonalCorrection, sCodes } from './correction.js';
import type { KnnHit } from './exact.js';

/**
 * A projected catalogue stored compactly — in the engine, the global one, shared by every query: the first `dims`
 * (of d) coordinates of every row as int8 with one scale and a per-coordinate offset — the output space is rotated so
 * that the first coordinates carry most of the variance (rotation.ts). A query scans these codes (plus a personal
 * correction, correction.ts) for candidates by the partial distance, then re-ranks them by the exact float distance
 * from `exactRow`. 105k items × 32 dims = 3.4 MB, once.
 */
export interface QuantizedProjection {
  rows: number;
  /** Stored coordinates per row (≤ d). */
  dims: number;
  /** rows × dims int8 codes, row-major. */
  codes: Int8Array;
  /** The scale, repeated per coordinate (all equal). */
  scale: Float32Array;
  offset: Float32Array;
  /** Byte offset of `codes` in this thread's WASM arena (src/kernels/arena.ts), when they live there: the query then
   * runs the WASM SIMD scan kernel. */
  arenaOffset?: number;
}

/** Quantizes the first `dims` columns of a rows×d float matrix (value ≈ offset_j + scale·code, code ∈ [−127, 127]). */
export function quantize(p: Float32Array, rows: number, d: number, dims: number, out?: Int8Array): QuantizedProjection {
  const lo = new Float32Array(dims).fill(Number.POSITIVE_INFINITY);
  const hi = new Float32Array(dims).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < dims; j++) {
      const v = p[i * d + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  const scale = new Float32Array(dims);
  const offset = new Float32Array(dims);
  // one scale for every coordinate (the SIMD kernel works in integer code units), one offset per coordinate
  let s = 1e-12;
  for (let j = 0; j < dims; j++) {
    if (rows === 0) break;
    offset[j] = (lo[j] + hi[j]) / 2;
    s = Math.max(s, (hi[j] - lo[j]) / 254);
  }
  scale.fill(s);
  const codes = out && out.length === rows * dims ? out : new Int8Array(new SharedArrayBuffer(rows * dims));
  const q: QuantizedProjection = { rows, dims, codes, scale, offset };
  encodeRows(q, p, d, 0, rows);
  return q;
}

/** Encodes rows `from … to−1` of `p` (rows×d, row `from` at `p`'s row 0 when `rebased`) with the existing scales. */
export function encodeRows(q: QuantizedProjection, p: Float32Array, d: number, from: number, to: number, rebased = false): void {
  const { dims, codes, scale, offset } = q;
  for (let i = from; i < to; i++) {
    const po = (rebased ? i - from : i) * d;
    for (let j = 0; j < dims; j++) {
      const c = Math.round((p[po + j] - offset[j]) / scale[j]);
      codes[i * dims + j] = Math.min(127, Math.max(-127, c));
    }
  }
}

export interface QuantizedQuery {
  /** The codes scanned: a personal projection, or the shared global one. */
  q: QuantizedProjection;
  /** With the global codes: the user's rank-r correction (a personal search over the shared scan). */
  correction?: PersonalCorrection;
  query: Float32Array;
  k: number;
  /** Rows re-ranked exactly (≥ k). */
  candidates: number;
  /**
   * With a correction: the scan keeps this many rows (≥ candidates), re-scored with the float global rows
   * (`globalRows`, n×d row-major; d multiply-adds a row) plus the int8 correction before the exact re-rank of the best
   * `candidates` — the scan's truncated coordinates cost recall that this cheap middle step recovers (docs/engine.md).
   */
  shortlist?: number;
  globalRows?: Float32Array;
  /** Writes the exact d-dimensional row i into `out`. */
  exactRow: (i: number, out: Float32Array) => void;
  /** The exact rows as one n×d row-major matrix, when they are stored (the global space): read in place instead of
   * calling `exactRow`. */
  exactRows?: Float32Array;
  allowed?: Uint8Array;
  exclude?: ReadonlySet<number>;
  filter?: (index: number) => boolean;
}

/**
 * The k nearest eligible rows: int8 partial-distance scan (plus the personal correction, when given) for candidates,
 * then exact float re-rank.
 */
export function quantizedKnn(o: QuantizedQuery): KnnHit[] {
  const { q, query, allowed, exclude, filter, correction } = o;
  const k = Math.max(0, Math.floor(o.k));
  if (k === 0 || q.rows === 0) return [];
  const rows = correction ? Math.min(q.rows, correction.rows) : q.rows;
  const C = Math.max(k, o.candidates, correction && o.globalRows ? (o.shortlist ?? 0) : 0);
  const { dims, codes, scale } = q;
  const c = new Float32Array(dims);
  for (let j = 0; j < dims; j++) c[j] = q.offset[j] - query[j];
  const w = correction ? correctionWeights(correction, query) : undefined;
  const heapIdx = new Int32Array(C);
  const heapDist = new Float64Array(C);
  let size = 0;
  const kernelOk = q.arenaOffset !== undefined && dims % 16 === 0 && (!correction || correction.arenaOffset !== undefined);
  const arena = kernelOk ? WasmArena.get() : undefined;
  const scan = arena ? kernelScan(arena, q, c, rows, correction, w, C) : undefined;
  if (scan && !filter) {
    // WASM SIMD, selection included: the eligible rows (stock and exclusions) are a byte mask next to the codes
    const mask = scan.mask;
    mask.fill(allowed ? 0 : 1);
    if (allowed) mask.set(allowed.subarray(0, rows));
    if (exclude) for (const i of exclude) if (i >= 0 && i < rows) mask[i] = 0;
    return finish(o, scan.heapIdx, scan.select(), k, w);
  }
  const dist = scan?.all();
  if (dist) {
    // WASM SIMD distances, selection here (a filter is a JavaScript callback)
    for (let i = 0; i < rows; i++) {
      if (allowed !== undefined && allowed[i] !== 1) continue;
      const s = dist[i];
      if (size === C && s >= heapDist[0]) continue;
      if (exclude?.has(i)) continue;
      if (filter && !filter(i)) continue;
      heapPush(heapIdx, heapDist, size, C, i, s);
      if (size < C) size++;
    }
    return finish(o, heapIdx, size, k, w);
  }
  const uc = correction?.block;
  const sc = correction ? sCodes(correction) : undefined;
  const stride = correction?.stride ?? 0;
  const sScale = correction?.sScale ?? 0;
  for (let i = 0; i < rows; i++) {
    if (allowed !== undefined && allowed[i] !== 1) continue;
    const worst = size === C ? heapDist[0] : Number.POSITIVE_INFINITY;
    const base = i * dims;
    // the correction first (it may be negative); the partial sums only grow from there, so the early exit holds
    let s = 0;
    if (uc && sc && w) {
      s = sScale * sc[i];
      for (let t = 0; t < stride; t++) s += uc[i * stride + t] * w[t];
    }
    let j = 0;
    for (; j + 7 < dims; j += 8) {
      const t0 = codes[base + j] * scale[j] + c[j];
      const t1 = codes[base + j + 1] * scale[j + 1] + c[j + 1];
      const t2 = codes[base + j + 2] * scale[j + 2] + c[j + 2];
      const t3 = codes[base + j + 3] * scale[j + 3] + c[j + 3];
      const t4 = codes[base + j + 4] * scale[j + 4] + c[j + 4];
      const t5 = codes[base + j + 5] * scale[j + 5] + c[j + 5];
      const t6 = codes[base + j + 6] * scale[j + 6] + c[j + 6];
      const t7 = codes[base + j + 7] * scale[j + 7] + c[j + 7];
      s += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3 + t4 * t4 + t5 * t5 + t6 * t6 + t7 * t7;
      if (s >= worst) break;
    }
    if (s >= worst) continue;
    for (; j < dims; j++) {
      const t = codes[base + j] * scale[j] + c[j];
      s += t * t;
    }
    if (s >= worst) continue;
    if (exclude?.has(i)) continue;
    if (filter && !filter(i)) continue;
    heapPush(heapIdx, heapDist, size, C, i, s);
    if (size < C) size++;
  }
  return finish(o, heapIdx, size, k, w);
}

/** The exact re-rank, after the shortlist's middle step when the query has one. */
function finish(o: QuantizedQuery, heapIdx: Int32Array, size: number, k: number, w: Float32Array | undefined): KnnHit[] {
  const { correction: corr, globalRows: g, query } = o;
  const C = Math.max(k, o.candidates);
  if (!corr || !w || !g || size <= C) return rerank(o, heapIdx, undefined, size, k, Number.POSITIVE_INFINITY);
  const d = query.length;
  const sc = sCodes(corr);
  const { block, stride, sScale } = corr;
  // the middle score plus this constant (the offsets the scan leaves out) estimates the exact distance to within
  // half a code of s and of every u coordinate: the exact re-rank below stops once no later row can enter the top k
  let shift = corr.sOffset;
  let eps = sScale / 2;
  for (let t = 0; t < corr.rank; t++) {
    shift += (corr.uOffset[t] * w[t]) / corr.uScale[t];
    eps += Math.abs(w[t]) / 2;
  }
  const bestIdx = new Int32Array(C);
  const bestDist = new Float64Array(C);
  let n = 0;
  for (let h = 0; h < size; h++) {
    const i = heapIdx[h];
    let s = sScale * sc[i];
    for (let t = 0; t < stride; t++) s += block[i * stride + t] * w[t];
    const go = i * d;
    for (let j = 0; j < d; j++) {
      const t = g[go + j] - query[j];
      s += t * t;
    }
    if (n === C && s >= bestDist[0]) continue;
    heapPush(bestIdx, bestDist, n, C, i, s);
    if (n < C) n++;
  }
  for (let h = 0; h < n; h++) bestDist[h] += shift;
  return rerank(o, bestIdx, bestDist, n, k, eps);
}
let scratch: { at: number; bytes: number } | undefined;

const align64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * Sets up one kernel query in this thread's scratch space (query in code units, correction weights): `select`
 * keeps the C nearest rows allowed by `mask` (fill it first) in `heapIdx`, `all` returns every row's distance (valid
 * until the next query). Undefined when the arena cannot hold the scratch space.
 */
function kernelScan(
  arena: WasmArena,
  q: QuantizedProjection,
  c: Float32Array,
  rows: number,
  corr: PersonalCorrection | undefined,
  w: Float32Array | undefined,
  C: number,
): { mask: Uint8Array; heapIdx: Int32Array; select: () => number; all: () => Float32Array } | undefined {
  const zBytes = align64(q.dims * 2);
  const wBytes = align64((w?.length ?? 0) * 2);
  const maskBytes = align64(rows);
  const bytes = zBytes + wBytes + maskBytes + align64(C * 4) * 2 + rows * 4;
  if (!scratch || scratch.bytes < bytes) {
    if (scratch) arena.release(scratch.at, scratch.bytes);
    const at = arena.alloc(bytes * 2);
    if (at === undefined) return undefined;
    scratch = { at, bytes: bytes * 2 };
  }
  const at = scratch.at;
  // the query in code units: z_j = (e_j − offset_j) / scale = −c_j / scale, clamped so the i32 sums cannot overflow
  const z = arena.int16(at, q.dims);
  const inv = 1 / q.scale[0];
  for (let j = 0; j < q.dims; j++) z[j] = Math.max(-1000, Math.min(1000, Math.round(-c[j] * inv)));
  const wAt = at + zBytes;
  // the correction's weights as int16 (one scale): the kernel multiplies them with the u codes in integers
  let ws = 1;
  if (w) {
    let max = 0;
    for (const v of w) max = Math.max(max, Math.abs(v));
    ws = max > 0 ? max / 32767 : 1;
    const wi = arena.int16(wAt, w.length);
    for (let t = 0; t < w.length; t++) wi[t] = Math.round(w[t] / ws);
  }
  const maskAt = wAt + wBytes;
  const hdAt = maskAt + maskBytes;
  const hiAt = hdAt + align64(C * 4);
  const outAt = hiAt + align64(C * 4);
  const u = corr ? (corr.arenaOffset as number) : 0;
  const stride = corr?.stride ?? 0;
  const sAt = corr ? u + (sCodes(corr).byteOffset - corr.block.byteOffset) : 0;
  const g2 = q.scale[0] * q.scale[0];
  const ss = corr?.sScale ?? 0;
  const codes = q.arenaOffset as number;
  return {
    mask: arena.uint8(maskAt, rows),
    heapIdx: arena.int32(hiAt, C),
    select: () => arena.kernel.scanSelect(codes, rows, q.dims, at, u, stride, sAt, wAt, g2, ss, ws, maskAt, C, hdAt, hiAt),
    all: () => {
      arena.kernel.scanAll(codes, rows, q.dims, at, u, stride, sAt, wAt, g2, ss, ws, outAt);
      return arena.float32(outAt, rows);
    },
  };
}

/**
 * Exact re-rank of the candidates by the full-precision distance; the k best, nearest first. With estimates `approx`
 * that are within `eps` of the exact distances, candidates are taken nearest estimate first and the rest skipped once
 * the next estimate minus eps exceeds the k-th exact distance (none of them could enter the top k).
 */
function rerank(o: QuantizedQuery, idx: Int32Array, approx: Float64Array | undefined, size: number, k: number, eps: number): KnnHit[] {
  const query = o.query;
  const d = query.length;
  const rows = o.exactRows;
  const row = rows ? undefined : new Float32Array(d);
  const order = Array.from({ length: size }, (_, h) => h);
  if (approx) order.sort((x, y) => approx[x] - approx[y] || idx[x] - idx[y]);
  const out: KnnHit[] = [];
  let kth = Number.POSITIVE_INFINITY;
  for (const h of order) {
    // slack for the float32 rounding of both sides (u and s come from a float32 product, the exact row too)
    if (approx && out.length >= k && approx[h] - eps * 1.001 > kth + 1e-5 * Math.abs(kth)) break;
    const i = idx[h];
    let s = 0;
    if (rows) {
      const ro = i * d;
      for (let j = 0; j < d; j++) {
        const t = rows[ro + j] - query[j];
        s += t * t;
      }
    } else if (row) {
      o.exactRow(i, row);
      for (let j = 0; j < d; j++) {
        const t = row[j] - query[j];
        s += t * t;
      }
    }
    out.push({ index: i, dist: s });
    if (approx && out.length >= k) kth = kthSmallest(out, k);
  }
  out.sort((x, y) => x.dist - y.dist || x.index - y.index);
  return out.slice(0, k);
}

/** The k-th smallest distance among the hits (k ≤ hits.length; k is small). */
function kthSmallest(hits: KnnHit[], k: number): number {
  if (hits.length === k) {
    let m = Number.NEGATIVE_INFINITY;
    for (const x of hits) m = Math.max(m, x.dist);
    return m;
  }
  return hits.map((x) => x.dist).sort((a, b) => a - b)[k - 1];
}

/** Inserts into a bounded max-heap of capacity C holding `size` entries (replaces the root when full). */
export function heapPush(idx: Int32Array, dist: Float64Array, size: number, C: number, i: number, s: number): void {
  if (size < C) {
    let c = size;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (dist[p] >= s) break;
      dist[c] = dist[p];
      idx[c] = idx[p];
      c = p;
    }
    dist[c] = s;
    idx[c] = i;
    return;
  }
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= C) break;
    const r = l + 1;
    const m = r < C && dist[r] > dist[l] ? r : l;
    if (dist[m] <= s) break;
    dist[c] = dist[m];
    idx[c] = idx[m];
    c = m;
  }
  dist[c] = s;
  idx[c] = i;
}
