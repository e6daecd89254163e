import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { TailorError } from '../core/errors.js';
import { componentLogger } from '../core/log.js';
import { type Checkpointer, startCheckpointer } from './sqlite-checkpointer.js';

const log = componentLogger('sqlite');

/**
 * One SQLite connection per database file, shared by the state store and the embedded event log of the
 * same process (so `sqlite:./var/tailor.db` + `log:` is a single file), in WAL mode. `sync: 'normal'` (default):
 * a commit is in the OS before the call returns, so it survives the process being killed (kill -9) but not a power
 * cut; `sync: 'full'` fsyncs every commit (survives a power cut; each commit then blocks for the disk's flush time).
 */
export type SqliteSync = 'normal' | 'full';

/** Splits `file?sync=full` into the file and its options. */
export function parseSqliteTarget(target: string): { file: string; sync: SqliteSync } {
  const q = target.indexOf('?');
  if (q < 0) return { file: target, sync: 'normal' };
  const params = new URLSearchParams(target.slice(q + 1));
  const sync = params.get('sync') ?? 'normal';
  if (sync !== 'normal' && sync !== 'full')
    throw new TailorError('CONFIG_INVALID', `sqlite sync must be normal or full, got "${sync}"`, { field: 'store' });
  return { file: target.slice(0, q), sync };
}
interface Entry {
  db: Database.Database;
  refs: number;
  checkpointer?: Checkpointer;
}
const open = new Map<string, Entry>();

/** Opens (or shares) the database at `file` (`:memory:` gives a private in-memory database). */
export function acquireSqlite(target: string): { db: Database.Database; release: () => void } {
  const { file, sync } = parseSqliteTarget(target);
  const key = file === ':memory:' ? `:memory:${Math.random()}` : resolve(file);
  let entry = open.get(key);
  if (!entry) {
    let db: Database.Database;
    try {
      if (file !== ':memory:') mkdirSync(dirname(key), { recursive: true });
      db = new Database(file === ':memory:' ? ':memory:' : key);
    } catch (err) {
      throw new TailorError('STORAGE_UNAVAILABLE', `cannot open SQLite database: ${(err as Error).message}`, { file }, {}, { cause: err });
    }
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    entry = { db, refs: 0 };
    if (file !== ':memory:') {
      // checkpoints (and their fsyncs) in a thread of their own, not inside a request's commit (sqlite-checkpointer.ts)
      const e = entry;
      db.pragma('wal_autocheckpoint = 0');
      e.checkpointer = startCheckpointer(key, sync, (reason) => {
        log.warn({ reason }, 'WAL checkpoint thread failed; automatic checkpoints back on');
        e.checkpointer = undefined;
        if (e.db.open) e.db.pragma('wal_autocheckpoint = 1000');
      });
    }
    open.set(key, entry);
  }
  entry.refs++;
  const e = entry;
  let released = false;
  return {
    db: e.db,
    release: () => {
      if (released) return;
      released = true;
      if (--e.refs === 0) {
        open.delete(key);
        // ours closes first; the thread then checkpoints once more and closes the last connection (SQLite checkpoints
        // and removes the WAL then); if the process ends before that, the WAL stays for the next open, which is safe
        const cp = e.checkpointer;
        e.checkpointer = undefined;
        e.db.close();
        void cp?.stop();
      }
    },
  };
}
