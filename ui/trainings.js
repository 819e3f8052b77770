// trainings.js - the words every training page shares (docs/ui.md, "Training pages"): the modes a
// session is held in and how people join, its statuses, when and where it is, the tags, and who may
// organise (a CERT's analysts and admins). The pages: page-trainings.js (calendar and list),
// page-training-new.js (organise one), page-training.js (one session: invite, register,
// attendance, feedback, materials), page-trainings-dashboard.js (the capacity dashboard) and
// page-trainings-gaps.js (training meets the gaps); home-trainings.js holds the home panels.
import { h, fmtDate } from './dom.js';
import { state, can, isCert } from './state.js';

export const MODES = [
  ['in_person', 'In person'],
  ['virtual', 'Online'],
  ['hybrid', 'In person and online'],
];
export const MODE_LABELS = Object.fromEntries(MODES);
// How a person joined: a hybrid session has both.
export const JOIN_LABELS = { in_person: 'In the room', virtual: 'Online' };
export const STATUS_LABELS = { draft: 'Draft', scheduled: 'Scheduled', cancelled: 'Cancelled' };

// The organisers' fieldset of the session forms: the colleagues of the caller's CERT (from
// /api/v1/me/colleagues), `first` (ids, in their order) on top and checked; the rest after.
// staffChosen reads the checked ones back in that order: the lead is the first.
export function staffField(colleagues, first) {
  const top = first.map((id) => colleagues.find((p) => p.id === id)).filter(Boolean);
  const ordered = [...top, ...colleagues.filter((p) => !first.includes(p.id))];
  const el = h('fieldset', { class: 'fieldset staff-field', id: 'staff' },
    h('legend', null, 'Organisers'),
    h('p', { class: 'hint' }, 'People of your organisation who run the session; invited organisations see their names and e-mail. The first one checked leads.'),
    h('ul', { class: 'check-list check-list-cols' }, ordered.map((p) => h('li', null,
      h('input', { type: 'checkbox', id: `staff-${p.id}`, name: `staff:${p.id}`, value: p.id, checked: first.includes(p.id) }),
      h('label', { for: `staff-${p.id}` }, p.name, h('span', { class: 'muted' }, ` · ${p.email}`))))));
  el.chosen = (v) => ordered.filter((p) => v[`staff:${p.id}`]).map((p) => p.id);
  return el;
}

export function modeTag(mode) {
  return h('span', { class: ['tag', 'tag-mode', `mode-${mode}`], dataset: { mode } }, MODE_LABELS[mode] || mode);
}

// The status a reader needs: draft, cancelled, held ("Held"), or upcoming / under way.
export function statusTag(t) {
  if (t.status === 'draft') return h('span', { class: 'tag tag-draft', dataset: { status: 'draft' } }, 'Draft');
  if (t.status === 'cancelled') return h('span', { class: 'tag tag-off', dataset: { status: 'cancelled' } }, 'Cancelled');
  if (t.held) return h('span', { class: 'tag tag-ok', dataset: { status: 'held' } }, 'Held');
  const now = new Date().toISOString();
  if (t.starts_at <= now) return h('span', { class: 'tag tag-info', dataset: { status: 'now' } }, 'Under way');
  return h('span', { class: 'tag tag-info', dataset: { status: 'upcoming' } }, 'Upcoming');
}

function hhmm(iso) {
  return String(iso || '').slice(11, 16);
}

// "12 Mar 2026, 04:00–09:00 UTC" (one day) or "12 Mar 2026 04:00 – 14 Mar 2026 12:00 UTC"
export function whenWords(t) {
  const d1 = fmtDate(t.starts_at);
  const d2 = fmtDate(t.ends_at);
  return d1 === d2 ? `${d1}, ${hhmm(t.starts_at)}–${hhmm(t.ends_at)} UTC`
    : `${d1} ${hhmm(t.starts_at)} – ${d2} ${hhmm(t.ends_at)} UTC`;
}

// Where: the venue, "online", or both.
export function whereWords(t) {
  if (t.mode === 'virtual') return 'Online';
  if (t.mode === 'hybrid') return `${t.venue || 'Venue to be announced'}, and online`;
  return t.venue || 'Venue to be announced';
}

// "3 of 4 attended: 1 in the room, 2 online"
export function attendanceWords(t) {
  if (!t.registered) return 'No one registered yet';
  const parts = [];
  if (t.in_person) parts.push(`${t.in_person} in the room`);
  if (t.virtual) parts.push(`${t.virtual} online`);
  return `${t.attended} of ${t.registered} attended${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export function topicWords(t) {
  return (t.topics || []).map((x) => (x.kind === 'control' ? `${x.label || x.id} ${x.title || ''}`.trim() : x.title || x.id)).join(', ');
}

// Who may organise sessions: a CERT's analysts and admins.
export function canOrganise() {
  return !!state.me && isCert(state.me.org) && can('publish');
}

// The first day of this quarter and of the next, as dates (UTC).
export function quarterOf(date = new Date()) {
  const y = date.getUTCFullYear();
  const q = Math.floor(date.getUTCMonth() / 3);
  const start = new Date(Date.UTC(y, q * 3, 1));
  const end = new Date(Date.UTC(y, q * 3 + 3, 1));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10), label: `Q${q + 1} ${y}` };
}

export const RATING_WORDS = ['', '1 — poor', '2 — fair', '3 — good', '4 — very good', '5 — excellent'];
