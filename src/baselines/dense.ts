/**
 * Small dense kernels (row-major Float32Array) for the hand-differentiated baselines. Plain loops in the
 * cache-friendly i-k-j order; the trained baselines are small enough that these are not the bottleneck.
 */

/** C (m×n) = A (m×k) · B (k×n). */
export function matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, c = new Float32Array(m * n)): Float32Array {
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p];
      if (v === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += v * b[bp + j];
    }
  }
  return c;
}

/** C (k×n) += Aᵀ · B for A (m×k), B (m×n): the weight gradient of a dense layer. */
export function addMatmulTA(a: Float32Array, b: Float32Array, m: number, k: number, n: number, c: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const bi = i * n;
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p];
      if (v === 0) continue;
      const cp = p * n;
      for (let j = 0; j < n; j++) c[cp + j] += v * b[bi + j];
    }
  }
}

/** C (m×k) = A (m×n) · Bᵀ for B (k×n): the input gradient of a dense layer. */
export function matmulTB(a: Float32Array, b: Float32Array, m: number, n: number, k: number, c = new Float32Array(m * k)): Float32Array {
  for (let i = 0; i < m; i++) {
    const ai = i * n;
    for (let p = 0; p < k; p++) {
      const bp = p * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += a[ai + j] * b[bp + j];
      c[i * k + p] = s;
    }
  }
  return c;
}
