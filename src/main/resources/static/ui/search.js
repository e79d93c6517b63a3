// A search: the leaderboard (sortable, with the spread over folds), score against trial number and against
// each parameter, the best trial's curves, and the curves of the trials selected in the leaderboard.
import { get, every } from './api.js';
import { h, add, fill, num, alertBox, showError, TERMINAL, shortId } from './dom.js';
import { CurveChart, ScatterChart, axisOf } from './charts.js';
import { jobHeader, resolvedRequest, curves } from './job.js';

const POLL_MS = 2000;

function paramText(value) {
  if (typeof value === 'number') return num(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function spread(trial) {
  if (!Array.isArray(trial.foldScores) || trial.foldScores.length === 0) return '–';
  return `${num(Math.min(...trial.foldScores))} – ${num(Math.max(...trial.foldScores))} (${trial.foldScores.length} folds)`;
}

/** The leaderboard's columns: how each reads its value and, for sorting, its key. */
function columns(paramNames) {
  return [
    { label: 'Rank', key: t => t.rank ?? Infinity, cell: t => t.rank ?? '–', num: true },
    { label: 'Trial', key: t => t.index, cell: t => t.index, num: true },
    ...paramNames.map(p => ({ label: p, key: t => t.params[p], cell: t => paramText(t.params[p]), num: false })),
    { label: 'Score', key: t => t.score ?? -Infinity, cell: t => num(t.score), num: true, score: true, descending: true },
    { label: '± std', key: t => t.scoreStd ?? Infinity, cell: t => num(t.scoreStd), num: true },
    { label: 'Fold spread', key: t => t.foldScores ? Math.max(...t.foldScores) - Math.min(...t.foldScores) : Infinity, cell: spread, num: true },
    { label: 'Validation loss', key: t => t.validationLoss ?? Infinity, cell: t => num(t.validationLoss), num: true },
    { label: 'Epochs', key: t => t.epochs ?? 0, cell: t => t.epochs ?? '–', num: true },
    { label: 'Fit', key: t => t.fitMillis ?? 0, cell: t => t.fitMillis === undefined || t.fitMillis === null ? '–' : `${t.fitMillis} ms`, num: true },
    { label: 'Status', key: t => t.status, cell: t => t.stopReason ? `${t.status} (${t.stopReason})` : t.status, num: false },
  ];
}

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

class Leaderboard {
  /** onSelect(indices) is told the selected trials (in selection order) whenever a box is ticked or cleared. */
  constructor(container, onSelect) {
    this.container = container;
    this.sort = { column: 0, ascending: true };
    this.trials = [];
    this.selected = [];
    this.onSelect = onSelect;
  }

  toggle(index, on) {
    this.selected = on ? [...this.selected.filter(i => i !== index), index] : this.selected.filter(i => i !== index);
    this.onSelect(this.selected);
  }

  set(trials, paramNames) {
    this.trials = trials;
    this.cols = columns(paramNames);
    this.draw();
  }

  draw() {
    const { column, ascending } = this.sort;
    const col = this.cols[column];
    const sorted = [...this.trials].sort((a, b) => (ascending ? 1 : -1) * compare(col.key(a), col.key(b)));
    const pick = h('th', { scope: 'col' }, 'Compare');
    const head = this.cols.map((c, i) => h('th', {
      scope: 'col', class: c.num ? 'num' : null,
      'aria-sort': i === column ? (ascending ? 'ascending' : 'descending') : 'none',
    }, h('button', { type: 'button', onclick: () => this.by(i) }, c.label, i === column ? (ascending ? ' ▲' : ' ▼') : '')));
    const rows = sorted.map(t => h('tr', { dataset: { trial: t.index, score: t.score ?? '' } },
      h('td', {}, h('input', { type: 'checkbox', class: 'compare', value: t.index, 'aria-label': `compare trial ${t.index}`,
        checked: this.selected.includes(t.index), onchange: e => this.toggle(t.index, e.target.checked) })),
      this.cols.map(c => h('td', { class: [c.num ? 'num' : '', c.score ? 'score' : ''].join(' ').trim() || null }, c.cell(t)))));
    fill(this.container, h('div', { class: 'table-wrap' }, h('table', { id: 'leaderboard' },
      h('caption', { class: 'note' }, 'Sort by any column: its header is a button. Tick trials to compare their curves below.'),
      h('thead', {}, h('tr', {}, pick, head)), h('tbody', {}, rows))));
  }

  by(column) {
    // A column sorts first in its natural order (scores best first), and the other way on a second press.
    this.sort = { column, ascending: this.sort.column === column ? !this.sort.ascending : !this.cols[column].descending };
    this.draw();
    this.container.querySelectorAll('th button')[column].focus();
  }
}

export async function render(main, job) {
  document.title = `${job.name || shortId(job.id)} · Backprop`;
  const box = alertBox();
  const update = jobHeader(main, job, box);
  const board = h('div', { id: 'leaderboard-wrap' });
  const scatters = h('div', { class: 'row', id: 'score-charts' });
  const best = h('div', { class: 'row' });
  const bestNote = h('p', { class: 'note' });
  const compared = h('div', { id: 'compared' });
  const comparedNote = h('p', { class: 'note', id: 'compared-note' }, 'Tick trials in the leaderboard\'s first column to draw their curves here.');
  add(main, h('h2', {}, 'Leaderboard'), board, h('h2', {}, 'Scores'), scatters,
    h('h2', {}, 'Curves of the best trial'), bestNote, best,
    h('h2', {}, 'Curves of the selected trials'), comparedNote, compared, resolvedRequest(job));
  const histories = new Map();
  let shownTrials = [];
  const leaderboard = new Leaderboard(board, selected => drawSelected(job, selected, {
    histories, trials: shownTrials, container: compared, note: comparedNote, current: () => leaderboard.selected,
  }).catch(error => showError(box, error)));
  let charts = null;
  let drawCurves = null;

  const show = metrics => {
    const search = metrics.search;
    if (!search) return;
    const trials = search.trials || [];
    const paramNames = Object.keys((job.search && job.search.space) || (trials[0] && trials[0].params) || {});
    shownTrials = trials;
    leaderboard.set(trials, paramNames);
    charts = charts || scoreCharts(scatters, search.metric, (job.search && job.search.space) || {}, trials, paramNames);
    const scored = trials.filter(t => typeof t.score === 'number');
    charts.byTrial.set(scored.map(t => ({ x: t.index, y: t.score, label: `trial ${t.index}: ${search.metric} ${t.score}` })));
    for (const [name, chart] of charts.byParam) {
      chart.chart.set(scored.map(t => ({ x: chart.axis.x(t.params[name]), y: t.score,
        label: `trial ${t.index}: ${name} ${paramText(t.params[name])}, ${search.metric} ${t.score}` })));
    }
    if (search.bestHistory && search.bestHistory.length) {
      drawCurves = drawCurves || curves(best, metrics.metric);
      const bestTrial = trials.find(t => t.index === search.bestIndex);
      fill(bestNote, `Trial ${search.bestIndex}`, search.bestParams ? ` (${paramsText(search.bestParams)})` : '',
      folds(search), '.');
      drawCurves(search.bestHistory, bestTrial ? bestTrial.bestEpoch : metrics.bestEpoch);
    }
  };

  every(POLL_MS, async () => {
    try {
      const [current, metrics] = await Promise.all([get(`/jobs/${job.id}`), get(`/jobs/${job.id}/metrics`)]);
      update(current);
      show(metrics);
      return TERMINAL.includes(current.status);
    } catch (error) {
      showError(box, error);
      return false;
    }
  });
}

function paramsText(params) {
  return Object.entries(params || {}).map(([k, v]) => `${k} ${paramText(v)}`).join(', ');
}

/**
 * Draws the selected trials' validation loss and validation metric (training ones without held-out rows) per
 * epoch, one series a trial, from GET /jobs/{id}/trials/{trial}/history; a finished trial's history does not
 * change, so each is read once.
 */
async function drawSelected(job, selected, { histories, trials, container, note, current }) {
  for (const index of selected) {
    if (!histories.has(index)) histories.set(index, await get(`/jobs/${job.id}/trials/${index}/history`));
  }
  // a box ticked while the histories were read has drawn (or will draw) the newer selection
  if (current() !== selected) return;
  const chosen = selected.map(i => histories.get(i)).filter(t => t && Array.isArray(t.history) && t.history.length);
  if (chosen.length === 0) {
    fill(container);
    fill(note, selected.length ? 'The selected trials recorded no epochs.' : 'Tick trials in the leaderboard\'s first column to draw their curves here.');
    return;
  }
  const validation = chosen.every(t => t.history.some(e => typeof e.validationLoss === 'number'));
  const lossKey = validation ? 'validationLoss' : 'loss';
  const metricKey = validation ? 'validationMetric' : 'metric';
  const metric = chosen[0].metric || 'metric';
  const byEpoch = new Map();
  chosen.forEach(t => t.history.forEach(e => {
    const record = byEpoch.get(e.epoch) || { epoch: e.epoch };
    record[`loss${t.trial}`] = e[lossKey];
    record[`metric${t.trial}`] = e[metricKey];
    byEpoch.set(e.epoch, record);
  }));
  const records = [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  const label = t => `trial ${t.trial}`;
  fill(container);
  const row = h('div', { class: 'row' });
  container.append(row);
  const prefix = validation ? 'validation ' : '';
  const loss = new CurveChart(row, { title: `${prefix}loss of the selected trials`, yLabel: `${prefix}loss`,
    series: chosen.map(t => ({ key: `loss${t.trial}`, label: label(t) })), marked: 'epoch' });
  const score = new CurveChart(row, { title: `${prefix}${metric} of the selected trials`, yLabel: `${prefix}${metric}`,
    series: chosen.map(t => ({ key: `metric${t.trial}`, label: label(t) })), marked: 'epoch' });
  loss.el.id = 'compared-loss';
  score.el.id = 'compared-metric';
  for (const chart of [loss, score]) {
    chart.set(records, null);
    chart.el.dataset.trials = chosen.map(t => `${t.trial}:${t.history.length}`).join(',');
  }
  fill(note, chosen.map(t => {
    const ranked = trials.find(r => r.index === t.trial);
    return `Trial ${t.trial}${ranked && ranked.rank ? ` (rank ${ranked.rank})` : ''}: ${paramsText(t.params)}; ${t.history.length} epochs.`;
  }).join(' '), validation ? '' : ' Drawn on the training rows: a selected trial has no held-out rows.');
}

function folds(search) {
  return search.folds ? `, its first fold of ${search.folds}` : '';
}

/** One scatter of score against trial number, and one against each parameter of the space. */
function scoreCharts(container, metric, space, trials, paramNames) {
  const byTrial = new ScatterChart(container, { title: `${metric} by trial`, xLabel: 'trial', yLabel: metric });
  byTrial.el.id = 'score-by-trial';
  const byParam = new Map();
  for (const name of paramNames) {
    // The space's own list gives every category from the start; a distribution is numeric (log for loguniform).
    const listed = Array.isArray(space[name]) ? space[name] : null;
    const axis = listed ? axisOf(listed) : axisOf(trials.map(t => t.params[name]).filter(v => v !== undefined));
    if (!listed && space[name] && space[name].distribution === 'loguniform') axis.logX = true;
    const chart = new ScatterChart(container, { title: `${metric} by ${name}`, xLabel: name, yLabel: metric,
      categories: axis.categories, logX: axis.logX });
    byParam.set(name, { axis, chart });
  }
  return { byTrial, byParam };
}
