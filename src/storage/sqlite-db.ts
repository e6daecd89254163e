import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { TailorError } from '../core/errors.js';

/**
 * One SQLite connection per database file, shared by the state store and the embedded event log of the
 * same process (so `sqlite:./var/tailor.db` + `log:` is a single file). WAL journal, `synchronous=FULL`:
 * a committed transaction has reached the disk, so an event is durable before the service answers 202.
 */
interface Entry {
  db: Database.Database;
  refs: number;
}
const open = new Map<string, Entry>();

/** Opens (or shares) the database at `file` (`:memory:` gives a private in-memory database). */
export function acquireSqlite(file: string): { db: Database.Database; release: () => void } {
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
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    entry = { db, refs: 0 };
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
        e.db.close();
      }
    },
  };
}
