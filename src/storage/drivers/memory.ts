import { mergeItem, type StateStore, type StoredItem, type StoredUserState } from '../store.js';

/** `memory:` — everything in this process, lost at exit. For tests, demos and the evaluation harness. */
export class MemoryStore implements StateStore {
  readonly url = 'memory:';
  readonly shared: boolean = false;
  private users = new Map<string, StoredUserState>();
  private items = new Map<string, StoredItem>();
  private meta = new Map<string, string>();

  async getUser(user: string): Promise<StoredUserState | undefined> {
    const s = this.users.get(user);
    return s ? { version: s.version, data: s.data.slice() } : undefined;
  }
  async getUserVersion(user: string): Promise<number> {
    return this.users.get(user)?.version ?? 0;
  }
  async putUsers(entries: ReadonlyArray<{ user: string; data: Uint8Array }>): Promise<number[]> {
    return entries.map(({ user, data }) => {
      const version = (this.users.get(user)?.version ?? 0) + 1;
      this.users.set(user, { version, data: data.slice() });
      return version;
    });
  }
  async deleteUser(user: string): Promise<void> {
    this.users.delete(user);
  }
  async countUsers(): Promise<number> {
    return this.users.size;
  }
  async putItems(items: ReadonlyArray<StoredItem>): Promise<void> {
    for (const it of items) this.items.set(it.id, mergeItem(this.items.get(it.id), it));
  }
  async setStock(ids: ReadonlyArray<string>, inStock: boolean): Promise<void> {
    for (const id of ids) this.items.set(id, mergeItem(this.items.get(id), { id, inStock }));
  }
  async listItems(): Promise<StoredItem[]> {
    return [...this.items.values()].map((i) => ({ ...i }));
  }
  async getMeta(key: string): Promise<string | undefined> {
    return this.meta.get(key);
  }
  async setMeta(key: string, value: string): Promise<void> {
    this.meta.set(key, value);
  }
  async lease(): Promise<boolean> {
    return true;
  }
  async releaseLease(): Promise<void> {}
  async close(): Promise<void> {}
}
