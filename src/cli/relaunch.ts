import { spawn } from 'node:child_process';

/**
 * V8 flags for the commands that answer requests (`serve`, `start`). V8 sizes its heap when the process starts, so
 * the launcher runs those commands in a child process that has the flags (`relaunchForServing`); the parent only
 * passes signals on and exits as the child did.
 *
 * Why: with the default young generation (16 MB semi-spaces) the 90/10 load at 1,000 req/s allocates about 24 kB a
 * request and triggers a scavenge — a pause of the request thread — every ~500 requests; 32 MB halves their number
 * and measured 3× less GC time and a lower end-to-end p99 (docs/service.md, "Load").
 */
export const DEFAULT_SERVE_V8_FLAGS = '--max-semi-space-size=32';

/** Set in the relaunched child so it does not relaunch again and follows its parent. */
const CHILD_MARK = 'TAILOR_RELAUNCHED';

const SERVING_COMMANDS = new Set(['serve', 'start']);

/**
 * For `tailor serve|start`: re-runs this command in a child with `TAILOR_SERVE_V8_FLAGS` (default
 * DEFAULT_SERVE_V8_FLAGS; empty = run in place) and returns true; the caller must then do nothing else. Returns false
 * when this process should run the command itself (other commands, already relaunched, or flags off).
 */
export function relaunchForServing(argv: readonly string[] = process.argv): boolean {
  if (!SERVING_COMMANDS.has(argv[2] ?? '') || process.env[CHILD_MARK] === '1') return false;
  const flags = (process.env.TAILOR_SERVE_V8_FLAGS ?? DEFAULT_SERVE_V8_FLAGS).split(/\s+/).filter(Boolean);
  if (flags.length === 0) return false;
  // its own process group, so a terminal's Ctrl-C reaches it once (passed on below), not twice
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [CHILD_MARK]: '1' },
    detached: true,
  });
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, () => child.kill(s));
  child.once('error', (err) => {
    process.stderr.write(`cannot start the serving process: ${err.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    if (signal) {
      for (const s of signals) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
  return true;
}

/**
 * In a relaunched child: when the parent dies without passing a signal on (kill -9), die the same way at once, so a
 * supervisor that killed the parent never leaves a second consumer of the same store and stream behind.
 */
export function followParent(): void {
  if (process.env[CHILD_MARK] !== '1' || !process.send) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  // the IPC channel alone must not keep the process alive
  process.channel?.unref();
}
