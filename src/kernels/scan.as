// AssemblyScript (WASM SIMD) source of the int8 scan kernel; compiled by build-kernels.mjs into scan-wasm.ts.
// Squared distances in code units between int8 rows and an int16 query: out[i] = Σ_j (codes[i,j] − z[j])²,
// dims a multiple of 16, |z| ≤ 1000 so that every partial sum fits in an i32.
export function scanInt8(codes: usize, rows: i32, dims: i32, z: usize, out: usize): void {
  for (let i = 0; i < rows; i++) {
    let acc = i32x4.splat(0);
    const base = codes + <usize>(i * dims);
    for (let j = 0; j < dims; j += 16) {
      const raw = v128.load(base + <usize>j);
      const q = z + <usize>(j << 1);
      const d0 = i16x8.sub(i16x8.extend_low_i8x16_s(raw), v128.load(q));
      const d1 = i16x8.sub(i16x8.extend_high_i8x16_s(raw), v128.load(q, 16));
      acc = i32x4.add(acc, i32x4.add(i32x4.dot_i16x8_s(d0, d0), i32x4.dot_i16x8_s(d1, d1)));
    }
    store<i32>(out + <usize>(i << 2), i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3));
  }
}
