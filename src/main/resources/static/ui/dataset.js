// A data set: schema with statistics, a histogram per numeric column, top categories, the preview, and "train on this" with the defaults of a dry run.
import { get, post, request } from './api.js';
import { h, add, fill, table, num, when, warningList, alertBox, showError } from './dom.js';
import { HistogramChart } from './charts.js';

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'elu', 'linear'];
const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop'];

export async function render(main, id) {
  const dataset = await get(`/datasets/${id}`);
  document.title = `${dataset.name || 'Data set'} · Backprop`;
  const box = alertBox();
  add(main, h('h1', {}, dataset.name || 'Data set'), h('p', { class: 'sub' }, `${dataset.rows} rows · ${dataset.columns.length} columns · ${dataset.id} · ${when(dataset.createdAt)}`),
    box, warningList(dataset.warnings), trainForm(dataset),
    h('h2', {}, 'Schema and statistics'), schema(dataset), distributions(dataset),
    h('h2', {}, 'Preview'), preview(dataset));
}

function schema(dataset) {
  return table(['column', 'type', 'missing', 'min', 'max', 'mean', 'std', 'distinct'], dataset.columns.map(c => h('tr', {},
    h('th', { scope: 'row' }, c.name), h('td', {}, c.type), h('td', { class: 'num' }, c.missing),
    ['min', 'max', 'mean', 'std', 'distinct'].map(k => h('td', { class: 'num' }, num(c[k]))))), { id: 'schema' });
}

/** Histograms drawn at once up to this many numeric columns; beyond, one at a time from a choice of column. */
const HISTOGRAMS_AT_ONCE = 40;

/**
 * A histogram per numeric column (bins from GET /datasets/{id}: Freedman–Diaconis, at most 50) and the top
 * categories of the others. A data set stored before histograms were computed has none: its columns say so.
 */
function distributions(dataset) {
  const numeric = dataset.columns.filter(c => c.histogram && Array.isArray(c.histogram.counts));
  const categories = dataset.columns.filter(c => Array.isArray(c.topCategories) && c.topCategories.length)
    .map(c => bars(`${c.name}: top categories`, c.topCategories.map(t => [String(t.value), t.count])));
  const withoutBins = dataset.columns.filter(c => c.type === 'numeric' && !c.histogram).length;
  const charts = h('div', { class: 'row histograms', id: 'histograms' });
  const section = h('section', {}, h('h2', {}, 'Distributions'), charts,
    withoutBins ? h('p', { class: 'note', id: 'no-histograms' },
      `${withoutBins} numeric columns have no histogram: the data set was stored before histograms were computed.`) : null,
    categories.length ? h('div', { class: 'row' }, categories) : null);
  const draw = (holder, c) => {
    const chart = new HistogramChart(holder, { title: `${c.name} (${c.histogram.rule.replace('_', '–')} bins)`, xLabel: c.name,
      edges: c.histogram.edges, counts: c.histogram.counts });
    chart.el.dataset.histogram = c.name;
  };
  if (numeric.length <= HISTOGRAMS_AT_ONCE) {
    numeric.forEach(c => draw(charts, c));
  } else {
    const pick = h('select', { id: 'histogram-column' }, numeric.map((c, i) => h('option', { value: i }, c.name)));
    const holder = h('div', {});
    const show = () => {
      fill(holder);
      draw(holder, numeric[Number(pick.value)]);
    };
    pick.addEventListener('change', show);
    charts.append(h('div', {}, h('label', { for: 'histogram-column' }, `Histogram of one of ${numeric.length} numeric columns `, pick), holder));
    show();
  }
  return section;
}

function bars(title, entries) {
  const max = Math.max(1, ...entries.map(e => e[1]));
  return h('div', {}, h('h3', {}, title), table(['value', 'rows'], entries.map(([label, count]) => h('tr', {},
    h('td', {}, label), h('td', { class: 'num' }, h('span', { class: 'bar', style: `width: ${Math.round(100 * count / max)}px` }), ' ', count)))));
}

function preview(dataset) {
  const rows = dataset.preview || [];
  return h('div', {}, table(dataset.columns.map(c => c.name), rows.map(r => h('tr', {}, r.map(v => h('td', {}, v === null ? '–' : String(v))))), { id: 'preview' }),
    h('p', { class: 'note' }, `The first ${rows.length} of ${dataset.rows} rows.`));
}

function field(id, label, input, reason) {
  const hint = h('small', { id: `${id}-why`, class: 'note' }, reason || '');
  input.setAttribute('aria-describedby', `${id}-why`);
  return h('label', { for: id }, label, input, hint);
}

function choice(id, options, value) {
  return h('select', { id, name: id }, options.map(o => Array.isArray(o)
    ? h('option', { value: o[0], selected: o[0] === value }, o[1])
    : h('option', { value: o, selected: o === value }, o)));
}

/**
 * "Train on this": the fields start at the defaults a dry run chooses for the target; only the fields
 * changed from them are sent, so what is left alone stays the service's choice (e.g. early stopping with
 * unnamed epochs).
 */
function trainForm(dataset) {
  const box = alertBox();
  const names = dataset.columns.map(c => c.name);
  const target = choice('train-target', names, names[names.length - 1]);
  const task = choice('train-task', [['', 'inferred from the target'], ['classification', 'classification'], ['regression', 'regression']], '');
  const inputs = {
    name: h('input', { id: 'train-name', type: 'text', placeholder: 'optional' }),
    units: h('input', { id: 'train-units', type: 'text', inputmode: 'numeric', pattern: '\\s*(\\d+\\s*(,\\s*\\d+\\s*)*)?' }),
    activation: choice('train-activation', ACTIVATIONS, 'relu'),
    optimizer: choice('train-optimizer', OPTIMIZERS, 'adam'),
    learningRate: h('input', { id: 'train-learning-rate', type: 'number', step: 'any', min: '0' }),
    epochs: h('input', { id: 'train-epochs', type: 'number', min: '1', step: '1' }),
    batchSize: h('input', { id: 'train-batch-size', type: 'number', min: '1', step: '1' }),
    validationFraction: h('input', { id: 'train-validation', type: 'number', min: '0', max: '0.9', step: 'any' }),
  };
  const why = {};
  const labels = { units: 'Hidden units per layer (comma-separated, empty for none)', activation: 'Hidden activation',
    optimizer: 'Optimizer', learningRate: 'Learning rate', epochs: 'Epochs', batchSize: 'Batch size', validationFraction: 'Validation fraction' };
  const reasonKeys = { units: 'network.hiddenLayers', activation: 'network.hiddenLayers', optimizer: 'training.optimizer',
    learningRate: 'training.learningRate', epochs: 'training.epochs', batchSize: 'training.batchSize', validationFraction: 'training.validationFraction' };
  const fields = Object.entries(labels).map(([key, label]) => {
    const f = field(inputs[key].id, label, inputs[key], '');
    why[key] = f.querySelector('small');
    return f;
  });
  const summary = h('p', { class: 'note', id: 'dry-run', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'train-submit', disabled: true }, 'Start training');
  const form = h('form', { class: 'stack', id: 'train-form' },
    field('train-target', 'Target column', target, ''), field('train-task', 'Task', task, ''),
    field('train-name', 'Job name', inputs.name, ''), fields, submit);

  const base = () => {
    const body = { data: { datasetId: dataset.id, targetColumn: target.value } };
    if (task.value) body.task = task.value;
    return body;
  };
  const dryRun = async () => {
    submit.disabled = true;
    fill(box);
    try {
      const answer = await post('/jobs?dryRun=true', base());
      const { network, training } = answer.request;
      const start = {
        units: network.hiddenLayers.map(l => l.units).join(', '),
        activation: network.hiddenLayers.length ? network.hiddenLayers[0].activation : 'relu',
        optimizer: training.optimizer, learningRate: training.learningRate, epochs: training.epochs,
        batchSize: training.batchSize ?? '', validationFraction: training.validationFraction,
      };
      for (const [key, value] of Object.entries(start)) {
        inputs[key].value = String(value);
        inputs[key].dataset.default = String(value);
        const reason = key === 'activation' ? '' : (answer.defaults || {})[reasonKeys[key]];
        fill(why[key], reason || '');
      }
      fill(summary, `${answer.task}${answer.taskInferred ? ' (inferred)' : ''}; ${answer.data.trainingRows} training and `
        + `${answer.data.validationRows} validation rows; ${answer.parameterCount} parameters with these defaults.`,
      warningList(answer.warnings));
      submit.disabled = false;
    } catch (error) {
      fill(summary);
      showError(box, error);
    }
  };
  target.addEventListener('change', dryRun);
  task.addEventListener('change', dryRun);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = base();
    if (inputs.name.value.trim()) body.name = inputs.name.value.trim();
    const changed = key => inputs[key].value !== inputs[key].dataset.default;
    if (changed('units') || changed('activation')) {
      const units = inputs.units.value.split(',').map(s => s.trim()).filter(Boolean).map(Number);
      body.network = { hiddenLayers: units.map(u => ({ units: u, activation: inputs.activation.value })) };
    }
    const training = {};
    if (changed('optimizer')) training.optimizer = inputs.optimizer.value;
    for (const key of ['learningRate', 'epochs', 'batchSize', 'validationFraction']) {
      if (changed(key) && inputs[key].value !== '') training[key] = Number(inputs[key].value);
    }
    if (Object.keys(training).length) body.training = training;
    submit.disabled = true;
    try {
      const answer = await request('POST', '/jobs', body);
      location.assign(`/ui/jobs/${answer.json.id}`);
    } catch (error) {
      showError(box, error);
      submit.disabled = false;
    }
  });
  dryRun();
  return h('section', {}, h('h2', {}, 'Train on this'), form, summary, box);
}
