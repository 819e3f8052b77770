// api.js - the one place that talks to the rabta HTTP API.
// Same-origin cookies, the CSRF token on every write, errors as ApiError.
//
//   get(path, params), post(path, body), patch(path, body), del(path), upload(path, params, file)
//       -> parsed JSON; throw ApiError {status, code, message, field, retryAfter}. Show an error to a
//          person with plainError(err) from dom.js (or a form's showError), never err.message.
//   listAll(path, params)   every page of a list, following next_cursor
//   withQuery(path, params) the path with the non-empty params as a query string
//   onBusy(fn)              fn(true) when a request starts while none was in flight, fn(false) when
//                           the last one ends (app.js shows the page's loading indicator with it)

export class ApiError extends Error {
  constructor(status, code, message, field, retryAfter) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.retryAfter = retryAfter || null;
  }
}

let csrfToken = null;
let unauthenticatedHandler = null;
let busyHandler = null;
let inFlight = 0;

export function onBusy(fn) { busyHandler = fn; }
function busy(delta) {
  const before = inFlight;
  inFlight = Math.max(0, inFlight + delta);
  if (busyHandler && (before === 0) !== (inFlight === 0)) busyHandler(inFlight > 0);
}

export function setCsrf(token) { csrfToken = token || null; }
export function onUnauthenticated(fn) { unauthenticatedHandler = fn; }

export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

// opts.raw: a Blob/File sent as the body itself, with its own media type (uploads).
async function send(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, credentials: 'same-origin', headers, cache: 'no-store' };
  if (opts.raw !== undefined) {
    headers['Content-Type'] = opts.raw.type || 'application/octet-stream';
    init.body = opts.raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.');
  }
}

async function sendAndRead(method, path, body, opts) {
  busy(1);
  try {
    const res = await send(method, path, body, opts);
    const text = res.status === 204 ? '' : await res.text();
    return { res, text };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.');
  } finally {
    busy(-1);
  }
}

// api('GET', '/api/v1/me') -> parsed JSON (null for 204). Throws ApiError.
// opts.auth === false: a 401 is the caller's business (boot check, sign-in).
export async function api(method, path, body, opts = {}) {
  const { res, text } = await sendAndRead(method, path, body, opts);
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (res.ok) return data;

  const e = (data && data.error) || {};
  const err = new ApiError(res.status, e.code || `http_${res.status}`,
    e.message || `The server answered ${res.status} ${res.statusText}.`,
    e.field, res.headers.get('Retry-After'));

  // A stale CSRF token (e.g. another tab signed in again): fetch the current one, retry once.
  if (err.code === 'csrf_failed' && !opts.retried) {
    try {
      const s = await api('GET', '/api/v1/session', undefined, { auth: false, retried: true });
      setCsrf(s && s.csrf_token);
      return api(method, path, body, { ...opts, retried: true });
    } catch (ignored) { /* fall through to the original error */ }
  }
  if (res.status === 401 && opts.auth !== false && unauthenticatedHandler) unauthenticatedHandler();
  throw err;
}

export const get = (path, params, opts) => api('GET', withQuery(path, params), undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const patch = (path, body, opts) => api('PATCH', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);
// upload('/api/v1/…/attachments', {control_id, filename}, file): POSTs the file as the raw body
// (Content-Type = the file's type) with the CSRF token -> parsed JSON. Throws ApiError.
export const upload = (path, params, file, opts) => api('POST', withQuery(path, params), undefined, { ...opts, raw: file });

// Every page of a list endpoint, following next_cursor.
export async function listAll(path, params) {
  const items = [];
  let cursor = null;
  for (let guard = 0; guard < 10000; guard++) {
    const page = await get(path, { ...params, limit: 500, cursor });
    items.push(...page.items);
    if (!page.next_cursor) return items;
    cursor = page.next_cursor;
  }
  throw new ApiError(0, 'too_many_pages', 'The list is too long to show.');
}
