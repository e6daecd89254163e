import { WasmArena } from '../kernels/arena.js';
import { encodeRows, type QuantizedProjection, quantize } from '../knn/quantized.js';
import type { ModelState } from './model-state.js';

/** An int8 code buffer and, when it lives in the WASM arena, its byte offset there (so the SIMD kernel can scan it). */
export interface CodeBuffer {
  codes: Int8Array;
  arenaOffset?: number;
}

/**
 * Where the personal corrections' codes (and the global int8 codes) live: blocks of this thread's WASM arena, recycled
 * through a small pool because every adaptation needs one of the same size — allocating a fresh SharedArrayBuffer each
 * time makes V8 run full GCs (external memory pressure). Falls back to plain SharedArrayBuffers when the arena is unavailable or full.
 */
export class CodeBuffers {
  private pool: CodeBuffer[] = [];

  /** A buffer of `length` codes: recycled, else from the arena, else a SharedArrayBuffer. */
  alloc(length: number): CodeBuffer {
    for (let i = this.pool.length - 1; i >= 0; i--)
      if (this.pool[i].codes.length === length) {
        const [p] = this.pool.splice(i, 1);
        return p;
      }
    const arena = WasmArena.get();
    const at = arena?.alloc(length);
    if (arena && at !== undefined) return { codes: arena.int8(at, length), arenaOffset: at };
    return { codes: new Int8Array(new SharedArrayBuffer(length)) };
  }

  /** Keeps a buffer of the current size for reuse (at most 16), else gives it back to the arena. */
  recycle(p: CodeBuffer | null, currentLength: number): void {
    if (!p) return;
    if (p.codes.length === currentLength && this.pool.length < 16) this.pool.push({ codes: p.codes, arenaOffset: p.arenaOffset });
    else this.release(p);
  }

  release(p: CodeBuffer): void {
    if (p.arenaOffset !== undefined) WasmArena.get()?.release(p.arenaOffset, p.codes.byteLength);
  }

  /** Gives every pooled buffer back (a model swap changes sizes). */
  releaseAll(): void {
    for (const p of this.pool) this.release(p);
    this.pool = [];
  }
}

/** The global projection's int8 codes for a model: built once, extended to new items with the same scales. */
export interface GlobalCodes {
  model: ModelState;
  q: QuantizedProjection;
}

/**
 * The global projection as int8 codes of its first `maxDims` coordinates (scanned by every query, cold-start and
 * personal), re-ranked from the float rows: `prev` when it is current, else extended or rebuilt.
 */
export function globalCodes(m: ModelState, prev: GlobalCodes | undefined, buffers: CodeBuffers, maxDims: number): GlobalCodes {
  if (prev && prev.model === m && prev.q.rows >= m.rows) return prev;
  const d = m.dim;
  const dims = Math.min(maxDims, d);
  const buf = buffers.alloc(m.rows * dims);
  let q: QuantizedProjection;
  if (prev && prev.model === m) {
    buf.codes.set(prev.q.codes.subarray(0, prev.q.rows * dims));
    q = { ...prev.q, rows: m.rows, codes: buf.codes, arenaOffset: buf.arenaOffset };
    encodeRows(q, m.pg.subarray(prev.q.rows * d, m.rows * d), d, prev.q.rows, m.rows, true);
  } else q = { ...quantize(m.pg, m.rows, d, dims, buf.codes), arenaOffset: buf.arenaOffset };
  if (prev) buffers.release(prev.q);
  return { model: m, q };
}
