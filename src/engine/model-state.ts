import type { ModelArtifact } from '../artifact/types.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { TailorError } from '../core/errors.js';
import { componentLogger } from '../core/log.js';
import { rotateRows, varianceRotation } from '../knn/rotation.js';
import type { Mlp } from '../nn/mlp.js';
import { denseForward, lastLayerInput } from '../personal/basis.js';
import { forwardChunked } from '../personal/basis-tf.js';

const log = componentLogger('model');

/**
 * Everything one global student contributes to the engine, shared by every user: the frozen layers' activations of
 * the catalogue (the basis H, n×h) and the global projection P = f_θ(X) (n×d), both in growable SharedArrayBuffers
 * so worker threads read them without copies. Immutable once built except for appended rows (new items).
 */
export class ModelState {
  readonly version: string;
  readonly mlp: Mlp;
  readonly hidden: number;
  readonly dim: number;
  /** Last layer (h×d row-major) and bias: the part personal models adapt. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  basis: Float32Array;
  pg: Float32Array;
  rows = 0;

  private constructor(artifact: ModelArtifact) {
    this.version = artifact.version;
    this.mlp = artifact.student;
    const last = this.mlp.layers[this.mlp.layers.length - 1];
    this.hidden = last.inDim;
    this.dim = last.outDim;
    // the output space is rotated so that high-variance directions come first (lets the exact k-NN stop early);
    // distances, EMAs and recommendations are unchanged by it
    const rot = varianceRotation(last.weight, this.hidden, this.dim);
    const w = new Float32Array(new SharedArrayBuffer(last.weight.byteLength));
    w.set(rotateRows(last.weight, this.hidden, this.dim, rot));
    this.weight = w;
    this.bias = rotateRows(last.bias, 1, this.dim, rot);
    this.basis = new Float32Array(new SharedArrayBuffer(16 * this.hidden * 4));
    this.pg = new Float32Array(new SharedArrayBuffer(16 * this.dim * 4));
  }

  /** Checks the artifact against the catalogue and projects every item (synchronously). */
  static build(artifact: ModelArtifact, catalogue: Catalogue): ModelState {
    const m = ModelState.check(artifact, catalogue);
    m.extend(catalogue, catalogue.size);
    return m;
  }

  /**
   * Same as build, but on tfjs-wasm SIMD in chunks, yielding to the event loop between them so requests keep being
   * served (model load and weekly swap). Falls back to the TypeScript loops if the WASM backend cannot start.
   */
  static async buildAsync(artifact: ModelArtifact, catalogue: Catalogue): Promise<ModelState> {
    const m = ModelState.check(artifact, catalogue);
    const n = catalogue.size;
    try {
      const layers = m.mlp.layers;
      const last = layers.length - 1;
      const specs = layers.map((l, i) =>
        i === last
          ? { inDim: l.inDim, outDim: l.outDim, weight: m.weight, bias: m.bias, relu: false }
          : { inDim: l.inDim, outDim: l.outDim, weight: l.weight, bias: l.bias, relu: true },
      );
      m.grow(n);
      await forwardChunked(catalogue.vectors.data, n, specs, last - 1, m.basis, m.pg);
      m.rows = n;
    } catch (err) {
      log.warn({ err }, 'tfjs projection failed; using the TypeScript path');
      m.rows = 0;
      while (m.rows < n) {
        m.extend(catalogue, Math.min(n, m.rows + 2048));
        await new Promise((r) => setImmediate(r));
      }
    }
    return m;
  }

  private static check(artifact: ModelArtifact, catalogue: Catalogue): ModelState {
    const layers = artifact.student?.layers;
    if (!layers || layers.length === 0) throw new TailorError('ARTIFACT_CORRUPT', `model ${artifact.version} has no student layers`);
    if (layers[0].inDim !== catalogue.dim)
      throw new TailorError(
        'ARTIFACT_MISMATCH',
        `model ${artifact.version} expects content vectors of dimension ${layers[0].inDim}, the catalogue has ${catalogue.dim}`,
        { field: 'featureDim' },
      );
    return new ModelState(artifact);
  }

  /** Projects catalogue rows `this.rows … upTo−1` (new items), growing the shared buffers when needed. */
  extend(catalogue: Catalogue, upTo = catalogue.size): void {
    if (upTo <= this.rows) return;
    this.grow(upTo);
    const from = this.rows;
    const n = upTo - from;
    const x = catalogue.vectors.data.subarray(from * catalogue.dim, upTo * catalogue.dim);
    lastLayerInput(this.mlp, { rows: n, cols: catalogue.dim, data: x }, this.basis.subarray(from * this.hidden, upTo * this.hidden));
    denseForward(
      this.basis.subarray(from * this.hidden, upTo * this.hidden),
      n,
      this.hidden,
      this.weight,
      this.bias,
      this.dim,
      this.pg.subarray(from * this.dim, upTo * this.dim),
      false,
    );
    this.rows = upTo;
  }

  /** Makes room for `upTo` rows in the shared buffers. */
  private grow(upTo: number): void {
    if (upTo * this.hidden <= this.basis.length) return;
    const cap = Math.ceil(upTo * 1.25) + 16;
    const b = new Float32Array(new SharedArrayBuffer(cap * this.hidden * 4));
    b.set(this.basis.subarray(0, this.rows * this.hidden));
    const p = new Float32Array(new SharedArrayBuffer(cap * this.dim * 4));
    p.set(this.pg.subarray(0, this.rows * this.dim));
    // tasks already sent keep the old buffers, which stay valid for the rows they cover
    this.basis = b;
    this.pg = p;
  }

  /** Basis row of item i (a view). */
  basisRow(i: number): Float32Array {
    return this.basis.subarray(i * this.hidden, (i + 1) * this.hidden);
  }

  /** The frozen layers applied to one content vector (the anchor of eq. 7 from the centroid of eq. 6). */
  basisOf(x: Float32Array): Float32Array {
    return lastLayerInput(this.mlp, { rows: 1, cols: x.length, data: x }).data.slice();
  }

  /** Bytes of the shared buffers (counted once, not per user). */
  get sharedBytes(): number {
    return this.rows * (this.hidden + this.dim) * 4;
  }
}
