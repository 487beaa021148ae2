// Entry point: hash routing (every page has its own linkable URL), live updates from the node's
// event stream, and the search box.
import { get } from './api.js';
import { h, errorBox, targetOf } from './ui.js';
import * as network from './pages/network.js';
import * as explorer from './pages/explorer.js';
import * as jobs from './pages/jobs.js';
import * as models from './pages/models.js';

// [pattern, nav section, page function, refresh on new blocks]
const ROUTES = [
  [/^\/?$/, 'network', network.page, true],
  [/^\/network$/, 'network', network.page, true],
  [/^\/explorer$/, 'explorer', explorer.page, true],
  [/^\/block\/([^/]+)$/, 'explorer', explorer.blockPage, false],
  [/^\/tx\/([0-9a-fA-F]{64})$/, 'explorer', explorer.txPage, false],
  [/^\/account\/([0-9a-fA-F]{40})$/, 'explorer', explorer.accountPage, true],
  [/^\/search\/(.+)$/, 'explorer', explorer.searchPage, false],
  [/^\/jobs$/, 'jobs', jobs.page, true],
  [/^\/job\/([0-9a-fA-F]{64})$/, 'jobs', jobs.jobPage, true],
  [/^\/job\/([0-9a-fA-F]{64})\/round\/(\d+)$/, 'jobs', jobs.roundPage, true],
  [/^\/models$/, 'models', models.page, true],
  [/^\/model\/([^/]+)$/, 'models', models.modelPage, false],
  [/^\/dataset\/([^/]+)$/, 'models', models.datasetPage, false],
];

const main = document.getElementById('main');
let current = { live: false, token: 0, path: null };

function resolve(path) {
  for (const [re, nav, fn, live] of ROUTES) {
    const m = path.match(re);
    if (m) return { nav, fn, live, args: m.slice(1).map(decodeURIComponent) };
  }
  return null;
}

async function render({ refresh = false } = {}) {
  const path = location.hash.replace(/^#/, '') || '/network';
  const route = resolve(path);
  const token = ++current.token;
  current = { ...current, path, live: route ? route.live : false, token };
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (route && a.dataset.nav === route.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  let content;
  try {
    content = route
      ? await route.fn(...route.args)
      : h('div', {}, h('h1', {}, 'Not found'), h('p', {}, `No page at ${path}. `, h('a', { href: '#/network' }, 'Go to the network page.')));
  } catch (e) {
    content = h('div', {}, h('h1', {}, 'Could not load this page'), errorBox(e));
  }
  if (token !== current.token) return; // a newer navigation or refresh won
  const scroll = window.scrollY;
  main.replaceChildren(content);
  main.dataset.page = route ? route.fn.name : 'none';
  main.dataset.path = path;
  main.dataset.loaded = String(Date.now());
  if (refresh) {
    window.scrollTo(0, scroll);
  } else {
    const title = main.querySelector('h1');
    document.title = `${title ? title.textContent : 'fedledger'} · fedledger`;
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

// ---- live updates ----

const live = document.getElementById('live');
const liveText = document.getElementById('live-text');
let pending = false;
let lastRefresh = 0;

function onBlock(event) {
  const b = JSON.parse(event.data);
  liveText.textContent = `live · height ${b.height}`;
  if (!current.live || pending) return;
  pending = true;
  const wait = Math.max(0, 1500 - (Date.now() - lastRefresh));
  setTimeout(async () => {
    pending = false;
    lastRefresh = Date.now();
    // Do not replace the page under someone typing or reading a focused control.
    if (document.activeElement && document.activeElement.closest && document.activeElement.closest('#main form')) return;
    await render({ refresh: true });
  }, wait);
}

function connect() {
  const events = new EventSource('/v1/events');
  events.addEventListener('open', () => {
    live.className = 'live on';
    liveText.textContent = 'live';
  });
  events.addEventListener('block', onBlock);
  events.addEventListener('error', () => {
    live.className = 'live off';
    liveText.textContent = 'reconnecting…';
  });
}

// ---- search ----

document.getElementById('search').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('search-input');
  const q = input.value.trim();
  if (!q) return;
  location.hash = await searchTarget(q);
});

export async function searchTarget(q) {
  const result = await get(`/v1/search?q=${encodeURIComponent(q)}`);
  if (result.matches.length === 1) return targetOf(result.matches[0]);
  return `#/search/${encodeURIComponent(q)}`;
}

async function start() {
  try {
    const status = await get('/v1/status');
    document.getElementById('chain').textContent = `chain ${status.chainId} · node ${status.nodeId}`;
  } catch (e) {
    document.getElementById('chain').textContent = 'node unreachable';
  }
  window.addEventListener('hashchange', () => render());
  connect();
  await render();
}

start();
