// Small DOM helpers: elements are built with createElement and text nodes, never innerHTML.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function short(hex, n = 10) {
  if (!hex) return '—';
  return hex.length > n + 2 ? `${hex.slice(0, n)}…` : hex;
}

/** A hash or address: shortened, full value in the title and for screen readers. */
export function hashText(hex, n = 10) {
  return h('span', { class: 'mono short', title: hex, 'aria-label': hex || 'none' }, short(hex, n));
}

export function link(href, content, attrs = {}) {
  return h('a', { href, ...attrs }, content);
}

export const links = {
  block: (height) => link(`#/block/${height}`, String(height)),
  tx: (hash, n) => link(`#/tx/${hash}`, hashText(hash, n)),
  account: (address, n) => (address ? link(`#/account/${address}`, hashText(address, n)) : '—'),
  job: (id, n) => link(`#/job/${id}`, hashText(id, n)),
  round: (job, r) => link(`#/job/${job}/round/${r}`, `Round ${r}`),
  model: (id, n) => link(`#/model/${id}`, hashText(id, n)),
  dataset: (id) => link(`#/dataset/${encodeURIComponent(id)}`, id),
};

export function fmtNum(n) {
  if (n === null || n === undefined || n === '') return '—';
  return Number(n).toLocaleString('en-US');
}

export function fmtTime(ms) {
  if (!ms) return '—';
  return new Date(Number(ms)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function ppmPercent(ppm) {
  return `${(Number(ppm) / 10000).toFixed(2)} %`;
}

const STATUS_CLASS = {
  OK: 'ok', FAILED: 'bad',
  JOB_OPEN: '', JOB_RUNNING: 'warn', JOB_COMPLETED: 'ok', JOB_CANCELLED: 'bad',
  ROUND_OPEN: '', ROUND_COMMITTED: 'warn', ROUND_FINAL: 'ok',
  accepted: 'ok', rejected: 'bad',
  valid: 'ok', invalid: 'bad', unavailable: 'warn', pending: '',
};

export function badge(status, text) {
  const label = text || String(status).replace(/^(JOB|ROUND)_/, '').toLowerCase();
  return h('span', { class: `badge ${STATUS_CLASS[status] || ''}` }, label);
}

export function stat(label, value) {
  return h('div', { class: 'card stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
}

export function card(title, ...content) {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...content);
}

/** columns: [{label, num?}] ; rows: arrays of cells. */
export function table(caption, columns, rows, empty = 'None yet.') {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', {},
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((cell, i) => h('td', { class: columns[i] && columns[i].num ? 'num' : null }, cell)))))));
}

/** A dataset's schema: its text, or for a registered schema document the document's hash. */
export function schemaText(d) {
  return d.schema && d.schema.startsWith('{') ? `schema document ${short(d.schemaHash, 16)}` : d.schema;
}

export function kv(pairs) {
  return h('dl', { class: 'kv' }, pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert' }, e && e.message ? e.message : String(e));
}

export function metricsOf(list) {
  const out = {};
  for (const m of list || []) out[m.name] = Number(m.value);
  return out;
}

/** The page a search match leads to. */
export function targetOf(match) {
  switch (match.kind) {
    case 'block': return `#/block/${match.id}`;
    case 'transaction': return `#/tx/${match.id}`;
    case 'account': return `#/account/${match.id}`;
    case 'job': return `#/job/${match.id}`;
    case 'model': return `#/model/${encodeURIComponent(match.id)}`;
    case 'dataset': return `#/dataset/${encodeURIComponent(match.id)}`;
    default: return '#/explorer';
  }
}
