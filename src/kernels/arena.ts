import { SCAN_WASM_BASE64 } from './scan-wasm.js';

/**
 * One shared WebAssembly memory per thread that owns the int8 personal projections, so the WASM SIMD scan kernel
 * (scan.as, ~5× faster than the TypeScript scan at 10⁵ items) reads them in place. The memory is shared: views stay
 * valid when it grows, and a view can be handed to a worker thread, which writes a projection straight into it.
 * Blocks are 64-byte aligned; freed blocks go to a per-size free list (projections of one model all have one size).
 */
/**
 * What both kernels read: int8 rows×dims codes at `codes` against an int16 query `z` (|z| ≤ 1000), distances scaled by
 * g2, plus — when `u` ≠ 0 — a personal correction ss·s[i] + ws·Σ u[i,q]·wi[q] (u int8 with a stride of a multiple of
 * 8, s and wi int16; src/knn/correction.ts).
 */
type ScanArgs = [
  codes: number,
  rows: number,
  dims: number,
  z: number,
  u: number,
  ustride: number,
  s: number,
  wi: number,
  g2: number,
  ss: number,
  ws: number,
];

export interface ScanKernel {
  /** Every row's approximate squared distance, f32 at `out`. */
  scanAll(...args: [...ScanArgs, out: number]): void;
  /** Only the `cap` nearest rows with allowed[i] = 1, as a max-heap (f32 distances at hd, i32 rows at hi); returns its size. */
  scanSelect(...args: [...ScanArgs, allowed: number, cap: number, hd: number, hi: number]): number;
}

const PAGE = 65536;
const MAX_PAGES = 65536;

export class WasmArena {
  readonly memory: WebAssembly.Memory;
  readonly kernel: ScanKernel;
  private top: number;
  private readonly free = new Map<number, number[]>();
  /** Bytes handed out and not freed. */
  used = 0;

  private constructor(memory: WebAssembly.Memory, kernel: ScanKernel) {
    this.memory = memory;
    this.kernel = kernel;
    this.top = 1024; // keep address 0 unused
  }

  /** The arena of this thread, or undefined when WASM SIMD or shared memory is unavailable. */
  static get(): WasmArena | undefined {
    if (arena === null) {
      try {
        const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
        const module = new WebAssembly.Module(Buffer.from(SCAN_WASM_BASE64, 'base64'));
        const instance = new WebAssembly.Instance(module, { env: { memory, abort() {} } });
        arena = new WasmArena(memory, instance.exports as unknown as ScanKernel);
      } catch {
        arena = undefined;
      }
    }
    return arena;
  }

  /** Allocates `bytes` (64-byte aligned); undefined when the memory cannot grow (4 GiB). */
  alloc(bytes: number): number | undefined {
    const size = Math.ceil(bytes / 64) * 64;
    const list = this.free.get(size);
    if (list && list.length > 0) {
      this.used += size;
      return list.pop();
    }
    const at = this.top;
    const need = at + size;
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      const pages = Math.ceil((need - have) / PAGE);
      const grow = Math.max(pages, Math.min(Math.ceil(have / PAGE / 4), MAX_PAGES - have / PAGE));
      try {
        this.memory.grow(grow);
      } catch {
        try {
          this.memory.grow(pages);
        } catch {
          return undefined;
        }
      }
    }
    this.top = need;
    this.used += size;
    return at;
  }

  /** Returns a block to the arena. */
  release(offset: number, bytes: number): void {
    const size = Math.ceil(bytes / 64) * 64;
    let list = this.free.get(size);
    if (!list) {
      list = [];
      this.free.set(size, list);
    }
    list.push(offset);
    this.used -= size;
  }

  int8(offset: number, length: number): Int8Array {
    return new Int8Array(this.memory.buffer, offset, length);
  }

  uint8(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, offset, length);
  }

  int16(offset: number, length: number): Int16Array {
    return new Int16Array(this.memory.buffer, offset, length);
  }

  int32(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }

  float32(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }
}

let arena: WasmArena | undefined | null = null;
