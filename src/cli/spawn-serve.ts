import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../core/paths.js';

/**
 * `tailor serve` as a child process, for the tests and benchmarks that need a real process (kill -9, two processes
 * sharing a store, a load generator outside the server). Nothing in the library imports this.
 */

/** A running `tailor serve` child and the URL it printed. */
export interface ServeChild {
  proc: ChildProcess;
  url: string;
  /** Everything the child wrote to stderr so far. */
  stderr: () => string;
}

/**
 * The V8 flags `bin/tailor.js` runs with (its shebang line; keep both the same): 32 MB semi-spaces halve the young-
 * generation collections that pause the request thread under load (docs/service.md).
 */
export const SERVE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * Starts `tailor serve --port 0 --no-storefront <args>` with `env` over the current environment; resolves once it
 * prints its `listening on` URL, rejects (with its stderr tail) when it exits first.
 */
export function spawnServe(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = SERVE_V8_FLAGS,
): Promise<ServeChild> {
  const proc = spawn(
    process.execPath,
    [...nodeArgs, join(projectRoot(), 'bin', 'tailor.js'), 'serve', '--port', '0', '--no-storefront', ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
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
export function stopServe(child: ServeChild, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.proc.once('exit', () => resolve());
    child.proc.kill(signal);
  });
}
