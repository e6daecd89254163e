import type * as TfCore from '@tensorflow/tfjs-core';
import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import type { Csr } from '../graph/csr.js';
import { type AggregationMode, aggregateRows, sparseAggregate } from '../nn/tf/aggregate.js';
import { applyDense, createDense, type DenseParams } from '../nn/tf/dense.js';
import type { Tf } from '../nn/tf/setup.js';
import type { SampledSubgraph } from '../sampling/neighbour-sampler.js';

export interface HgnnShape {
  inDim: number;
  /** Hidden widths; the model has hidden.length + 1 layers. */
  hidden: number[];
  outDim: number;
  numRelations: number;
  neighbourAgg: AggregationMode;
  relationAgg: 'mean' | 'sum' | 'max';
  /** L2-normalise the output (the 'difference' loss reading needs it). */
  normalizeOutput: boolean;
}

/**
 * The HGNN teacher of SPEC §4 (eq. 1): per layer and relation r a GraphSAGE convolution
 * s_v^r = W_self^r h_v + W_nbr^r m_v^r + b^r, combined over relations by COMB, ReLU between layers.
 * For COMB ∈ {mean, sum} the layer is stored in its equivalent collapsed form, one dense layer over the blocks
 * [h_v, m_v^1, …, m_v^R] (mean_r of the R affine maps is itself affine in those blocks: same function class,
 * R× fewer multiplications of h_v). For COMB = max, R separate two-block dense layers and an element-wise max.
 */
export class HgnnTeacher {
  readonly layers: DenseParams[][];

  constructor(
    private readonly tf: Tf,
    readonly shape: HgnnShape,
    rng: Rng,
  ) {
    const widths = [shape.inDim, ...shape.hidden, shape.outDim];
    const R = shape.numRelations;
    this.layers = [];
    for (let l = 0; l + 1 < widths.length; l++) {
      const inD = widths[l];
      const outD = widths[l + 1];
      if (shape.relationAgg === 'max') {
        const per: DenseParams[] = [];
        for (let r = 0; r < R; r++) per.push(createDense(tf, rng, [inD, inD], outD, `hgnn_l${l}_r${r}`));
        this.layers.push(per);
      } else {
        this.layers.push([createDense(tf, rng, new Array(R + 1).fill(inD), outD, `hgnn_l${l}`)]);
      }
    }
  }

  get numLayers(): number {
    return this.layers.length;
  }

  /** Every trainable variable. */
  variables(): TfCore.Variable[] {
    return this.layers.flat().flatMap((p) => [...p.w, p.b] as TfCore.Variable[]);
  }

  /** Snapshot of all weights (for early stopping's best epoch). */
  snapshot(): Float32Array[] {
    return this.variables().map((v) => (v.dataSync() as Float32Array).slice());
  }

  /** Restores a snapshot taken by `snapshot`. */
  restore(s: Float32Array[]): void {
    const vars = this.variables();
    vars.forEach((v, i) => {
      v.assign(this.tf.tensor(s[i], v.shape));
    });
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }

  /**
   * Embeddings of the seeds of a sampled batch graph ([hopEnds[0], outDim], differentiable w.r.t. the weights),
   * not normalised (the 'difference' loss normalises inside its own gradient).
   * The input layer aggregates content vectors in TypeScript straight from `x` (no gradient needed there).
   */
  forwardBatch(sub: SampledSubgraph, x: Matrix): TfCore.Tensor2D {
    const tf = this.tf;
    const L = this.numLayers;
    if (sub.hopEnds.length !== L + 1) throw new Error(`the batch graph has ${sub.hopEnds.length - 1} hops, the teacher has ${L} layers`);
    const D = x.cols;
    const c0 = sub.hopEnds[L - 1];
    const selfX = new Float32Array(c0 * D);
    for (let i = 0; i < c0; i++) selfX.set(x.data.subarray(sub.nodes[i] * D, (sub.nodes[i] + 1) * D), i * D);
    const blocks = sub.adj.map((a) => {
      const globalIdx = new Int32Array(a.indices.length);
      for (let e = 0; e < globalIdx.length; e++) globalIdx[e] = sub.nodes[a.indices[e]];
      return inputBlock(aggregateRows(x.data, D, { indptr: a.indptr, indices: globalIdx }, c0, this.shape.neighbourAgg), a.indptr, c0, D);
    });
    let h = this.layer(
      0,
      tf.tensor2d(selfX, [c0, D]),
      blocks.map((b) => tf.tensor2d(b.data, [b.data.length / D, D])),
      false,
      blocks.map((b) => b.rows),
    );
    for (let l = 1; l < L; l++) {
      const c = sub.hopEnds[L - 1 - l];
      const self = tf.slice(h, [0, 0], [c, h.shape[1]]);
      const m = sub.adj.map((a) => sparseAggregate(tf, h, a, c, this.shape.neighbourAgg));
      h = this.layer(l, self, m, true);
    }
    return h;
  }

  /**
   * Embeddings of every item, layer by layer over a fixed sampled neighbourhood (`nbrs`, one CSR per relation in
   * global indices), in chunks of `chunk` rows; no gradient. Output rows are L2-normalised when the model is.
   */
  inferAll(x: Matrix, nbrs: Csr[], chunk = 4096): Matrix {
    const tf = this.tf;
    const n = x.rows;
    let src = x.data;
    let width = x.cols;
    for (let l = 0; l < this.numLayers; l++) {
      const outW = this.layers[l][0].b.shape[0];
      const out = new Float32Array(n * outW);
      for (let s = 0; s < n; s += chunk) {
        const e = Math.min(n, s + chunk);
        const rows = e - s;
        const y = tf.tidy(() => {
          const self = tf.tensor2d(src.subarray(s * width, e * width), [rows, width]);
          const blocks = nbrs.map((c) => {
            const ptr = c.indptr.subarray(s, e + 1);
            return inputBlock(
              aggregateRows(src, width, { indptr: ptr, indices: c.indices }, rows, this.shape.neighbourAgg),
              ptr,
              rows,
              width,
            );
          });
          const m = blocks.map((b) => tf.tensor2d(b.data, [b.data.length / width, width]));
          return this.layer(
            l,
            self,
            m,
            true,
            blocks.map((b) => b.rows),
          );
        });
        out.set(y.dataSync() as Float32Array, s * outW);
        y.dispose();
      }
      src = out;
      width = outW;
    }
    if (this.shape.normalizeOutput) normalizeInPlace(src, width);
    return { rows: n, cols: width, data: src };
  }

  /** One layer; `rows[r]` (optional) marks m[r] as compact over those rows (see inputBlock). */
  private layer(
    l: number,
    self: TfCore.Tensor2D,
    m: TfCore.Tensor2D[],
    inputGrads: boolean,
    rows?: Array<Int32Array | undefined>,
  ): TfCore.Tensor2D {
    const tf = this.tf;
    const relu = l + 1 < this.numLayers;
    const params = this.layers[l];
    if (this.shape.relationAgg !== 'max') {
      // mean and sum differ only by a factor 1/R that the collapsed weights absorb
      return applyDense(tf, params[0], [self, ...m], { relu, inputGrads, blockRows: rows ? [undefined, ...rows] : undefined });
    }
    let y: TfCore.Tensor2D | undefined;
    for (let r = 0; r < params.length; r++) {
      const s = applyDense(tf, params[r], [self, m[r]], { inputGrads, blockRows: rows ? [undefined, rows[r]] : undefined });
      y = y === undefined ? s : tf.maximum(y, s);
    }
    return relu ? tf.relu(y as TfCore.Tensor2D) : (y as TfCore.Tensor2D);
  }
}

/**
 * A relation's aggregated block for the input layer: when under 70 % of the rows have neighbours in that relation,
 * only those rows are kept (compact data plus their row indices), since the others are zero and would cost a full
 * row of the matmul each (co-purchase, co-cart and co-favorite neighbours are rare next to co-click). A relation
 * with no neighbours at all keeps one zero row so that its weights stay on the gradient path.
 */
function inputBlock(full: Float32Array, indptr: Int32Array, n: number, d: number): { data: Float32Array; rows: Int32Array | undefined } {
  let count = 0;
  for (let i = 0; i < n; i++) if (indptr[i + 1] > indptr[i]) count++;
  if (count >= 0.7 * n) return { data: full, rows: undefined };
  if (count === 0) return { data: new Float32Array(d), rows: Int32Array.of(0) };
  const rows = new Int32Array(count);
  const data = new Float32Array(count * d);
  let k = 0;
  for (let i = 0; i < n; i++)
    if (indptr[i + 1] > indptr[i]) {
      rows[k] = i;
      data.set(full.subarray(i * d, (i + 1) * d), k * d);
      k++;
    }
  return { data, rows };
}

function normalizeInPlace(a: Float32Array, d: number): void {
  for (let i = 0; i < a.length; i += d) {
    let s = 0;
    for (let c = 0; c < d; c++) s += a[i + c] * a[i + c];
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let c = 0; c < d; c++) a[i + c] *= inv;
    }
  }
}
