import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteSync } from './sqlite-db.js';

/**
 * WAL checkpoints off the request thread. SQLite's automatic checkpoint runs inside whichever commit crosses 1,000
 * WAL pages, on the committing connection — with better-sqlite3 that is the request thread — and it fsyncs the WAL
 * and the database file (4–8 ms each on the development machine's disk). Under the 90/10 load that happened several
 * times a second and every read behind it waited. Here a worker thread with its own connection to the file runs a
 * PASSIVE checkpoint every CHECKPOINT_EVERY_MS instead (PASSIVE never blocks the writer or readers); the request
 * thread's connection has automatic checkpoints off. Durability is unchanged: a commit is in the WAL before it
 * returns, whenever the checkpoint copies it into the database file.
 */
const CHECKPOINT_EVERY_MS = 500;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = ' + workerData.sync);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer; `stop()` checkpoints once more, closes its connection and ends the thread. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the WAL database `file` from a worker thread. `onFail` runs if the thread cannot start or
 * dies (the caller then turns automatic checkpoints back on, so the WAL cannot grow without bound).
 */
export function startCheckpointer(file: string, sync: SqliteSync, onFail: (reason: string) => void): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file, module, sync: sync === 'full' ? 'FULL' : 'NORMAL', everyMs: CHECKPOINT_EVERY_MS },
  });
  worker.unref();
  let stopping = false;
  worker.on('message', (m: { error?: string }) => {
    if (m.error) onFail(m.error);
  });
  worker.once('error', (err) => onFail(err.message));
  worker.once('exit', (code) => {
    if (!stopping) onFail(`checkpoint thread exited with ${code}`);
  });
  return {
    stop: () => {
      if (stopping) return Promise.resolve();
      stopping = true;
      return new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      });
    },
  };
}
