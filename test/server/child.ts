import { type ServeChild, spawnServe as spawnServeWith, stopServe } from '../../src/cli/spawn-serve.js';

/** A `tailor serve` child process and the URL it printed. */
export type Child = ServeChild;

/** Starts `tailor serve` with `args` and the test environment (inline adaptation every 2 events, no API keys). */
export function spawnServe(args: string[], env: Record<string, string> = {}): Promise<Child> {
  return spawnServeWith(args, { NODE_ENV: 'test', TAILOR_WORKERS: '0', TAILOR_ADAPT_EVERY: '2', TAILOR_API_KEYS: '', ...env });
}

/** Ends a child: SIGKILL (a crash) or SIGTERM (a clean stop); resolves when it has exited. */
export const stop = stopServe;

/** JSON request helper. */
export async function call(
  url: string,
  method = 'GET',
  body?: unknown,
): Promise<{
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field
  json: any;
}> {
  const r = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

/** Polls `fn` until it returns a truthy value (at most `ms`). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
