import type { Matrix } from '../core/matrix.js';
import { loadTf } from '../nn/tf/setup.js';

/** How often an item's nearest neighbours share its label, against what chance would give. */
export interface AgreementReport {
  /** Items evaluated (those with a label). */
  items: number;
  k: number;
  /** Mean fraction of each item's k nearest neighbours (Euclidean, self excluded) with the same label. */
  agreement: number;
  /** The same fraction for random neighbours: Σ_c p_c·(n_c − 1)/(n − 1) over label frequencies. */
  chance: number;
  /** agreement / chance. */
  lift: number;
  /** Distinct labels. */
  labels: number;
}

/**
 * Label agreement of Euclidean k-NN over the rows of `m` (brute force, O(n²·d), plain TypeScript): the
 * image-embedding quality check of docs/images.md (H&M product_type_name). Rows whose label is undefined are left out.
 */
export function neighbourAgreement(m: Matrix, labels: readonly (string | undefined)[], k = 5): AgreementReport {
  return neighbourAgreementAt(m, labels, [k])[0];
}

/** {@link neighbourAgreement} for several k in one pass (the top max(ks) neighbours are kept). */
export function neighbourAgreementAt(m: Matrix, labels: readonly (string | undefined)[], ks: readonly number[]): AgreementReport[] {
  const { idx, sub, kk, sq } = prepare(m, labels, ks);
  const d = sub.cols;
  const x = sub.data;
  const n = idx.length;
  const top = new TopK(kk);
  const nbrs = new Int32Array(n * kk);
  const dots = new Float32Array(n);
  for (let a = 0; a < n; a++) {
    const oa = a * d;
    for (let b = 0; b < n; b++) {
      const ob = b * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += x[oa + j] * x[ob + j];
      dots[b] = s;
    }
    top.select(dots, sq, a, nbrs, a * kk);
  }
  return reports(idx, labels, nbrs, kk, ks);
}

/**
 * The same figures with the n×n distance products on tfjs-wasm (SIMD matmul against a pre-transposed matrix,
 * ~30 GFLOP/s instead of ~1): for the full 11,800-photo benchmark. Identical neighbours up to float ties.
 */
export async function neighbourAgreementTf(
  m: Matrix,
  labels: readonly (string | undefined)[],
  ks: readonly number[],
): Promise<AgreementReport[]> {
  const tf = await loadTf();
  const { idx, sub, kk, sq } = prepare(m, labels, ks);
  const n = idx.length;
  const d = sub.cols;
  const top = new TopK(kk);
  const nbrs = new Int32Array(n * kk);
  const xt = tf.tidy(() => tf.transpose(tf.tensor2d(sub.data, [n, d])));
  const block = 256;
  try {
    for (let a0 = 0; a0 < n; a0 += block) {
      const rows = Math.min(block, n - a0);
      const q = tf.tensor2d(sub.data.subarray(a0 * d, (a0 + rows) * d), [rows, d]);
      const prod = tf.matMul(q, xt as ReturnType<typeof tf.tensor2d>);
      const dots = (await prod.data()) as Float32Array;
      q.dispose();
      prod.dispose();
      for (let r = 0; r < rows; r++) top.select(dots.subarray(r * n, (r + 1) * n), sq, a0 + r, nbrs, (a0 + r) * kk);
    }
  } finally {
    xt.dispose();
  }
  return reports(idx, labels, nbrs, kk, ks);
}

function prepare(m: Matrix, labels: readonly (string | undefined)[], ks: readonly number[]) {
  const idx: number[] = [];
  for (let i = 0; i < m.rows; i++) if (labels[i] !== undefined) idx.push(i);
  const n = idx.length;
  const d = m.cols;
  const sub: Matrix = { rows: n, cols: d, data: new Float32Array(n * d) };
  const sq = new Float64Array(n);
  idx.forEach((i, r) => {
    const v = m.data.subarray(i * d, (i + 1) * d);
    sub.data.set(v, r * d);
    let s = 0;
    for (let j = 0; j < d; j++) s += v[j] * v[j];
    sq[r] = s;
  });
  const kk = Math.max(0, Math.min(Math.max(...ks), n - 1));
  return { idx, sub, kk, sq };
}

/** Keeps the kk smallest ‖a−b‖² = ‖b‖² − 2a·b (+‖a‖², constant per row) over b ≠ a, nearest first. */
class TopK {
  private readonly d: Float64Array;
  constructor(private readonly kk: number) {
    this.d = new Float64Array(kk);
  }

  select(dots: Float32Array, sq: Float64Array, self: number, out: Int32Array, off: number): void {
    const kk = this.kk;
    if (kk === 0) return;
    const best = this.d;
    best.fill(Number.POSITIVE_INFINITY);
    for (let b = 0; b < dots.length; b++) {
      if (b === self) continue;
      const dist = sq[b] - 2 * dots[b];
      if (dist >= best[kk - 1]) continue;
      let p = kk - 1;
      while (p > 0 && best[p - 1] > dist) {
        best[p] = best[p - 1];
        out[off + p] = out[off + p - 1];
        p--;
      }
      best[p] = dist;
      out[off + p] = b;
    }
  }
}

function reports(
  idx: number[],
  labels: readonly (string | undefined)[],
  nbrs: Int32Array,
  kk: number,
  ks: readonly number[],
): AgreementReport[] {
  const n = idx.length;
  const hitsAt = new Float64Array(kk + 1);
  for (let a = 0; a < n; a++) {
    let h = 0;
    for (let t = 0; t < kk; t++) {
      if (labels[idx[nbrs[a * kk + t]]] === labels[idx[a]]) h++;
      hitsAt[t + 1] += h;
    }
  }
  const counts = new Map<string, number>();
  for (const i of idx) counts.set(labels[i] as string, (counts.get(labels[i] as string) ?? 0) + 1);
  let chance = 0;
  for (const c of counts.values()) chance += (c / n) * ((c - 1) / Math.max(n - 1, 1));
  return ks.map((k) => {
    const kq = Math.max(0, Math.min(k, kk));
    const agreement = n > 1 && kq > 0 ? hitsAt[kq] / (n * kq) : 0;
    return { items: n, k: kq, agreement, chance, lift: chance > 0 ? agreement / chance : 0, labels: counts.size };
  });
}
