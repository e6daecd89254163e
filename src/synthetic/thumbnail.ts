import { COLOURS } from './vocabulary.js';

/** Garment silhouettes on a 64×64 canvas (SVG path data), one per garment type. */
const SILHOUETTES: Record<string, string> = {
  't-shirt': 'M20 10 L26 8 Q32 12 38 8 L44 10 L54 20 L48 26 L44 22 L44 56 L20 56 L20 22 L16 26 L10 20 Z',
  shirt: 'M20 9 L27 7 L32 13 L37 7 L44 9 L52 40 L46 41 L44 24 L44 57 L20 57 L20 24 L18 41 L12 40 Z',
  blouse: 'M21 10 L27 8 Q32 14 37 8 L43 10 L52 24 L46 27 L43 22 L47 56 L17 56 L21 22 L18 27 L12 24 Z',
  sweater: 'M20 10 L26 8 Q32 11 38 8 L44 10 L54 46 L48 48 L44 26 L44 56 L20 56 L20 26 L16 48 L10 46 Z',
  hoodie: 'M22 12 Q22 3 32 3 Q42 3 42 12 L46 13 L54 46 L48 48 L44 28 L44 56 L20 56 L20 28 L16 48 L10 46 L18 13 Z',
  jeans: 'M20 6 L44 6 L46 58 L36 58 L32 22 L28 58 L18 58 Z',
  trousers: 'M21 6 L43 6 L47 58 L37 58 L32 20 L27 58 L17 58 Z',
  shorts: 'M18 14 L46 14 L48 42 L35 42 L32 28 L29 42 L16 42 Z',
  skirt: 'M22 12 L42 12 L50 52 L14 52 Z',
  dress: 'M25 6 L29 6 Q32 10 35 6 L39 6 L40 20 L37 26 L50 58 L14 58 L27 26 L24 20 Z',
  jumpsuit: 'M22 6 L42 6 L44 30 L46 58 L35 58 L32 34 L29 58 L18 58 L20 30 Z',
  jacket: 'M20 8 L28 7 L32 20 L36 7 L44 8 L54 46 L48 48 L45 28 L45 56 L19 56 L19 28 L16 48 L10 46 Z',
  coat: 'M21 5 L28 4 L32 18 L36 4 L43 5 L54 50 L48 52 L45 30 L47 60 L17 60 L19 30 L16 52 L10 50 Z',
  sneakers: 'M8 40 L10 28 L22 28 Q30 34 40 34 L54 38 Q58 42 56 46 L8 46 Z',
  boots: 'M22 8 L36 8 L36 38 Q46 40 52 44 L52 52 L22 52 Z',
  heels: 'M10 30 Q24 30 34 40 L50 40 L52 46 L46 46 L46 56 L44 56 L43 46 L30 46 Q18 38 12 42 Z',
  bag: 'M14 24 L50 24 L48 56 L16 56 Z M24 24 Q24 10 32 10 Q40 10 40 24 L37 24 Q37 13 32 13 Q27 13 27 24 Z',
  hat: 'M8 44 Q32 52 56 44 Q52 40 44 40 Q44 20 32 20 Q20 20 20 40 Q12 40 8 44 Z',
  scarf: 'M18 6 L30 6 L30 44 L36 58 L26 58 L18 46 Z M30 6 L44 6 Q46 16 30 20 Z',
};

/** A plain rounded box for garment types without a silhouette. */
const FALLBACK = 'M16 10 L48 10 L48 54 L16 54 Z';

/** Pattern tiles drawn in `ink` over the fill colour; `solid` has none. */
function patternTile(pattern: string, ink: string): string | undefined {
  switch (pattern) {
    case 'striped':
      return `<pattern id="p" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="2" fill="${ink}"/></pattern>`;
    case 'checked':
      return `<pattern id="p" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="3" fill="${ink}" opacity=".45"/><rect width="3" height="8" fill="${ink}" opacity=".45"/></pattern>`;
    case 'dotted':
      return `<pattern id="p" width="6" height="6" patternUnits="userSpaceOnUse"><circle cx="3" cy="3" r="1.2" fill="${ink}"/></pattern>`;
    case 'floral':
      return `<pattern id="p" width="10" height="10" patternUnits="userSpaceOnUse"><g fill="${ink}"><circle cx="5" cy="3" r="1.5"/><circle cx="3" cy="5" r="1.5"/><circle cx="7" cy="5" r="1.5"/><circle cx="5" cy="7" r="1.5"/></g></pattern>`;
    case 'graphic':
      return `<pattern id="p" width="64" height="64" patternUnits="userSpaceOnUse"><path d="M32 22 L40 38 L24 38 Z" fill="${ink}"/></pattern>`;
    case 'animal':
      return `<pattern id="p" width="12" height="12" patternUnits="userSpaceOnUse"><g fill="${ink}" opacity=".7"><ellipse cx="3" cy="3" rx="2.5" ry="1.5"/><ellipse cx="9" cy="8" rx="2" ry="2.8"/></g></pattern>`;
    default:
      return undefined;
  }
}

/** A colour name from the world's vocabulary or a #rrggbb hex, as hex. */
function toHex(colour: string): string {
  if (/^#[0-9a-f]{6}$/i.test(colour)) return colour;
  return COLOURS.find((c) => c.name === colour)?.hex ?? '#999999';
}

function luminance(hex: string): number {
  const v = Number.parseInt(hex.slice(1), 16);
  return (0.299 * ((v >> 16) & 255) + 0.587 * ((v >> 8) & 255) + 0.114 * (v & 255)) / 255;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);
}

/**
 * A small standalone SVG thumbnail of an item for the storefront: the garment type's silhouette filled with its
 * colour and overlaid with its pattern. `colour` is a vocabulary name or a hex value; unknown types get a box.
 */
export function thumbnailSvg(item: { type: string; colour: string; pattern: string; name?: string }, size = 64): string {
  const fill = toHex(item.colour);
  const ink = luminance(fill) > 0.55 ? '#2b2b2b' : '#f5f5f5';
  const tile = patternTile(item.pattern, ink);
  const d = SILHOUETTES[item.type] ?? FALLBACK;
  const title = item.name ? `<title>${escapeXml(item.name)}</title>` : '';
  const overlay = tile ? `<path d="${d}" fill="url(#p)" fill-rule="evenodd"/>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 64 64">${title}` +
    `${tile ? `<defs>${tile}</defs>` : ''}<rect width="64" height="64" fill="#f6f4f0"/>` +
    `<path d="${d}" fill="${fill}" fill-rule="evenodd" stroke="#00000033" stroke-width=".8"/>${overlay}</svg>\n`
  );
}
