import type { LowRankDelta } from './low-rank.js';

/**
 * Eq. 7, the per-user adaptation loss, and its SGD minimisation over a low-rank last-layer delta:
 *   L = mean_{p,n} max(0, ‖g(c) − g(x_p)‖² − ‖g(c) − g(x_n)‖² + m)
 * with margin `m = Infinity` meaning "pull positives only": L = mean_p ‖g(c) − g(x_p)‖².
 */

/** Eq. 7 on already projected vectors: `anchor` (d), `pos` (P×d) and `neg` (N×d) row-major. No negatives pulls positives only. */
export function tripletLoss(anchor: Float32Array, pos: Float32Array, neg: Float32Array, margin: number): number {
  const d = anchor.length;
  const P = pos.length / d;
  const N = neg.length / d;
  const dp = sqDistances(anchor, pos, P);
  if (!Number.isFinite(margin) || N === 0) return dp.reduce((s, v) => s + v, 0) / Math.max(P, 1);
  const dn = sqDistances(anchor, neg, N);
  let total = 0;
  for (let p = 0; p < P; p++) for (let n = 0; n < N; n++) total += Math.max(0, dp[p] - dn[n] + margin);
  return total / (P * N);
}

function sqDistances(a: Float32Array, rows: Float32Array, count: number): number[] {
  const d = a.length;
  const out: number[] = [];
  for (let r = 0; r < count; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = a[j] - rows[r * d + j];
      s += t * t;
    }
    out.push(s);
  }
  return out;
}

export interface AdaptInput {
  /** Shared basis row of the centroid, `h(c_u)` (eq. 6 pushed through the frozen layers). */
  anchor: Float32Array;
  /** Basis rows of the positives (P×h) and negatives (N×h). */
  pos: Float32Array;
  neg: Float32Array;
  /** Shared last-layer weights, h×d row-major (the bias cancels in every difference of eq. 7). */
  weight: Float32Array;
  steps: number;
  lr: number;
  weightDecay: number;
  margin: number;
}

/**
 * Runs up to `steps` SGD steps of eq. 7 on `delta` in place (the caller passes a private copy), undoing any step that
 * does not lower the loss and halving the rate, and returns the loss before the first and after the last step.
 * Only A and B move; `δ·W` is computed once because W is frozen.
 */
export function adaptDelta(delta: LowRankDelta, input: AdaptInput): { lossBefore: number; lossAfter: number } {
  const { hidden: h, out: d, rank: r, a, b } = delta;
  const P = input.pos.length / h;
  const N = input.neg.length / h;
  const pullOnly = !Number.isFinite(input.margin) || N === 0;
  const T = P + N;
  // δ_t = h(c) − h(x_t): positives first, then negatives
  const delta0 = new Float32Array(T * h);
  for (let t = 0; t < T; t++) {
    const src = t < P ? input.pos : input.neg;
    const so = (t < P ? t : t - P) * h;
    for (let k = 0; k < h; k++) delta0[t * h + k] = input.anchor[k] - src[so + k];
  }
  const dw = new Float32Array(T * d);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < h; k++) {
      const x = delta0[t * h + k];
      if (x === 0) continue;
      const wo = k * d;
      for (let j = 0; j < d; j++) dw[t * d + j] += x * input.weight[wo + j];
    }
  }
  const s = new Float32Array(T * r);
  const u = new Float32Array(T * d);
  const dist = new Float64Array(T);
  const coef = new Float64Array(T);
  const ub = new Float32Array(r);
  const gradA = new Float32Array(h * r);
  const gradB = new Float32Array(r * d);

  const forward = (): number => {
    s.fill(0);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < h; k++) {
        const x = delta0[t * h + k];
        if (x === 0) continue;
        for (let q = 0; q < r; q++) s[t * r + q] += x * a[k * r + q];
      }
      let dd = 0;
      for (let j = 0; j < d; j++) {
        let v = dw[t * d + j];
        for (let q = 0; q < r; q++) v += s[t * r + q] * b[q * d + j];
        u[t * d + j] = v;
        dd += v * v;
      }
      dist[t] = dd;
    }
    coef.fill(0);
    if (pullOnly) {
      let loss = 0;
      for (let p = 0; p < P; p++) {
        loss += dist[p];
        coef[p] = 2 / P;
      }
      return loss / Math.max(P, 1);
    }
    let loss = 0;
    const scale = 2 / (P * N);
    for (let p = 0; p < P; p++)
      for (let n = 0; n < N; n++) {
        const l = dist[p] - dist[P + n] + input.margin;
        if (l > 0) {
          loss += l;
          coef[p] += scale;
          coef[P + n] -= scale;
        }
      }
    return loss / (P * N);
  };

  // Backtracking: a step that does not lower the loss is undone and the rate halved, so a large learning rate (fast
  // adaptation from a zero delta) can never make the personal space diverge.
  const lossBefore = forward();
  let lossAfter = lossBefore;
  let lr = input.lr;
  const wd = input.weightDecay;
  const savedA = new Float32Array(a.length);
  const savedB = new Float32Array(b.length);
  for (let step = 0; step < input.steps && lossAfter > 0; step++) {
    gradA.fill(0);
    gradB.fill(0);
    for (let t = 0; t < T; t++) {
      const c = coef[t];
      if (c === 0) continue;
      // dL/dA += c·δ_tᵀ (u_t·Bᵀ);  dL/dB += c·s_tᵀ u_t
      for (let q = 0; q < r; q++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += u[t * d + j] * b[q * d + j];
        ub[q] = c * v;
      }
      for (let k = 0; k < h; k++) {
        const x = delta0[t * h + k];
        if (x === 0) continue;
        for (let q = 0; q < r; q++) gradA[k * r + q] += x * ub[q];
      }
      for (let q = 0; q < r; q++) {
        const sq = c * s[t * r + q];
        if (sq === 0) continue;
        for (let j = 0; j < d; j++) gradB[q * d + j] += sq * u[t * d + j];
      }
    }
    savedA.set(a);
    savedB.set(b);
    for (let i = 0; i < a.length; i++) a[i] -= lr * (gradA[i] + wd * a[i]);
    for (let i = 0; i < b.length; i++) b[i] -= lr * (gradB[i] + wd * b[i]);
    const next = forward();
    if (next <= lossAfter) lossAfter = next;
    else {
      a.set(savedA);
      b.set(savedB);
      lr *= 0.5;
      forward(); // restores u, s and coef of the kept weights for the next gradient
    }
  }
  return { lossBefore, lossAfter };
}
