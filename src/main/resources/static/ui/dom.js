// Small DOM and formatting helpers shared by the pages.

/** Creates an element: h('a', {href: '/x', class: 'y'}, 'text', child). Attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Appends children, skipping absent ones (null, undefined, false), which the DOM's append would print. */
export function add(el, ...children) {
  append(el, children);
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A number for reading: up to 4 significant digits, integers as they are. */
export function num(value, digits = 4) {
  if (value === null || value === undefined) return '–';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(digits)));
}

/** Seconds as "1 h 2 min", "3 min 4 s" or "5 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${s} s`;
}

export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '–';
}

export function statusBadge(status) {
  return h('span', { class: `status ${status}` }, status);
}

export function warningBadges(warnings) {
  return (warnings || []).map(w => h('span', { class: 'warning', title: w.message }, w.code));
}

export function warningList(warnings) {
  if (!warnings || warnings.length === 0) return null;
  return h('ul', { class: 'warnings' }, warnings.map(w => h('li', {}, h('strong', {}, w.code), ': ', w.message)));
}

/** A table wrapped for narrow windows. */
export function table(head, rows, attrs = {}) {
  return h('div', { class: 'table-wrap' }, h('table', attrs,
    h('thead', {}, h('tr', {}, head.map(c => typeof c === 'string' ? h('th', { scope: 'col' }, c) : c))),
    h('tbody', {}, rows)));
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(p => p[1] !== undefined && p[1] !== null)
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '–';
}

/** A live region for failures: shows an error's message (an API problem's title, detail and fields). */
export function alertBox() {
  return h('div', { class: 'alert', role: 'alert' });
}

export function showError(box, error) {
  fill(box, error && error.message ? error.message : String(error));
}

export const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
