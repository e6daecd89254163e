import cliProgress from 'cli-progress';

/**
 * A progress bar for long jobs (bar, rate, ETA and free-form fields such as loss), drawn on stderr only
 * when it is a terminal; otherwise a line every few seconds so logs stay readable.
 */
export interface Progress {
  update(done: number, fields?: Record<string, string | number>): void;
  increment(by?: number, fields?: Record<string, string | number>): void;
  stop(): void;
}

/** Starts a progress bar titled `title` for `total` units of `unit`. `quiet` disables all output. */
export function startProgress(title: string, total: number, opts: { unit?: string; quiet?: boolean; fields?: string[] } = {}): Progress {
  const unit = opts.unit ?? 'it';
  const extra = (opts.fields ?? []).map((f) => ` | ${f} {${f}}`).join('');
  if (opts.quiet || process.env.NODE_ENV === 'test') return { update() {}, increment() {}, stop() {} };
  if (!process.stderr.isTTY) {
    let done = 0;
    let last = 0;
    const t0 = Date.now();
    const print = (fields?: Record<string, string | number>) => {
      const s = (Date.now() - t0) / 1000;
      const rate = done / Math.max(s, 1e-9);
      const eta = rate > 0 ? (total - done) / rate : 0;
      const f = fields
        ? ` ${Object.entries(fields)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : '';
      process.stderr.write(`${title}: ${done}/${total} ${unit} (${rate.toFixed(1)} ${unit}/s, eta ${eta.toFixed(0)}s)${f}\n`);
    };
    return {
      update(d, fields) {
        done = d;
        if (Date.now() - last > 3000 || done >= total) {
          last = Date.now();
          print(fields);
        }
      },
      increment(by = 1, fields) {
        this.update(done + by, fields);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${title} [{bar}] {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}${extra}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const t0 = Date.now();
  let value = 0;
  bar.start(total, 0, { speed: '0' });
  const speed = () => (value / Math.max((Date.now() - t0) / 1000, 1e-9)).toFixed(1);
  return {
    update(d, fields) {
      value = d;
      bar.update(d, { ...fields, speed: speed() });
    },
    increment(by = 1, fields) {
      value += by;
      bar.update(value, { ...fields, speed: speed() });
    },
    stop() {
      bar.stop();
    },
  };
}
