// Tailor storefront: a plain-JS client of the service's public API (events, recommendations, stock) plus the
// storefront plugin's catalogue JSON. No framework; every state change re-renders the part it touches.

const $ = (sel) => document.querySelector(sel);
const REC_K = 12;
const PAGE = 24;

const state = {
  cfg: null,
  user: '',
  recIds: [],
  recVersion: 0,
  page: 0,
  total: 0,
  style: '',
  q: '',
  cart: 0,
  adaptations: null,
  adaptSeen: false,
  metrics: null,
  points: [],
};

async function getJson(url) {
  const res = await fetch(url, { headers: authHeaders() });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

function authHeaders() {
  const h = {};
  if (state.cfg?.apiKey) {
    h['x-api-key'] = state.cfg.apiKey;
    h.authorization = `Bearer ${state.cfg.apiKey}`;
  }
  return h;
}

async function send(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const text = await res.text();
    throw new Error(`${method} ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
}

function api(path) {
  return `${state.cfg.apiBase}${path}`;
}

function log(text) {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  const list = $('#activity');
  list.prepend(li);
  while (list.children.length > 30) list.lastChild.remove();
}

function money(p) {
  return p === null || p === undefined ? '' : `€${Number(p).toFixed(2)}`;
}

function card(item, opts) {
  const el = document.createElement('div');
  el.className = `card${item.inStock ? '' : ' out'}${opts.isNew ? ' new' : ''}`;
  el.dataset.id = item.id;
  el.dataset.style = item.style ?? '';
  el.dataset.testid = opts.rec ? 'rec-card' : 'item-card';
  const img = document.createElement('img');
  img.src = item.picture;
  img.alt = item.name;
  img.loading = 'lazy';
  const name = document.createElement('div');
  name.className = 'name';
  name.textContent = item.name;
  const meta = document.createElement('div');
  meta.className = 'meta';
  const style = document.createElement('span');
  style.textContent = item.style ?? '';
  const price = document.createElement('span');
  price.className = 'price';
  price.textContent = money(item.price);
  meta.append(style, price);
  const actions = document.createElement('div');
  actions.className = 'actions';
  for (const [type, label] of [
    ['click', 'view'],
    ['favorite', '♥'],
    ['cart', 'cart'],
    ['purchase', 'buy'],
  ]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.title = type;
    b.dataset.action = type;
    b.addEventListener('click', () => act(item.id, type, b));
    actions.append(b);
  }
  el.append(img, name, meta, actions);
  if (opts.isNew) {
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = 'new';
    el.append(tag);
  }
  const stock = document.createElement('label');
  stock.className = 'stock';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = item.inStock;
  box.dataset.stockToggle = item.id;
  box.addEventListener('change', () => setStock(item.id, box.checked));
  stock.append(box, document.createTextNode('in stock'));
  el.append(stock);
  return el;
}

async function act(itemId, type, button) {
  if (!state.user) newShopper();
  try {
    await send('POST', api('/events'), { user: state.user, item: itemId, type, timestamp: Date.now() });
    button?.classList.add('done');
    if (type === 'cart') $('#cart-count').textContent = String(++state.cart);
    log(`${type} ${itemId}`);
    await refreshRecs();
    // adaptations run off the request path: look for one shortly after the action
    setTimeout(pollMetrics, 400);
  } catch (err) {
    log(`error: ${err.message}`);
  }
}

async function setStock(itemId, inStock) {
  try {
    await send('PUT', api('/items/stock'), { ids: [itemId], inStock });
    log(`${itemId} ${inStock ? 'back in stock' : 'out of stock'}`);
    for (const el of document.querySelectorAll(`.card[data-id="${CSS.escape(itemId)}"]`)) el.classList.toggle('out', !inStock);
    await refreshRecs();
  } catch (err) {
    log(`error: ${err.message}`);
  }
}

function adaptationCount(body) {
  const v = body.adaptations ?? body.personal?.adaptations ?? body.user?.adaptations;
  return typeof v === 'number' ? v : null;
}

function markAdapted(text) {
  const ind = $('#adapt-indicator');
  ind.textContent = text;
  ind.classList.add('on');
  ind.classList.remove('flash');
  void ind.offsetWidth;
  ind.classList.add('flash');
}

async function refreshRecs() {
  if (!state.user) return;
  const t0 = performance.now();
  let body;
  try {
    body = await getJson(api(`/users/${encodeURIComponent(state.user)}/recommendations?k=${REC_K}&exclude_purchased=true`));
  } catch (err) {
    $('#rec-status').textContent = err.message;
    return;
  }
  const clientMs = performance.now() - t0;
  const list = body.items ?? body.recommendations ?? [];
  const ids = list.map((x) => (typeof x === 'string' ? x : (x.item ?? x.id)));
  const details = ids.length > 0 ? (await getJson(`api/items?ids=${ids.map(encodeURIComponent).join(',')}`)).items : [];
  const byId = new Map(details.map((d) => [d.id, d]));
  const prev = new Set(state.recIds);
  const first = state.recVersion === 0;
  const row = $('#rec-row');
  row.replaceChildren(...ids.filter((id) => byId.has(id)).map((id) => card(byId.get(id), { rec: true, isNew: !first && !prev.has(id) })));
  const changed = ids.filter((id) => !prev.has(id)).length;
  state.recIds = ids;
  state.recVersion++;
  row.dataset.version = String(state.recVersion);
  const took = body.tookMs ?? body.took_ms ?? clientMs;
  $('#rec-time').textContent = `${Number(took).toFixed(2)} ms`;
  $('#rec-source').textContent = body.source ?? 'recommended';
  $('#rec-status').textContent = first ? '' : `${changed} new of ${ids.length}`;
  const n = adaptationCount(body);
  if (n !== null) {
    if (state.adaptations !== null && n > state.adaptations) markAdapted(`personal model adapted ×${n}`);
    else if (n === 0) $('#adapt-indicator').textContent = 'personal model: shared';
    state.adaptations = n;
  } else if (body.source === 'personalised' && !state.adaptSeen) $('#adapt-indicator').textContent = 'personal model: active';
  pushPoint({ rec: Number(took) });
}

// Prometheus text → adaptation time: the first histogram/summary whose name mentions "adapt" and ends in _sum/_count.
function parseAdaptation(text) {
  let sum = null;
  let count = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !/adapt/i.test(line)) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+([-+\d.eE]+|NaN)/);
    if (!m) continue;
    if (sum === null && m[1].endsWith('_sum')) sum = { name: m[1], value: Number(m[3]) };
    if (count === null && m[1].endsWith('_count')) count = Number(m[3]);
  }
  if (sum === null || count === null) return null;
  const seconds = /seconds/.test(sum.name);
  return { sumMs: seconds ? sum.value * 1000 : sum.value, count };
}

async function pollMetrics() {
  try {
    const res = await fetch(state.cfg.metricsPath, { headers: authHeaders() });
    if (!res.ok) return;
    const m = parseAdaptation(await res.text());
    if (!m) return;
    if (state.metrics && m.count > state.metrics.count) {
      const ms = (m.sumMs - state.metrics.sumMs) / (m.count - state.metrics.count);
      pushPoint({ adapt: ms });
      state.adaptSeen = true;
      if (state.adaptations === null) markAdapted(`personal model adapted (${ms.toFixed(1)} ms)`);
    }
    state.metrics = m;
  } catch {
    // the chart is optional: a service without /metrics simply shows latency only
  }
}

function pushPoint(p) {
  state.points.push({ t: Date.now(), ...p });
  if (state.points.length > 60) state.points.shift();
  drawChart();
}

function drawChart() {
  const c = $('#chart');
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  const pts = state.points;
  if (pts.length === 0) return;
  const max = Math.max(1, ...pts.map((p) => Math.max(p.rec ?? 0, p.adapt ?? 0))) * 1.15;
  const x = (i) => 30 + (i / Math.max(pts.length - 1, 1)) * (c.width - 40);
  const y = (v) => c.height - 15 - (v / max) * (c.height - 25);
  g.fillStyle = '#777';
  g.font = '10px sans-serif';
  g.fillText(`${max.toFixed(1)} ms`, 2, 12);
  g.fillText('0', 2, c.height - 15);
  for (const [key, colour] of [
    ['rec', '#3a6fb0'],
    ['adapt', '#2e8b57'],
  ]) {
    g.strokeStyle = colour;
    g.fillStyle = colour;
    g.beginPath();
    let started = false;
    pts.forEach((p, i) => {
      if (p[key] === undefined) return;
      if (started) g.lineTo(x(i), y(p[key]));
      else g.moveTo(x(i), y(p[key]));
      started = true;
      g.fillRect(x(i) - 1.5, y(p[key]) - 1.5, 3, 3);
    });
    g.stroke();
  }
}

async function loadGrid() {
  const params = new URLSearchParams({ offset: String(state.page * PAGE), limit: String(PAGE) });
  if (state.style) params.set('style', state.style);
  if (state.q) params.set('q', state.q);
  const page = await getJson(`api/catalogue?${params}`);
  state.total = page.total;
  $('#grid').replaceChildren(...page.items.map((it) => card(it, { rec: false })));
  const pages = Math.max(1, Math.ceil(page.total / PAGE));
  $('#page-info').textContent = ` ${state.page + 1} / ${pages} (${page.total}) `;
}

function setShopper(id) {
  state.user = id;
  state.recIds = [];
  state.recVersion = 0;
  state.adaptations = null;
  state.adaptSeen = false;
  state.cart = 0;
  $('#cart-count').textContent = '0';
  $('#shopper-id').textContent = id;
  $('#rec-row').dataset.version = '0';
  $('#adapt-indicator').textContent = 'personal model: shared';
  $('#adapt-indicator').classList.remove('on');
  for (const b of document.querySelectorAll('.actions button.done')) b.classList.remove('done');
  log(`shopper ${id}`);
  return refreshRecs();
}

function newShopper() {
  const id = `guest-${Math.random().toString(16).slice(2, 10)}`;
  const sel = $('#shopper-select');
  const opt = new Option(`${id} (new)`, id);
  sel.add(opt, 1);
  sel.value = id;
  return setShopper(id);
}

async function init() {
  state.cfg = await getJson('api/config');
  document.title = state.cfg.title;
  $('#title').textContent = state.cfg.title;
  const sel = $('#shopper-select');
  sel.add(new Option('— choose —', ''));
  const { shoppers } = await getJson('api/shoppers');
  for (const s of shoppers) sel.add(new Option(s, s));
  sel.addEventListener('change', () => sel.value && setShopper(sel.value));
  $('#new-shopper').addEventListener('click', () => newShopper());
  const { styles } = await getJson('api/styles');
  const sf = $('#style-filter');
  for (const s of styles) sf.add(new Option(`${s.style} (${s.count})`, s.style));
  sf.addEventListener('change', () => {
    state.style = sf.value;
    state.page = 0;
    loadGrid();
  });
  let timer;
  $('#search').addEventListener('input', (e) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = e.target.value.trim();
      state.page = 0;
      loadGrid();
    }, 250);
  });
  $('#prev').addEventListener('click', () => {
    if (state.page > 0) {
      state.page--;
      loadGrid();
    }
  });
  $('#next').addEventListener('click', () => {
    if ((state.page + 1) * PAGE < state.total) {
      state.page++;
      loadGrid();
    }
  });
  await loadGrid();
  await newShopper();
  setInterval(pollMetrics, 2000);
  pollMetrics();
  document.body.dataset.ready = 'true';
}

init().catch((err) => {
  log(`error: ${err.message}`);
  document.body.dataset.ready = 'error';
});
