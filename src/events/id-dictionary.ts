/** Interns string ids to dense integer indices (0..size-1) and back; the key of every columnar structure. */
export class IdDictionary {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.intern(id);
  }

  /** Index of `id`, adding it when new (a new id is stored as its own copy, see `detach`). */
  intern(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      const own = detach(id);
      this.ids.push(own);
      this.index.set(own, i);
    }
    return i;
  }

  /** Index of `id`, or undefined when unknown. */
  get(id: string): number | undefined {
    return this.index.get(id);
  }

  /** True when `id` is known. */
  has(id: string): boolean {
    return this.index.has(id);
  }

  /** The id at index `i`. */
  id(i: number): string {
    return this.ids[i];
  }

  get size(): number {
    return this.ids.length;
  }
}

/**
 * A copy of `s` that shares no memory with the string it was cut from. V8 represents a substring of 13+ characters
 * as a view into its parent, so an id split out of a 1 MiB read chunk would keep the whole chunk alive for as long as
 * the dictionary holds the id (measured: 69 instead of ~24 bytes per event on H&M-like data).
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}
