import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resultsChartSvg } from './chart.js';
import type { EvaluationResult } from './evaluate.js';

/** The results as a Markdown report: one table per view, F1 also × 10⁴ as the paper prints it, then the windows. */
export function resultsMarkdown(r: EvaluationResult, command?: string): string {
  const lines: string[] = [];
  lines.push(`# Evaluation: ${r.dataset}`, '');
  lines.push(
    `K = ${r.k}, N = ${r.n}; training window ${r.trainDays} days, test period ${r.testDays} days; ${r.windows.length} training window(s), mean ± std over windows.`,
  );
  if (command) lines.push('', '```', command, '```');
  for (const sc of r.scenarios) {
    lines.push('', `## View: ${sc.name}`, '');
    lines.push('| model | precision | recall | F1 | F1 × 10⁴ | recall@K | NDCG@K | points | fit s | replay s |');
    lines.push('|---|---|---|---|---|---|---|---|---|---|');
    const best = Math.max(...sc.rows.map((x) => x.f1));
    for (const row of sc.rows) {
      const pm = (v: number, s: number) => (r.windows.length > 1 ? `${v.toFixed(4)} ± ${s.toFixed(4)}` : v.toFixed(4));
      const f1 = pm(row.f1, row.std.f1);
      lines.push(
        `| ${row.model} | ${pm(row.precision, row.std.precision)} | ${pm(row.recall, row.std.recall)} | ${row.f1 === best && best > 0 ? `**${f1}**` : f1} | ${(row.f1 * 1e4).toFixed(0)} | ${pm(row.recallAtK, row.std.recallAtK)} | ${pm(row.ndcg, row.std.ndcg)} | ${Math.round(row.points)} | ${row.fitSeconds.toFixed(1)} | ${row.replaySeconds.toFixed(1)} |`,
      );
    }
  }
  lines.push('', '## Windows', '', '| train start | train end | test end | train events | test events |', '|---|---|---|---|---|');
  for (const w of r.windows) lines.push(`| ${w.trainStart} | ${w.trainEnd} | ${w.testEnd} | ${w.trainEvents} | ${w.testEvents} |`);
  if (r.notes.length > 0) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  lines.push('', '![F1, precision and recall per model](chart.svg)', '');
  return lines.join('\n');
}

/** Writes `results.json`, `report.md` and `chart.svg` into `dir` (created if needed); returns their paths. */
export async function writeResults(dir: string, r: EvaluationResult, command?: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = [join(dir, 'results.json'), join(dir, 'report.md'), join(dir, 'chart.svg')];
  await writeFile(files[0], `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(files[1], resultsMarkdown(r, command));
  await writeFile(files[2], resultsChartSvg(r));
  return files;
}
