import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeItemVectors } from '../catalogue/npy.js';
import { TailorError } from '../core/errors.js';
import { INTERACTION_TYPES } from '../core/types.js';
import { thumbnailSvg } from './thumbnail.js';
import { summarizeWorld, type World, type WorldSummary } from './world.js';

/** Item attribute columns of items.csv, in order (between `id` and `in_stock`). */
export const ITEM_COLUMNS = ['type', 'colour', 'pattern', 'department', 'price', 'name', 'style', 'arrival'] as const;

/** Layout version written to world.json; the 'synthetic' loader checks it. */
export const WORLD_FORMAT_VERSION = 1;

export interface WriteWorldOptions {
  /** Write thumbnails/<id>.svg (default true). */
  thumbnails?: boolean;
  onProgress?: (phase: 'events' | 'items' | 'vectors' | 'thumbnails', done: number, total: number) => void;
}

/**
 * Writes a world to `dir` in the 'synthetic' layout: events.csv (user,item,type,timestamp; epoch ms),
 * items.csv (id, attribute columns, in_stock 1/0), vectors.npy (float32 n×D, NPY v1) + vectors.ids.txt,
 * thumbnails/<id>.svg and world.json (params + summary). Returns the summary.
 */
export async function writeWorld(world: World, dir: string, opts: WriteWorldOptions = {}): Promise<WorldSummary> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new TailorError(
      'CONFIG_INVALID',
      `cannot create the output folder: ${(err as Error).message}`,
      { file: dir, field: 'out' },
      {},
      { cause: err },
    );
  }
  const summary = summarizeWorld(world);
  await writeEvents(world, join(dir, 'events.csv'), opts);
  await writeItems(world, join(dir, 'items.csv'), opts);
  const cat = world.catalogue;
  opts.onProgress?.('vectors', 0, cat.size);
  await writeItemVectors(join(dir, 'vectors.npy'), cat.ids.ids, cat.vectors, join(dir, 'vectors.ids.txt'));
  opts.onProgress?.('vectors', cat.size, cat.size);
  if (opts.thumbnails !== false) await writeThumbnails(world, join(dir, 'thumbnails'), opts);
  const meta = {
    format: 'synthetic',
    version: WORLD_FORMAT_VERSION,
    params: world.params,
    summary,
    files: {
      events: 'events.csv',
      items: 'items.csv',
      vectors: 'vectors.npy',
      vectorIds: 'vectors.ids.txt',
      thumbnails: opts.thumbnails !== false ? 'thumbnails/' : null,
    },
  };
  await writeFile(join(dir, 'world.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return summary;
}

/** Creates the output folder (and parents); failure is CONFIG_INVALID naming the folder, before any work is done. */
export async function prepareOutputDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new TailorError(
      'CONFIG_INVALID',
      `cannot create the output folder: ${(err as Error).message}`,
      { file: dir, field: 'out' },
      {},
      { cause: err },
    );
  }
}

/** Writes lines produced by `line(i)` for i in [0, n) to `path`, in large chunks. */
async function writeLines(path: string, header: string, n: number, line: (i: number) => string, progress?: (done: number) => void) {
  const fh = await open(path, 'w');
  try {
    await fh.write(`${header}\n`);
    const CHUNK = 65_536;
    for (let start = 0; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      const parts: string[] = new Array(end - start);
      for (let i = start; i < end; i++) parts[i - start] = line(i);
      await fh.write(`${parts.join('\n')}\n`);
      progress?.(end);
    }
  } finally {
    await fh.close();
  }
}

async function writeEvents(world: World, path: string, opts: WriteWorldOptions): Promise<void> {
  const { user, item, type, time } = world.log.columns();
  const users = world.log.users.ids;
  const items = world.log.items.ids;
  const n = world.log.length;
  await writeLines(
    path,
    'user,item,type,timestamp',
    n,
    (i) => `${users[user[i]]},${items[item[i]]},${INTERACTION_TYPES[type[i]]},${time[i]}`,
    (d) => opts.onProgress?.('events', d, n),
  );
}

async function writeItems(world: World, path: string, opts: WriteWorldOptions): Promise<void> {
  const cat = world.catalogue;
  const cols = ITEM_COLUMNS.map((c) => cat.attributes.get(c) ?? []);
  const stock = cat.inStock;
  await writeLines(
    path,
    ['id', ...ITEM_COLUMNS, 'in_stock'].join(','),
    cat.size,
    (i) => `${csvField(cat.ids.id(i))},${cols.map((c) => csvField(c[i])).join(',')},${stock[i]}`,
    (d) => opts.onProgress?.('items', d, cat.size),
  );
}

/** One CSV field, quoted only when it holds a comma, quote or line break (RFC 4180). */
export function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function writeThumbnails(world: World, dir: string, opts: WriteWorldOptions): Promise<void> {
  await mkdir(dir, { recursive: true });
  const cat = world.catalogue;
  const n = cat.size;
  const BATCH = 256;
  for (let start = 0; start < n; start += BATCH) {
    const jobs: Promise<void>[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const a = cat.attributesOf(i);
      const svg = thumbnailSvg({ type: String(a.type), colour: String(a.colour), pattern: String(a.pattern), name: String(a.name) });
      jobs.push(writeFile(join(dir, `${cat.ids.id(i)}.svg`), svg));
    }
    await Promise.all(jobs);
    opts.onProgress?.('thumbnails', Math.min(n, start + BATCH), n);
  }
}
