// The public REST API, as every page talks to it: JSON with problem details, an optional API key per tab,
// downloads, and Server-Sent Events read through fetch() (EventSource cannot send the Authorization header).

const KEY = 'backprop.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

function headers(extra = {}) {
  const all = { ...extra };
  const key = apiKey();
  if (key) all.Authorization = `Bearer ${key}`;
  return all;
}

/** A non-2xx answer, with the problem body's title, detail and fields at fault as its message. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describe(status, problem) {
  if (!problem) return `HTTP ${status}`;
  let text = problem.title || `HTTP ${status}`;
  if (problem.detail) text += `: ${problem.detail}`;
  if (status === 401 || status === 403) text += ' (enter an API key above)';
  if (Array.isArray(problem.errors) && problem.errors.length > 0) {
    text += ` — ${problem.errors.map(e => `${e.field}: ${e.message}`).join('; ')}`;
  }
  return text;
}

/** Sends a request; a plain object body goes as JSON, FormData as multipart. Resolves to {status, json, headers}. */
export async function request(method, path, body) {
  const init = { method, headers: headers({ Accept: 'application/json, application/problem+json' }) };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const type = response.headers.get('Content-Type') || '';
  const json = text && type.includes('json') ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return { status: response.status, json, headers: response.headers };
}

export const get = path => request('GET', path).then(r => r.json);
export const post = (path, body) => request('POST', path, body).then(r => r.json);

/** Downloads a file with the key sent (a plain link could not send it). */
export async function download(path, filename) {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) {
    const text = await response.text();
    throw new ApiError(response.status, text.startsWith('{') ? JSON.parse(text) : null);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const RECONNECTS = 5;

/**
 * Follows an event stream until onEvent returns true (a terminal event) or the signal aborts. A dropped
 * connection is opened again, with Last-Event-ID once the server has sent ids, at most RECONNECTS times in a
 * row; onOpen runs on every connection, so the caller can fill what a reconnect may have missed.
 */
export async function follow(path, onEvent, { onOpen = () => {}, signal } = {}) {
  let lastId = null;
  let failures = 0;
  while (!signal || !signal.aborted) {
    try {
      const extra = { Accept: 'text/event-stream' };
      if (lastId !== null) extra['Last-Event-ID'] = lastId;
      const response = await fetch(path, { headers: headers(extra), signal });
      if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
      failures = 0;
      onOpen();
      const ended = await readEvents(response.body, event => {
        if (event.id !== null) lastId = event.id;
        return onEvent(event);
      });
      if (ended) return;
    } catch (error) {
      if (signal && signal.aborted) return;
      if (error instanceof ApiError && error.status < 500) throw error;
      failures += 1;
      if (failures > RECONNECTS) throw error;
    }
    await new Promise(resolve => setTimeout(resolve, 500 * (failures + 1)));
  }
}

/** Parses text/event-stream (the WHATWG rules for event, data and id lines); true once onEvent said the end. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { name: 'message', data: [], id: null };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return false;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      if (line === '') {
        if (event.data.length > 0) {
          const ended = onEvent({ name: event.name, id: event.id, data: JSON.parse(event.data.join('\n')) });
          if (ended) {
            await reader.cancel().catch(() => {});
            return true;
          }
        }
        event = { name: 'message', data: [], id: null };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? '' : line.slice(colon + 1);
        if (text.startsWith(' ')) text = text.slice(1);
        if (field === 'event') event.name = text;
        else if (field === 'data') event.data.push(text);
        else if (field === 'id') event.id = text;
      }
    }
  }
}

/** Calls fn now and every intervalMs until it returns true or the page is left; errors are shown by fn. */
export function every(intervalMs, fn) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    const done = await fn();
    if (!done && !stopped) timer = setTimeout(tick, intervalMs);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
