// Data sets: the list, and an upload by file picker or drag and drop.
import { get, request } from './api.js';
import { h, fill, table, when, shortId, alertBox, showError } from './dom.js';

export async function render(main) {
  const box = alertBox();
  const answer = await get('/datasets?size=100');
  fill(main, h('h1', {}, 'Data sets'), uploadForm(box), box,
    h('h2', {}, 'Stored'), table(['Data set', 'Rows', 'Columns', 'Created'], answer.items.map(d => h('tr', {},
      h('td', {}, h('a', { href: `/ui/datasets/${d.id}` }, d.name || shortId(d.id))), h('td', { class: 'num' }, d.rows),
      h('td', { class: 'num' }, d.columns.length), h('td', {}, when(d.createdAt)))), { id: 'datasets' }),
    answer.items.length === 0 ? h('p', { class: 'note' }, 'None yet.') : null);
}

function uploadForm(box) {
  const file = h('input', { type: 'file', id: 'upload-file', name: 'file', accept: '.csv,text/csv', required: true });
  const name = h('input', { type: 'text', id: 'upload-name', name: 'name', placeholder: 'the file name' });
  const status = h('p', { class: 'note', 'aria-live': 'polite' });
  const zone = h('div', { class: 'dropzone', id: 'dropzone' }, 'Drop a CSV file here, or choose one: ',
    h('label', { for: 'upload-file' }, 'CSV file '), file);
  const send = async chosen => {
    const form = new FormData();
    form.append('file', chosen);
    const query = name.value.trim() ? `?name=${encodeURIComponent(name.value.trim())}` : '';
    fill(box);
    fill(status, `Uploading ${chosen.name}…`);
    try {
      const answer = await request('POST', `/datasets${query}`, form);
      location.assign(`/ui/datasets/${answer.json.id}`);
    } catch (error) {
      fill(status);
      showError(box, error);
    }
  };
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, event => { event.preventDefault(); zone.classList.add('over'); });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', event => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer.files.length) send(event.dataTransfer.files[0]);
  });
  const form = h('form', { id: 'upload-form' }, h('h2', {}, 'Upload'), zone,
    h('p', {}, h('label', { for: 'upload-name' }, 'Name (optional) '), name, ' ', h('button', { type: 'submit' }, 'Upload')), status);
  form.addEventListener('submit', event => {
    event.preventDefault();
    if (file.files.length) send(file.files[0]);
  });
  return form;
}
