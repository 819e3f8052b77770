// incidents.js - the words and small pieces every incident page shares: severities, statuses, TLP
// levels and clocks in words, durations and deadlines in words, the badges, the clock strip, and
// the incident home panels' helpers. Pages: page-incident-new.js (report), page-incidents.js (list),
// page-incident.js (one incident), page-inbox.js, page-responsiveness.js, page-reporting-policy.js.
//
//   SEVERITIES                   [{value, label, meaning}] most serious first
//   STATUSES, statusLabel(s)     the statuses in words; statusAction(from, to) a button's words
//   TLPS                         [{value, label, meaning}] what each level means for who sees an incident
//   clockLabel(c), clockWords(c) "Acknowledgement by the handling CERT"; "due in 3 hours (… UTC)"
//   durationWords(seconds)       "45 minutes", "4 hours", "3 days"
//   minutesWords(min)            the same from minutes, "off" for 0
//   untilWords(iso)              "in 3 hours", "2 days ago"
//   nextDueWords(inc)            "Overdue: acknowledgement, due … " / "Next: notification in 2 days" / "Nothing due"
//   severityTag(s), statusBadge(s), tlpBadge(t), overdueTag()
//   clockStrip(inc)              the four clocks as a readable strip (what is due next, overdue, met, late)
import { h, fmtTime, plural, labelOf } from './dom.js';
import { can, isCert } from './state.js';

export const SEVERITIES = [
  { value: 'emergency', label: 'Emergency', meaning: 'A threat to life or to essential national services, now.' },
  { value: 'severe', label: 'Severe', meaning: 'Critical services or most of the organisation are hit.' },
  { value: 'high', label: 'High', meaning: 'An important system or sensitive data is affected.' },
  { value: 'medium', label: 'Medium', meaning: 'A limited part is affected; work goes on.' },
  { value: 'low', label: 'Low', meaning: 'A small effect on a few users or one system.' },
  { value: 'baseline', label: 'Baseline', meaning: 'Unlikely to matter; reported for the record.' },
];
export const SEVERITY_KEYS = SEVERITIES.map((x) => x.value);
export function severityLabel(v) { return labelOf(SEVERITIES, v); }

export const STATUSES = [
  ['new', 'New'], ['triaged', 'Triaged'], ['contained', 'Contained'], ['eradicated', 'Eradicated'],
  ['recovered', 'Recovered'], ['closed', 'Closed'], ['rejected', 'Rejected'], ['merged', 'Merged'],
];
export const OPEN_STATUSES = ['new', 'triaged', 'contained', 'eradicated', 'recovered'];
export function statusLabel(v) { return (STATUSES.find((x) => x[0] === v) || [v, v || '—'])[1]; }

// The words of the button that moves an incident from `from` to `to`.
export function statusAction(from, to) {
  if (to === 'triaged' && (from === 'closed' || from === 'rejected')) return 'Reopen';
  return {
    triaged: 'Mark triaged', contained: 'Mark contained', eradicated: 'Mark eradicated', recovered: 'Mark recovered',
    closed: 'Close', rejected: 'Reject',
  }[to] || `Mark ${statusLabel(to).toLowerCase()}`;
}

export const TLPS = [
  { value: 'CLEAR', label: 'TLP:CLEAR', meaning: 'Anyone may see it.' },
  { value: 'GREEN', label: 'TLP:GREEN', meaning: 'Every organisation on rabta may see it.' },
  { value: 'AMBER', label: 'TLP:AMBER', meaning: 'Your organisation, your CERT, the CERTs it is escalated to and those they share it with.' },
  { value: 'AMBER+STRICT', label: 'TLP:AMBER+STRICT', meaning: 'Only your organisation and the organisations named one by one; it is never escalated.' },
  { value: 'RED', label: 'TLP:RED', meaning: 'Only the organisations named one by one, for their own eyes; it is never escalated.' },
];
export function tlpMeaning(v) { return labelOf(TLPS, v, 'meaning', ''); }

export const CLOCKS = {
  acknowledge: 'Acknowledgement by the handling CERT',
  early_warning: 'Early warning',
  notification: 'Incident notification',
  final_report: 'Final report',
};
const SHORT_CLOCKS = { acknowledge: 'Acknowledgement', notification: 'Notification' };
export function clockLabel(c) { return CLOCKS[c] || (c || '').replace(/_/g, ' '); }

export const HANDLING_RULES = {
  reported: 'reported',
  severity: 'escalated: the severity is severe or emergency',
  cii: 'escalated: critical infrastructure is involved',
  cross_province: 'escalated: linked to an incident in another province',
  ack_overdue: 'escalated: not acknowledged in time',
  manual: 'escalated by hand',
};

export const INBOX_KINDS = {
  triage: 'To triage', notice: 'For your information', escalated: 'Escalated to you', due_soon: 'Due soon',
  overdue: 'Overdue', task: 'Task', shared: 'Shared with you',
};

// 2700 -> "45 minutes"; 14400 -> "4 hours"; 259200 -> "3 days"
export function durationWords(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return plural(s, 'second');
  const m = Math.round(s / 60);
  if (m < 60) return plural(m, 'minute');
  const hrs = s / 3600;
  if (hrs < 48) {
    const hh = Math.floor(hrs);
    const mm = Math.round((s - hh * 3600) / 60);
    return mm && hh < 10 ? `${plural(hh, 'hour')} ${plural(mm, 'minute')}` : plural(Math.round(hrs), 'hour');
  }
  return plural(Math.round(s / 86400), 'day');
}

export function minutesWords(min) {
  if (!min) return 'no deadline';
  if (min % 1440 === 0) return plural(min / 1440, 'day');
  if (min % 60 === 0) return plural(min / 60, 'hour');
  return durationWords(min * 60);
}

// "in 3 hours", "2 days ago", "now"
export function untilWords(iso, now = Date.now()) {
  if (!iso) return '';
  const d = (new Date(iso).getTime() - now) / 1000;
  if (Math.abs(d) < 60) return 'now';
  return d > 0 ? `in ${durationWords(d)}` : `${durationWords(-d)} ago`;
}

// The next deadline of an incident in words, for lists and cards.
export function nextDueWords(inc) {
  if (inc.overdue) {
    const o = (inc.clocks || []).find((c) => c.state === 'overdue');
    return o ? `Overdue: ${clockLabel(o.clock).toLowerCase()}, due ${untilWords(o.due)}` : 'Overdue';
  }
  const n = inc.next_due;
  if (!n) return OPEN_STATUSES.includes(inc.status) ? 'Nothing due' : `${statusLabel(inc.status)}: nothing due`;
  return `${clockLabel(n.clock)} due ${untilWords(n.due)}${n.state === 'due_soon' ? ' (soon)' : ''}`;
}

export function severityTag(v) {
  return h('span', { class: ['tag', 'sev', `sev-${v}`], dataset: { severity: v } }, severityLabel(v));
}
export function statusBadge(v) {
  return h('span', { class: ['tag', 'ist', `ist-${v}`], dataset: { status: v } }, statusLabel(v));
}
export function tlpBadge(v) {
  const cls = `tlp-${String(v || '').toLowerCase().replace('+', '-')}`;
  return h('span', { class: ['tlp', cls], dataset: { tlp: v }, title: tlpMeaning(v) }, `TLP:${v}`);
}
export function overdueTag() { return h('span', { class: 'tag tag-overdue' }, 'overdue'); }

const CLOCK_STATE_WORDS = {
  pending: 'due', due_soon: 'due soon', overdue: 'overdue', met: 'met', met_late: 'met late', stopped: 'stopped', none: 'no deadline',
};

// One clock in words: "due in 3 hours (2026-12-02 10:18 UTC)", "met 2026-12-01 10:20 UTC, in time", …
export function clockWords(c) {
  switch (c.state) {
    case 'pending': return `Due ${untilWords(c.due)} (${fmtTime(c.due)})`;
    case 'due_soon': return `Due soon: ${untilWords(c.due)} (${fmtTime(c.due)})`;
    case 'overdue': return `Overdue since ${fmtTime(c.due)} (${untilWords(c.due)})`;
    case 'met': return `Met in time, ${fmtTime(c.met)}`;
    case 'met_late': return `Met late, ${fmtTime(c.met)} (was due ${fmtTime(c.due)})`;
    case 'stopped': return 'Stopped: the incident ended before it was due';
    default: return 'No deadline for this incident';
  }
}

// The four clocks as a strip: each says what it is, its state and its time; the next due is marked.
export function clockStrip(inc) {
  const next = inc.next_due ? inc.next_due.clock : null;
  return h('ol', { class: 'clocks', id: 'clock-strip', 'aria-label': 'Deadlines' },
    (inc.clocks || []).map((c) => h('li', {
      class: ['clock', `clock-${c.state}`, c.clock === next ? 'is-next' : null], dataset: { clock: c.clock, state: c.state },
    },
    h('span', { class: 'clock-name' }, SHORT_CLOCKS[c.clock] || clockLabel(c.clock)),
    h('span', { class: 'clock-state' }, c.clock === next ? `Next · ${CLOCK_STATE_WORDS[c.state]}` : CLOCK_STATE_WORDS[c.state] || c.state),
    h('span', { class: 'clock-when' }, clockWords(c)))));
}

// Who may do what on an incident, for the caller (the route table's "party": handling CERT, affected
// or reporting org; writes need the role's `report` permission).
export function partyOf(inc) {
  return !!(inc.you && (inc.you.handling || inc.you.affected)) && can('report');
}

// Whose pages: the responsiveness dashboard is for CERTs; everyone may read the reporting policy.
export function seesResponsiveness(me) { return !!me && isCert(me.org); }
