// Jobs: status, progress, ETA and warnings, refreshed every two seconds; filters by status and type.
import { get, every } from './api.js';
import { h, fill, table, statusBadge, warningBadges, duration, when, shortId, alertBox, showError } from './dom.js';

const STATUSES = ['QUEUED', 'RUNNING', 'CANCEL_REQUESTED', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
// 'search' is every kind of search (GET /jobs?type=search)
const TYPES = ['training', 'search', 'grid_search', 'random_search', 'bayesian_search', 'auto'];
const REFRESH_MS = 2000;
const PAGE_SIZE = 50;

function select(id, label, options, value) {
  return h('label', { for: id }, label, h('select', { id, name: id },
    h('option', { value: '' }, 'all'), options.map(o => h('option', { value: o, selected: o === value }, o))));
}

function progressCell(job) {
  const p = job.progress;
  if (!p) return h('td', {}, '–');
  const text = `${p.done} of ${p.total} ${p.unit}`;
  return h('td', {}, h('progress', { max: p.total || 1, value: p.done, 'aria-label': text }), ' ', text);
}

function row(job) {
  return h('tr', { dataset: { job: job.id, status: job.status, type: job.type } },
    h('td', {}, h('a', { href: `/ui/jobs/${job.id}` }, job.name || shortId(job.id))),
    h('td', {}, job.type),
    h('td', {}, statusBadge(job.status)),
    progressCell(job),
    h('td', { class: 'num' }, job.progress && job.progress.etaSeconds !== undefined ? duration(job.progress.etaSeconds) : '–'),
    h('td', {}, warningBadges(job.warnings)),
    h('td', {}, when(job.createdAt)));
}

export async function render(main) {
  const params = new URLSearchParams(location.search);
  const status = params.get('status') || '';
  const type = params.get('type') || '';
  const page = Math.max(0, Number(params.get('page')) || 0);
  const box = alertBox();
  const body = h('div', {});
  const form = h('form', { class: 'filters', method: 'get', action: '/ui/jobs' },
    select('status', 'Status', STATUSES, status), select('type', 'Type', TYPES, type),
    h('button', { type: 'submit' }, 'Filter'));
  // A changed filter applies at once; the URL keeps it, so a filtered list is a link too.
  form.addEventListener('change', () => form.requestSubmit());
  fill(main, h('h1', {}, 'Jobs'),
    h('p', { class: 'sub' }, 'Start one from a ', h('a', { href: '/ui/datasets' }, 'data set'),
      ', or POST /jobs (', h('a', { href: '/swagger-ui.html' }, 'Swagger UI'), ').'),
    form, box, body);
  const query = new URLSearchParams({ page: String(page), size: String(PAGE_SIZE) });
  if (status) query.set('status', status);
  if (type) query.set('type', type);
  every(REFRESH_MS, async () => {
    try {
      const answer = await get(`/jobs?${query}`);
      const items = answer.items;
      fill(box);
      fill(body, table(['Job', 'Type', 'Status', 'Progress', 'ETA', 'Warnings', 'Created'], items.map(row), { id: 'jobs' }),
        items.length === 0 ? h('p', { class: 'note' }, 'No jobs match.') : null,
        pager(page, answer.total, params));
    } catch (error) {
      showError(box, error);
    }
    return false;
  });
}

function pager(page, total, params) {
  const link = p => {
    const q = new URLSearchParams(params);
    q.set('page', String(p));
    return `/ui/jobs?${q}`;
  };
  const last = Math.max(0, Math.ceil(total / PAGE_SIZE) - 1);
  return h('nav', { 'aria-label': 'Pages', class: 'note' },
    page > 0 ? h('a', { href: link(page - 1) }, '← newer') : null, ` page ${page + 1} of ${last + 1} (${total} jobs) `,
    page < last ? h('a', { href: link(page + 1) }, 'older →') : null);
}
