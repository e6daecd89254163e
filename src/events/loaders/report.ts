import { type ErrorCode, TailorError } from '../../core/errors.js';

/** What to do with a bad row: `stop` throws at the first one (what was loaded stays reachable), `skip` counts and goes on. */
export type BadRowPolicy = 'stop' | 'skip';

/** Why a row was not accepted. `filtered` rows are valid but outside a requested window (not errors). */
export type SkipReason = 'parse' | 'field' | 'behaviour' | 'timestamp' | 'duplicate' | 'unknown-item' | 'filtered';

/** One bad row, as reported: the file, the 1-based line, the field and what was wrong. */
export interface RowProblem {
  code: ErrorCode;
  reason: SkipReason;
  file: string;
  line: number;
  field?: string;
  value?: string;
  message: string;
}

/** The outcome of loading one data set: counts per file and per reason, and the first problems with their place. */
export interface LoadReport {
  format: string;
  files: string[];
  /** Data rows read (header lines excluded), over all files. */
  rowsRead: number;
  /** Rows turned into events or items. */
  accepted: number;
  /** Rows not accepted, all reasons together (including `filtered`). */
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  /** The first `maxErrors` problems (all reasons except `filtered`). */
  errors: RowProblem[];
  events: number;
  items: number;
  users: number;
  /** How many items got their content vector from a file, and how many from the documented fallback. */
  vectors: { dim: number; fromFile: number; derived: number; method: string };
  elapsedMs: number;
  rowsPerSecond: number;
}

/** Collects counts and problems while a loader runs, and applies the bad-row policy. */
export class ReportBuilder {
  readonly files: string[] = [];
  rowsRead = 0;
  accepted = 0;
  readonly skippedByReason: Partial<Record<SkipReason, number>> = {};
  readonly errors: RowProblem[] = [];
  private readonly t0 = performance.now();

  constructor(
    readonly format: string,
    readonly policy: BadRowPolicy = 'stop',
    readonly maxErrors = 20,
  ) {}

  /** Counts a row outside the requested window; never an error. */
  filtered(): void {
    this.skippedByReason.filtered = (this.skippedByReason.filtered ?? 0) + 1;
  }

  /**
   * Records a bad row. Under `stop` it throws a TailorError naming file, line and field, whose
   * non-enumerable `details.partial` is filled by `partial()` so nothing already loaded is lost.
   */
  bad(problem: RowProblem, partial?: () => unknown): void {
    this.skippedByReason[problem.reason] = (this.skippedByReason[problem.reason] ?? 0) + 1;
    if (this.errors.length < this.maxErrors) this.errors.push(problem);
    if (this.policy === 'stop') {
      const details: Record<string, unknown> = { reason: problem.reason, rowsRead: this.rowsRead, accepted: this.accepted };
      // Non-enumerable: kept out of the error's JSON body (it can hold millions of rows) but reachable by callers.
      if (partial) Object.defineProperty(details, 'partial', { value: partial(), enumerable: false });
      throw new TailorError(
        problem.code,
        problem.message,
        { file: problem.file, line: problem.line, field: problem.field, value: problem.value },
        details,
      );
    }
  }

  /** Total rows not accepted. */
  get skipped(): number {
    let s = 0;
    for (const v of Object.values(this.skippedByReason)) s += v ?? 0;
    return s;
  }

  /** The finished report. */
  finish(extra: { events: number; items: number; users: number; vectors: LoadReport['vectors'] }): LoadReport {
    const elapsedMs = performance.now() - this.t0;
    return {
      format: this.format,
      files: [...this.files],
      rowsRead: this.rowsRead,
      accepted: this.accepted,
      skipped: this.skipped,
      skippedByReason: { ...this.skippedByReason },
      errors: [...this.errors],
      ...extra,
      elapsedMs,
      rowsPerSecond: elapsedMs > 0 ? (this.rowsRead / elapsedMs) * 1000 : 0,
    };
  }
}

/** The partial result attached (non-enumerably) to a `stop` error: `err.details.partial`. */
export function partialOf<T>(err: TailorError): T | undefined {
  return (err.details as { partial?: T }).partial;
}
