import type { InteractionType } from '../../core/types.js';
import { detach } from '../id-dictionary.js';

/** How timestamps are written: epoch seconds, epoch milliseconds, an ISO-8601 date/time, or `auto` (numbers below 1e11 are seconds). */
export type TimestampUnit = 's' | 'ms' | 'iso' | 'auto';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses a timestamp to epoch milliseconds, or returns undefined when it is not one. A date or date-time without a
 * zone is read as UTC (so `2020-09-22` is that day's 00:00 UTC whatever the machine's zone).
 */
export function parseTimestamp(raw: unknown, unit: TimestampUnit): number | undefined {
  if (typeof raw === 'bigint') raw = Number(raw);
  if (raw instanceof Date) return Number.isFinite(raw.getTime()) ? raw.getTime() : undefined;
  if (typeof raw === 'number') return fromNumber(raw, unit);
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s === '') return undefined;
  if (unit !== 'iso' && /^-?\d+(?:\.\d+)?$/.test(s)) return fromNumber(Number(s), unit);
  if (unit === 's' || unit === 'ms') return undefined;
  if (!ISO_DATE.test(s)) return undefined;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(s) && s.length > 10;
  const t = Date.parse(hasZone ? s : s.length === 10 ? `${s}T00:00:00Z` : `${s.replace(' ', 'T')}Z`);
  return Number.isFinite(t) ? t : undefined;
}

function fromNumber(n: number, unit: TimestampUnit): number | undefined {
  if (!Number.isFinite(n) || unit === 'iso') return undefined;
  const ms = unit === 's' || (unit === 'auto' && Math.abs(n) < 1e11) ? n * 1000 : n;
  // Before 1990 or after 2100 is a unit mistake or garbage, not a shop event.
  return ms >= 631152000000 && ms < 4102444800000 ? ms : undefined;
}

/**
 * Behaviour names understood without configuration: the four types themselves and the usual names in public data
 * sets (Taobao pv/fav/cart/buy, RetailRocket view/addtocart/transaction). Matching ignores case.
 */
export const DEFAULT_BEHAVIOURS: Readonly<Record<string, InteractionType>> = {
  click: 'click',
  view: 'click',
  pv: 'click',
  favorite: 'favorite',
  favourite: 'favorite',
  fav: 'favorite',
  like: 'favorite',
  wishlist: 'favorite',
  cart: 'cart',
  addtocart: 'cart',
  add_to_cart: 'cart',
  purchase: 'purchase',
  buy: 'purchase',
  transaction: 'purchase',
  order: 'purchase',
};

/** A case-insensitive behaviour lookup: `custom` names first, then (unless `strict`) the defaults. */
export function behaviourMapper(custom?: Record<string, InteractionType>, strict = false): (name: string) => InteractionType | undefined {
  const table = new Map<string, InteractionType>();
  if (!strict) for (const [k, v] of Object.entries(DEFAULT_BEHAVIOURS)) table.set(k, v);
  if (custom) for (const [k, v] of Object.entries(custom)) table.set(k.toLowerCase(), v);
  return (name) => table.get(name) ?? table.get(name.trim().toLowerCase());
}

/** A scalar field value as a trimmed string ('' for missing). */
export function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim();
  return String(v);
}

/** A string pool: equal attribute values share one detached copy (a colour name is stored once, not once per item). */
export function stringPool(): (s: string) => string {
  const pool = new Map<string, string>();
  return (s) => {
    let v = pool.get(s);
    if (v === undefined) {
      v = detach(s);
      pool.set(v, v);
    }
    return v;
  };
}
