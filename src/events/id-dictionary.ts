/** Interns string ids to dense integer indices (0..size-1) and back; the key of every columnar structure. */
export class IdDictionary {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.intern(id);
  }

  /** Index of `id`, adding it when new. */
  intern(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.index.set(id, i);
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
