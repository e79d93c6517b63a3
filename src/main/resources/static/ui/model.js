// A model: metrics beside the baseline, the confusion matrix as a heat map, curves and importances when the
// API gives them, residuals for regression, provenance, downloads, and a predict form from the input schema.
import { get, post, download } from './api.js';
import { h, add, fill, facts, table, num, when, shortId, warningList, alertBox, showError } from './dom.js';
import { CurveChart, ScatterChart } from './charts.js';

const METRICS = ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'rocAuc', 'macroRocAuc', 'logLoss',
  'macroPrecision', 'macroRecall', 'macroF1', 'weightedPrecision', 'weightedRecall', 'weightedF1', 'mse', 'rmse', 'mae', 'r2'];

export async function render(main, id) {
  const model = await get(`/models/${id}`);
  document.title = `Model ${shortId(model.id)} · Backprop`;
  const box = alertBox();
  const m = model.metrics || {};
  const provenance = model.provenance || {};
  add(main, h('h1', {}, `Model ${shortId(model.id)}`), h('p', { class: 'sub' }, `${model.task} · ${model.id}`), box,
    downloads(model, box),
    facts([
      ['Job', model.jobId ? h('a', { href: `/ui/jobs/${model.jobId}` }, model.jobId) : null],
      ['Data set', provenance.datasetId ? h('a', { href: `/ui/datasets/${provenance.datasetId}` }, provenance.datasetId) : 'rows sent with the job'],
      ['Created', when(model.createdAt)],
      ['Network', architecture(model)],
      ['Labels', model.labels ? model.labels.join(', ') : null],
    ]),
    warningList(m.warnings),
    h('h2', {}, 'Metrics beside the baseline'), metricsTable(m));
  const report = m.validation || m.training;
  if (report && report.confusionMatrix) add(main, confusion(m));
  add(main, optionalCurves(model, report));
  if (model.task === 'regression') add(main, residuals(model, box));
  add(main, predictForm(model), provenanceSection(model));
}

function architecture(model) {
  const n = model.network;
  if (!n) return null;
  const layers = [n.inputSize, ...(n.hiddenLayers || []).map(l => `${l.units} ${l.activation}`), `${n.outputUnits} ${n.outputActivation}`];
  return `${layers.join(' → ')} (${n.parameterCount} parameters, ${n.precision})`;
}

function downloads(model, box) {
  const button = (label, path, file) => h('button', { type: 'button', onclick: () => download(path, file).catch(e => showError(box, e)) }, label);
  return h('p', { class: 'row-buttons' },
    button('Download model (JSON)', `/models/${model.id}/download`, `model-${model.id}.json`), ' ',
    button('Export ONNX', `/models/${model.id}/onnx`, `model-${model.id}.onnx`));
}

function metricsTable(m) {
  const columns = [['training', m.training], ['baseline, training', m.baseline && m.baseline.training],
    ['validation', m.validation], ['baseline, validation', m.baseline && m.baseline.validation]].filter(c => c[1]);
  const names = METRICS.filter(name => columns.some(c => typeof c[1][name] === 'number'));
  const rows = names.map(name => h('tr', {}, h('th', { scope: 'row' }, name),
    columns.map(c => h('td', { class: 'num', dataset: { metric: name } }, num(c[1][name])))));
  rows.push(h('tr', {}, h('th', { scope: 'row' }, 'rows'), columns.map(c => h('td', { class: 'num' }, c[1].rows))));
  return h('div', {}, table(['metric', ...columns.map(c => c[0])], rows, { id: 'metrics' }),
    m.baseline ? h('p', { class: 'note' }, `Baseline: ${m.baseline.rule}. Lift in ${m.baseline.metric}: ${num(m.baseline.lift)}.`) : null);
}

/** The confusion matrix as a heat map, of the validation rows (else the training rows), counts or row-normalized. */
function confusion(m) {
  const splits = [['validation', m.validation], ['training', m.training]].filter(s => s[1] && s[1].confusionMatrix);
  const state = { split: splits[0][0], normalized: false };
  const holder = h('div', {});
  const draw = () => fill(holder, heatMap(splits.find(s => s[0] === state.split)[1].confusionMatrix, state.normalized, state.split));
  const radio = (name, value, label, checked, onchange) =>
    h('label', {}, h('input', { type: 'radio', name, value, checked, onchange }), ` ${label}`);
  const controls = h('div', { class: 'filters' },
    h('fieldset', {}, h('legend', {}, 'Rows'),
      splits.map(([name]) => radio('cm-split', name, name, name === state.split, () => { state.split = name; draw(); }))),
    h('fieldset', {}, h('legend', {}, 'Cells'),
      radio('cm-mode', 'counts', 'counts', true, () => { state.normalized = false; draw(); }),
      radio('cm-mode', 'normalized', 'row-normalized', false, () => { state.normalized = true; draw(); })));
  draw();
  return h('section', {}, h('h2', {}, 'Confusion matrix'), controls, holder);
}

function heatMap(matrix, normalized, split) {
  const counts = matrix.counts;
  const max = Math.max(1, ...counts.flat());
  const rows = counts.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return h('tr', {}, h('th', { scope: 'row' }, String(matrix.labels[i])), row.map((count, j) => {
      const share = total ? count / total : 0;
      const shade = normalized ? share : count / max;
      const text = normalized ? `${(100 * share).toFixed(1)}%` : String(count);
      return h('td', {
        class: 'cell', dataset: { row: i, col: j, count },
        title: `actual ${matrix.labels[i]}, predicted ${matrix.labels[j]}: ${count} of ${total} (${(100 * share).toFixed(1)}%)`,
        style: `background: rgba(31, 95, 191, ${(0.08 + 0.85 * shade).toFixed(3)}); color: ${shade > 0.5 ? '#fff' : '#1d232b'}`,
      }, text);
    }));
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'heat', id: 'confusion-matrix', dataset: { split, mode: normalized ? 'normalized' : 'counts' } },
    h('caption', { class: 'note' }, `${split} rows: actual class by row, predicted by column`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'actual \\ predicted'), matrix.labels.map(l => h('th', { scope: 'col' }, String(l))))),
    h('tbody', {}, rows)));
}

/** Points of a curve, whichever of the usual shapes the API sends: [{x, y}], {x: [], y: []} or {points: [...]}. */
function points(curve, xKey, yKey) {
  if (!curve) return null;
  if (Array.isArray(curve.points)) return points(curve.points, xKey, yKey);
  if (Array.isArray(curve)) return curve.map(p => Array.isArray(p) ? { x: p[0], y: p[1] } : { x: p[xKey], y: p[yKey] });
  if (Array.isArray(curve[xKey])) return curve[xKey].map((x, i) => ({ x, y: curve[yKey][i] }));
  return null;
}

/** ROC and precision-recall curves and feature importance, drawn when the API's answer carries them. */
function optionalCurves(model, report) {
  const section = h('section', {}, h('h2', {}, 'Curves and importance'));
  const row = h('div', { class: 'row' });
  section.append(row);
  const found = [];
  const roc = points(report && (report.rocCurve || report.roc), 'fpr', 'tpr');
  if (roc) found.push(drawCurve(row, 'ROC curve', 'false positive rate', 'true positive rate', roc));
  const pr = points(report && (report.prCurve || report.precisionRecallCurve || report.pr), 'recall', 'precision');
  if (pr) found.push(drawCurve(row, 'Precision–recall curve', 'recall', 'precision', pr));
  const importance = model.featureImportance || (model.metrics && model.metrics.featureImportance);
  if (importance) {
    row.append(importanceBars(importance));
    found.push(true);
  }
  if (found.length === 0) {
    section.append(h('p', { class: 'note', id: 'no-curves' },
      'This server\'s model answer has no ROC or precision–recall points and no feature importance; they show here once it does.'));
  }
  return section;
}

function drawCurve(container, title, xLabel, yLabel, pts) {
  const chart = new CurveChart(container, { title, xLabel, yLabel, xKey: 'x', series: [{ key: 'y', label: yLabel }] });
  chart.set([...pts].sort((a, b) => a.x - b.x), null);
  return true;
}

function importanceBars(importance) {
  const entries = Array.isArray(importance)
    ? importance.map(e => [e.feature ?? e.name, e.importance ?? e.value])
    : Object.entries(importance);
  entries.sort((a, b) => b[1] - a[1]);
  const max = Math.max(...entries.map(e => Math.abs(e[1])), 1e-12);
  return h('div', {}, h('h3', {}, 'Feature importance'), table(['feature', 'importance'], entries.map(([f, v]) =>
    h('tr', {}, h('td', {}, f), h('td', { class: 'num' }, h('span', { class: 'bar', style: `width: ${(80 * Math.abs(v) / max).toFixed(0)}px` }), ' ', num(v))))));
}

/** Residuals against predictions on the data set's preview rows, predicted through the public API. */
function residuals(model, box) {
  const section = h('section', {}, h('h2', {}, 'Residuals'));
  const datasetId = model.provenance && model.provenance.datasetId;
  if (!datasetId) {
    section.append(h('p', { class: 'note' }, 'The model was trained on rows sent with its job; there is no stored data set to predict.'));
    return section;
  }
  const note = h('p', { class: 'note' });
  const row = h('div', { class: 'row' });
  section.append(note, row);
  (async () => {
    const dataset = await get(`/datasets/${datasetId}`);
    const names = dataset.columns.map(c => c.name);
    const target = names.indexOf(model.inputSchema.target);
    const rows = (dataset.preview || []).filter(r => typeof r[target] === 'number');
    if (rows.length === 0) return;
    const records = rows.map(r => Object.fromEntries(names.map((n, i) => [n, r[i]]).filter(([n]) => n !== model.inputSchema.target)));
    const answer = await post(`/models/${model.id}/predict`, { records });
    const chart = new ScatterChart(row, { title: 'Residual against prediction', xLabel: 'prediction', yLabel: 'actual − prediction' });
    chart.set(answer.predictions.map((p, i) => ({ x: p.value, y: rows[i][target] - p.value,
      label: `prediction ${num(p.value)}, actual ${num(rows[i][target])}` })));
    fill(note, `On the data set's first ${rows.length} rows (its preview), which may include training rows.`);
  })().catch(error => showError(box, error));
  return section;
}

/** A field per input column: a number, or a choice of the categories the pipeline knows. */
function predictForm(model) {
  const steps = new Map((model.pipeline || []).map(s => [s.name, s]));
  const result = h('div', { id: 'prediction', 'aria-live': 'polite' });
  const box = alertBox();
  const fields = model.inputSchema.features.map((name, i) => {
    const step = steps.get(name);
    const id = `feature-${i}`;
    const input = step && step.kind === 'categorical'
      ? h('select', { id, name }, h('option', { value: '' }, '(missing)'), (step.categories || []).map(c => h('option', { value: JSON.stringify(c) }, String(c))))
      : h('input', { id, name, type: 'number', step: 'any', value: step && step.center !== null && step.center !== undefined ? Number(step.center.toPrecision(4)) : '' });
    return h('label', { for: id }, name, input);
  });
  const form = h('form', { class: 'stack', id: 'predict-form' }, fields, h('button', { type: 'submit' }, 'Predict'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const record = {};
    model.inputSchema.features.forEach((name, i) => {
      const el = form.querySelector(`#feature-${i}`);
      if (el.value === '') record[name] = null;
      else record[name] = el.tagName === 'SELECT' ? JSON.parse(el.value) : Number(el.value);
    });
    try {
      fill(box);
      const answer = await post(`/models/${model.id}/predict`, { records: [record] });
      fill(result, prediction(answer));
    } catch (error) {
      showError(box, error);
    }
  });
  return h('section', {}, h('h2', {}, 'Predict'),
    h('p', { class: 'note' }, 'Numeric fields start at the training mean; an empty field is a missing value.'), form, box, result);
}

function prediction(answer) {
  const p = answer.predictions[0];
  if (p.value !== undefined) return h('p', {}, 'Predicted value: ', h('strong', {}, num(p.value, 6)));
  return h('div', {}, h('p', {}, 'Predicted class: ', h('strong', {}, String(p.label))),
    table(['class', 'probability'], answer.labels.map((label, i) => h('tr', {}, h('td', {}, String(label)), h('td', { class: 'num' }, num(p.probabilities[i]))))));
}

function provenanceSection(model) {
  const p = model.provenance;
  if (!p) return h('p', { class: 'note' }, 'No provenance: the model was stored before format 3.');
  return h('section', {}, h('h2', {}, 'Provenance'), facts([
    ['Job type', p.jobType], ['Seed', p.seed], ['Rows', `${p.trainingRows} training of ${p.rows}`],
    ['Backprop version', p.backpropVersion], ['Best trial parameters', p.bestTrialParams ? JSON.stringify(p.bestTrialParams) : null],
  ]), h('details', {}, h('summary', {}, 'Training request with every default'), h('pre', {}, JSON.stringify(p.trainingSpec, null, 2))));
}
