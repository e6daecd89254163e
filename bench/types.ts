/** What every benchmark returns: a named table of rows (one per configuration) and free-form notes. */
export interface BenchResult {
  name: string;
  rows: Array<Record<string, string | number>>;
  notes?: string[];
}

/** Options every benchmark accepts: `quick` shrinks sizes so a smoke run takes seconds. */
export interface BenchOptions {
  quick: boolean;
}

export type BenchModule = { run: (opts: BenchOptions) => Promise<BenchResult> };
