import { existsSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-node';
import { TailorError } from '../core/errors.js';
import { type Matrix, normalizeRows } from '../core/matrix.js';
import type { EmbedModelOptions } from './options.js';
import { pooledDim, poolOutput } from './pooling.js';
import { writeNormalised } from './preprocess.js';

type Ort = typeof import('onnxruntime-node');

/**
 * An ONNX image model on onnxruntime-node (CPU), turning batches of decoded RGB images into content vectors
 * x_i (SPEC §1): normalise → run → read the chosen output → pool → optionally L2-normalise.
 */
export class ImageEmbedder {
  readonly opts: EmbedModelOptions;
  readonly inputName: string;
  readonly outputName: string;
  private readonly ort: Ort;
  private readonly session: InferenceSession;
  private dimCache: number | undefined;

  private constructor(ort: Ort, session: InferenceSession, opts: EmbedModelOptions, inputName: string, outputName: string) {
    this.ort = ort;
    this.session = session;
    this.opts = opts;
    this.inputName = inputName;
    this.outputName = outputName;
  }

  /**
   * Loads `modelFile`; checks that the input and output names exist and that a fixed input shape agrees with
   * `opts.size` and `opts.layout`. `threads` = onnxruntime intra-op threads.
   */
  static async load(modelFile: string, opts: EmbedModelOptions, threads = 2): Promise<ImageEmbedder> {
    if (!existsSync(modelFile)) throw new TailorError('DATA_NOT_FOUND', 'model file does not exist', { file: modelFile });
    const ort = (await import('onnxruntime-node')).default as unknown as Ort;
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(modelFile, { intraOpNumThreads: threads, interOpNumThreads: 1 });
    } catch (err) {
      throw new TailorError('DATA_FORMAT', `not a loadable ONNX model: ${(err as Error).message}`, { file: modelFile }, {}, { cause: err });
    }
    const inputName = opts.input ?? session.inputNames[0];
    const outputName = opts.output ?? session.outputNames[0];
    if (!session.inputNames.includes(inputName))
      throw new TailorError('CONFIG_INVALID', `model has no input "${inputName}" (inputs: ${session.inputNames.join(', ')})`, {
        file: modelFile,
        field: 'input',
      });
    if (!session.outputNames.includes(outputName))
      throw new TailorError(
        'CONFIG_INVALID',
        `model has no output "${outputName}" (outputs: ${session.outputNames.join(', ')}); an intermediate tensor must be added as a graph output first (docs/images.md)`,
        { file: modelFile, field: 'output' },
      );
    const meta = session.inputMetadata.find((m) => m.name === inputName);
    if (meta?.isTensor) {
      const shape = meta.shape;
      const expect = opts.layout === 'nchw' ? [3, opts.size, opts.size] : [opts.size, opts.size, 3];
      const fixed = shape.slice(1).every((v) => typeof v === 'number');
      if (shape.length !== 4 || (fixed && shape.slice(1).some((v, i) => v !== expect[i])))
        throw new TailorError(
          'CONFIG_INVALID',
          `model input "${inputName}" has shape [${shape.join(',')}], the options give [N,${expect.join(',')}] (check size and layout)`,
          { file: modelFile, field: 'size' },
        );
    }
    return new ImageEmbedder(ort, session, opts, inputName, outputName);
  }

  /** The embedding length, known after the first batch (undefined before). */
  get dim(): number | undefined {
    return this.dimCache;
  }

  /** Embeds decoded images (each size·size·3 RGB bytes) in one model run; returns an n×d matrix. */
  async embed(images: readonly Uint8Array[]): Promise<Matrix> {
    const n = images.length;
    const s = this.opts.size;
    const x = new Float32Array(n * 3 * s * s);
    for (let i = 0; i < n; i++) writeNormalised(images[i], this.opts, x, i);
    const shape = this.opts.layout === 'nchw' ? [n, 3, s, s] : [n, s, s, 3];
    const feeds = { [this.inputName]: new this.ort.Tensor('float32', x, shape) };
    const res = await this.session.run(feeds, [this.outputName]);
    const t = res[this.outputName];
    if (t.type !== 'float32')
      throw new TailorError('CONFIG_INVALID', `output "${this.outputName}" is ${t.type}, expected float32`, { field: 'output' });
    const dims = t.dims as readonly number[];
    const d = pooledDim(dims, this.opts);
    const out = new Float32Array(n * d);
    poolOutput(t.data as Float32Array, dims, this.opts, out);
    t.dispose?.();
    const m: Matrix = { rows: n, cols: d, data: out };
    if (this.opts.l2) normalizeRows(m);
    this.dimCache = d;
    return m;
  }

  /** Frees the native session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}
