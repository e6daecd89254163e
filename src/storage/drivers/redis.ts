import type { Redis } from 'ioredis';
import { decodeItem, encodeItem } from '../item-codec.js';
import { connectRedis, parseRedisUrl, redisCall } from '../redis-client.js';
import { mergeItem, redactUrl, type StateStore, type StoredItem, type StoredUserState } from '../store.js';

/** Atomically bumps a user's version and stores the new bytes (one key, so it is Redis Cluster safe). */
const PUT_USER = `local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'd', ARGV[1])
return v`;

/** Takes the lease when free, renews it when already ours; 1 = held, 0 = someone else holds it. */
const LEASE = `local cur = redis.call('GET', KEYS[1])
if cur == false or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Deletes the lease only when it is ours. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * `redis://host:port[/db][?prefix=name]` — user state shared by every Tailor process. Keys are cluster-ready:
 * each user's state is one hash `<prefix>:u:{<user>}` (the hash tag keeps a user's keys in one slot);
 * items, stock and metadata live in `<prefix>:{cat}:*` so catalogue updates share one slot.
 */
export class RedisStore implements StateStore {
  readonly shared = true;
  private constructor(
    readonly url: string,
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  static async open(url: string): Promise<RedisStore> {
    const client = await connectRedis(url);
    return new RedisStore(redactUrl(url), client, parseRedisUrl(url).prefix);
  }

  private userKey(user: string): string {
    return `${this.prefix}:u:{${user}}`;
  }
  private get usersKey(): string {
    return `${this.prefix}:{idx}:users`;
  }
  private get itemsKey(): string {
    return `${this.prefix}:{cat}:items`;
  }
  private get metaKey(): string {
    return `${this.prefix}:{cat}:meta`;
  }

  async getUser(user: string): Promise<StoredUserState | undefined> {
    const [v, d] = await redisCall('HMGET', () => this.client.hmgetBuffer(this.userKey(user), 'v', 'd'));
    if (!v || !d) return undefined;
    return { version: Number(v.toString()), data: new Uint8Array(d) };
  }
  async getUserVersion(user: string): Promise<number> {
    const v = await redisCall('HGET', () => this.client.hget(this.userKey(user), 'v'));
    return v ? Number(v) : 0;
  }
  async putUsers(entries: ReadonlyArray<{ user: string; data: Uint8Array }>): Promise<number[]> {
    if (entries.length === 0) return [];
    const pipe = this.client.pipeline();
    for (const { user, data } of entries)
      pipe.eval(PUT_USER, 1, this.userKey(user), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    pipe.sadd(this.usersKey, ...entries.map((e) => e.user));
    const res = await redisCall('put users', () => pipe.exec());
    if (!res) throw new Error('pipeline aborted');
    return entries.map((_, i) => {
      const [err, v] = res[i];
      if (err) throw err;
      return Number(v);
    });
  }
  async deleteUser(user: string): Promise<void> {
    await redisCall('DEL', () => this.client.pipeline().del(this.userKey(user)).srem(this.usersKey, user).exec());
  }
  async countUsers(): Promise<number> {
    return redisCall('SCARD', () => this.client.scard(this.usersKey));
  }
  async putItems(items: ReadonlyArray<StoredItem>): Promise<void> {
    await this.mergeItems(items);
  }
  async setStock(ids: ReadonlyArray<string>, inStock: boolean): Promise<void> {
    await this.mergeItems(ids.map((id) => ({ id, inStock })));
  }
  private async mergeItems(items: ReadonlyArray<StoredItem>): Promise<void> {
    if (items.length === 0) return;
    const prev = await redisCall('HMGET', () => this.client.hmget(this.itemsKey, ...items.map((i) => i.id)));
    const merged = new Map<string, StoredItem>();
    items.forEach((it, i) => {
      const before = merged.get(it.id) ?? (prev[i] ? decodeItem(prev[i] as string) : undefined);
      merged.set(it.id, mergeItem(before, it));
    });
    const flat: string[] = [];
    for (const [id, it] of merged) flat.push(id, encodeItem(it));
    await redisCall('HSET', () => this.client.hset(this.itemsKey, ...flat));
  }
  async listItems(): Promise<StoredItem[]> {
    const all = await redisCall('HGETALL', () => this.client.hgetall(this.itemsKey));
    return Object.values(all).map(decodeItem);
  }
  async getMeta(key: string): Promise<string | undefined> {
    return (await redisCall('HGET', () => this.client.hget(this.metaKey, key))) ?? undefined;
  }
  async setMeta(key: string, value: string): Promise<void> {
    await redisCall('HSET', () => this.client.hset(this.metaKey, key, value));
  }
  async lease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const r = await redisCall('lease', () => this.client.eval(LEASE, 1, `${this.prefix}:{lease}:${name}`, holder, String(ttlMs)));
    return Number(r) === 1;
  }
  async releaseLease(name: string, holder: string): Promise<void> {
    await redisCall('release', () => this.client.eval(RELEASE, 1, `${this.prefix}:{lease}:${name}`, holder));
  }
  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
