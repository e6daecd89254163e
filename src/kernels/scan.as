// @ts-ignore: decorator
@inline
function rowDistVec(codes: usize, dims: i32, z: usize, i: i32): v128 {
  const base = codes + <usize>(i * dims);
  let acc = i32x4.splat(0);
  for (let j = 0; j < dims; j += 16) {
    const raw = v128.load(base + <usize>j);
    const q = z + <usize>(j << 1);
    const d0 = i16x8.sub(i16x8.extend_low_i8x16_s(raw), v128.load(q));
    const d1 = i16x8.sub(i16x8.extend_high_i8x16_s(raw), v128.load(q, 16));
    acc = i32x4.add(acc, i32x4.add(i32x4.dot_i16x8_s(d0, d0), i32x4.dot_i16x8_s(d1, d1)));
  }
  return acc;
}

// Σ_q u[i,q]·wi[q] as four i32 partial sums (wi: the weights as int16; |u| ≤ 127, |wi| ≤ 32767).
// @ts-ignore: decorator
@inline
function rowCorrectionVec(u: usize, ustride: i32, wi: usize, i: i32): v128 {
  let acc = i32x4.splat(0);
  const ub = u + <usize>(i * ustride);
  for (let q = 0; q < ustride; q += 8) acc = i32x4.add(acc, i32x4.dot_i16x8_s(v128.load8x8_s(ub + <usize>q), v128.load(wi + <usize>(q << 1))));
  return acc;
}

// The lane sums of four i32x4 vectors, as one i32x4 (a transpose by shuffles instead of 12 lane extractions).
// @ts-ignore: decorator
@inline
function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = i32x4.add(v128.shuffle<i32>(a, b, 0, 4, 1, 5), v128.shuffle<i32>(a, b, 2, 6, 3, 7));
  const cd = i32x4.add(v128.shuffle<i32>(c, d, 0, 4, 1, 5), v128.shuffle<i32>(c, d, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(ab, cd, 0, 1, 4, 5), v128.shuffle<i32>(ab, cd, 2, 3, 6, 7));
}

// Rows i … i+3 at once: their four distances as an f32x4. The correction's weights come as int16 (wi, scale ws).
// @ts-ignore: decorator
@inline
function fourDist(codes: usize, dims: i32, z: usize, u: usize, ustride: i32, s: usize, wi: usize, g2: f32, ss: f32, ws: f32, i: i32): v128 {
  const d = hsum4(rowDistVec(codes, dims, z, i), rowDistVec(codes, dims, z, i + 1), rowDistVec(codes, dims, z, i + 2), rowDistVec(codes, dims, z, i + 3));
  let out = f32x4.mul(f32x4.convert_i32x4_s(d), f32x4.splat(g2));
  if (u != 0) {
    const c = hsum4(
      rowCorrectionVec(u, ustride, wi, i),
      rowCorrectionVec(u, ustride, wi, i + 1),
      rowCorrectionVec(u, ustride, wi, i + 2),
      rowCorrectionVec(u, ustride, wi, i + 3),
    );
    out = f32x4.add(out, f32x4.mul(f32x4.convert_i32x4_s(c), f32x4.splat(ws)));
    const sv = f32x4.convert_i32x4_s(v128.load16x4_s(s + <usize>(i << 1)));
    out = f32x4.add(out, f32x4.mul(sv, f32x4.splat(ss)));
  }
  return out;
}

// Σ (code − z)² of one row of exactly 32 coordinates, the query already in registers (z0 … z3: 8 coordinates each).
// @ts-ignore: decorator
@inline
function row32(base: usize, z0: v128, z1: v128, z2: v128, z3: v128): v128 {
  const a = v128.load(base);
  const b = v128.load(base, 16);
  const d0 = i16x8.sub(i16x8.extend_low_i8x16_s(a), z0);
  const d1 = i16x8.sub(i16x8.extend_high_i8x16_s(a), z1);
  const d2 = i16x8.sub(i16x8.extend_low_i8x16_s(b), z2);
  const d3 = i16x8.sub(i16x8.extend_high_i8x16_s(b), z3);
  return i32x4.add(i32x4.add(i32x4.dot_i16x8_s(d0, d0), i32x4.dot_i16x8_s(d1, d1)), i32x4.add(i32x4.dot_i16x8_s(d2, d2), i32x4.dot_i16x8_s(d3, d3)));
}

// fourDist for the default shape (32 coordinates, a correction of rank ≤ 8 or none) with the query and the
// correction's weights held in registers across the scan instead of reloaded every row; the same sums in the same
// order, so the same distances.
// @ts-ignore: decorator
@inline
function fourDist32(codes: usize, z0: v128, z1: v128, z2: v128, z3: v128, u: usize, s: usize, wv: v128, g2: v128, ss: v128, ws: v128, i: i32): v128 {
  const base = codes + <usize>(i << 5);
  const d = hsum4(row32(base, z0, z1, z2, z3), row32(base + 32, z0, z1, z2, z3), row32(base + 64, z0, z1, z2, z3), row32(base + 96, z0, z1, z2, z3));
  let out = f32x4.mul(f32x4.convert_i32x4_s(d), g2);
  if (u != 0) {
    // four rows' 8 u codes are 32 contiguous bytes
    const ub = u + <usize>(i << 3);
    const a = v128.load(ub);
    const b = v128.load(ub, 16);
    const c = hsum4(
      i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(a), wv),
      i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(a), wv),
      i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(b), wv),
      i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(b), wv),
    );
    out = f32x4.add(out, f32x4.mul(f32x4.convert_i32x4_s(c), ws));
    const sv = f32x4.convert_i32x4_s(v128.load16x4_s(s + <usize>(i << 1)));
    out = f32x4.add(out, f32x4.mul(sv, ss));
  }
  return out;
}

// One row (the tail after the blocks of four).
// @ts-ignore: decorator
@inline
function oneDist(codes: usize, dims: i32, z: usize, u: usize, ustride: i32, s: usize, wi: usize, g2: f32, ss: f32, ws: f32, i: i32): f32 {
  const d = rowDistVec(codes, dims, z, i);
  let out = g2 * <f32>(i32x4.extract_lane(d, 0) + i32x4.extract_lane(d, 1) + i32x4.extract_lane(d, 2) + i32x4.extract_lane(d, 3));
  if (u != 0) {
    const c = rowCorrectionVec(u, ustride, wi, i);
    out += ws * <f32>(i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) + i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3));
    out += ss * <f32>load<i16>(s + <usize>(i << 1));
  }
  return out;
}

// Every row's distance, f32, into out (for searches that must filter rows in JavaScript).
export function scanAll(codes: usize, rows: i32, dims: i32, z: usize, u: usize, ustride: i32, s: usize, wi: usize, g2: f32, ss: f32, ws: f32, out: usize): void {
  let i = 0;
  for (; i + 3 < rows; i += 4) v128.store(out + <usize>(i << 2), fourDist(codes, dims, z, u, ustride, s, wi, g2, ss, ws, i));
  for (; i < rows; i++) store<f32>(out + <usize>(i << 2), oneDist(codes, dims, z, u, ustride, s, wi, g2, ss, ws, i));
}

// Adds row i at distance dist to the bounded max-heap (f32 at hd, i32 at hi, worst at the root) of `size` ≤ cap
// entries, when it is full only if nearer than the root; returns the new size.
// @ts-ignore: decorator
@inline
function heapPush(hd: usize, hi: usize, size: i32, cap: i32, dist: f32, i: i32): i32 {
  if (size == cap) {
    if (dist >= load<f32>(hd)) return size;
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
    return size;
  }
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
  return size + 1;
}

// Offers rows i … i+3 (distances v) to the heap; returns its new size.
// @ts-ignore: decorator
@inline
function pushFour(hd: usize, hi: usize, size: i32, cap: i32, allowed: usize, v: v128, i: i32): i32 {
  // the usual case once the heap is full: none of the four is nearer than the worst kept
  if (size == cap && i32x4.all_true(f32x4.ge(v, f32x4.splat(load<f32>(hd))))) return size;
  if (load<u8>(allowed + <usize>i) != 0) size = heapPush(hd, hi, size, cap, f32x4.extract_lane(v, 0), i);
  if (load<u8>(allowed + <usize>(i + 1)) != 0) size = heapPush(hd, hi, size, cap, f32x4.extract_lane(v, 1), i + 1);
  if (load<u8>(allowed + <usize>(i + 2)) != 0) size = heapPush(hd, hi, size, cap, f32x4.extract_lane(v, 2), i + 2);
  if (load<u8>(allowed + <usize>(i + 3)) != 0) size = heapPush(hd, hi, size, cap, f32x4.extract_lane(v, 3), i + 3);
  return size;
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
  wi: usize,
  g2: f32,
  ss: f32,
  ws: f32,
  allowed: usize,
  cap: i32,
  hd: usize,
  hi: usize,
): i32 {
  let size = 0;
  let i = 0;
  if (dims == 32 && (u == 0 || ustride == 8)) {
    const z0 = v128.load(z);
    const z1 = v128.load(z, 16);
    const z2 = v128.load(z, 32);
    const z3 = v128.load(z, 48);
    const wv = u != 0 ? v128.load(wi) : i32x4.splat(0);
    const g2v = f32x4.splat(g2);
    const ssv = f32x4.splat(ss);
    const wsv = f32x4.splat(ws);
    for (; i + 3 < rows; i += 4) {
      if (load<u32>(allowed + <usize>i) == 0) continue;
      const v = fourDist32(codes, z0, z1, z2, z3, u, s, wv, g2v, ssv, wsv, i);
      size = pushFour(hd, hi, size, cap, allowed, v, i);
    }
  }
  for (; i + 3 < rows; i += 4) {
    if (load<u32>(allowed + <usize>i) == 0) continue;
    const v = fourDist(codes, dims, z, u, ustride, s, wi, g2, ss, ws, i);
    size = pushFour(hd, hi, size, cap, allowed, v, i);
  }
  for (; i < rows; i++) {
    if (load<u8>(allowed + <usize>i) == 0) continue;
    size = heapPush(hd, hi, size, cap, oneDist(codes, dims, z, u, ustride, s, wi, g2, ss, ws, i), i);
  }
  return size;
}
