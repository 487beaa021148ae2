// Entry point: hash routing (every page has its own linkable URL), live updates from the node's
// event stream, and the search box.
import { get } from './api.js';
import { h, errorBox, targetOf } from './ui.js';
import * as network from './pages/network.js';
import * as explorer from './pages/explorer.js';
import * as jobs from './pages/jobs.js';
import * as models from './pages/models.js';
import * as market from './pages/market.js';

// [pattern, nav section, page function, events from /v1/events that refresh it]
const BLOCK = ['block'];
const ROUTES = [
  [/^\/?$/, 'network', network.page, BLOCK],
  [/^\/network$/, 'network', network.page, BLOCK],
  [/^\/explorer$/, 'explorer', explorer.page, BLOCK],
  [/^\/block\/([^/]+)$/, 'explorer', explorer.blockPage, []],
  [/^\/tx\/([0-9a-fA-F]{64})$/, 'explorer', explorer.txPage, []],
  [/^\/account\/([0-9a-fA-F]{40})$/, 'explorer', explorer.accountPage, BLOCK],
  [/^\/search\/(.+)$/, 'explorer', explorer.searchPage, []],
  [/^\/jobs$/, 'jobs', jobs.page, BLOCK],
  [/^\/job\/([0-9a-fA-F]{64})$/, 'jobs', jobs.jobPage, BLOCK],
  [/^\/job\/([0-9a-fA-F]{64})\/round\/(\d+)$/, 'jobs', jobs.roundPage, BLOCK],
  [/^\/models$/, 'models', models.page, ['block', 'verification']],
  // A registered model never changes; only this node's verdict on it does.
  [/^\/model\/([^/]+)$/, 'models', models.modelPage, ['verification']],
  [/^\/dataset\/([^/]+)$/, 'models', models.datasetPage, []],
  [/^\/market$/, 'market', market.page, BLOCK],
];

const main = document.getElementById('main');
let current = { live: [], token: 0, path: null };
let pollTimer = null;

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
  current = { ...current, path, live: route ? route.live : [], token };
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
  // A page still waiting for something (e.g. a verdict) asks to be refreshed after a while.
  clearTimeout(pollTimer);
  const poll = main.querySelector('[data-poll]');
  if (poll) {
    pollTimer = setTimeout(() => { if (token === current.token) refreshSoon(); }, Number(poll.dataset.poll));
  }
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

/** Re-renders the current page in place, at most every 1.5 s. */
function refreshSoon() {
  if (pending) return;
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

function onEvent(kind) {
  if (current.live.includes(kind)) refreshSoon();
}

function onBlock(event) {
  const b = JSON.parse(event.data);
  liveText.textContent = `live · height ${b.height}`;
  onEvent('block');
}

function connect() {
  const events = new EventSource('/v1/events');
  events.addEventListener('open', () => {
    live.className = 'live on';
    liveText.textContent = 'live';
  });
  events.addEventListener('block', onBlock);
  events.addEventListener('verification', () => onEvent('verification'));
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
