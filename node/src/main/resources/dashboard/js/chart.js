// Inline SVG charts: no library, no network. One point per data item, each with a tooltip.
import { h } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function niceTicks(min, max, count) {
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

/**
 * A line chart. points: [{x, y, label}] sorted by x; series: CSS class ('accuracy', 'loss');
 * format: y value -> tick text.
 */
export function lineChart({ id, title, description, series, points, format, xLabel }) {
  const W = 520, H = 250, L = 62, R = 16, T = 14, B = 40;
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`,
    'data-series': series, 'data-points': points.length, class: series,
  });
  svg.append(s('title', { id: `${id}-title` }, title), s('desc', { id: `${id}-desc` }, description));
  if (!points.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, 'No finished round yet'));
    return h('figure', { class: 'chart' }, svg);
  }
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xMin = Math.min(...xs), xMax = Math.max(...xs);
  const yTicks = niceTicks(Math.min(...ys), Math.max(...ys), 4);
  const yMin = yTicks[0], yMax = yTicks[yTicks.length - 1];
  const px = (x) => (xMax === xMin ? L + (W - L - R) / 2 : L + ((x - xMin) / (xMax - xMin)) * (W - L - R));
  const py = (y) => T + (1 - (y - yMin) / (yMax - yMin)) * (H - T - B);
  for (const t of yTicks) {
    svg.append(s('line', { x1: L, x2: W - R, y1: py(t), y2: py(t), class: 'grid-line' }));
    svg.append(s('text', { x: L - 8, y: py(t) + 4, 'text-anchor': 'end', class: 'tick' }, format(t)));
  }
  svg.append(s('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }));
  svg.append(s('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'axis' }));
  for (const x of xs) {
    svg.append(s('text', { x: px(x), y: H - B + 18, 'text-anchor': 'middle', class: 'tick' }, String(x)));
  }
  svg.append(s('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', class: 'tick' }, xLabel));
  svg.append(s('polyline', { class: 'line', points: points.map((p) => `${px(p.x)},${py(p.y)}`).join(' ') }));
  for (const p of points) {
    svg.append(s('circle', { class: 'point', cx: px(p.x), cy: py(p.y), r: 5, 'data-x': p.x },
      s('title', {}, p.label)));
  }
  return h('figure', { class: 'chart' }, svg);
}

/** Vertical bars, e.g. transactions per block; values: [{x, y, label}] oldest first. */
export function barChart({ id, title, values }) {
  const W = 520, H = 120, P = 4;
  const max = Math.max(1, ...values.map((v) => v.y));
  const w = values.length ? (W - 2 * P) / values.length : 0;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-title`, class: 'bars' });
  svg.append(s('title', { id: `${id}-title` }, title));
  values.forEach((v, i) => {
    const bh = Math.max(1, (v.y / max) * (H - 2 * P));
    svg.append(s('rect', { x: P + i * w + 1, y: H - P - bh, width: Math.max(1, w - 2), height: bh },
      s('title', {}, v.label)));
  });
  return h('figure', { class: 'chart' }, svg);
}
