/**
 * The fixed vocabulary of the synthetic fashion world: garment types (with the outfit slot they fill, the
 * departments that sell them and a base price), colours, patterns, departments and style names.
 */

/** Where a garment goes in an outfit; an outfit takes at most one item per slot. */
export type OutfitSlot = 'top' | 'bottom' | 'full' | 'outer' | 'shoes' | 'accessory';

export const DEPARTMENTS = ['women', 'men', 'kids'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export interface GarmentType {
  name: string;
  slot: OutfitSlot;
  /** Indices into DEPARTMENTS that sell this type. */
  departments: readonly number[];
  /** Typical price in the shop's currency before style and item noise. */
  basePrice: number;
  /** Relative share of the catalogue. */
  share: number;
}

export const GARMENT_TYPES: readonly GarmentType[] = [
  { name: 't-shirt', slot: 'top', departments: [0, 1, 2], basePrice: 12, share: 10 },
  { name: 'shirt', slot: 'top', departments: [0, 1, 2], basePrice: 30, share: 7 },
  { name: 'blouse', slot: 'top', departments: [0], basePrice: 35, share: 5 },
  { name: 'sweater', slot: 'top', departments: [0, 1, 2], basePrice: 40, share: 7 },
  { name: 'hoodie', slot: 'top', departments: [0, 1, 2], basePrice: 45, share: 5 },
  { name: 'jeans', slot: 'bottom', departments: [0, 1, 2], basePrice: 50, share: 7 },
  { name: 'trousers', slot: 'bottom', departments: [0, 1, 2], basePrice: 45, share: 7 },
  { name: 'shorts', slot: 'bottom', departments: [0, 1, 2], basePrice: 25, share: 4 },
  { name: 'skirt', slot: 'bottom', departments: [0, 2], basePrice: 35, share: 5 },
  { name: 'dress', slot: 'full', departments: [0, 2], basePrice: 55, share: 8 },
  { name: 'jumpsuit', slot: 'full', departments: [0], basePrice: 60, share: 2 },
  { name: 'jacket', slot: 'outer', departments: [0, 1, 2], basePrice: 80, share: 5 },
  { name: 'coat', slot: 'outer', departments: [0, 1], basePrice: 120, share: 3 },
  { name: 'sneakers', slot: 'shoes', departments: [0, 1, 2], basePrice: 70, share: 5 },
  { name: 'boots', slot: 'shoes', departments: [0, 1], basePrice: 110, share: 3 },
  { name: 'heels', slot: 'shoes', departments: [0], basePrice: 75, share: 2 },
  { name: 'bag', slot: 'accessory', departments: [0, 1], basePrice: 60, share: 3 },
  { name: 'hat', slot: 'accessory', departments: [0, 1, 2], basePrice: 20, share: 2 },
  { name: 'scarf', slot: 'accessory', departments: [0, 1], basePrice: 22, share: 2 },
];

export interface Colour {
  name: string;
  hex: string;
}

export const COLOURS: readonly Colour[] = [
  { name: 'black', hex: '#1a1a1a' },
  { name: 'white', hex: '#f4f4f0' },
  { name: 'grey', hex: '#8c8c8c' },
  { name: 'navy', hex: '#1f2a44' },
  { name: 'blue', hex: '#3a6fb0' },
  { name: 'light blue', hex: '#9cc3e6' },
  { name: 'red', hex: '#c0392b' },
  { name: 'burgundy', hex: '#6d1a2a' },
  { name: 'pink', hex: '#f2a7c3' },
  { name: 'orange', hex: '#e67e22' },
  { name: 'yellow', hex: '#f1c40f' },
  { name: 'green', hex: '#2e8b57' },
  { name: 'olive', hex: '#6b7b3a' },
  { name: 'beige', hex: '#d9c8a9' },
  { name: 'brown', hex: '#7b4a2d' },
  { name: 'purple', hex: '#7d3c98' },
];

export const PATTERNS = ['solid', 'striped', 'checked', 'dotted', 'floral', 'graphic', 'animal'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** Names of the latent style clusters; worlds with more styles than names use `style-<n>` for the rest. */
export const STYLE_NAMES: readonly string[] = [
  'minimal',
  'street',
  'boho',
  'classic',
  'sporty',
  'preppy',
  'grunge',
  'romantic',
  'workwear',
  'vintage',
  'punk',
  'coastal',
  'glam',
  'athleisure',
  'western',
  'y2k',
  'gothic',
  'cottagecore',
  'techwear',
  'mod',
  'safari',
  'nautical',
  'avant-garde',
  'utility',
];

/** Display name of style `s`. */
export function styleName(s: number): string {
  return s < STYLE_NAMES.length ? STYLE_NAMES[s] : `style-${s}`;
}

/** Index of a garment type by name, or -1. */
export function garmentTypeIndex(name: string): number {
  return GARMENT_TYPES.findIndex((t) => t.name === name);
}
