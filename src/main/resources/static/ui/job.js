// A job: a training job's live curves, stop reason, resolved request and cancel; a search goes to search.js.
import { get, post, follow, every } from './api.js';
import { h, add, fill, facts, statusBadge, warningList, duration, when, shortId, alertBox, showError, TERMINAL } from './dom.js';
import { CurveChart } from './charts.js';

const POLL_MS = 2000;
/** Redraws of a running job's curves are spaced by this much (a 10,000-epoch history still draws at once). */
const REDRAW_MS = 250;

/** The header every job page shares: name, status, progress, ETA, links and cancel. */
export function jobHeader(main, job, box) {
  const summary = h('div', { id: 'job-summary' });
  const cancel = h('button', { type: 'button', id: 'cancel' }, 'Cancel job');
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      update(await post(`/jobs/${job.id}/cancel`));
    } catch (error) {
      showError(box, error);
    }
  });
  const title = h('h1', {}, job.name || `Job ${shortId(job.id)}`);
  add(main, title, h('p', { class: 'sub' }, `${job.type} · ${job.id}`), box, summary, h('p', {}, cancel));
  function update(current) {
    const p = current.progress || {};
    cancel.hidden = TERMINAL.includes(current.status);
    cancel.disabled = current.status === 'CANCEL_REQUESTED';
    fill(summary, facts([
      ['Status', statusBadge(current.status)],
      ['Progress', h('span', {}, h('progress', { max: p.total || 1, value: p.done || 0, 'aria-label': 'progress' }),
        ` ${p.done ?? 0} of ${p.total ?? '?'} ${p.unit || ''}`)],
      ['ETA', p.etaSeconds !== undefined && p.etaSeconds !== null ? duration(p.etaSeconds) : null],
      ['Stop reason', current.stopReason ? h('span', { id: 'stop-reason' }, current.stopReason) : null],
      ['Best epoch', current.bestEpoch ?? null],
      ['Error', current.error ? `${current.error.title}: ${current.error.detail}` : null],
      ['Model', current.modelId ? h('a', { href: `/ui/models/${current.modelId}`, id: 'model-link' }, current.modelId) : null],
      ['Task', `${current.task}${current.taskInferred ? ' (inferred)' : ''}`],
      ['Rows', current.data ? `${current.data.trainingRows} training, ${current.data.validationRows} validation` : null],
      ['Parameters', current.parameterCount],
      ['Created', when(current.createdAt)], ['Started', current.startedAt ? when(current.startedAt) : null],
      ['Finished', current.finishedAt ? when(current.finishedAt) : null],
    ]), warningList(current.warnings));
  }
  update(job);
  return update;
}

/** The resolved request (every default filled in) and the reason for each default. */
export function resolvedRequest(job) {
  const reasons = Object.entries(job.defaults || {});
  return h('section', {}, h('h2', {}, 'Resolved request'),
    reasons.length ? h('details', { open: true }, h('summary', {}, `Defaults chosen (${reasons.length})`),
      facts(reasons.map(([k, v]) => [k, v]))) : null,
    h('details', {}, h('summary', {}, 'Request with every default'),
      h('pre', { id: 'resolved-request' }, JSON.stringify({ ...job.request, search: job.search }, null, 2))));
}

/** Loss and metric curves of history records, training against validation. */
export function curves(container, metricName) {
  const loss = new CurveChart(container, {
    title: 'Loss per epoch', yLabel: 'loss',
    series: [{ key: 'loss', label: 'loss' }, { key: 'validationLoss', label: 'validation loss', dash: [6, 3] }],
  });
  const metric = new CurveChart(container, {
    title: `${metricName || 'metric'} per epoch`, yLabel: metricName || 'metric',
    series: [{ key: 'metric', label: metricName || 'metric' }, { key: 'validationMetric', label: `validation ${metricName || 'metric'}`, dash: [6, 3] }],
  });
  loss.el.id = 'loss-chart';
  metric.el.id = 'metric-chart';
  return (records, bestEpoch) => {
    loss.set(records, bestEpoch);
    metric.set(records, bestEpoch);
  };
}

export async function render(main, id) {
  const job = await get(`/jobs/${id}`);
  if (job.type !== 'training') {
    const search = await import('./search.js');
    return search.render(main, job);
  }
  document.title = `${job.name || shortId(job.id)} · Backprop`;
  const box = alertBox();
  const update = jobHeader(main, job, box);
  const charts = h('section', { class: 'row', 'aria-label': 'Curves' });
  add(main, h('h2', {}, 'Curves'), h('p', { class: 'note' },
    'Drawn as the epochs arrive; hover a curve for the exact values of an epoch.'), charts, resolvedRequest(job));
  // The history's headline metric, as GET /jobs/{id}/metrics names it.
  const draw = curves(charts, job.task === 'regression' ? 'r2' : 'accuracy');
  const epochs = new Map();
  let bestEpoch = job.bestEpoch;
  let pending = null;
  const redraw = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      draw([...epochs.values()].sort((a, b) => a.epoch - b.epoch), bestEpoch);
    }, REDRAW_MS);
  };
  const merge = records => {
    for (const r of records || []) epochs.set(r.epoch, r);
    redraw();
  };
  const readMetrics = async () => {
    const metrics = await get(`/jobs/${id}/metrics`);
    bestEpoch = metrics.bestEpoch ?? bestEpoch;
    merge(metrics.history);
    return metrics;
  };
  const refresh = async () => {
    const current = await get(`/jobs/${id}`);
    update(current);
    bestEpoch = current.bestEpoch ?? bestEpoch;
    return current;
  };

  if (TERMINAL.includes(job.status)) {
    await readMetrics();
    return;
  }
  live(id, box, refresh, readMetrics, epochs, redraw).catch(error => showError(box, error));
}

async function live(id, box, refresh, readMetrics, epochs, redraw) {
  // Live: the stream's epochs, merged by epoch number with the stored history (read again on every
  // connection, so a job opened late or a dropped stream leaves no gap).
  const stopHeader = every(POLL_MS, async () => {
    try {
      return TERMINAL.includes((await refresh()).status);
    } catch (error) {
      showError(box, error);
      return false;
    }
  });
  try {
    await follow(`/jobs/${id}/events`, event => {
      if (event.name === 'epoch') {
        epochs.set(event.data.epoch, event.data);
        redraw();
        return false;
      }
      return event.name === 'status' && TERMINAL.includes(event.data.status);
    }, { onOpen: () => readMetrics().catch(error => showError(box, error)) });
  } catch (error) {
    showError(box, error);
  }
  stopHeader();
  // The end: the stored history is complete and final, and the job has its model and stop reason.
  await readMetrics();
  await refresh();
}
