// AssemblyScript (WASM SIMD) source of the int8 scan kernel; compiled by build-kernels.mjs into scan-wasm.ts.
// Partial squared distances of int8 codes to a query: out[i] = Σ_j (codes[i,j]·scale[j] + c[j])², dims a multiple of 16.
export function scanInt8(codes: usize, rows: i32, dims: i32, scale: usize, c: usize, out: usize): void {
  for (let i = 0; i < rows; i++) {
    let acc0 = f32x4.splat(0);
    let acc1 = f32x4.splat(0);
    const base = codes + <usize>(i * dims);
    for (let j = 0; j < dims; j += 16) {
      const raw = v128.load(base + <usize>j);
      const lo = i16x8.extend_low_i8x16_s(raw);
      const hi = i16x8.extend_high_i8x16_s(raw);
      const s = scale + <usize>(j << 2);
      const q = c + <usize>(j << 2);
      const t0 = f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(lo)), v128.load(s)), v128.load(q));
      const t1 = f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(lo)), v128.load(s, 16)), v128.load(q, 16));
      const t2 = f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(hi)), v128.load(s, 32)), v128.load(q, 32));
      const t3 = f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(hi)), v128.load(s, 48)), v128.load(q, 48));
      acc0 = f32x4.add(acc0, f32x4.add(f32x4.mul(t0, t0), f32x4.mul(t1, t1)));
      acc1 = f32x4.add(acc1, f32x4.add(f32x4.mul(t2, t2), f32x4.mul(t3, t3)));
    }
    const acc = f32x4.add(acc0, acc1);
    store<f32>(out + <usize>(i << 2), f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  }
}
