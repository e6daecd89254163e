import type { Catalogue } from '../catalogue/catalogue.js';

/** One product as the storefront page shows it. */
export interface ShopItem {
  id: string;
  name: string;
  price: number | null;
  picture: string;
  inStock: boolean;
  style: string | null;
  type: string | null;
  colour: string | null;
}

/** Which attribute names hold what the page shows, for the synthetic world and the H&M layout alike. */
export interface AttributeNames {
  name: string[];
  style: string[];
  type: string[];
  colour: string[];
  price: string[];
}

export const DEFAULT_ATTRIBUTE_NAMES: AttributeNames = {
  name: ['name', 'prod_name', 'title'],
  style: ['style', 'product_type_name', 'type', 'category'],
  type: ['type', 'product_type_name', 'product_group_name', 'category'],
  colour: ['colour', 'colour_group_name', 'color'],
  price: ['price', 'mean_price'],
};

function first(c: Catalogue, i: number, names: string[]): string | number | undefined {
  for (const n of names) {
    const v = c.attribute(i, n);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** The page's view of item `i`: name, price, picture URL (relative to the storefront), stock, style. */
export function shopItem(c: Catalogue, i: number, names: AttributeNames = DEFAULT_ATTRIBUTE_NAMES): ShopItem {
  const id = c.ids.id(i);
  const name = first(c, i, names.name);
  const price = first(c, i, names.price);
  const style = first(c, i, names.style);
  const type = first(c, i, names.type);
  const colour = first(c, i, names.colour);
  return {
    id,
    name: name !== undefined ? String(name) : id,
    price:
      typeof price === 'number'
        ? Math.round(price * 100) / 100
        : price !== undefined && Number.isFinite(Number(price))
          ? Number(price)
          : null,
    picture: `pictures/${encodeURIComponent(id)}`,
    inStock: c.isInStock(i),
    style: style !== undefined ? String(style) : null,
    type: type !== undefined ? String(type) : null,
    colour: colour !== undefined ? String(colour) : null,
  };
}

/** A filtered page of the catalogue: items whose style equals `style` and whose name contains `q` (case-insensitive). */
export function cataloguePage(
  c: Catalogue,
  opts: { offset: number; limit: number; style?: string; q?: string; names?: AttributeNames },
): { total: number; items: ShopItem[] } {
  const names = opts.names ?? DEFAULT_ATTRIBUTE_NAMES;
  const q = opts.q?.toLowerCase();
  const items: ShopItem[] = [];
  let total = 0;
  for (let i = 0; i < c.size; i++) {
    if (opts.style !== undefined && String(first(c, i, names.style) ?? '') !== opts.style) continue;
    if (
      q !== undefined &&
      !String(first(c, i, names.name) ?? c.ids.id(i))
        .toLowerCase()
        .includes(q)
    )
      continue;
    if (total >= opts.offset && items.length < opts.limit) items.push(shopItem(c, i, names));
    total++;
  }
  return { total, items };
}

/** Style values with their item counts, largest first (the page's style filter). */
export function styleFacets(c: Catalogue, names: AttributeNames = DEFAULT_ATTRIBUTE_NAMES): { style: string; count: number }[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < c.size; i++) {
    const s = first(c, i, names.style);
    if (s !== undefined) counts.set(String(s), (counts.get(String(s)) ?? 0) + 1);
  }
  return [...counts].map(([style, count]) => ({ style, count })).sort((a, b) => b.count - a.count || a.style.localeCompare(b.style));
}
