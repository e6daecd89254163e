import { Worker } from 'node:worker_threads';

/**
 * The machine's scheduling floor while a load phase runs: a thread that does nothing but wake every millisecond
 * records how late its timer fires (monitorEventLoopDelay, 1 ms resolution). On a shared machine this lateness,
 * not the service, bounds every end-to-end percentile: a request cannot be answered before its threads are run.
 */
const PROBE = `
const { parentPort } = require('node:worker_threads');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const h = monitorEventLoopDelay({ resolution: 1 });
h.enable();
const t = setInterval(() => {}, 1);
parentPort.once('message', () => {
  clearInterval(t);
  h.disable();
  parentPort.postMessage({ p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
});
`;

/** Starts the probe; `stop()` resolves to its timer lateness (ms) since the start. */
export function wakeProbe(): { stop: () => Promise<{ p50: number; p99: number; max: number }> } {
  const w = new Worker(PROBE, { eval: true });
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        w.once('message', (m) => {
          void w.terminate();
          resolve(m);
        });
        w.once('error', reject);
        w.postMessage('stop');
      }),
  };
}
