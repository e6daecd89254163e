import { TailorError } from '../core/errors.js';

/**
 * Every knob of the synthetic fashion world, with its default. The defaults give ~12k items, 20k shoppers
 * and about 1.3 M events over 4 weeks: big enough to train the whole pipeline, small enough for 2 CPU cores.
 * docs/synthetic.md explains each one.
 */
export interface WorldParams {
  /** Seed of every random choice: the same params give the same world, bit for bit. */
  seed: number;
  /** Catalogue size (1 … 200,000; the paper's shop has ~105k). */
  items: number;
  /** Number of shoppers (1 … 1,000,000); every one has at least one session. */
  users: number;
  /** Length of the simulated period in weeks (1 … 52). */
  weeks: number;
  /** Content vector dimension D (the paper: ResNet-18, 512). */
  dim: number;
  /** Number of latent style clusters. */
  styles: number;
  /** First instant of the period, epoch ms (default Monday 2026-01-05 00:00 UTC). */
  startTime: number;
  /** Mean sessions per shopper per week (scaled by each shopper's activity level). */
  sessionsPerWeek: number;
  /** Mean product views (clicks) per session. */
  viewsPerSession: number;
  /** Fraction of the catalogue arriving during the period (new arrivals; no events before arrival). */
  newArrivalFraction: number;
  /** Fraction of the catalogue that sells out at some point during the period. */
  stockOutFraction: number;
  /** Fraction of the catalogue that belongs to a planted outfit (items bought together across garment types). */
  outfitFraction: number;
  /** Expected taste changes per shopper per week (one taste mode replaced by another style). */
  driftPerWeek: number;
  /** Standard deviation of the isotropic noise added to content vectors, relative to the signal's norm. */
  vectorNoise: number;
}

export const DEFAULT_WORLD_PARAMS: Readonly<WorldParams> = {
  seed: 42,
  items: 12_000,
  users: 20_000,
  weeks: 4,
  dim: 512,
  styles: 24,
  startTime: Date.UTC(2026, 0, 5),
  sessionsPerWeek: 1.6,
  viewsPerSession: 8,
  newArrivalFraction: 0.1,
  stockOutFraction: 0.06,
  outfitFraction: 0.3,
  driftPerWeek: 0.25,
  vectorNoise: 0.6,
};

const LIMITS: Record<keyof WorldParams, [number, number, boolean]> = {
  // [min, max, integer]
  seed: [0, 2 ** 32 - 1, true],
  items: [20, 200_000, true],
  users: [1, 1_000_000, true],
  weeks: [1, 52, true],
  dim: [8, 4096, true],
  styles: [2, 256, true],
  startTime: [0, 8.64e15, false],
  sessionsPerWeek: [0, 50, false],
  viewsPerSession: [1, 100, false],
  newArrivalFraction: [0, 0.9, false],
  stockOutFraction: [0, 0.9, false],
  outfitFraction: [0, 1, false],
  driftPerWeek: [0, 10, false],
  vectorNoise: [0, 10, false],
};

/** Fills in defaults and checks every value; a bad one throws CONFIG_INVALID naming the field. */
export function resolveWorldParams(params: Partial<WorldParams> = {}): WorldParams {
  const out = { ...DEFAULT_WORLD_PARAMS };
  for (const [key, value] of Object.entries(params) as [keyof WorldParams, unknown][]) {
    if (value === undefined) continue;
    const lim = LIMITS[key];
    if (!lim) throw new TailorError('CONFIG_INVALID', `unknown world parameter "${key}"`, { field: key });
    const [min, max, integer] = lim;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value)))
      throw new TailorError(
        'CONFIG_INVALID',
        `world parameter ${key} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${String(value)}`,
        { field: key, value },
      );
    out[key] = value;
  }
  return out;
}
