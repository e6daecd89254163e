/** Product images → content vectors (SPEC §1 x_i) with an ONNX image model; see docs/images.md. Vectors are written with
 * the catalogue's `writeItemVectors` (src/catalogue/npy.ts). */

export { embedFolder } from './embed-folder.js';
export { type EmbedRunOptions, type EmbedRunResult, embedImages, type ImageEntry, type ImageFailure, listImages } from './embed-images.js';
export { ImageEmbedder } from './embedder.js';
export { type AgreementReport, neighbourAgreement, neighbourAgreementAt, neighbourAgreementTf } from './neighbour-agreement.js';
export {
  type EmbedModelOptions,
  IMAGENET_MEAN,
  IMAGENET_STD,
  PRESETS,
  parseTriple,
  resolveModelOptions,
  TORCHVISION_224,
} from './options.js';
export { pooledDim, poolOutput } from './pooling.js';
export { decodeImage, IMAGE_EXTENSIONS, writeNormalised } from './preprocess.js';
