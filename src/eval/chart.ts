import type { EvaluationResult } from './evaluate.js';

const METRICS = [
  { key: 'f1', label: 'F1', colour: '#1b6ca8' },
  { key: 'precision', label: 'Precision', colour: '#f28e2b' },
  { key: 'recall', label: 'Recall', colour: '#59a14f' },
] as const;

/**
 * A self-contained SVG grouped bar chart of F1, precision and recall per model (one panel per view), with
 * ±std whiskers over training windows; values are also printed above each F1 bar.
 */
export function resultsChartSvg(result: EvaluationResult): string {
  const panelH = 300;
  const left = 60;
  const top = 40;
  const models = result.scenarios[0]?.rows.map((r) => r.model) ?? [];
  const groupW = 66;
  const width = left + 100 + Math.max(1, models.length) * groupW;
  const height = top + result.scenarios.length * (panelH + 130) + 10;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(result.dataset)} — K=${result.k}, N=${result.n}</text>`);
  METRICS.forEach((m, i) => {
    const x = left + 260 + i * 90;
    out.push(`<rect x="${x}" y="9" width="12" height="12" fill="${m.colour}"/><text x="${x + 16}" y="19">${m.label}</text>`);
  });
  result.scenarios.forEach((sc, p) => {
    const y0 = top + p * (panelH + 130);
    const max = Math.max(1e-9, ...sc.rows.flatMap((r) => METRICS.map((m) => r[m.key] + r.std[m.key])));
    const scale = niceMax(max);
    const y = (v: number) => y0 + 20 + panelH - (v / scale) * panelH;
    out.push(`<text x="${left}" y="${y0 + 12}" font-weight="bold">view: ${esc(sc.name)}</text>`);
    for (let t = 0; t <= 5; t++) {
      const v = (scale * t) / 5;
      out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
      out.push(`<text x="${left - 4}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(3)}</text>`);
    }
    sc.rows.forEach((r, g) => {
      const gx = left + 8 + g * groupW;
      METRICS.forEach((m, i) => {
        const v = r[m.key];
        const x = gx + i * 17;
        out.push(
          `<rect x="${x}" y="${y(v)}" width="15" height="${Math.max(0, y(0) - y(v))}" fill="${m.colour}"><title>${esc(r.model)} ${m.label} ${v.toFixed(4)} ± ${r.std[m.key].toFixed(4)}</title></rect>`,
        );
        if (r.std[m.key] > 0)
          out.push(
            `<line x1="${x + 7.5}" x2="${x + 7.5}" y1="${y(v + r.std[m.key])}" y2="${y(Math.max(0, v - r.std[m.key]))}" stroke="black"/>`,
          );
      });
      out.push(`<text x="${gx + 7}" y="${y(r.f1) - 4}" font-size="9">${(r.f1 * 1e4).toFixed(0)}</text>`);
      out.push(`<text transform="translate(${gx + 25},${y(0) + 10}) rotate(35)" font-size="10">${esc(r.model)}</text>`);
    });
  });
  out.push(`<text x="${left}" y="${height - 2}" font-size="9">numbers above bars: F1 × 10⁴</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function niceMax(v: number): number {
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= v) return m * e;
  return 10 * e;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
