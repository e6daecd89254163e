import { TailorError } from '../core/errors.js';
import { hashString, Rng } from '../core/rng.js';
import type { TimeWindow } from '../core/types.js';
import type { EventLog } from '../events/event-log.js';

/** Milliseconds in a day. */
export const DAY_MS = 24 * 3600 * 1000;

/** One train/test split of a log in time (SPEC §7): the model learns from `train`, the harness replays `test`. */
export interface TemporalSplit {
  trainWindow: TimeWindow;
  testWindow: TimeWindow;
  train: EventLog;
  test: EventLog;
}

/**
 * Splits a time-sorted log into a training window of `trainDays` starting at `start` (default: the first event)
 * and the test window right after it, `testDays` long (default: everything after the training window).
 */
export function temporalSplit(log: EventLog, opts: { trainDays: number; testDays?: number; start?: number }): TemporalSplit {
  const range = log.timeRange();
  if (!range) throw new TailorError('DATA_FORMAT', 'cannot split an empty event log', { field: 'events' });
  const start = opts.start ?? range.start;
  const trainWindow = { start, end: start + opts.trainDays * DAY_MS };
  const testEnd = opts.testDays === undefined ? range.end + 1 : trainWindow.end + opts.testDays * DAY_MS;
  const testWindow = { start: trainWindow.end, end: testEnd };
  const train = log.window(trainWindow);
  const test = log.window(testWindow);
  if (train.length === 0)
    throw new TailorError('DATA_FORMAT', `the training window [${iso(start)}, ${iso(trainWindow.end)}) holds no events`);
  return { trainWindow, testWindow, train, test };
}

/**
 * Start times of up to `count` training windows of `trainDays` each followed by `testDays` of test, drawn at
 * random (seeded) among day-aligned starts that fit in the log's span, sorted; always at least the first one.
 * "Repeat over 3 random training weeks where the data allows" (SPEC §7).
 */
export function trainingStarts(log: EventLog, opts: { trainDays: number; testDays: number; count: number; seed?: number }): number[] {
  const range = log.timeRange();
  if (!range) return [];
  const first = range.start;
  const needed = (opts.trainDays + opts.testDays) * DAY_MS;
  const slots = Math.floor((range.end + 1 - first - needed) / DAY_MS);
  if (slots <= 0 || opts.count <= 1) return [first];
  const all = Array.from({ length: slots + 1 }, (_, i) => first + i * DAY_MS);
  const rng = new Rng(opts.seed ?? 42);
  rng.shuffle(all);
  return all.slice(0, Math.min(opts.count, all.length)).sort((a, b) => a - b);
}

/**
 * User-based split (for validation and tuning): every user lands in the validation set with probability
 * `fraction`, decided by a seeded hash of the user id, so the same user is on the same side in every log.
 */
export function isValidationUser(userId: string, fraction: number, seed = 42): boolean {
  return (hashString(`${seed}:${userId}`) % 10000) / 10000 < fraction;
}

/** Keeps only the events of validation users (`validation` true) or of the other users (false). */
export function splitUsers(log: EventLog, opts: { fraction: number; seed?: number; validation: boolean }): EventLog {
  const memo = new Map<number, boolean>();
  return log.filter((row) => {
    const u = log.userAt(row);
    let v = memo.get(u);
    if (v === undefined) {
      v = isValidationUser(log.users.id(u), opts.fraction, opts.seed);
      memo.set(u, v);
    }
    return v === opts.validation;
  });
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/**
 * Splits a time-sorted log by position: the first `fraction` of events train, the rest is the test stream. For
 * logs whose timestamps have no resolution inside the period (the H&M fixture: one day, dates only), where a split
 * in time is impossible; file order then stands for time order.
 */
export function orderSplit(log: EventLog, fraction: number): TemporalSplit {
  if (!(fraction > 0 && fraction < 1))
    throw new TailorError('CONFIG_INVALID', `train fraction must be in (0, 1), got ${fraction}`, { field: 'trainFraction' });
  const cut = Math.floor(log.length * fraction);
  if (cut === 0 || cut === log.length) throw new TailorError('DATA_FORMAT', `cannot split ${log.length} events by order at ${fraction}`);
  const train = log.filter((r) => r < cut);
  const test = log.filter((r) => r >= cut);
  const range = log.timeRange()!;
  const mid = log.timeAt(cut);
  return { trainWindow: { start: range.start, end: mid + 1 }, testWindow: { start: mid, end: range.end + 1 }, train, test };
}
