import { z } from 'zod';
import { TailorError } from '../core/errors.js';
import { INTERACTION_TYPES, type Interaction, type ItemRecord } from '../core/types.js';

/**
 * Request schemas (zod): the single source for validation (a 400 naming the first bad field, e.g.
 * `events.3.type`) and for the OpenAPI document at /docs (via z.toJSONSchema).
 */

const id = z.string().min(1).max(256);
const timestamp = z.union([z.number().finite().nonnegative(), z.iso.datetime({ offset: true })]);

export const eventSchema = z
  .object({
    user: id.describe('shopper id'),
    item: id.describe('item id (must be in the catalogue)'),
    type: z.enum(INTERACTION_TYPES),
    timestamp: timestamp.optional().describe('epoch ms or ISO-8601; default: time of receipt'),
  })
  .strict();

export const eventsBodySchema = z.union([eventSchema, z.object({ events: z.array(eventSchema).min(1).max(10_000) }).strict()]);

export const itemSchema = z
  .object({
    id,
    vector: z.array(z.number().finite()).min(1).optional().describe('content vector x_i (the catalogue dimension)'),
    attributes: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    inStock: z.boolean().optional(),
  })
  .strict();

export const itemsBodySchema = z.union([itemSchema, z.object({ items: z.array(itemSchema).min(1).max(10_000) }).strict()]);

export const stockBodySchema = z.object({ ids: z.array(id).min(1).max(100_000), inStock: z.boolean() }).strict();

export const reloadBodySchema = z.object({ dir: z.string().min(1).optional() }).strict();

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export function recommendQuerySchema(maxK: number) {
  return z
    .object({
      k: z.coerce.number().int().min(1).max(maxK).default(10),
      exclude_purchased: flag.default(true).describe('leave out items the shopper already bought (default true)'),
      filter: z.string().max(1000).optional().describe('attribute filter: name:value[|value…][,name:value…] (all must match)'),
    })
    .strict();
}

export function similarQuerySchema(maxK: number) {
  return z.object({ k: z.coerce.number().int().min(1).max(maxK).default(10) }).strict();
}

/** Parses `data` with `schema` or throws VALIDATION naming the first bad field (prefixed with `where`). */
export function parse<S extends z.ZodType>(schema: S, data: unknown, where?: string): z.infer<S> {
  const r = schema.safeParse(data ?? {});
  if (r.success) return r.data;
  const issue = pickIssue(r.error.issues);
  const path = issue.path.map(String);
  const field = [where, ...path].filter((s) => s !== undefined && s !== '').join('.') || (where ?? 'body');
  throw new TailorError(
    'VALIDATION',
    issue.message,
    { field },
    { issues: r.error.issues.slice(0, 10).map((i) => ({ field: i.path.join('.'), message: i.message })) },
  );
}

/** For a union, zod reports `invalid_union`; the most specific branch error names the field best. */
function pickIssue(issues: z.core.$ZodIssue[]): z.core.$ZodIssue {
  const first = issues[0];
  if (first.code === 'invalid_union' && 'errors' in first) {
    const branches = (first.errors as z.core.$ZodIssue[][]).filter((b) => b.length > 0);
    // prefer the branch whose error path is deepest (the batch form for `{events: …}`, the single form otherwise)
    let best: z.core.$ZodIssue | undefined;
    for (const b of branches) {
      const cand = pickIssue(b);
      if (!best || cand.path.length > best.path.length) best = { ...cand, path: [...first.path, ...cand.path] };
    }
    if (best) return best;
  }
  return first;
}

/** Normalises a validated event (ISO timestamps → epoch ms; missing → now). */
export function toInteraction(e: z.infer<typeof eventSchema>, now: number): Interaction {
  const ts = e.timestamp === undefined ? now : typeof e.timestamp === 'number' ? e.timestamp : Date.parse(e.timestamp);
  return { user: e.user, item: e.item, type: e.type, timestamp: ts };
}

/** A validated item as an ItemRecord (vector as Float32Array). */
export function toItemRecord(i: z.infer<typeof itemSchema>): ItemRecord {
  return { id: i.id, vector: i.vector ? Float32Array.from(i.vector) : undefined, attributes: i.attributes, inStock: i.inStock };
}

/**
 * Parses an attribute filter `name:value[|value…][,name:value…]` into a predicate over catalogue indices.
 * Unknown attribute names are a 400 naming `filter`.
 */
export function parseFilter(
  text: string,
  attribute: (i: number, name: string) => string | number | undefined,
  known: (name: string) => boolean,
): (i: number) => boolean {
  const clauses = text.split(',').map((c, n) => {
    const at = c.indexOf(':');
    if (at <= 0 || at === c.length - 1)
      throw new TailorError('VALIDATION', `clause ${n + 1} "${c}" must look like name:value[|value]`, { field: 'filter' });
    const name = c.slice(0, at).trim();
    if (!known(name)) throw new TailorError('VALIDATION', `unknown attribute "${name}"`, { field: 'filter', value: name });
    return {
      name,
      values: new Set(
        c
          .slice(at + 1)
          .split('|')
          .map((v) => v.trim()),
      ),
    };
  });
  return (i) => clauses.every((c) => c.values.has(String(attribute(i, c.name) ?? '')));
}
