/** The data model shared by every stage (SPEC §1). */

/** The four interaction types, in funnel order; their index is the compact type code stored in logs. */
export const INTERACTION_TYPES = ['click', 'favorite', 'cart', 'purchase'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** Compact code of each type (0..3), as stored in columnar logs. */
export const TYPE_CODE: Readonly<Record<InteractionType, number>> = { click: 0, favorite: 1, cart: 2, purchase: 3 };

/** Per-type weights w(type) (SPEC §1); used by the EMA, the adaptation centroid (eq. 6) and the step schedule. */
export type TypeWeights = Readonly<Record<InteractionType, number>>;
export const DEFAULT_TYPE_WEIGHTS: TypeWeights = { click: 1, favorite: 2, cart: 3, purchase: 4 };

/** True when `s` names an interaction type. */
export function isInteractionType(s: unknown): s is InteractionType {
  return typeof s === 'string' && (INTERACTION_TYPES as readonly string[]).includes(s);
}

/** One shopper action. `timestamp` is milliseconds since the Unix epoch. */
export interface Interaction {
  user: string;
  item: string;
  type: InteractionType;
  timestamp: number;
}

/** A half-open time window [start, end) in epoch milliseconds. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** Attribute values of one item (garment type, colour, department, price, name, …). */
export type ItemAttributes = Record<string, string | number>;

/** One product as the outside world describes it (API input, loaders' output before columnarisation). */
export interface ItemRecord {
  id: string;
  vector?: Float32Array;
  attributes?: ItemAttributes;
  inStock?: boolean;
}
