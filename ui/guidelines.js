// guidelines.js - labels and small shared pieces of the guidelines & preparedness pages
// (catalogs, profiles, campaigns, assessments). Who may do what is decided by the API; these
// checks only decide which buttons and links to offer.
import { h, replace, loadingState, errorState, tabTitle } from './dom.js';
import { state, can, isCert } from './state.js';

// Answer statuses of a control, in the order the form offers them.
export const ANSWER_STATUSES = [
  ['implemented', 'Implemented'],
  ['partial', 'Partially implemented'],
  ['planned', 'Planned'],
  ['not_implemented', 'Not implemented'],
  ['not_applicable', 'Not applicable'],
];
export const ANSWER_LABELS = Object.fromEntries(ANSWER_STATUSES);

export const MATURITY_LEVELS = [
  [0, 'None'],
  [1, 'Initial'],
  [2, 'Developing'],
  [3, 'Defined'],
  [4, 'Managed'],
  [5, 'Optimised'],
];

export const ASSESSMENT_STATUS = {
  not_started: ['Not started', 'tag-off'],
  draft: ['Draft', 'tag-draft'],
  submitted: ['Submitted', 'tag-info'],
  returned: ['Returned', 'tag-warn-solid'],
  accepted: ['Accepted', 'tag-ok'],
};

export function statusLabel(status) {
  return (ASSESSMENT_STATUS[status] || [status || '—'])[0];
}

export function statusTag(status, extra) {
  const [label, cls] = ASSESSMENT_STATUS[status] || [status || '—', null];
  return h('span', { class: ['tag', 'status-tag', cls, extra], dataset: { status } }, label);
}

export function tlpBadge(tlp) {
  if (!tlp) return null;
  return h('span', { class: ['tlp', `tlp-${tlp.toLowerCase().replace('+', '-')}`], title: `Traffic Light Protocol: ${tlp}` }, `TLP:${tlp}`);
}

// One rounding rule for every score on every page (chart, table and text agree): one decimal.
// 68 -> "68.0", 66.47 -> "66.5", null -> "—"
export function fmtScore(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return (Math.round(Number(v) * 10) / 10).toFixed(1);
}

// An evidence file's size in words: 812 -> "812 bytes", 20480 -> "20 KB", 1572864 -> "1.5 MB".
export function fmtSize(n) {
  if (n < 1024) return n === 1 ? '1 byte' : `${n} bytes`;
  const [v, unit] = n < 1024 * 1024 ? [n / 1024, 'KB'] : [n / (1024 * 1024), 'MB'];
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} ${unit}`;
}

export function stat(label, value, key, extraClass) {
  return h('div', { class: ['stat', extraClass], role: 'listitem', dataset: { stat: key } },
    h('span', { class: 'stat-value' }, String(value)),
    h('span', { class: 'stat-label' }, label));
}

// CERT analysts and admins make profiles and launch campaigns over their subtree.
export function canLaunch() {
  return !!state.me && isCert(state.me.org) && can('publish');
}

// The assessed org's reporters, analysts and admins fill its assessments.
export function canFill(assessment) {
  return !!state.me && assessment.org_id === state.me.org.id && can('report');
}

export function editable(status) {
  return status === 'not_started' || status === 'draft' || status === 'returned';
}

export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// Histogram bins as the roll-up defines them: [0,10), [10,20), ..., [90,100].
export const HIST_LABELS = ['0–9', '10–19', '20–29', '30–39', '40–49', '50–59', '60–69', '70–79', '80–89', '90–100'];
export function binOf(score) {
  return Math.min(9, Math.max(0, Math.floor(score / 10)));
}

// Element.append() turns null and arrays into text: this one skips nulls and flattens arrays.
export function append(el, ...kids) {
  el.append(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== false));
  return el;
}

// ---------------------------------------------------------------------------------------------
// Helpers of the guideline pages. The loading and failure states and the confirmation dialog are
// the shell's (dom.js); plainError here words the guideline API's messages (fields, answer
// statuses, control ids) and the card table below is the guideline pages' own (.rtable).
// ---------------------------------------------------------------------------------------------

// A group is "thin" when fewer than this many organisations' submissions stand behind its number.
export const THIN_BASE = 3;
export const THIN_TEXT = `fewer than ${THIN_BASE} organisations`;

// One spelling of a control's id everywhere: the catalog's label (e.g. "SC-4"). `labels` maps the
// OSCAL id to its label when the page has it; otherwise the id is written as the catalog writes
// its labels (upper case: "br-2.1" -> "BR-2.1").
export function controlLabel(id, labels) {
  if (!id) return '—';
  if (labels && labels.get && labels.has(id)) return labels.get(id);
  return String(id).toUpperCase();
}

// Controls grouped by their domain, in the order the domains first appear:
// -> [{id, title, controls: [...]}]
export function byDomain(controls) {
  const groups = new Map();
  for (const c of controls) {
    if (!groups.has(c.domain_id)) groups.set(c.domain_id, { id: c.domain_id, title: c.domain_title || c.domain_id, controls: [] });
    groups.get(c.domain_id).controls.push(c);
  }
  return [...groups.values()];
}

export function labelMap(controls) {
  return new Map((controls || []).map((c) => [c.id, c.label || String(c.id).toUpperCase()]));
}

const FIELD_WORDS = {
  due_date: 'the due date', title: 'the title', profile_id: 'the profile', maturity: 'the maturity',
  status: 'the status', comment: 'the comment', control_id: 'the control', evidence: 'the evidence note',
  decisions: 'the decisions', answers: 'the answers', kind: 'the kind', province: 'the province',
  sector: 'the sector', filename: 'the file name', tlp: 'the sharing level', control_ids: 'the controls',
};
const STATUS_WORDS = {
  not_applicable: '“Not applicable”', not_implemented: '“Not implemented”', implemented: '“Implemented”',
  partial: '“Partially implemented”', planned: '“Planned”', not_started: 'not started',
};

// A server message in plain words for the person reading it: no raw field names, codes or ids.
//   '"due_date" is in the past' -> 'The due date is in the past'
//   '... (use not_applicable where ...)' -> '... (choose “Not applicable” where ...)'
export function plainWords(message) {
  let m = String(message || '');
  m = m.replace(/\buse not_applicable\b/g, 'choose “Not applicable”');
  m = m.replace(/"([a-z_]+)"/g, (all, f) => FIELD_WORDS[f] || all);
  m = m.replace(/\b(not_applicable|not_implemented|not_started)\b/g, (all, w) => STATUS_WORDS[w] || all);
  m = m.replace(/\bcontrol ([a-z]{1,6}-\d+(?:\.\d+)?)\b/g, (all, id) => `control ${controlLabel(id)}`);
  m = m.replace(/\b(answers|decisions)\[\d+\]\.?[a-z_]*/g, 'one of the answers');
  return m ? m.charAt(0).toUpperCase() + m.slice(1) : m;
}

// An error (ApiError or any) as one sentence for the reader.
export function plainError(err, fallback) {
  if (!err) return fallback || 'Something went wrong.';
  if (err.status === 0) return 'The server could not be reached. Check the connection and try again.';
  if (err.status >= 500) return 'The server had a problem answering. Try again in a moment.';
  if (err.status === 401) return 'Your session has ended. Please sign in again.';
  if (err.status === 403 && !err.message) return 'Your role does not allow this.';
  return plainWords(err.message || fallback || 'Something went wrong.');
}

// Loads a page's data with a loading line and, on failure, a retry box in place of the page.
// Returns the data, or undefined when it failed (the page then stops; Retry renders it again).
// A 404 is rethrown for the page's own "not found" text.
// The loading and failure states are the shell's (loadingState, errorState in dom.js).
export async function loadWithRetry(section, what, fn, rerender) {
  const note = loadingState(`Loading ${what}…`);
  section.append(note);
  try {
    const data = await fn();
    note.remove();
    return data;
  } catch (err) {
    note.remove();
    if (err && err.status === 404) throw err;
    if (!section.isConnected) return undefined;
    section.append(errorState(err, () => { replace(section); rerender(); }, `The ${what}`));
    return undefined;
  }
}

// The same for a page of one object (an assessment, a campaign, ...): a 404 puts "<Kind> not found"
// and a link back in place of the page. -> the data, or undefined (failed or not found: the page
// stops there). Like loadFirst (dom.js) it titles the tab: `title` while loading (and on a failure),
// titleOf(data) once loaded, unless the visitor has left the page.
//   loadOrMissing(section, 'campaign', fn, rerender,
//     { kind: 'Campaign', back: ['#/campaigns', 'Back to the campaigns'], verb: 'read', title: 'Campaign', titleOf: (c) => c.title })
// An assessment's page (to fill it, or to review it) when the assessment is not there.
export const ASSESSMENT_MISSING = { kind: 'Assessment', back: ['#/assessments', 'Back to the assessments'], verb: 'see' };

export async function loadOrMissing(section, what, fn, rerender, {
  kind, back, verb = 'read', title, titleOf,
}) {
  if (title) tabTitle(title);
  try {
    const data = await loadWithRetry(section, what, fn, rerender);
    if (data && titleOf && section.isConnected) tabTitle(titleOf(data));
    return data;
  } catch (err) {
    if (err.status !== 404) throw err;
    append(section, h('h1', { tabindex: '-1' }, `${kind} not found`),
      h('p', { class: 'notice' }, `It does not exist, or your organisation may not ${verb} it. `, h('a', { href: back[0] }, back[1]), '.'));
    return undefined;
  }
}

// A table that becomes a list of cards at a phone's width (CSS: .rtable). Each cell carries its
// column's name (data-label) for the card; the column marked `main` is the card's title and the one
// marked `action` its button row, always visible.
//   cardTable({id, caption, cols: [{label, cls, main, action, hideLabel}], rows: [{attrs, cells: [...]}], compact})
export function cardTable({ id, caption, cols, rows, compact }) {
  return h('div', { class: 'table-wrap rtable-wrap' }, h('table', { class: ['table', 'rtable', compact ? 'table-compact' : null], id },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: c.cls || null },
      c.action && c.hideLabel !== false ? h('span', { class: 'sr-only' }, c.label) : c.label)))),
    h('tbody', null, rows.map((r) => h('tr', r.attrs || null, r.cells.map((cell, i) => {
      const col = cols[i] || {};
      return h('td', {
        class: [col.cls, col.main ? 'rt-main' : null, col.action ? 'rt-action actions' : null],
        dataset: { label: col.main || col.action ? null : col.label },
      }, cell);
    }))))));
}

// "24 submitted: 18 accepted, 6 awaiting review" style counts; parts with 0 are left out.
export function countPhrase(total, word, parts) {
  const shown = parts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}`);
  return `${total} ${word}${shown.length ? `: ${shown.join(', ')}` : ''}`;
}
