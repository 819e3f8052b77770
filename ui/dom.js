// dom.js - build DOM safely, and the behaviour every page shares.
//
// Text always goes through text nodes (never innerHTML), and no inline style attribute is ever
// written (the CSP forbids it). Every page, whoever writes it, uses these instead of its own copy:
//
//   h(tag, attrs, ...children)        an HTML element; attrs: class (string or array), dataset, onX
//   s(tag, attrs, ...children)        an SVG element
//   clear(el), replace(el, ...kids)   empty an element / empty it and fill it again
//   uid(prefix)                       a fresh id for label/aria wiring
//   fmtTime(iso), fmtDate(iso)        "2026-11-28 01:04 UTC", "2026-11-28"
//   plural(n, one, many)              "1 assessment", "3 assessments"
//   labelOf(rows, value, key, fallback)  the words of a value in a table of {value, label, meaning…}
//                                     rows (key 'label' unless named); fallback (value or "—") when none
//   daysBetween(a, b), ago(iso)       whole days from a to b; "18 days ago", "today"
//   pageHead({path, here, eyebrow, title, titleId, lede}, ...more)  a page's breadcrumb and head
//   reportPicks(go, [[label, select], …])  the choices above a report, side by side; a change calls go
//
// Loading, empty and failure states (DESIGN §8: each data load shows a loading state, an empty
// state and a retry on failure):
//
//   await loadInto(box, {
//     what: 'the review queue',              // used in the words: "Loading the review queue…"
//     load: () => get('/api/v1/…'),          // returns the data; may throw (ApiError or any Error)
//     render: (data) => nodes,               // what to put in box once loaded
//     isEmpty: (data) => !data.items.length, // optional
//     empty: 'No assessment waits for you.', // optional: text (or a node) shown when isEmpty
//   })                                       // -> the data, or null when it failed
//   On failure the box shows the error in plain words and a "Try again" button that runs it again.
//   await loadBelow(section, spec, id)     the same in a new state box (id optional) at the end of
//                                          section, where a page's data goes under its head
//   const adv = await loadFirst(section, 'the advisory', () => get(`/api/v1/advisories/${id}`),
//     { title: 'Advisory', titleOf: (a) => `${a.tracking_id} · Advisories` });
//   if (!adv) return;   // a page that needs its data before it draws anything: a state box at the
//                       // end of section shows the loading state and the failure (with "Try again")
//                       // and goes once the data is there; null: it failed, or the visitor left.
//                       // The tab reads "<title> · rabta" while it loads, then "<titleOf(data)>
//                       // · rabta" (both optional).
//   loadingState(text), emptyState(text), errorState(err, retry) build the three states alone.
//   Independently of these, api.js marks every request in flight and app.js shows a
//   "Loading…" indicator at the top of the page while any request takes longer than 150 ms.
//
// Messages in plain words:
//
//   plainError(err) -> a sentence for a person, from an ApiError's code, field and message: never a
//   raw field name ("\"due_date\" is in the past" becomes "The due date is in the past: choose today
//   or a later date.").
//   fieldLabel(name) -> the words for an API field name ("cii_review_date" -> "CII review date").
//   Add a word to FIELD_WORDS below when a page sends a new field.
//
// Banners: one banner per event, in one place at the top of the page, worded for its reader:
//
//   banner('Dana Qureshi can no longer sign in.', { tone: 'ok' })   // tone: ok | info | warn | error
//   banner('Hyderabad Water Board was added.', { tone: 'ok', next: true }) // shown after the next navigation
//   banner(null)                                                     // remove it
//   A new banner replaces the one shown; a route change removes it (unless it was made with next).
//
// Confirmations: a modal dialog that says what will happen, with Cancel (Esc also cancels):
//
//   if (await confirmDialog({ title: 'Disable Dana Qureshi?', body: 'They are signed out at once…',
//                             confirm: 'Disable account', danger: true })) { … }
//   Focus goes to Cancel when it opens and back to the button that opened it when it closes.
//   `name` is written as data-dialog, `id` as the dialog's id; the buttons carry data-confirm
//   ("ok", "cancel"). This is the one dialog of every page (the guideline pages too).
//   validate: () => a sentence (what is missing: the dialog stays open and says it) or null (it
//   closes); wide: a wider dialog (e.g. with a list to choose from).
//   showDialog({ title, body, close: 'Close', wide: true })  the same dialog with one Close button,
//   for details (e.g. an audit entry); resolves when it closes.
//   confirmedClick(btn, { ask, act, failed })  a button that does something once confirmed (revoke
//   a token, disable an account, close a campaign): ask() gives confirmDialog's options (it may
//   be async; null: nothing to confirm), act() does it, failed(err) says why it did not happen.
//   The button is disabled while act runs and enabled again when it fails.
//
// Other shared pieces:
//
//   cardTable(table)  at a phone's width (<= 640 px) the table's rows become cards: each cell is
//                     labelled with its column heading (data-label); cells with class "actions"
//                     stay visible at the bottom of the card. Works for rows added later too.
//   dataTable({id, caption, cols, body, compact})  a list's table (headings, caption for screen
//                     readers) made with cardTable; see it below.
//   barList({name, title, rows: [{key, label, value, note, thin}], max, format, caption, unit, axisLabel})
//                     horizontal bars whose labels and values are HTML text (readable at any width,
//                     never scaled below the page's font size), with a scale under them (0, 25, 50,
//                     75, 100 for a fixed max of 100; 0 to the largest value rounded up, in round
//                     steps, for counts); each row says what it rests on (note) and rows with thin
//                     data are drawn lighter and marked "thin", as the dashboard's charts do.
//   fmtPercent(part, whole)  "63%": one rounding rule for shares (whole percent) on every page;
//                     scores have theirs (fmtScore in guidelines.js: one decimal).
//   meterBar(value, max, label)  a small progress bar (SVG) with an accessible name.
//
// Lists paged by cursor with "Load more":
//
//   const list = pagedList({
//     what: 'the incidents',                       // "Loading the incidents…", "The incidents could not be loaded…"
//     fetchPage: (cursor) => get('/api/v1/…', {…, cursor}),   // -> {items, next_cursor}
//     add: (item) => tbody.append(row(item)),      // show one item
//     clear: () => replace(tbody),                 // forget the shown items
//     box, more, status,                           // the state box, the "Load more" button, a status line
//     empty: () => 'No incident matches.',         // text or node when nothing is shown
//     statusText: (shown, hasMore) => '…',         // the status line once loaded
//     shownChanged: (shown) => {},                 // optional (e.g. hide the table when 0)
//   });
//   list.load(true)   first page again (loading state; on failure the error with "Try again")
//   "Load more" calls list.load(false) itself; a later page that fails says so in the status line.
//   A newer load(true) makes the answers of older ones land nowhere.
//   const list = pagedTable({ name: 'incidents', caption, cols, row: (item) => tr, what, fetchPage,
//     empty, statusText, onClear, shownChanged })   the same for a list's table (dataTable, id
//     name-table, hidden while empty), with its state box, "Load more" and status line made here
//     (ids name-state, name-more, name-status); onClear and shownChanged are optional, extra.
//     list.nodes: the box, the table and the foot (status line and button), to place in a panel;
//     list.status, list.foot: those two, for a page that says more there.
//   filtersPanel({id, headingId, countId}, form, filters)  the folding "Filters" panel above a list:
//                     its heading says how many are set ("2 set", "none set"); on a phone it starts
//                     folded unless some are set, so the list comes first. panel.count(filters) says
//                     it again when they change.
//   queryFilters(ctx.query, keys, flags)  a list's filters as the page's address sets them: each
//                     of `keys` that has a value; one of `flags` (a yes/no filter) only when it is "1".

const SVG_NS = 'http://www.w3.org/2000/svg';

function appendAll(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) appendAll(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

function setAttrs(el, attrs, isSvg) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'style') throw new Error('dom: style attributes are not allowed (CSP); use a class');
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class' && !isSvg) {
      el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    } else if (k === 'class' && isSvg) {
      el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    } else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = String(dv);
    } else if (!isSvg && k === 'value' && el.tagName !== 'SELECT') {
      el.setAttribute('value', String(v)); // the default, so that form.reset() returns to it
      el.value = String(v);
    } else if (!isSvg && k === 'checked') {
      el.defaultChecked = !!v;
      el.checked = !!v;
    } else if (!isSvg && (k === 'value' || k === 'readOnly')) {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

// h('p', {class: 'x'}, 'text', child, [more]) -> HTMLElement
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  appendAll(el, children);
  setAttrs(el, attrs, false); // after children so that select.value finds its option
  return el;
}

// s('rect', {x: 1}) -> SVGElement
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs, true);
  appendAll(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  appendAll(el, children);
  return el;
}

let idSeq = 0;
export function uid(prefix) {
  idSeq += 1;
  return `${prefix || 'id'}-${idSeq}`;
}

// "2026-11-28T01:04:21Z" -> "2026-11-28 01:04 UTC"
export function fmtTime(iso) {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

export function fmtDate(iso) {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function labelOf(rows, value, key = 'label', fallback = value || '—') {
  const row = rows.find((x) => x.value === value);
  return row ? row[key] : fallback;
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : (many || `${one}s`)}`;
}

// A share as a whole percent: fmtPercent(24, 38) -> "63%"; fmtPercent(0.634) -> "63%"; no whole -> "—".
export function fmtPercent(part, whole) {
  const share = whole === undefined ? part : (whole > 0 ? part / whole : null);
  if (share === null || share === undefined || Number.isNaN(Number(share))) return '—';
  return `${Math.round(100 * share)}%`;
}

// Round tick step for a count scale up to `max` (1, 2, 5, 10, 20, 50, …), at most 4 steps.
export function countStep(max) {
  const raw = Math.max(1, max / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

const DAY_MS = 86400000;
function dayNumber(x) {
  const d = x instanceof Date ? x : new Date(x.length === 10 ? `${x}T00:00:00Z` : x);
  return Math.floor(d.getTime() / DAY_MS);
}

// Whole calendar days (UTC) from a to b; a and b are Dates, dates or RFC 3339 times.
export function daysBetween(a, b) {
  return dayNumber(b) - dayNumber(a);
}

// "today", "yesterday", "18 days ago"
export function ago(iso) {
  const d = daysBetween(iso, new Date());
  if (d <= 0) return 'today';
  if (d === 1) return 'yesterday';
  return `${d} days ago`;
}

// The head of a page: the breadcrumb path (when `path` is given: [[href, text], …] up to the page,
// `here` the page itself) and the heading block — an eyebrow, the h1 (focused on navigation, so
// tabindex -1), the lede, then `more` (facts, an action). -> the elements, for append(...).
//   section.append(...pageHead({ eyebrow: 'Incidents', title: 'Inbox', lede: 'What your …' }));
export function pageHead({
  path, pathLabel = 'Path', here, eyebrow, title, titleId, lede, ledeId, className,
}, ...more) {
  const nav = path ? h('nav', { class: 'breadcrumb', 'aria-label': pathLabel },
    h('ol', null, path.map(([href, text]) => h('li', null, h('a', { href }, text))), h('li', { 'aria-current': 'page' }, here))) : null;
  const head = h('div', { class: ['page-head', className] },
    eyebrow === undefined ? null : h('p', { class: 'eyebrow' }, eyebrow),
    h('h1', { tabindex: '-1', id: titleId }, title),
    lede === undefined ? null : h('p', { class: 'lede', id: ledeId }, lede),
    more);
  return nav ? [nav, head] : [head];
}

/* ---------- plain words for errors ---------- */

// API field names -> words. Keys are the last part of a field path ("answers[0].maturity" -> maturity).
export const FIELD_WORDS = {
  email: 'email address',
  password: 'new password',
  current_password: 'current password',
  name: 'name',
  short_name: 'short name',
  title: 'title',
  kind: 'kind of organisation',
  parent_id: 'parent organisation',
  province: 'province',
  sector: 'sector',
  role: 'role',
  cii: 'CII designation',
  cii_grade: 'CII grade',
  cii_review_date: 'CII review date',
  min_cii_grade: 'lowest CII grade',
  expires_in_days: 'number of days before the token expires',
  due_date: 'due date',
  profile_id: 'profile',
  catalog_id: 'catalog',
  campaign_id: 'campaign',
  control_id: 'control',
  control_ids: 'chosen controls',
  controls: 'chosen controls',
  applies_kinds: 'kinds of organisation it applies to',
  applies_sectors: 'sectors it applies to',
  answers: 'answers',
  status: 'status',
  maturity: 'maturity',
  evidence: 'evidence',
  decision: 'decision',
  decisions: 'decisions',
  comment: 'comment',
  filename: 'file name',
  tlp: 'TLP marking',
  scope: 'scope',
  org_id: 'organisation',
  object_kind: 'kind of object',
  object_id: 'object',
  actor: 'person',
  action: 'action',
  since: 'start date',
  until: 'end date',
  changes: '“changes only” choice',
  limit: 'page size',
  cursor: 'page position',
  format: 'file format',
  oscal: 'OSCAL document',
  uuid: 'UUID',
  disabled: 'account status',
  // incidents
  description: 'description of what happened',
  rsit_class: 'kind of incident',
  rsit_type: 'type of incident',
  severity: 'severity',
  detected_at: 'time it was detected',
  cii_involved: '“critical infrastructure involved” choice',
  affected_services: 'affected services',
  reason: 'reason',
  text: 'text',
  stage: 'kind of report',
  into: 'incident to merge into',
  incident_id: 'related incident',
  assignee_org_id: 'organisation the task is for',
  done: 'done mark',
  seqs: 'chosen items',
  all: '“all” choice',
  unread: '“unread only” choice',
  overdue: '“overdue only” choice',
  open: '“open only” choice',
  handling_org_id: 'handling CERT',
  q: 'words to search for',
  rules: 'deadlines',
  acknowledge_minutes: 'time to acknowledge',
  early_warning_minutes: 'time for the early warning',
  early_warning_cii_minutes: 'time for the early warning when CII is involved',
  notification_minutes: 'time for the notification',
  final_report_minutes: 'time for the final report',
  tier: 'tier',
  // advisories
  summary: 'summary',
  products: 'products',
  vulnerabilities: 'vulnerabilities',
  remediations: 'remediations',
  references: 'references',
  vendor: 'vendor',
  product: 'product',
  version: 'version',
  version_range: 'version range',
  cpe: 'CPE name',
  purl: 'package URL',
  cve: 'CVE id',
  cvss_vector: 'CVSS vector',
  cwe_id: 'CWE id',
  cwe_name: 'CWE name',
  category: 'kind of remediation',
  details: 'what to do',
  url: 'address',
  revision_summary: 'summary of what changed',
  material: '“acknowledge again” choice',
  org_ids: 'chosen organisations',
  note: 'note',
  ack_hours: 'time to acknowledge',
  mitigate_days: 'time to mitigate',
  my_status: 'record status',
  to_act: '“to act on” choice',
  // risks
  likelihood: 'likelihood',
  impact: 'impact',
  residual_likelihood: 'likelihood once treated',
  residual_impact: 'impact once treated',
  treatment: 'treatment',
  owner: 'owner',
  review_date: 'review date',
  category: 'category',
  basis: 'basis of the counts',
  level: 'level',
  root: 'organisation',
  // training sessions
  starts_at: 'start',
  ends_at: 'end',
  venue: 'venue',
  meeting_url: 'meeting link',
  capacity: 'number of places',
  topics: 'topics',
  invited_org_ids: 'organisations to invite',
  staff_user_ids: 'organisers',
  mode: 'way of joining',
  person_id: 'person',
  rating: 'rating',
  below: 'score under which a domain is weak',
  domain: 'domain',
  root: 'organisations counted',
};

export function fieldLabel(name) {
  if (!name) return '';
  const last = String(name).replace(/\[\d+\]/g, '').split('.').pop();
  return FIELD_WORDS[last] || last.replace(/_/g, ' ');
}

// "answers[2].maturity" -> " (answer 3)"
function position(field) {
  const m = /^(answers|decisions)\[(\d+)\]/.exec(field || '');
  return m ? ` (${m[1] === 'answers' ? 'answer' : 'decision'} ${Number(m[2]) + 1})` : '';
}

function sentence(text) {
  let t = String(text).trim();
  if (!t) return t;
  t = t.charAt(0).toUpperCase() + t.slice(1);
  if (!/[.!?)…]$/.test(t)) t += '.';
  return t;
}

// Reworded server messages: [pattern on the message, replacement (string or function of the match)].
const REWORD = [
  [/^"due_date" is in the past$/, 'The due date is in the past: choose today or a later date.'],
  [/^"(cii_grade|cii_review_date)" applies only to CII institutions.*$/, (m) => `The ${fieldLabel(m[1])} applies only to a designated CII institution: tick “Designated critical information infrastructure” first.`],
  [/^"email" must be an address like (\S+)$/, (m) => `Enter an email address like ${m[1]}.`],
  [/^"([a-z_]+)" must be a date like (\S+)$/, (m) => `Enter the ${fieldLabel(m[1])} as a date, like ${m[2]}.`],
  [/^"([a-z_]+)" is required(?: \((.*)\))?$/, (m) => `Enter the ${fieldLabel(m[1])}${m[2] ? ` (${m[2].replace(/^say /, '')})` : ''}.`],
  [/^say (.*) \("[a-z_]+"\)$/, (m) => `Say ${m[1]}.`],
  [/^"title" must say in a few words what happened$/, 'Say in a few words what happened (at least 3 characters).'],
  [/^"detected_at" is in the future$/, 'The time it was detected is in the future: choose now or an earlier time.'],
  [/^"([a-z_]+)" must be a time like (\S+)$/, (m) => `Enter the ${fieldLabel(m[1])} as a date and time.`],
  [/^"rsit_class" and "rsit_type" are required.*$/, 'Choose the kind of incident and then its type.'],
  [/^"[^"]*" is not a type of the class [^ ]+ \(([^)]*)\).*$/, (m) => `Choose one of the types of “${m[1]}” listed under the kind of incident.`],
  [/^"([a-z_]+)" must be at least (\d+) characters long$/, (m) => `The ${fieldLabel(m[1])} must be at least ${m[2]} characters long.`],
  [/^give the advisory a title/, 'Give the advisory a title.'],
  [/^name at least one affected product/, 'Name at least one affected product: its vendor and product.'],
  [/^an advisory keeps at least one (product|vulnerability)$/, (m) => `An advisory keeps at least one ${m[1]}.`],
  [/^describe at least one vulnerability/, 'Describe at least one vulnerability: its CVE id or a title.'],
];

const CODE_WORDS = {
  network: 'The server could not be reached. Check the connection and try again.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  csrf_failed: 'This page is out of date with your session. Reload the page and try again.',
  not_found: 'This does not exist, or it is outside what your organisation may see.',
  method_not_allowed: 'The server does not offer this action here (a fault in this page; please report it).',
  malformed_json: 'The server could not read what this page sent (a fault in this page; please report it).',
  invalid_utf8: 'Some of the text could not be read; remove unusual characters and try again.',
  too_deep: 'The server could not read what this page sent (a fault in this page; please report it).',
  unknown_field: 'This page sent something the server does not take (a fault in this page; please report it).',
  unsupported_media_type: 'The server does not take this kind of content here.',
  request_timeout: 'Sending took too long. Check the connection and try again.',
  internal: 'Something went wrong on the server. Try again; if it happens again, tell your administrator.',
  unavailable: 'The server cannot reach its database just now. Try again in a moment.',
  too_many_pages: 'The list is too long to show here; narrow it with a filter.',
};

// A sentence for a person from anything thrown by api.js (or any Error).
export function plainError(err) {
  if (!err) return 'Something went wrong. Try again.';
  const code = err.code || '';
  const raw = (err.message || '').trim();
  if (code === 'network' || code === 'unavailable' || code === 'internal' || code === 'csrf_failed'
    || code === 'malformed_json' || code === 'too_deep' || code === 'unknown_field' || code === 'method_not_allowed'
    || code === 'too_many_pages') {
    return CODE_WORDS[code];
  }
  if (code === 'not_found' && (!raw || raw === 'not found' || raw === 'no such route')) return CODE_WORDS.not_found;
  if (code === 'unauthenticated' && !raw) return CODE_WORDS.unauthenticated;
  if (code === 'forbidden' && !raw) return 'Your role does not allow this. Ask an administrator of your organisation if you need it.';
  if (/^http_\d+$/.test(code) || !raw) {
    const st = err.status || 0;
    if (st >= 500) return CODE_WORDS.internal;
    return raw ? sentence(raw) : 'Something went wrong. Try again.';
  }
  for (const [re, out] of REWORD) {
    const m = re.exec(raw);
    if (m) return (typeof out === 'function' ? out(m) : out) + position(err.field);
  }
  // General rule: every quoted API name becomes its words; the first one opens with "The".
  let first = true;
  let text = raw.replace(/"([a-z][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z0-9_]+)*)"/g, (all, name, offset) => {
    const last = name.replace(/\[\d+\]/g, '').split('.').pop();
    if (!FIELD_WORDS[last] && !/[_.[]/.test(name)) return all; // a value, not a field name
    const words = fieldLabel(name);
    const atStart = offset === 0 && first;
    first = false;
    return atStart ? `the ${words}` : words;
  });
  text = sentence(text.replace(/\b(not_applicable|not_implemented|not_started)\b/g,
    (v) => `“${v.charAt(0).toUpperCase()}${v.slice(1).replace(/_/g, ' ')}”`));
  if (err.field && /^(answers|decisions)\[/.test(err.field) && !/answer \d|decision \d/.test(text)) {
    text = text.replace(/\.$/, `${position(err.field)}.`);
  }
  return text;
}

/* ---------- loading, empty, failure ---------- */

export function loadingState(text) {
  return h('div', { class: 'state state-loading', role: 'status', 'aria-live': 'polite' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', null, text || 'Loading…'));
}

export function emptyState(content) {
  return h('div', { class: 'state state-empty' }, content instanceof Node ? content : h('p', null, content));
}

export function errorState(err, retry, what) {
  const btn = retry ? h('button', { type: 'button', class: 'btn btn-small retry-btn' }, 'Try again') : null;
  if (btn) btn.addEventListener('click', () => retry());
  return h('div', { class: 'state state-error', role: 'alert' },
    h('p', null, what ? `${sentence(`${what} could not be loaded`)} ` : null, plainError(err)),
    btn);
}

export async function loadInto(box, spec, retrying = false) {
  const what = spec.what || 'this';
  box.setAttribute('aria-busy', 'true');
  replace(box, loadingState(`Loading ${what}…`));
  let data;
  try {
    data = await spec.load();
  } catch (err) {
    box.removeAttribute('aria-busy');
    if (err && err.status === 401) { replace(box); return null; } // app.js takes the visitor to sign-in
    const label = spec.what ? `${what.charAt(0).toUpperCase()}${what.slice(1)}` : null;
    replace(box, errorState(err, () => loadInto(box, spec, true), label));
    if (retrying) box.querySelector('.retry-btn')?.focus(); // a keyboard user stays on the button
    return null;
  }
  box.removeAttribute('aria-busy');
  if (spec.isEmpty && spec.isEmpty(data)) {
    replace(box, emptyState(spec.empty || 'Nothing here yet.'));
  } else {
    replace(box, spec.render ? spec.render(data) : null);
  }
  if (retrying && (document.activeElement === document.body || !document.activeElement)) {
    box.setAttribute('tabindex', '-1');
    box.focus();
  }
  return data;
}

export function loadBelow(section, spec, id) {
  const box = h('div', { class: 'state-box', id });
  section.append(box);
  return loadInto(box, spec);
}

// The browser tab's title: "<text> · rabta".
export function tabTitle(text) {
  document.title = `${text} · rabta`;
}

export async function loadFirst(section, what, load, { title, titleOf } = {}) {
  if (title) tabTitle(title);
  const box = h('div', { class: 'state-box' });
  section.append(box);
  const data = await loadInto(box, { what, load });
  if (!data || !section.isConnected) return null;
  box.remove();
  if (titleOf) tabTitle(titleOf(data));
  return data;
}

// The choices above a report, side by side: each [label, select] in a field under its label
// (the select's id ties them); changing one calls go (which navigates to the report chosen).
export function reportPicks(go, picks) {
  for (const [, sel] of picks) sel.addEventListener('change', go);
  return h('div', { class: 'grid-2 report-picks' },
    picks.map(([label, sel]) => h('div', { class: 'field' }, h('label', { for: sel.id }, label), sel)));
}

/* ---------- lists paged by cursor ---------- */

function setWords(filters) {
  const n = Object.keys(filters).length;
  return n ? `${n} set` : 'none set';
}

export function filtersPanel({ id, headingId, countId }, form, filters) {
  const count = h('span', { class: 'filters-count', id: countId }, setWords(filters));
  const panel = h('details', { class: 'panel filters-panel', id },
    h('summary', { class: 'filters-summary' }, h('h2', { id: headingId }, 'Filters'), count), form);
  panel.open = Object.keys(filters).length > 0 || !window.matchMedia('(max-width: 640px)').matches;
  panel.count = (f) => { count.textContent = setWords(f); };
  return panel;
}

export function queryFilters(query, keys, flags = []) {
  const f = {};
  for (const k of keys) {
    const v = query.get(k);
    if (v && (!flags.includes(k) || v === '1')) f[k] = v;
  }
  return f;
}

export function pagedList(spec) {
  let cursor = null;
  let shown = 0;
  let generation = 0;
  const {
    box, more, status, what,
  } = spec;
  const label = what ? `${what.charAt(0).toUpperCase()}${what.slice(1)}` : null;
  async function load(reset) {
    if (reset) generation += 1;
    const gen = generation;
    more.disabled = true;
    if (reset) {
      spec.clear();
      cursor = null;
      shown = 0;
      status.textContent = '';
      replace(box, loadingState(`Loading ${what || 'the list'}…`));
      if (spec.shownChanged) spec.shownChanged(0);
    }
    let page;
    try {
      page = await spec.fetchPage(cursor);
    } catch (err) {
      if (gen !== generation || !box.isConnected) return;
      more.disabled = false;
      if (reset) replace(box, errorState(err, () => load(true), label));
      else status.textContent = `${plainError(err)} Press “Load more” to try again.`;
      return;
    }
    if (gen !== generation || !box.isConnected) return;
    replace(box);
    for (const item of page.items) spec.add(item);
    shown += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    more.disabled = false;
    if (spec.shownChanged) spec.shownChanged(shown);
    if (!shown) replace(box, emptyState(spec.empty()));
    status.textContent = shown ? spec.statusText(shown, !!cursor) : '';
  }
  more.addEventListener('click', () => load(false));
  return { load };
}

export function pagedTable({
  name, caption, cols, row, onClear, shownChanged, ...spec
}) {
  const tbody = h('tbody');
  const table = dataTable({
    id: `${name}-table`, compact: true, caption, cols, body: tbody,
  });
  const box = h('div', { class: 'state-box', id: `${name}-state` });
  const more = h('button', { type: 'button', class: 'btn', id: `${name}-more`, hidden: true }, 'Load more');
  const status = h('p', { class: 'muted', role: 'status', id: `${name}-status` });
  const foot = h('div', { class: 'table-foot' }, status, more);
  const list = pagedList({
    ...spec,
    box,
    more,
    status,
    add: (item) => tbody.append(row(item)),
    clear: () => { replace(tbody); if (onClear) onClear(); },
    shownChanged: (n) => { table.hidden = n === 0; if (shownChanged) shownChanged(n); },
  });
  return {
    load: list.load, status, foot, nodes: [box, h('div', { class: 'table-wrap' }, table), foot],
  };
}

/* ---------- banners ---------- */

let bannerHost = null;
let pending = null;

// app.js names the host (a live region at the top of main) once at boot.
export function setBannerHost(el) { bannerHost = el; }

export function banner(message, opts = {}) {
  if (opts.next) { pending = { message, opts: { ...opts, next: false } }; return; }
  if (!bannerHost) return;
  if (!message) { replace(bannerHost); bannerHost.hidden = true; return; }
  const tone = opts.tone || 'info';
  const close = h('button', { type: 'button', class: 'banner-close', 'aria-label': 'Dismiss this message' }, '×');
  close.addEventListener('click', () => banner(null));
  replace(bannerHost, h('div', {
    class: ['banner', `banner-${tone}`], role: tone === 'error' ? 'alert' : 'status', dataset: { tone },
  }, h('p', { class: 'banner-text' }, message), close));
  bannerHost.hidden = false;
}

// Called by app.js on every route change: drops the old banner, shows one made with {next: true}.
export function bannerRouteChanged() {
  banner(null);
  if (pending) {
    const p = pending;
    pending = null;
    banner(p.message, p.opts);
  }
}

/* ---------- confirmation dialog ---------- */

function openDialog({
  title, body, confirm, cancel, danger, wide, name, id, validate,
}) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = uid('dlg-title');
    const bodyId = uid('dlg-body');
    const yes = confirm ? h('button', {
      type: 'button', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], value: 'confirm', dataset: { confirm: 'ok' },
    }, confirm) : null;
    const no = h('button', { type: 'button', class: ['btn', confirm ? null : 'btn-primary'], value: 'cancel', dataset: { confirm: 'cancel' } }, cancel);
    const dlg = h('dialog', {
      class: ['dialog', wide ? 'dialog-wide' : null], id, 'aria-labelledby': titleId, 'aria-describedby': bodyId, dataset: { dialog: name },
    },
    h('h2', { id: titleId, class: 'dialog-title' }, title),
    h('div', { id: bodyId, class: 'dialog-body' }, [].concat(body).map((p) => (p instanceof Node ? p : h('p', null, p)))),
    validate ? h('p', { class: 'field-error dialog-error', role: 'alert', hidden: true }) : null,
    h('div', { class: 'dialog-actions' }, no, yes));
    let answered = false;
    const done = (ok) => {
      if (answered) return;
      answered = true;
      if (dlg.open) dlg.close();
      dlg.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(ok);
    };
    // a choice changed: what validate() said no longer holds
    if (validate) dlg.addEventListener('change', () => { dlg.querySelector('.dialog-error').hidden = true; });
    if (yes) {
      yes.addEventListener('click', () => {
        const problem = validate ? validate() : null;
        if (problem) {
          const slot = dlg.querySelector('.dialog-error');
          slot.textContent = problem;
          slot.hidden = false;
          return;
        }
        done(true);
      });
    }
    no.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); done(false); }); // Esc
    dlg.addEventListener('close', () => done(false));
    document.body.appendChild(dlg);
    dlg.showModal();
    no.focus();
  });
}

export function confirmDialog({
  title, body, confirm = 'Confirm', cancel = 'Cancel', danger = false, name, id, wide = false, validate,
}) {
  return openDialog({
    title, body, confirm, cancel, danger, name, id, wide, validate,
  });
}

export function showDialog({ title, body, close = 'Close', wide = false, name }) {
  return openDialog({ title, body, confirm: null, cancel: close, wide, name });
}

export function confirmedClick(btn, { ask, act, failed }) {
  btn.addEventListener('click', async () => {
    const question = ask ? await ask() : null;
    if (question && !(await confirmDialog(question))) return;
    btn.disabled = true;
    try {
      await act();
    } catch (err) {
      btn.disabled = false;
      failed(err);
    }
  });
  return btn;
}

/* ---------- tables that become cards ---------- */

function labelRow(tr, headings) {
  let i = 0;
  for (const cell of tr.children) {
    const span = Number(cell.getAttribute('colspan') || 1);
    const label = headings[i];
    if (label && !cell.dataset.label) cell.dataset.label = label;
    i += span;
  }
}

export function cardTable(table) {
  table.classList.add('table-cards');
  const headings = [...table.querySelectorAll('thead th')].map((th) => (th.dataset.cardLabel !== undefined ? th.dataset.cardLabel : th.textContent.trim()));
  for (const tr of table.querySelectorAll('tbody tr')) labelRow(tr, headings);
  for (const tbody of table.tBodies) {
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) if (n.nodeName === 'TR') labelRow(n, headings);
        if (r.target.nodeName === 'TR') labelRow(r.target, headings);
      }
    }).observe(tbody, { childList: true, subtree: true });
  }
  return table;
}

// A table of a list, made to become cards (above) — the one way to write a list's table:
//   dataTable({ id: 'users-table', caption: 'Users', compact: true, cols: ['Name', 'Email',
//     { label: 'Actions', hidden: true }], body: tbody })
// cols: each column's heading, as text (or nodes) or { label, hidden, cardLabel, attrs } — hidden:
// for screen readers only (an actions column); cardLabel: the cell's label on a card when it is
// not the heading's text ('' for none); attrs: more attributes of the th. A null column is left
// out. caption: its text (read by screen readers only) or a caption element the page fills later.
// body: the tbody (rows may be added later) or the rows. Other keys (id, dataset, tabindex) are
// the table's attributes; className adds to its class.
export function dataTable({
  caption, cols, body, compact, className, ...attrs
}) {
  const th = (c) => {
    const col = typeof c === 'object' && !(c instanceof Node) && !Array.isArray(c) ? c : { label: c };
    const card = col.cardLabel === undefined ? null : { dataset: { cardLabel: col.cardLabel } };
    return h('th', { scope: 'col', ...col.attrs, ...card },
      col.hidden ? h('span', { class: 'sr-only' }, col.label) : col.label);
  };
  return cardTable(h('table', { class: ['table', compact ? 'table-compact' : null, className], ...attrs },
    caption instanceof Node ? caption : h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, cols.filter(Boolean).map(th))),
    body instanceof Node ? body : h('tbody', null, body)));
}

/* ---------- a secret shown once ---------- */

// secretLine({ id, label, value, noteId }): the label and a read-only text box holding a secret
// that rabta shows only once (an API token, a calendar feed's address), with a Copy button that
// falls back to "Press Ctrl+C to copy" where the clipboard is refused. Returns [label, line, input]:
// the page places the first two and focuses the input.
export function secretLine({ id, label, value, noteId }) {
  const out = h('input', { type: 'text', id, class: 'token-value', readOnly: true, value, 'aria-describedby': noteId, spellcheck: 'false' });
  const copy = h('button', { type: 'button', class: 'btn btn-small' }, 'Copy');
  copy.addEventListener('click', async () => {
    out.select();
    try {
      await navigator.clipboard.writeText(value);
      copy.textContent = 'Copied';
    } catch (e) {
      copy.textContent = 'Press Ctrl+C to copy';
    }
  });
  return [h('label', { for: id }, label), h('div', { class: 'token-line' }, out, copy), out];
}

/* ---------- bars ---------- */

export function meterBar(value, max, label, extraClass) {
  const pct = max > 0 ? Math.max(0, Math.min(100, (100 * value) / max)) : 0;
  return s('svg', {
    class: ['meter', extraClass], viewBox: '0 0 100 8', preserveAspectRatio: 'none', role: 'img', 'aria-label': label,
    'data-value': value, 'data-max': max,
  },
  s('rect', { class: 'meter-track', x: 0, y: 0, width: 100, height: 8, rx: 2 }),
  s('rect', { class: 'meter-fill', x: 0, y: 0, width: Math.round(pct * 100) / 100, height: 8, rx: 2 }));
}

export function barList({
  name, title, rows, max, format = String, caption, unit, axisLabel,
}) {
  const has = (v) => v !== null && v !== undefined;
  const largest = Math.max(1, ...rows.map((r) => (has(r.value) ? r.value : 0)));
  const step = max ? (max === 100 ? 25 : max / 4) : countStep(largest);
  const top = max || Math.ceil(largest / step) * step;
  const ticks = [];
  for (let v = 0; v <= top + 1e-9; v += step) ticks.push(Math.round(v * 10) / 10);
  const list = h('ul', { class: 'barlist', 'aria-label': unit ? `${title} (${unit})` : title, dataset: { chart: name } },
    rows.map((r) => h('li', { class: ['barlist-row', r.thin ? 'is-thin' : null], dataset: { key: r.key, value: r.value } },
      h('span', { class: 'barlist-label' }, r.label),
      h('span', { class: 'barlist-value' }, has(r.value) ? format(r.value) : '—'),
      meterBar(r.value || 0, top, `${r.label}: ${has(r.value) ? format(r.value) : 'no data'}${r.thin ? ' (thin)' : ''}`, 'barlist-bar'),
      r.note || r.thin ? h('span', { class: 'barlist-note' },
        r.note || null, r.thin ? h('span', { class: 'thin-mark' }, r.note ? ' · thin' : 'thin') : null) : null)));
  // The scale: evenly spaced ticks from 0 to the top of the bars (the bars span the same width).
  const scale = h('div', { class: 'barlist-scale', 'aria-hidden': 'true', dataset: { top } },
    h('div', { class: 'barlist-ticks' }, ticks.map((v) => h('span', { class: 'barlist-tick' }, h('span', null, String(v))))),
    axisLabel || unit ? h('span', { class: 'barlist-axis' }, axisLabel || unit) : null);
  return h('figure', { class: 'chart chart-bars', dataset: { chart: name } },
    title ? h('figcaption', { class: 'chart-title' }, title) : null,
    rows.length ? [list, scale] : h('p', { class: 'muted' }, 'No data yet.'),
    caption ? h('p', { class: 'chart-caption' }, caption) : null);
}
