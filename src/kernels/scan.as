// AssemblyScript (WASM SIMD) source of the search kernels; compiled by build-kernels.mjs into scan-wasm.ts.
// A row's approximate squared distance to the query, over the shared int8 global codes plus, for a personalised
// user, a rank-r correction (docs/engine.md, "Search"; src/knn/correction.ts):
//   dist_i = g2·Σ_j (codes[i,j] − z[j])² + ss·s[i] + Σ_q u[i,q]·w[q]
// codes: rows×dims int8 (dims a multiple of 16); z: dims int16 (|z| ≤ 1000, so the integer sum fits in an i32);
// u: rows×ustride int8 (ustride a multiple of 8), s: rows int16, w: ustride f32 (scales folded in); u = 0: no correction.

// @ts-ignore: decorator
@inline
function rowDist(codes: usize, dims: i32, z: usize, i: i32): i32 {
  const base = codes + <usize>(i * dims);
  let acc = i32x4.splat(0);
  for (let j = 0; j < dims; j += 16) {
    const raw = v128.load(base + <usize>j);
    const q = z + <usize>(j << 1);
    const d0 = i16x8.sub(i16x8.extend_low_i8x16_s(raw), v128.load(q));
    const d1 = i16x8.sub(i16x8.extend_high_i8x16_s(raw), v128.load(q, 16));
    acc = i32x4.add(acc, i32x4.add(i32x4.dot_i16x8_s(d0, d0), i32x4.dot_i16x8_s(d1, d1)));
  }
  return i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
}

// @ts-ignore: decorator
@inline
function rowCorrection(u: usize, ustride: i32, s: usize, w: usize, ss: f32, i: i32): f32 {
  let acc = f32x4.splat(0);
  const ub = u + <usize>(i * ustride);
  for (let q = 0; q < ustride; q += 8) {
    const c = v128.load8x8_s(ub + <usize>q);
    const wq = w + <usize>(q << 2);
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(c)), v128.load(wq)));
    acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(c)), v128.load(wq, 16)));
  }
  return (
    ss * <f32>load<i16>(s + <usize>(i << 1)) +
    f32x4.extract_lane(acc, 0) +
    f32x4.extract_lane(acc, 1) +
    f32x4.extract_lane(acc, 2) +
    f32x4.extract_lane(acc, 3)
  );
}

// Every row's distance, f32, into out (for searches that must filter rows in JavaScript).
export function scanAll(codes: usize, rows: i32, dims: i32, z: usize, u: usize, ustride: i32, s: usize, w: usize, g2: f32, ss: f32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    let dist = g2 * <f32>rowDist(codes, dims, z, i);
    if (u != 0) dist += rowCorrection(u, ustride, s, w, ss, i);
    store<f32>(out + <usize>(i << 2), dist);
  }
}

// The `cap` nearest rows with allowed[i] = 1, as a bounded max-heap (f32 distances at hd, i32 rows at hi, worst at
// the root; ties keep the earlier row). Returns the heap's size.
export function scanSelect(
  codes: usize,
  rows: i32,
  dims: i32,
  z: usize,
  u: usize,
  ustride: i32,
  s: usize,
  w: usize,
  g2: f32,
  ss: f32,
  allowed: usize,
  cap: i32,
  hd: usize,
  hi: usize,
): i32 {
  let size = 0;
  let worst: f32 = f32.MAX_VALUE;
  for (let i = 0; i < rows; i++) {
    if (load<u8>(allowed + <usize>i) == 0) continue;
    let dist = g2 * <f32>rowDist(codes, dims, z, i);
    if (u != 0) dist += rowCorrection(u, ustride, s, w, ss, i);
    if (size == cap) {
      if (dist >= worst) continue;
      // replace the root and sift down
      let c = 0;
      while (true) {
        const l = 2 * c + 1;
        if (l >= cap) break;
        const r = l + 1;
        const m = r < cap && load<f32>(hd + <usize>(r << 2)) > load<f32>(hd + <usize>(l << 2)) ? r : l;
        const dm = load<f32>(hd + <usize>(m << 2));
        if (dm <= dist) break;
        store<f32>(hd + <usize>(c << 2), dm);
        store<i32>(hi + <usize>(c << 2), load<i32>(hi + <usize>(m << 2)));
        c = m;
      }
      store<f32>(hd + <usize>(c << 2), dist);
      store<i32>(hi + <usize>(c << 2), i);
      worst = load<f32>(hd);
    } else {
      let c = size;
      while (c > 0) {
        const p = (c - 1) >> 1;
        const dp = load<f32>(hd + <usize>(p << 2));
        if (dp >= dist) break;
        store<f32>(hd + <usize>(c << 2), dp);
        store<i32>(hi + <usize>(c << 2), load<i32>(hi + <usize>(p << 2)));
        c = p;
      }
      store<f32>(hd + <usize>(c << 2), dist);
      store<i32>(hi + <usize>(c << 2), i);
      size++;
      if (size == cap) worst = load<f32>(hd);
    }
  }
  return size;
}
