/**
 * Row-major float32 matrices in one contiguous buffer: the only vector layout Tailor uses
 * (never arrays of arrays), so that every kernel, worker transfer and file write is a single copy.
 */

export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** A zero matrix of the given shape. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float32Array(rows * cols) };
}

/** Wraps an existing buffer as a matrix, checking its length. */
export function matrix(rows: number, cols: number, data: Float32Array): Matrix {
  if (data.length !== rows * cols) throw new RangeError(`matrix ${rows}x${cols} needs ${rows * cols} values, got ${data.length}`);
  return { rows, cols, data };
}

/** View of row `i` (no copy). */
export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Squared Euclidean distance between two equal-length vectors. */
export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

/** Dot product of two equal-length vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Scales every row to unit L2 norm in place (zero rows stay zero). */
export function normalizeRows(m: Matrix): Matrix {
  for (let i = 0; i < m.rows; i++) {
    const r = row(m, i);
    let n = 0;
    for (let j = 0; j < r.length; j++) n += r[j] * r[j];
    if (n > 0) {
      const inv = 1 / Math.sqrt(n);
      for (let j = 0; j < r.length; j++) r[j] *= inv;
    }
  }
  return m;
}

/** AᵀB (ka×kb, float64) for row-major A (n×ka) and B (n×kb), skipping zero entries of A. */
export function transposeTimes(a: ArrayLike<number>, b: ArrayLike<number>, n: number, ka: number, kb: number): Float64Array {
  const out = new Float64Array(ka * kb);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < ka; p++) {
      const v = a[i * ka + p];
      if (v === 0) continue;
      for (let q = 0; q < kb; q++) out[p * kb + q] += v * b[i * kb + q];
    }
  return out;
}

/** Copies the given rows into a new matrix, in order. */
export function gatherRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = zeros(rows.length, m.cols);
  for (let i = 0; i < rows.length; i++) out.data.set(row(m, rows[i]), i * m.cols);
  return out;
}

/**
 * Row-wise concatenation of blocks with the same rows, each block's rows scaled to norm 1/√B (B blocks): rows come
 * out unit-norm and every block weighs the same in a squared distance (e.g. image embeddings beside attributes).
 */
export function concatNormalizedBlocks(blocks: Matrix[]): Matrix {
  const rows = blocks[0]?.rows ?? 0;
  const cols = blocks.reduce((s, b) => s + b.cols, 0);
  const out = zeros(rows, cols);
  const w = 1 / Math.sqrt(Math.max(1, blocks.length));
  let off = 0;
  for (const b of blocks) {
    if (b.rows !== rows) throw new RangeError(`concatNormalizedBlocks: ${b.rows} rows, expected ${rows}`);
    for (let i = 0; i < rows; i++) {
      const r = row(b, i);
      let n = 0;
      for (let j = 0; j < r.length; j++) n += r[j] * r[j];
      const s = n > 0 ? w / Math.sqrt(n) : 0;
      for (let j = 0; j < r.length; j++) out.data[i * cols + off + j] = r[j] * s;
    }
    off += b.cols;
  }
  return out;
}
