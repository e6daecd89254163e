import type { Matrix } from '../core/matrix.js';

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
 * Label agreement of Euclidean k-NN over the rows of `m` (brute force, O(n²·d)): the image-embedding quality check
 * of docs/images.md (H&M product_type_name). Rows whose label is undefined are left out.
 */
export function neighbourAgreement(m: Matrix, labels: readonly (string | undefined)[], k = 5): AgreementReport {
  return neighbourAgreementAt(m, labels, [k])[0];
}

/** {@link neighbourAgreement} for several k in one O(n²·d) pass (the top max(ks) neighbours are kept). */
export function neighbourAgreementAt(m: Matrix, labels: readonly (string | undefined)[], ks: readonly number[]): AgreementReport[] {
  const idx: number[] = [];
  for (let i = 0; i < m.rows; i++) if (labels[i] !== undefined) idx.push(i);
  const n = idx.length;
  const d = m.cols;
  const sq = new Float64Array(m.rows);
  for (const i of idx) {
    let s = 0;
    for (let j = 0; j < d; j++) s += m.data[i * d + j] ** 2;
    sq[i] = s;
  }
  const kk = Math.max(0, Math.min(Math.max(...ks), n - 1));
  const hitsAt = new Float64Array(kk + 1);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  for (const a of idx) {
    bestD.fill(Number.POSITIVE_INFINITY);
    const oa = a * d;
    for (const b of idx) {
      if (b === a) continue;
      const ob = b * d;
      let dp = 0;
      for (let j = 0; j < d; j++) dp += m.data[oa + j] * m.data[ob + j];
      const dist = sq[a] + sq[b] - 2 * dp;
      if (dist >= bestD[kk - 1]) continue;
      let p = kk - 1;
      while (p > 0 && bestD[p - 1] > dist) {
        bestD[p] = bestD[p - 1];
        bestI[p] = bestI[p - 1];
        p--;
      }
      bestD[p] = dist;
      bestI[p] = b;
    }
    let h = 0;
    for (let t = 0; t < kk; t++) {
      if (labels[bestI[t]] === labels[a]) h++;
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
