import { TailorError } from '../core/errors.js';

/**
 * How an image model wants its input and where its embedding comes from. Every field is a documented
 * option of `tailor embed` (docs/images.md); presets fill them for the models we ship instructions for.
 */
export interface EmbedModelOptions {
  /** Square input side in pixels (the model's H = W). */
  size: number;
  /** How the picture is fitted into size×size: 'crop' = resize the shorter side to `resizeShorter`, then centre-crop
   * (torchvision's eval transform); 'contain' = letterbox the whole picture on `background`; 'stretch' = ignore aspect. */
  fit: 'crop' | 'contain' | 'stretch';
  /** Shorter side before the centre crop (fit 'crop'); torchvision uses 256 for 224. */
  resizeShorter: number;
  /** Letterbox colour for fit 'contain' and the colour transparent pixels are flattened onto, r,g,b 0..255 (white suits product photos). */
  background: [number, number, number];
  /** Per-channel mean and std applied after scaling pixels by `scale` (RGB order). */
  mean: [number, number, number];
  std: [number, number, number];
  /** Pixel scale before normalisation: 1/255 for torchvision models, 1 for models that take raw 0..255. */
  scale: number;
  /** Input tensor layout. */
  layout: 'nchw' | 'nhwc';
  /** Input tensor name; undefined = the model's first input. */
  input?: string;
  /** Output (or intermediate, exposed as a graph output) tensor name; undefined = the model's first output. */
  output?: string;
  /** How a feature map becomes one vector: rank-4 [N,C,H,W] (or [N,H,W,C] with outputLayout 'nhwc') and rank-3 [N,T,C]
   * are pooled by 'mean' or 'max' over the spatial/token axes, 'cls' takes token 0; 'none' flattens everything after N. */
  pool: 'mean' | 'max' | 'cls' | 'none';
  /** Axis order of a rank-4 output. */
  outputLayout: 'nchw' | 'nhwc';
  /** Scale each vector to unit L2 norm (makes Euclidean k-NN equal cosine ranking). */
  l2: boolean;
}

/** ImageNet statistics used by every torchvision model. */
export const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];

/** torchvision eval transform for 224-pixel models (ResNet-18, MobileNetV2, …). */
export const TORCHVISION_224: EmbedModelOptions = {
  size: 224,
  fit: 'crop',
  resizeShorter: 256,
  background: [255, 255, 255],
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
  scale: 1 / 255,
  layout: 'nchw',
  pool: 'mean',
  outputLayout: 'nchw',
  l2: true,
};

/**
 * Named presets: `mobilenetv2` reads tensor 627 of the shared feat627 model and letterboxes the whole photo (fit
 * 'contain': on the 11,800 H&M photos 1-NN type agreement 0.703 vs 0.686 with torchvision's centre crop, which cuts
 * the top and bottom of portrait product shots); `resnet18` reads a torchvision ResNet-18 export.
 */
export const PRESETS: Record<string, Partial<EmbedModelOptions>> = {
  torchvision: {},
  mobilenetv2: { output: '627', pool: 'mean', fit: 'contain' },
  resnet18: { pool: 'none' },
};

/** The options for `preset` (default torchvision 224) with `overrides` applied; validates every field. */
export function resolveModelOptions(preset = 'torchvision', overrides: Partial<EmbedModelOptions> = {}): EmbedModelOptions {
  const p = PRESETS[preset];
  if (!p)
    throw new TailorError('CONFIG_INVALID', `unknown preset "${preset}" (known: ${Object.keys(PRESETS).join(', ')})`, { field: 'preset' });
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const o: EmbedModelOptions = { ...TORCHVISION_224, ...p, ...defined };
  const bad = (field: string, why: string) =>
    new TailorError('CONFIG_INVALID', why, { field, value: (o as unknown as Record<string, unknown>)[field] });
  if (!Number.isInteger(o.size) || o.size < 8 || o.size > 4096) throw bad('size', 'size must be an integer in 8..4096');
  if (!Number.isInteger(o.resizeShorter) || o.resizeShorter < o.size) throw bad('resizeShorter', 'resizeShorter must be an integer ≥ size');
  if (!['crop', 'contain', 'stretch'].includes(o.fit)) throw bad('fit', 'fit must be crop, contain or stretch');
  if (!['nchw', 'nhwc'].includes(o.layout)) throw bad('layout', 'layout must be nchw or nhwc');
  if (!['nchw', 'nhwc'].includes(o.outputLayout)) throw bad('outputLayout', 'outputLayout must be nchw or nhwc');
  if (!['mean', 'max', 'cls', 'none'].includes(o.pool)) throw bad('pool', 'pool must be mean, max, cls or none');
  for (const k of ['mean', 'std', 'background'] as const) {
    const v = o[k];
    if (!Array.isArray(v) || v.length !== 3 || v.some((x) => !Number.isFinite(x))) throw bad(k, `${k} must be three numbers (r,g,b)`);
  }
  if (o.std.some((x) => x === 0)) throw bad('std', 'std must not contain 0');
  if (!(o.scale > 0)) throw bad('scale', 'scale must be positive');
  return o;
}

/** Parses "a,b,c" into three numbers, naming `field` when it is not. */
export function parseTriple(s: string, field: string): [number, number, number] {
  const parts = s.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
    throw new TailorError('CONFIG_INVALID', `expected three comma-separated numbers, got "${s}"`, { field });
  return [parts[0], parts[1], parts[2]];
}
