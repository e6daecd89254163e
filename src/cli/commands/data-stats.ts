import type { Command } from 'commander';
import { INTERACTION_TYPES } from '../../core/types.js';
import { DATASET_FORMATS, type Dataset, loadDataset } from '../../events/loaders/index.js';
import { badRowPolicy, datasetFormat } from '../dataset-options.js';

/** The summary `tailor data stats` prints: users, items, events per type, date range, and how loading went. */
export interface DataStats {
  name: string;
  format: string;
  users: number;
  items: number;
  itemsInStock: number;
  itemsWithEvents: number;
  events: number;
  eventsByType: Record<string, number>;
  firstEvent: string | null;
  lastEvent: string | null;
  days: number;
  attributes: string[];
  vectors: { dim: number; fromFile: number; derived: number; method: string };
  rowsRead: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  firstErrors: string[];
  loadSeconds: number;
  rowsPerSecond: number;
}

/** Summarises a loaded data set. */
export function dataStats(d: Dataset): DataStats {
  const counts = d.log.countByType();
  const range = d.log.timeRange();
  const seen = new Uint8Array(d.catalogue.size);
  const { item } = d.log.columns();
  let withEvents = 0;
  for (let r = 0; r < item.length; r++) {
    if (seen[item[r]]) continue;
    seen[item[r]] = 1;
    withEvents++;
  }
  let inStock = 0;
  for (const s of d.catalogue.inStock) inStock += s;
  const r = d.report;
  return {
    name: d.name,
    format: r.format,
    users: d.log.users.size,
    items: d.catalogue.size,
    itemsInStock: inStock,
    itemsWithEvents: withEvents,
    events: d.log.length,
    eventsByType: Object.fromEntries(INTERACTION_TYPES.map((t, i) => [t, counts[i]])),
    firstEvent: range ? new Date(range.start).toISOString() : null,
    lastEvent: range ? new Date(range.end).toISOString() : null,
    days: range ? Math.round(((range.end - range.start) / 86_400_000) * 10) / 10 : 0,
    attributes: [...d.catalogue.attributes.keys()],
    vectors: r.vectors,
    rowsRead: r.rowsRead,
    skipped: r.skipped,
    skippedByReason: r.skippedByReason as Record<string, number>,
    firstErrors: r.errors.slice(0, 5).map((e) => `${e.file}:${e.line}${e.field ? ` field "${e.field}"` : ''}: ${e.message}`),
    loadSeconds: Math.round(r.elapsedMs) / 1000,
    rowsPerSecond: Math.round(r.rowsPerSecond),
  };
}

/** The stats as aligned text lines. */
export function formatDataStats(s: DataStats): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const pct = (x: number) => (s.events > 0 ? ` (${((100 * x) / s.events).toFixed(1)} %)` : '');
  const lines = [
    `data set     ${s.name} (${s.format})`,
    `users        ${n(s.users)}`,
    `items        ${n(s.items)} (${n(s.itemsWithEvents)} with events, ${n(s.itemsInStock)} in stock)`,
    `events       ${n(s.events)}`,
    ...Object.entries(s.eventsByType).map(([t, c]) => `  ${t.padEnd(10)} ${n(c)}${pct(c)}`),
    `date range   ${s.firstEvent ?? '-'} .. ${s.lastEvent ?? '-'} (${s.days} days)`,
    `attributes   ${s.attributes.length > 0 ? s.attributes.join(', ') : '-'}`,
    `vectors      D=${s.vectors.dim}: ${n(s.vectors.fromFile)} from file, ${n(s.vectors.derived)} derived (${s.vectors.method})`,
    `rows read    ${n(s.rowsRead)}, skipped ${n(s.skipped)}${s.skipped > 0 ? ` ${JSON.stringify(s.skippedByReason)}` : ''}`,
    ...s.firstErrors.map((e) => `  ${e}`),
    `loaded in    ${s.loadSeconds} s (${n(s.rowsPerSecond)} rows/s)`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `tailor data stats <path> --format <fmt> [--json]`: loads a data set and prints its summary (to `write`, default stdout). */
export function registerDataStats(program: Command, write: (text: string) => void = (t) => process.stdout.write(t)): void {
  const data = program.commands.find((c) => c.name() === 'data') ?? program.command('data').description('Inspect data sets');
  data
    .command('stats <path>')
    .description('Summarise a data set: users, items, events per type, date range, bad rows')
    .requiredOption('--format <fmt>', `data set layout: ${DATASET_FORMATS.join(' | ')}`)
    .option('--json', 'print JSON instead of text')
    .option('--on-bad-row <policy>', 'stop at the first bad row, or skip and count bad rows', 'stop')
    .option('--official-window', 'Taobao: keep only the official 2017-11-25 .. 12-03 window')
    .option('--vectors <file>', 'item vectors (.npy with <name>.ids.txt beside it)')
    .option('--quiet', 'no progress output')
    .action(
      async (
        path: string,
        o: { format: string; json?: boolean; onBadRow: string; officialWindow?: boolean; vectors?: string; quiet?: boolean },
      ) => {
        const format = datasetFormat(o.format);
        const onBadRow = badRowPolicy(o.onBadRow);
        const d = await loadDataset({
          path,
          format,
          onBadRow,
          officialWindow: o.officialWindow,
          vectors: o.vectors,
          progress: !o.quiet && !o.json,
        });
        const s = dataStats(d);
        write(o.json ? `${JSON.stringify(s, null, 2)}\n` : formatDataStats(s));
      },
    );
}
