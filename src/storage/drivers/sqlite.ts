import type Database from 'better-sqlite3';
import { decodeItem, encodeItem } from '../item-codec.js';
import { acquireSqlite } from '../sqlite-db.js';
import { mergeItem, type StateStore, type StoredItem, type StoredUserState } from '../store.js';

/**
 * `sqlite:<file>[?sync=full]` — the embedded default: one WAL-mode SQLite file, no server to install (better-sqlite3).
 * See sqlite-db.ts for what `sync` buys.
 */
export class SqliteStore implements StateStore {
  readonly shared = false;
  private readonly stmts: ReturnType<typeof prepare>;

  private constructor(
    readonly url: string,
    private readonly db: Database.Database,
    private readonly release: () => void,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS users (user TEXT PRIMARY KEY, version INTEGER NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS items (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.stmts = prepare(db);
  }

  /** Opens or creates the database file (`:memory:` for a private in-memory one). */
  static open(file: string): SqliteStore {
    const { db, release } = acquireSqlite(file || ':memory:');
    return new SqliteStore(`sqlite:${file}`, db, release);
  }

  async getUser(user: string): Promise<StoredUserState | undefined> {
    const row = this.stmts.getUser.get(user) as { version: number; data: Buffer } | undefined;
    return row ? { version: row.version, data: new Uint8Array(row.data) } : undefined;
  }
  async getUserVersion(user: string): Promise<number> {
    const row = this.stmts.getVersion.get(user) as { version: number } | undefined;
    return row?.version ?? 0;
  }
  async putUsers(entries: ReadonlyArray<{ user: string; data: Uint8Array }>): Promise<number[]> {
    return this.db.transaction(() =>
      entries.map(({ user, data }) => {
        const row = this.stmts.putUser.get(user, Buffer.from(data.buffer, data.byteOffset, data.byteLength)) as { version: number };
        return row.version;
      }),
    )();
  }
  async deleteUser(user: string): Promise<void> {
    this.stmts.deleteUser.run(user);
  }
  async countUsers(): Promise<number> {
    return (this.stmts.countUsers.get() as { n: number }).n;
  }
  async putItems(items: ReadonlyArray<StoredItem>): Promise<void> {
    this.db.transaction(() => {
      for (const it of items) this.upsertItem(it);
    })();
  }
  async setStock(ids: ReadonlyArray<string>, inStock: boolean): Promise<void> {
    this.db.transaction(() => {
      for (const id of ids) this.upsertItem({ id, inStock });
    })();
  }
  private upsertItem(it: StoredItem): void {
    const row = this.stmts.getItem.get(it.id) as { data: string } | undefined;
    this.stmts.putItem.run(it.id, encodeItem(mergeItem(row ? decodeItem(row.data) : undefined, it)));
  }
  async listItems(): Promise<StoredItem[]> {
    return (this.stmts.listItems.all() as { data: string }[]).map((r) => decodeItem(r.data));
  }
  async getMeta(key: string): Promise<string | undefined> {
    return (this.stmts.getMeta.get(key) as { value: string } | undefined)?.value;
  }
  async setMeta(key: string, value: string): Promise<void> {
    this.stmts.setMeta.run(key, value);
  }
  async lease(): Promise<boolean> {
    return true;
  }
  async releaseLease(): Promise<void> {}
  async close(): Promise<void> {
    this.release();
  }
}

function prepare(db: Database.Database) {
  return {
    getUser: db.prepare('SELECT version, data FROM users WHERE user = ?'),
    getVersion: db.prepare('SELECT version FROM users WHERE user = ?'),
    putUser: db.prepare(
      'INSERT INTO users (user, version, data) VALUES (?, 1, ?) ON CONFLICT(user) DO UPDATE SET version = version + 1, data = excluded.data RETURNING version',
    ),
    deleteUser: db.prepare('DELETE FROM users WHERE user = ?'),
    countUsers: db.prepare('SELECT COUNT(*) AS n FROM users'),
    getItem: db.prepare('SELECT data FROM items WHERE id = ?'),
    putItem: db.prepare('INSERT INTO items (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data'),
    listItems: db.prepare('SELECT data FROM items ORDER BY seq'),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
  };
}
