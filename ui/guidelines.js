// guidelines.js - labels and small shared pieces of the guidelines & preparedness pages
// (catalogs, profiles, campaigns, assessments). Who may do what is decided by the API; these
// checks only decide which buttons and links to offer.
import { h } from './dom.js';
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

// 68 -> "68", 31.4286 -> "31.43", null -> "—"
export function fmtScore(v) {
  if (v === null || v === undefined) return '—';
  return String(Math.round(v * 100) / 100);
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
