import { TailorError } from '../core/errors.js';
import type { ItemAttributes } from '../core/types.js';

/**
 * The state store: where the service keeps what must outlive a process — each shopper's serialised online
 * state (EMA vector, history, personal weights), catalogue changes made through the API (new items, stock)
 * and small metadata such as stream checkpoints. Drivers are chosen by URL (`openStore`).
 */

/** A user's state as stored: opaque bytes plus a version that grows by one on every write. */
export interface StoredUserState {
  version: number;
  data: Uint8Array;
}

/** A catalogue change made through the API (POST /v1/items, PUT /v1/items/stock), replayed at start-up. */
export interface StoredItem {
  id: string;
  vector?: Float32Array;
  attributes?: ItemAttributes;
  inStock?: boolean;
}

export interface StateStore {
  /** The URL it was opened with (credentials removed). */
  readonly url: string;
  /** True when other processes may write the same state (readers must check versions). */
  readonly shared: boolean;
  /** The stored state of `user`, or undefined. */
  getUser(user: string): Promise<StoredUserState | undefined>;
  /** Only the version of `user`'s state (cheap; 0 when absent). */
  getUserVersion(user: string): Promise<number>;
  /** Writes several users' states at once (one transaction where the backend has them); returns the new versions. */
  putUsers(entries: ReadonlyArray<{ user: string; data: Uint8Array }>): Promise<number[]>;
  deleteUser(user: string): Promise<void>;
  /** Number of users with a stored state. */
  countUsers(): Promise<number>;
  /** Adds or updates items (merging fields given with those stored). */
  putItems(items: ReadonlyArray<StoredItem>): Promise<void>;
  /** Sets the stock flag of items (creating a stock-only entry for catalogue items not yet stored). */
  setStock(ids: ReadonlyArray<string>, inStock: boolean): Promise<void>;
  /** Every stored item change, one merged entry per id (SQL and memory drivers keep insertion order). */
  listItems(): Promise<StoredItem[]>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Takes or renews the lease `name` for `holder` for `ttlMs`; false when another holder has it. Stores that only
   * one process can open (memory, SQLite) always grant it.
   */
  lease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back if `holder` has it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** Flushes and releases connections. */
  close(): Promise<void>;
}

/**
 * Opens the store named by `url`: `memory:`, `sqlite:<file>` (embedded default, WAL) or
 * `redis://host:port[/db][?prefix=name]` (ioredis, loaded lazily; cluster-ready keys with hash tags).
 */
export async function openStore(url: string): Promise<StateStore> {
  const scheme = url.slice(0, url.indexOf(':') + 1);
  switch (scheme) {
    case 'memory:': {
      const { MemoryStore } = await import('./drivers/memory.js');
      return new MemoryStore();
    }
    case 'sqlite:': {
      const { SqliteStore } = await import('./drivers/sqlite.js');
      return SqliteStore.open(url.slice('sqlite:'.length));
    }
    case 'redis:':
    case 'rediss:': {
      const { RedisStore } = await import('./drivers/redis.js');
      return RedisStore.open(url);
    }
    default:
      throw new TailorError(
        'UNSUPPORTED_URL',
        `no storage driver for "${redactUrl(url)}" (use memory:, sqlite:<file> or redis://host:port)`,
        {
          field: 'store',
        },
      );
  }
}

/** The URL without a password, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Merges a stored item change into an earlier one (later fields win). */
export function mergeItem(prev: StoredItem | undefined, next: StoredItem): StoredItem {
  if (!prev) return { ...next };
  return {
    id: next.id,
    vector: next.vector ?? prev.vector,
    attributes: next.attributes ? { ...prev.attributes, ...next.attributes } : prev.attributes,
    inStock: next.inStock ?? prev.inStock,
  };
}
