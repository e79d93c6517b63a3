// A model: metrics beside the baseline, the confusion matrix as a heat map, ROC and precision–recall curves and
// feature importance on its data set, residuals for regression, provenance, downloads, and a predict form.
import { get, post, download } from './api.js';
import { h, add, fill, facts, table, num, when, shortId, warningList, alertBox, showError } from './dom.js';
import { ScatterChart, XYChart } from './charts.js';

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
  add(main, evaluation(model, box));
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

/**
 * The curves of one kind in an evaluate answer: a binary model's own (rocCurve, precisionRecallCurve), or one
 * per class, one-vs-rest, for a model of more than two classes (classCurves: [{label, rocCurve,
 * precisionRecallCurve}]; a class absent from the rows has none).
 */
export function curvesOf(report, key, xKey, yKey) {
  const read = (label, points) => (Array.isArray(points) && points.length
    ? { label, points: points.map(p => ({ x: p[xKey], y: p[yKey], label: pointLabel(p, xKey, yKey) })) } : null);
  const own = read('curve', report[key]);
  const perClass = (report.classCurves || []).map(c => read(`class ${c.label}`, c[key]));
  return [own, ...perClass].filter(Boolean);
}

function pointLabel(p, xKey, yKey) {
  const threshold = p.threshold === null || p.threshold === undefined ? 'above every score' : `threshold ${num(p.threshold, 4)}`;
  return `${threshold}: ${xKey} ${num(p[xKey], 4)}, ${yKey} ${num(p[yKey], 4)}`;
}

/** Whether rows × features is small enough to explain at once (five shuffles of every feature, each a pass over the rows). */
const IMPORTANCE_AT_ONCE = 200_000;

/**
 * ROC and precision–recall curves from POST /models/{id}/evaluate, and permutation feature importance from
 * POST /models/{id}/importance, both on the model's stored data set: the API evaluates a data set's every row
 * (it has no held-out selection), so these include the training rows.
 */
function evaluation(model, box) {
  const section = h('section', { id: 'evaluation' }, h('h2', {}, 'Curves and importance'));
  const datasetId = model.provenance && model.provenance.datasetId;
  if (!datasetId) {
    section.append(h('p', { class: 'note', id: 'no-curves' },
      'The model was trained on rows sent with its job; there is no stored data set to evaluate or explain it on.'));
    return section;
  }
  const note = h('p', { class: 'note' }, 'Evaluating on the data set…');
  const row = h('div', { class: 'row', id: 'curves' });
  const importance = h('div', { id: 'importance-wrap' });
  section.append(note, row, importance);
  (async () => {
    const [report, dataset] = await Promise.all([post(`/models/${model.id}/evaluate`, { datasetId }), get(`/datasets/${datasetId}`)]);
    fill(note, `On all ${report.rows} rows of `, h('a', { href: `/ui/datasets/${datasetId}` }, dataset.name || 'the data set'),
      ', training rows included (POST /models/{id}/evaluate with its datasetId).');
    const roc = curvesOf(report, 'rocCurve', 'falsePositiveRate', 'truePositiveRate');
    const pr = curvesOf(report, 'precisionRecallCurve', 'recall', 'precision')
      // the API lists precision–recall from the lowest threshold up, recall falling: drawn with recall rising
      .map(c => ({ ...c, points: [...c.points].reverse() }));
    if (roc.length) {
      const auc = typeof report.rocAuc === 'number' ? ` (AUC ${num(report.rocAuc)})` : '';
      new XYChart(row, { title: `ROC curve${auc}`, xLabel: 'false positive rate', yLabel: 'true positive rate', curves: roc }).el.id = 'roc-chart';
    }
    if (pr.length) {
      new XYChart(row, { title: 'Precision–recall curve', xLabel: 'recall', yLabel: 'precision', curves: pr }).el.id = 'pr-chart';
    }
    if (Array.isArray(report.residuals) && report.residuals.length) {
      const chart = new ScatterChart(row, { title: 'Residual against prediction', xLabel: 'prediction', yLabel: 'actual − prediction' });
      chart.el.id = 'residuals-chart';
      chart.set(report.residuals.map(p => ({ x: p.predicted, y: p.actual - p.predicted,
        label: `prediction ${num(p.predicted)}, actual ${num(p.actual)}` })));
      if (report.residuals.length < report.rows) {
        row.append(h('p', { class: 'note' }, `Residuals of ${report.residuals.length} rows evenly spaced through the ${report.rows}.`));
      }
    }
    if (!roc.length && !pr.length && report.kind !== 'regression') {
      row.append(h('p', { class: 'note', id: 'no-curves' }, `This ${report.kind} evaluation answer has no ROC or precision–recall points.`));
    }
    const features = model.inputSchema.features.length;
    const explain = () => {
      fill(importance, h('p', { class: 'note' }, 'Shuffling each feature…'));
      return post(`/models/${model.id}/importance`, { datasetId })
        .then(answer => fill(importance, importanceBars(answer)))
        .catch(error => showError(box, error));
    };
    if (report.rows * features <= IMPORTANCE_AT_ONCE) {
      await explain();
    } else {
      fill(importance, h('button', { type: 'button', id: 'explain', onclick: explain },
        `Compute feature importance (${features} features × ${report.rows} rows, five shuffles each)`));
    }
  })().catch(error => showError(box, error));
  return section;
}

/** Permutation importance as bars, largest first, with the spread over the shuffles. */
function importanceBars(answer) {
  const entries = [...answer.features].sort((a, b) => b.importanceMean - a.importanceMean);
  const max = Math.max(...entries.map(e => Math.abs(e.importanceMean)), 1e-12);
  return h('div', {}, h('h3', {}, 'Permutation feature importance'),
    h('p', { class: 'note' }, `The drop of ${answer.metric} (${num(answer.baseline)} unshuffled) when one feature's column is shuffled, `
      + `mean ± std over ${answer.repeats} shuffles (seed ${answer.seed}).`),
    table(['feature', `drop of ${answer.metric}`, '± std'], entries.map(e => h('tr', { dataset: { feature: e.feature, importance: e.importanceMean } },
      h('td', {}, e.feature),
      h('td', { class: 'num' }, h('span', { class: e.importanceMean < 0 ? 'bar negative' : 'bar', style: `width: ${(120 * Math.abs(e.importanceMean) / max).toFixed(0)}px` }), ' ', num(e.importanceMean)),
      h('td', { class: 'num' }, num(e.importanceStd)))), { id: 'importance' }));
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
