import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/core/paths.js';

/** A `tailor serve` child process and the URL it printed. */
export interface Child {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
}

/** Starts `tailor serve` with `args`; resolves once it prints its URL (rejects when it exits first). */
export function spawnServe(args: string[], env: Record<string, string> = {}): Promise<Child> {
  const proc = spawn(process.execPath, [join(projectRoot(), 'bin', 'tailor.js'), 'serve', '--port', '0', '--no-storefront', ...args], {
    env: { ...process.env, NODE_ENV: 'test', TAILOR_WORKERS: '0', TAILOR_ADAPT_EVERY: '2', TAILOR_API_KEYS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr?.on('data', (d) => {
    err += String(d);
  });
  return new Promise((resolve, reject) => {
    proc.stdout?.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ proc, url: m[1], stderr: () => err });
    });
    proc.once('exit', (code) => reject(new Error(`tailor serve exited with ${code}: ${err.slice(-2000)}`)));
  });
}

/** Ends a child: SIGKILL (a crash) or SIGTERM (a clean stop); resolves when it has exited. */
export function stop(child: Child, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.proc.once('exit', () => resolve());
    child.proc.kill(signal);
  });
}

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
