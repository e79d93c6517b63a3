// Charts on uPlot (a WebJar): epoch curves downsampled for display with exact values on hover, and scatters.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { h } from './dom.js';

/** Buckets of the min/max downsampling: a curve draws at most about twice this many points. */
const BUCKETS = 500;
const HEIGHT = 260;
const SMALL_HEIGHT = 170;
const COLORS = ['#1f5fbf', '#d0632b', '#1d7a3a', '#8e44ad', '#b3261e', '#5b6673'];

/**
 * The indices to draw of a curve of n points: all of them when few, else the first and last, each
 * bucket's lowest and highest point of the primary series (so spikes and the minimum survive) and the kept
 * indices. A 10,000-epoch history draws ~1,000 points; the hover readout still reads every epoch.
 */
export function downsample(values, keep = []) {
  const n = values.length;
  if (n <= 2 * BUCKETS) return [...Array(n).keys()];
  // Buckets come in order and each adds its two points in order, so the list stays sorted without a sort.
  const picked = [0];
  const size = n / BUCKETS;
  for (let b = 0; b < BUCKETS; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      if (lo < 0 || v < values[lo]) lo = i;
      if (hi < 0 || v > values[hi]) hi = i;
    }
    if (lo < 0) continue;
    for (const i of lo < hi ? [lo, hi] : [hi, lo]) {
      if (i > picked[picked.length - 1]) picked.push(i);
    }
  }
  if (picked[picked.length - 1] !== n - 1) picked.push(n - 1);
  for (const k of keep) {
    if (k < 0 || k >= n) continue;
    const at = insertionPoint(picked, k);
    if (picked[at] !== k) picked.splice(at, 0, k);
  }
  return picked;
}

function insertionPoint(sorted, value) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function width(el) {
  return Math.max(240, el.clientWidth || 600);
}

/**
 * Follows the element's width, on the next frame and only when it changed: resizing inside the observer's own
 * callback reflows a page of many charts again within the frame, which the browser reports as an error
 * ("ResizeObserver loop completed with undelivered notifications").
 */
function resizeWith(el, plot, height = HEIGHT) {
  let drawn = width(el);
  let pending = false;
  new ResizeObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const now = width(el);
      if (now !== drawn) {
        drawn = now;
        plot.setSize({ width: now, height });
      }
    });
  }).observe(el);
}

/** A vertical dashed line with a label at x, drawn over the plot. */
function marker(u, x, label) {
  if (x === null || x === undefined) return;
  const left = u.valToPos(x, 'x', true);
  if (!Number.isFinite(left)) return;
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = '#b3261e';
  ctx.setLineDash([5, 4]);
  ctx.lineWidth = 1.5 * devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(left, bbox.top);
  ctx.lineTo(left, bbox.top + bbox.height);
  ctx.stroke();
  ctx.fillStyle = '#b3261e';
  ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
  ctx.fillText(label, left + 4 * devicePixelRatio, bbox.top + 14 * devicePixelRatio);
  ctx.restore();
}

/**
 * Per-epoch curves of one quantity (e.g. loss and validation loss) over history records
 * ({epoch, loss, validationLoss, ...}). The element carries data-points (epochs received), data-drawn (points
 * drawn) and data-last-epoch, and a readout under the plot gives the exact values of the epoch under the cursor.
 */
export class CurveChart {
  constructor(container, { title, yLabel, series, log = false, xKey = 'epoch', xLabel = 'epoch', marked = 'best epoch' }) {
    this.series = series;
    this.xKey = xKey;
    this.xLabel = xLabel;
    this.marked = marked;
    this.records = [];
    this.bestEpoch = null;
    this.el = h('div', { class: 'chart', role: 'img', 'aria-label': title });
    this.readout = h('p', { class: 'readout' });
    container.append(h('figure', { class: 'curve' }, this.el, this.readout));
    this.plot = new uPlot({
      title,
      width: width(this.el),
      height: HEIGHT,
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      legend: { live: false },
      axes: [{ label: xLabel }, { label: yLabel, size: 60 }],
      series: [{ label: xLabel }, ...series.map((s, i) => ({
        label: s.label, stroke: s.color || COLORS[i], width: 1.5, dash: s.dash, spanGaps: true, points: { show: false },
      }))],
      hooks: {
        draw: [u => marker(u, this.bestEpoch, `${this.marked} ${this.bestEpoch}`)],
        setCursor: [u => this.hover(u)],
      },
    }, [[], ...series.map(() => [])], this.el);
    resizeWith(this.el, this.plot);
  }

  /** Draws records sorted by epoch; bestEpoch, when known, is marked. */
  set(records, bestEpoch) {
    this.records = records;
    this.bestEpoch = bestEpoch ?? null;
    const primary = records.map(r => r[this.series[0].key] ?? null);
    const bestIndex = bestEpoch ? records.findIndex(r => r[this.xKey] === bestEpoch) : -1;
    const indices = downsample(primary, [bestIndex]);
    const data = [indices.map(i => records[i][this.xKey]),
      ...this.series.map(s => indices.map(i => finite(records[i][s.key])))];
    this.plot.setData(data);
    this.el.dataset.points = String(records.length);
    this.el.dataset.drawn = String(indices.length);
    this.el.dataset.lastEpoch = records.length ? String(records[records.length - 1][this.xKey]) : '';
  }

  hover(u) {
    if (u.cursor.left === undefined || u.cursor.left < 0 || this.records.length === 0) {
      this.readout.textContent = '';
      return;
    }
    const record = nearest(this.records, this.xKey, u.posToVal(u.cursor.left, 'x'));
    this.readout.textContent = `${this.xLabel} ${record[this.xKey]}: ` + this.series
      .map(s => `${s.label} ${record[s.key] === null || record[s.key] === undefined ? '–' : record[s.key]}`).join(', ');
  }
}

function finite(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The record whose key is nearest x, by binary search over records sorted by that key. */
function nearest(records, key, x) {
  let lo = 0;
  let hi = records.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid][key] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(records[lo - 1][key] - x) <= Math.abs(records[lo][key] - x)) return records[lo - 1];
  return records[lo];
}

/**
 * Points of y against x with a readout of the point under the cursor. x is numeric (log-scaled when
 * logX) or categorical: categories names the x positions 0..k-1.
 */
export class ScatterChart {
  constructor(container, { title, xLabel, yLabel, categories = null, logX = false }) {
    this.points = [];
    this.categories = categories;
    this.el = h('div', { class: 'chart', role: 'img', 'aria-label': title });
    this.readout = h('p', { class: 'readout' });
    container.append(h('figure', { class: 'scatter' }, this.el, this.readout));
    const xAxis = { label: xLabel };
    const xScale = { time: false };
    if (categories) {
      xAxis.values = (u, splits) => splits.map(v => categories[v] ?? '');
      xAxis.splits = () => categories.map((_, i) => i);
      xScale.range = () => [-0.5, categories.length - 0.5];
    } else if (logX) {
      xScale.distr = 3;
    }
    this.plot = new uPlot({
      title,
      width: width(this.el),
      height: HEIGHT,
      scales: { x: xScale },
      legend: { show: false },
      axes: [xAxis, { label: yLabel, size: 60 }],
      series: [{}, { label: yLabel, stroke: COLORS[0], fill: COLORS[0], paths: () => null, points: { show: true, space: 0, size: 8 } }],
      cursor: { points: { size: 12 } },
      hooks: { setCursor: [u => this.hover(u)] },
    }, [[], []], this.el);
    resizeWith(this.el, this.plot);
  }

  /** points: [{x, y, label}]; drawn sorted by x, as uPlot wants. */
  set(points) {
    this.points = points.filter(p => p.x !== null && p.x !== undefined).sort((a, b) => a.x - b.x);
    this.plot.setData([this.points.map(p => p.x), this.points.map(p => finite(p.y))]);
    this.el.dataset.points = String(this.points.length);
  }

  hover(u) {
    const point = u.cursor.idx === null || u.cursor.idx === undefined ? null : this.points[u.cursor.idx];
    this.readout.textContent = point ? point.label : '';
  }
}

/** A numeric or categorical axis for a parameter's values: numbers stay, anything else becomes a category index. */
export function axisOf(values) {
  if (values.every(v => typeof v === 'number')) {
    const positive = values.every(v => v > 0);
    const spread = positive ? Math.max(...values) / Math.min(...values) : 0;
    return { categories: null, logX: positive && spread >= 50, x: v => v };
  }
  const categories = [...new Set(values.map(v => JSON.stringify(v)))];
  return { categories: categories.map(c => JSON.parse(c)).map(String), logX: false, x: v => categories.indexOf(JSON.stringify(v)) };
}


/**
 * Curves of y against x that each have their own points (ROC or precision–recall curves, one per class), on one
 * x scale: uPlot wants one x array, so the points are merged by x (a stable sort keeps each curve's own order,
 * vertical steps included) and each series is null where another's point is, with its gaps spanned. The element
 * carries data-points (the first curve's points) and data-series-points (every curve's, comma-separated).
 */
export class XYChart {
  constructor(container, { title, xLabel, yLabel, curves }) {
    this.curves = curves;
    this.el = h('div', { class: 'chart', role: 'img', 'aria-label': title });
    this.readout = h('p', { class: 'readout' });
    container.append(h('figure', { class: 'curve' }, this.el, this.readout));
    const merged = [];
    curves.forEach((curve, s) => curve.points.forEach(p => merged.push({ s, x: p.x, y: p.y, label: p.label })));
    merged.sort((a, b) => a.x - b.x);
    this.merged = merged;
    this.plot = new uPlot({
      title,
      width: width(this.el),
      height: HEIGHT,
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1.02] } },
      legend: { show: curves.length > 1, live: false },
      axes: [{ label: xLabel }, { label: yLabel, size: 60 }],
      series: [{ label: xLabel }, ...curves.map((c, i) => ({
        label: c.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: { show: false },
      }))],
      hooks: { setCursor: [u => this.hover(u)] },
    }, [merged.map(p => p.x), ...curves.map((_, s) => merged.map(p => (p.s === s ? finite(p.y) : null)))], this.el);
    resizeWith(this.el, this.plot);
    this.el.dataset.points = String(curves.length ? curves[0].points.length : 0);
    this.el.dataset.seriesPoints = curves.map(c => c.points.length).join(',');
  }

  hover(u) {
    const point = u.cursor.idx === null || u.cursor.idx === undefined ? null : this.merged[u.cursor.idx];
    this.readout.textContent = point ? `${this.curves.length > 1 ? `${this.curves[point.s].label}: ` : ''}${point.label}` : '';
  }
}

/**
 * A histogram: one bar per bin between its edges (edges has one more entry than counts). The element carries
 * data-bars (bins drawn) and data-total (values counted); the readout gives the bin under the cursor.
 */
export class HistogramChart {
  constructor(container, { title, xLabel, edges, counts }) {
    this.edges = edges;
    this.counts = counts;
    this.el = h('div', { class: 'chart small', role: 'img', 'aria-label': title });
    this.readout = h('p', { class: 'readout' });
    container.append(h('figure', { class: 'histogram' }, this.el, this.readout));
    const centers = counts.map((_, i) => (edges[i] + edges[i + 1]) / 2);
    const single = counts.length === 1;
    this.plot = new uPlot({
      title,
      width: width(this.el),
      height: SMALL_HEIGHT,
      // one bin (a column of one value) has no width of its own: give it a unit around the value
      scales: { x: { time: false, range: single ? [edges[0] - 0.5, edges[0] + 0.5] : [edges[0], edges[edges.length - 1]] },
        y: { range: (u, min, max) => [0, Math.max(1, max) * 1.05] } },
      legend: { show: false },
      axes: [{ label: xLabel }, { label: 'rows', size: 50 }],
      series: [{}, { label: 'rows', stroke: COLORS[0], fill: 'rgba(31, 95, 191, 0.35)', width: 1,
        paths: uPlot.paths.bars({ size: [0.96, Infinity] }), points: { show: false } }],
      hooks: { setCursor: [u => this.hover(u)] },
    }, [centers, counts], this.el);
    resizeWith(this.el, this.plot, SMALL_HEIGHT);
    this.el.dataset.bars = String(counts.length);
    this.el.dataset.total = String(counts.reduce((a, b) => a + b, 0));
  }

  hover(u) {
    const i = u.cursor.idx;
    this.readout.textContent = i === null || i === undefined ? ''
      : `${this.edges[i]} – ${this.edges[i + 1]}${i === this.counts.length - 1 ? ' (inclusive)' : ''}: ${this.counts[i]} rows`;
  }
}
