/** The synthetic fashion world: a seeded catalogue, shoppers and their events, with the planted truth. */
export { generateItems, type StyleProfiles, type SyntheticItems } from './items.js';
export { DEFAULT_WORLD_PARAMS, resolveWorldParams, type WorldParams } from './params.js';
export { MAX_MODES, outOfStock, type ShopperTruth, shopperStyles, userId } from './shoppers.js';
export { thumbnailSvg } from './thumbnail.js';
export { COLOURS, DEPARTMENTS, GARMENT_TYPES, PATTERNS, STYLE_NAMES, styleName } from './vocabulary.js';
export { generateWorld, summarizeWorld, type World, type WorldProgress, type WorldSummary, type WorldTruth } from './world.js';
export {
  csvField,
  ITEM_COLUMNS,
  prepareOutputDir,
  WORLD_FORMAT_VERSION,
  type WriteWorldOptions,
  writeWorld,
} from './write-world.js';
