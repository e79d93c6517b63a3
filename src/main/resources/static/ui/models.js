// Trained models, newest first.
import { get } from './api.js';
import { h, fill, table, num, when, shortId } from './dom.js';

function headline(model) {
  const report = model.metrics && (model.metrics.validation || model.metrics.training);
  if (!report) return '–';
  if (typeof report.accuracy === 'number') return `accuracy ${num(report.accuracy)}`;
  if (typeof report.r2 === 'number') return `R² ${num(report.r2)}`;
  return '–';
}

export async function render(main) {
  const answer = await get('/models?size=100');
  fill(main, h('h1', {}, 'Models'), table(['Model', 'Task', 'Features', 'Headline metric', 'Job', 'Created'],
    answer.items.map(m => h('tr', {},
      h('td', {}, h('a', { href: `/ui/models/${m.id}` }, shortId(m.id))), h('td', {}, m.task),
      h('td', {}, m.inputSchema ? m.inputSchema.features.length : '–'), h('td', {}, headline(m)),
      h('td', {}, m.jobId ? h('a', { href: `/ui/jobs/${m.jobId}` }, shortId(m.jobId)) : '–'), h('td', {}, when(m.createdAt)))),
    { id: 'models' }), answer.items.length === 0 ? h('p', { class: 'note' }, 'No models yet: they come from succeeded jobs.') : null,
  h('p', { class: 'note' }, `${answer.total} models.`));
}
