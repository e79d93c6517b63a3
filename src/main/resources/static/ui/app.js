// The dashboard's entry: the API key field and the page for the address (every page has its own URL).
import { apiKey, setApiKey } from './api.js';
import { h, fill, alertBox, showError } from './dom.js';

const ROUTES = [
  [/^\/(ui\/?)?(jobs\/?)?$/, 'jobs.js', () => []],
  [/^\/ui\/jobs\/([^/]+)$/, 'job.js', m => [m[1]]],
  [/^\/ui\/models\/?$/, 'models.js', () => []],
  [/^\/ui\/models\/([^/]+)$/, 'model.js', m => [m[1]]],
  [/^\/ui\/datasets\/?$/, 'datasets.js', () => []],
  [/^\/ui\/datasets\/([^/]+)$/, 'dataset.js', m => [m[1]]],
];

function keyField() {
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  input.value = apiKey();
  form.addEventListener('submit', event => {
    event.preventDefault();
    setApiKey(input.value.trim());
    location.reload();
  });
}

async function show() {
  const main = document.getElementById('main');
  const path = location.pathname;
  for (const [pattern, module, args] of ROUTES) {
    const match = path.match(pattern);
    if (match) {
      const page = await import(`./${module}`);
      fill(main);
      try {
        await page.render(main, ...args(match).map(decodeURIComponent));
      } catch (error) {
        const box = alertBox();
        main.prepend(box);
        showError(box, error);
      }
      // Drawn (live parts go on updating): what a test or a script waits for.
      main.dataset.ready = 'true';
      return;
    }
  }
  fill(main, h('h1', {}, 'Not found'), h('p', {}, 'No page at ', h('code', {}, path), '. ', h('a', { href: '/ui/jobs' }, 'Jobs')));
}

keyField();
show();
