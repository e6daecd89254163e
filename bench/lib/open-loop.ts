import { Worker } from 'node:worker_threads';

/** What the open-loop generator offers: a paced mix of recommendation reads and event writes. */
export interface OpenLoopOptions {
  url: string;
  /** Offered requests a second (request i is due at i / rate s, answered or not). */
  rate: number;
  seconds: number;
  /** Keep-alive connections, one request in flight on each. */
  connections: number;
  /** Shoppers `u0 … u<users-1>` and catalogue ids to draw from. */
  users: number;
  items: string[];
  /** Every `writeEvery`-th request is a POST /v1/events (10: 90 % reads, 10 % writes). */
  writeEvery: number;
  seed: number;
}

/** The generator thread's raw measurements (latencies in ms from each request's due time; NaN = never answered). */
export interface OpenLoopRaw {
  total: number;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsed: number;
  maxQueue: number;
  latency: Float64Array;
  sendLag: Float64Array;
  loopDelayP99: number;
  loopDelayMax: number;
}

/** Summary of an open-loop run; latencies in ms, end to end from the due time to the last response byte. */
export interface OpenLoopResult {
  offered: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  /** p99 of (send time − due time): how late the generator itself was, queueing for a free connection included. */
  sendLagP99: number;
  /** The generator thread's own event-loop delay (p99, max): its timers firing late. */
  genLoopP99: number;
  genLoopMax: number;
  maxQueue: number;
  non2xx: number;
  errors: number;
}

/** The q-quantile of `xs` (NaN counts as +∞: an unanswered request is slower than any answered one). */
export function quantile(xs: Float64Array, q: number): number {
  const s = Float64Array.from(xs, (x) => (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x)).sort();
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x);

/**
 * Runs the open-loop generator (bench/lib/open-loop-worker.ts) in a worker thread and summarises it. Unlike a
 * closed-loop tool, a slow answer does not delay the next request's due time, so queueing shows in the latencies.
 */
export function openLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const worker = new Worker(new URL('./open-loop-worker.js', import.meta.url), { workerData: opts });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: { log?: string; result?: OpenLoopRaw }) => {
      if (m.log) process.stderr.write(`open-loop: ${m.log}\n`);
      if (!m.result) return;
      const r = m.result;
      void worker.terminate();
      resolve({
        offered: opts.rate,
        rps: Math.round(r.completed / r.elapsed),
        p50: round(quantile(r.latency, 0.5)),
        p90: round(quantile(r.latency, 0.9)),
        p99: round(quantile(r.latency, 0.99)),
        p999: round(quantile(r.latency, 0.999)),
        max: round(quantile(r.latency, 1)),
        sendLagP99: round(quantile(r.sendLag, 0.99)),
        genLoopP99: round(r.loopDelayP99),
        genLoopMax: round(r.loopDelayMax),
        maxQueue: r.maxQueue,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`open-loop generator exited with ${code}`));
    });
  });
}
