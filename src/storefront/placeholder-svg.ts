/**
 * A small SVG picture for an item that has no photo or thumbnail file: a garment silhouette chosen by type,
 * filled with the item's colour and overlaid with its pattern. Deterministic; escapes every text it prints.
 */

const COLOUR_HEX: Record<string, string> = {
  black: '#1a1a1a',
  white: '#f4f4f0',
  grey: '#8c8c8c',
  gray: '#8c8c8c',
  navy: '#1f2a44',
  blue: '#3a6fb0',
  'light blue': '#9cc3e6',
  red: '#c0392b',
  burgundy: '#6d1a2a',
  pink: '#f2a7c3',
  orange: '#e67e22',
  yellow: '#f1c40f',
  green: '#2e8b57',
  olive: '#6b7b3a',
  beige: '#d9c8a9',
  brown: '#7b4a2d',
  purple: '#7d3c98',
};

// silhouettes in a 100×120 box, by a keyword of the type name
const SHAPES: [RegExp, string][] = [
  [/trouser|jean|pant|legging|short/i, 'M30 15h40l4 95h-16l-8-70-8 70H26z'],
  [/skirt/i, 'M35 20h30l15 80H20z'],
  [/dress|gown|jumpsuit/i, 'M38 10h24l-2 20 18 75H22l18-75z'],
  [/shoe|sneaker|boot|sandal|trainer/i, 'M15 70q10-25 30-20l25 15q20 5 18 20H15z'],
  [/bag|purse|backpack/i, 'M25 45h50l5 55H20zM38 45q0-20 12-20t12 20'],
  [/hat|cap|beanie/i, 'M20 75q0-45 30-45t30 45zM10 75h80v8H10z'],
  [/scarf|belt|tie/i, 'M35 10h20v90l-10 10-10-10z'],
  [/coat|jacket|blazer|parka/i, 'M30 12h40l20 25-8 8-7-6v78H25V39l-7 6-8-8z'],
];
const TOP = 'M32 15h36l22 22-10 10-10-8v68H30V39l-10 8-10-10z';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function patternDef(pattern: string, ink: string): string {
  switch (pattern) {
    case 'striped':
      return `<pattern id="p" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="3" fill="${ink}"/></pattern>`;
    case 'checked':
      return `<pattern id="p" width="12" height="12" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${ink}"/><rect x="6" y="6" width="6" height="6" fill="${ink}"/></pattern>`;
    case 'dotted':
      return `<pattern id="p" width="8" height="8" patternUnits="userSpaceOnUse"><circle cx="4" cy="4" r="1.6" fill="${ink}"/></pattern>`;
    case 'floral':
      return `<pattern id="p" width="16" height="16" patternUnits="userSpaceOnUse"><circle cx="8" cy="8" r="3" fill="${ink}"/><circle cx="8" cy="3" r="2" fill="${ink}"/><circle cx="8" cy="13" r="2" fill="${ink}"/></pattern>`;
    case 'animal':
      return `<pattern id="p" width="14" height="14" patternUnits="userSpaceOnUse"><ellipse cx="5" cy="5" rx="3" ry="2" fill="${ink}"/><ellipse cx="11" cy="11" rx="2" ry="3" fill="${ink}"/></pattern>`;
    case 'graphic':
      return `<pattern id="p" width="40" height="40" patternUnits="userSpaceOnUse"><path d="M10 10l20 20M30 10L10 30" stroke="${ink}" stroke-width="3"/></pattern>`;
    default:
      return '';
  }
}

/** The SVG text for an item of `type`, `colour` (a name or #hex) and `pattern`, captioned with `label`. */
export function placeholderSvg(opts: { type?: string | null; colour?: string | null; pattern?: string | null; label?: string }): string {
  const colour = opts.colour ?? 'grey';
  const fill = /^#[0-9a-f]{3,8}$/i.test(colour) ? colour : (COLOUR_HEX[colour.toLowerCase()] ?? '#8c8c8c');
  const shape = SHAPES.find(([re]) => re.test(opts.type ?? ''))?.[1] ?? TOP;
  const light = parseInt(fill.slice(1, 3), 16) + parseInt(fill.slice(3, 5), 16) + parseInt(fill.slice(5, 7), 16) > 450;
  const ink = light ? 'rgba(0,0,0,0.25)' : 'rgba(255,255,255,0.35)';
  const pat = patternDef(opts.pattern ?? 'solid', ink);
  const label = esc((opts.label ?? opts.type ?? '').slice(0, 22));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 135" width="200" height="270">` +
    `<rect width="100" height="135" fill="#f6f5f2"/>${pat ? `<defs>${pat}</defs>` : ''}` +
    `<path d="${shape}" fill="${fill}" stroke="#333" stroke-width="1"/>` +
    (pat ? `<path d="${shape}" fill="url(#p)"/>` : '') +
    `<text x="50" y="128" font-family="sans-serif" font-size="8" text-anchor="middle" fill="#555">${label}</text></svg>`
  );
}
