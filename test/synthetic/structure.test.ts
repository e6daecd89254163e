import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { squaredDistance } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { TYPE_CODE } from '../../src/core/types.js';
import { GARMENT_TYPES, generateWorld, outOfStock, shopperStyles, type World } from '../../src/synthetic/index.js';

// One mid-sized world shared by the structure checks (~0.5 s to build on one core).
let w: World;
before(() => {
  w = generateWorld({ items: 3000, users: 4000, weeks: 3, dim: 64, seed: 11 });
});

function vec(i: number): Float32Array {
  return w.catalogue.vector(i);
}

test('funnel rates are close to Taobao UserBehavior (~90 % clicks, ~2 % purchases)', () => {
  const c = w.log.countByType();
  const n = w.log.length;
  const [click, fav, cart, buy] = c.map((x) => x / n);
  assert.ok(click > 0.86 && click < 0.93, `click share ${click}`);
  assert.ok(fav > 0.015 && fav < 0.05, `favourite share ${fav}`);
  assert.ok(cart > 0.03 && cart < 0.08, `cart share ${cart}`);
  assert.ok(buy > 0.012 && buy < 0.035, `purchase share ${buy}`);
});

test("a shopper's purchases are closer to their taste than random items, and mostly in their styles", () => {
  const C = w.truth.styleCentroids;
  const D = C.cols;
  const { user, item, type } = w.log.columns();
  const rng = new Rng(3);
  let dBuy = 0;
  let dRand = 0;
  let inStyle = 0;
  let randInStyle = 0;
  let n = 0;
  // Distance to taste = distance to the nearest of the shopper's mode centroids (start or end of the period).
  const toTaste = (i: number, styles: Set<number>) => {
    let best = Number.POSITIVE_INFINITY;
    for (const s of styles) best = Math.min(best, squaredDistance(vec(i), C.data.subarray(s * D, (s + 1) * D)));
    return best;
  };
  for (let e = 0; e < w.log.length; e++) {
    if (type[e] !== TYPE_CODE.purchase) continue;
    const u = user[e];
    const styles = new Set(shopperStyles(w.truth.shoppers, u));
    const r = rng.int(w.catalogue.size);
    dBuy += toTaste(item[e], styles);
    dRand += toTaste(r, styles);
    if (styles.has(w.truth.items.style[item[e]])) inStyle++;
    if (styles.has(w.truth.items.style[r])) randInStyle++;
    n++;
  }
  assert.ok(n > 1000, `purchases ${n}`);
  assert.ok(dBuy / n < 0.85 * (dRand / n), `mean sq. distance to taste: purchases ${dBuy / n}, random ${dRand / n}`);
  assert.ok(inStyle / n > 0.6 && inStyle / n > 2 * (randInStyle / n), `in-style purchases ${inStyle / n}, random ${randInStyle / n}`);
});

test('outfit co-purchases beat chance and are not explained by content similarity alone', () => {
  const it = w.truth.items;
  const { user, item, type } = w.log.columns();
  const bought = new Map<number, Set<number>>(); // item -> buyers
  for (let e = 0; e < w.log.length; e++) {
    if (type[e] !== TYPE_CODE.purchase) continue;
    let s = bought.get(item[e]);
    if (!s) bought.set(item[e], (s = new Set()));
    s.add(user[e]);
  }
  const co = (a: number, b: number) => {
    const A = bought.get(a);
    const B = bought.get(b);
    if (!A || !B) return 0;
    let k = 0;
    for (const u of A) if (B.has(u)) k++;
    return k;
  };
  const n = w.catalogue.size;
  const slotOf = (i: number) => GARMENT_TYPES[it.type[i]].slot;
  // For each outfit pair (a, b): a random partner of b's slot and department (chance), and the item of b's slot and
  // department closest to a in content space (what content similarity predicts).
  const rng = new Rng(5);
  let outfitCo = 0;
  let randomCo = 0;
  let nearestCo = 0;
  let pairs = 0;
  for (const g of it.outfits) {
    for (let x = 0; x < g.length; x++)
      for (let y = x + 1; y < g.length; y++) {
        const a = g[x];
        const b = g[y];
        pairs++;
        outfitCo += co(a, b);
        const candidates: number[] = [];
        for (let i = 0; i < n; i++) if (i !== a && slotOf(i) === slotOf(b) && it.department[i] === it.department[b]) candidates.push(i);
        randomCo += co(a, candidates[rng.int(candidates.length)]);
        let best = -1;
        let bestD = Number.POSITIVE_INFINITY;
        for (const i of candidates) {
          const d = squaredDistance(vec(a), vec(i));
          if (d < bestD) {
            bestD = d;
            best = i;
          }
        }
        nearestCo += co(a, best);
      }
  }
  assert.ok(pairs > 500, `outfit pairs ${pairs}`);
  assert.ok(outfitCo > 5 * Math.max(1, randomCo), `co-purchases: outfit pairs ${outfitCo}, random pairs ${randomCo}`);
  assert.ok(outfitCo > 3 * Math.max(1, nearestCo), `co-purchases: outfit pairs ${outfitCo}, content-nearest pairs ${nearestCo}`);
});

test('similar-looking items are close in content space, but not perfectly', () => {
  const it = w.truth.items;
  const rng = new Rng(9);
  const n = w.catalogue.size;
  let same = 0;
  let diff = 0;
  let nSame = 0;
  let nDiff = 0;
  let nnSameLook = 0;
  const probes = 150;
  for (let q = 0; q < probes; q++) {
    const a = rng.int(n);
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (i === a) continue;
      const d = squaredDistance(vec(a), vec(i));
      const look = it.type[i] === it.type[a] && it.colour[i] === it.colour[a];
      if (look) {
        same += d;
        nSame++;
      } else {
        diff += d;
        nDiff++;
      }
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    assert.ok(bestD > 0);
    if (it.type[best] === it.type[a] && it.colour[best] === it.colour[a] && it.pattern[best] === it.pattern[a]) nnSameLook++;
  }
  assert.ok(same / nSame < 0.7 * (diff / nDiff), `same type+colour ${same / nSame}, others ${diff / nDiff}`);
  // The nearest neighbour usually shares type and colour, but noise and style keep it from being a lookup.
  assert.ok(nnSameLook < probes, `nearest neighbour shares type, colour and pattern for ${nnSameLook}/${probes}`);
});

test('no event before an item arrives or after the period; nothing is carted or bought while sold out', () => {
  const it = w.truth.items;
  const { item, type, time } = w.log.columns();
  let newItemEvents = 0;
  for (let e = 0; e < w.log.length; e++) {
    const i = item[e];
    assert.ok(time[e] >= it.arrival[i], `event ${e} on item ${i} before its arrival`);
    assert.ok(time[e] < w.truth.period.end, `event ${e} after the period`);
    if (it.arrival[i] > w.truth.period.start) newItemEvents++;
    if (type[e] >= TYPE_CODE.cart) assert.ok(!outOfStock(it, i, time[e]), `event ${e}: ${type[e]} of sold-out item ${i}`);
  }
  assert.ok(newItemEvents > 0, 'new arrivals get events once they are on sale');
  let outAtEnd = 0;
  for (let i = 0; i < w.catalogue.size; i++) {
    const out = outOfStock(it, i, w.truth.period.end - 1);
    assert.equal(w.catalogue.isInStock(i), !out);
    if (out) outAtEnd++;
  }
  assert.ok(outAtEnd > 0, 'some items are sold out at the end');
});

test('tastes drift and popularity follows item trends', () => {
  const s = w.truth.shoppers;
  let drifted = 0;
  for (let u = 0; u < s.drifts.length; u++) if (s.drifts[u] > 0) drifted++;
  assert.ok(drifted > 0.1 * s.drifts.length, `shoppers with a taste change: ${drifted}`);
  let changed = 0;
  for (let k = 0; k < s.modesInitial.length; k++) if (s.modesInitial[k] !== s.modesFinal[k]) changed++;
  assert.ok(changed > 0);
  // Rising items (trend > 0.3/week) take a bigger share of the second half than falling ones (trend < -0.3/week).
  const it = w.truth.items;
  const midT = (w.truth.period.start + w.truth.period.end) / 2;
  const { item, time } = w.log.columns();
  const h = { up: [0, 0], down: [0, 0] };
  for (let e = 0; e < w.log.length; e++) {
    const tr = it.trend[item[e]];
    if (it.arrival[item[e]] > w.truth.period.start) continue;
    const half = time[e] < midT ? 0 : 1;
    if (tr > 0.3) h.up[half]++;
    else if (tr < -0.3) h.down[half]++;
  }
  assert.ok(h.up[1] / h.up[0] > 1.3 * (h.down[1] / h.down[0]), `rising ${h.up}, falling ${h.down}`);
});
