// The incident panels of the home page (docs/ui.md, "Home panels"), imported into PANELS of
// page-home.js:
//   national CERT  — Open incidents: open by severity and by province (charts), the overdue count
//   CERT analysts  — Your inbox: the unread items, each linking to its incident
//   other CERTs    — Overdue incidents: the readable incidents with a deadline passed
//   institutions   — Your incidents (open ones with their next deadline, "Report an incident")
//                    and Your tasks (GET /api/v1/tasks)
import { h, plural, fmtTime, fmtDate } from './dom.js';
import { get } from './api.js';
import { barChart } from './chart.js';
import { can, isCert, tierPanel } from './state.js';
import {
  SEVERITIES, severityTag, statusBadge, nextDueWords, overdueTag,
} from './incidents.js';
import { itemHref } from './page-inbox.js';

const THIN = 5; // fewer open incidents than this: the charts say the numbers are few

function figure(value, label, key, extra, href) {
  const v = h('span', { class: 'figure-value' }, String(value));
  return h('div', { class: ['figure', extra], dataset: { figure: key } },
    href ? h('a', { href, class: 'figure-link' }, v) : v,
    h('span', { class: 'figure-label' }, label));
}

function incidentItem(inc) {
  return h('li', { class: ['todo-item', 'incident-item', inc.overdue ? 'is-late' : null], dataset: { incidentId: inc.id, reference: inc.reference } },
    h('div', { class: 'todo-main' },
      h('span', { class: 'todo-title' }, h('a', { href: `#/incidents/${inc.id}` }, `${inc.reference}: ${inc.title}`)),
      h('span', { class: 'todo-meta' }, severityTag(inc.severity), ' ', statusBadge(inc.status), ` · handled by ${inc.handling_org_name}`),
      h('span', { class: ['todo-meta', inc.overdue ? 'overdue' : null] }, nextDueWords(inc), inc.overdue ? [' ', overdueTag()] : null)));
}

const openIncidents = tierPanel('national', 'open-incidents', (me) => (me.user.role === 'analyst' ? 5 : 15), 'Open incidents', {
  wide: true,
  what: 'the open incidents',
  link: () => ({ href: '#/incidents?open=1', label: 'All open incidents' }),
  load: () => get('/api/v1/incidents/stats', { open: 1 }),
  isEmpty: (st) => !st.open,
  empty: () => 'No open incident has been escalated or shared with the National CERT.',
  render(st) {
    const few = st.open < THIN;
    const sevRows = SEVERITIES.map((s) => ({ key: s.value, label: s.label, value: st.open_by_severity[s.value] || 0, highlight: (st.overdue_by_severity[s.value] || 0) > 0, note: st.overdue_by_severity[s.value] ? `${st.overdue_by_severity[s.value]} overdue` : null }));
    const provRows = st.open_by_province.filter((p) => p.province || p.open).map((p) => ({
      key: p.province || 'none', label: p.name, value: p.open,
      note: SEVERITIES.filter((s) => p.by_severity[s.value]).map((s) => `${p.by_severity[s.value]} ${s.label.toLowerCase()}`).join(', ') || null,
    }));
    const base = `${plural(st.open, 'open incident')} your organisation may read${few ? ' — few, so read the shares with care' : ''}`;
    return [
      h('div', { class: 'figures' },
        figure(st.open, 'open', 'open', null, '#/incidents?open=1'),
        figure(st.overdue, 'overdue', 'overdue', st.overdue ? 'figure-warn' : null, '#/incidents?overdue=1'),
        figure(st.open_by_severity.emergency + st.open_by_severity.severe, 'severe or emergency', 'serious')),
      h('p', { class: 'say', id: 'open-summary' }, h('strong', null, plural(st.open, 'incident')), ' open, ',
        st.overdue ? h('strong', { class: 'overdue' }, `${st.overdue} overdue`) : 'none overdue', '.'),
      h('div', { class: 'grid-2 incident-charts' },
        barChart({ name: 'open-by-severity', title: 'Open incidents by severity', rows: sevRows, unit: ['incident', 'incidents'], axisLabel: 'Open incidents', labelWidth: 110, caption: `Of ${base}. An orange bar: some of them are overdue.` }),
        barChart({ name: 'open-by-province', title: 'Open incidents by province', rows: provRows, unit: ['incident', 'incidents'], axisLabel: 'Open incidents', labelWidth: 150, caption: `Of ${base}, by the affected organisation’s province.` })),
    ];
  },
});

const inboxPanel = {
  id: 'inbox',
  title: () => 'Your inbox',
  show: (me) => isCert(me.org) && can('triage'),
  order: (me) => (me.org.kind !== 'national_cert' ? 5 : (me.user.role === 'analyst' ? 6 : 25)),
  what: 'your inbox',
  link: () => ({ href: '#/inbox', label: 'Open the inbox' }),
  load: () => Promise.all([get('/api/v1/inbox', { unread: 1, limit: 6 }), get('/api/v1/inbox/count')]),
  isEmpty: ([page]) => !page.items.length,
  empty: () => 'Nothing unread. New incidents to triage, escalations and tasks appear here.',
  render([page, count]) {
    return [
      h('p', { class: 'say', id: 'inbox-summary' }, h('strong', null, `${count.unread}${count.capped ? '+' : ''} unread`), count.unread > page.items.length ? `; the newest ${page.items.length}:` : ':'),
      h('ul', { class: 'queue', id: 'home-inbox' }, page.items.map((it) => {
        const href = itemHref(it);
        return h('li', { class: 'queue-item', dataset: { seq: it.seq, kind: it.kind } },
          h('div', { class: 'queue-main' },
            h('span', { class: 'queue-org' }, it.label),
            h('span', { class: 'queue-meta' }, it.object_name || '—', it.detail ? ` · ${it.detail}` : '', ` · ${fmtTime(it.created_at)}`)),
          href ? h('a', { class: 'btn btn-small btn-primary', href, 'aria-label': `Open: ${it.object_name || it.label}` }, 'Open') : null);
      })),
    ];
  },
};

const overduePanel = tierPanel('cert-below', 'overdue-incidents', 6, 'Overdue incidents', {
  what: 'the overdue incidents',
  link: () => ({ href: '#/incidents?overdue=1', label: 'All overdue' }),
  load: () => get('/api/v1/incidents', { overdue: 1, limit: 8 }),
  isEmpty: (page) => !page.items.length,
  empty: () => 'No incident your CERT may read is overdue.',
  render: (page) => [
    h('p', { class: 'say' }, page.next_cursor ? 'The newest overdue incidents:' : `${plural(page.items.length, 'incident')} overdue:`),
    h('ul', { class: 'todo', id: 'overdue-list' }, page.items.map(incidentItem)),
  ],
});

const myIncidents = tierPanel('institution', 'my-incidents', 5, 'Your incidents', {
  what: 'your incidents',
  link: () => ({ href: '#/incidents', label: 'All your incidents' }),
  load: () => get('/api/v1/incidents', { open: 1, limit: 6 }),
  render(page) {
    const report = can('report') ? h('a', { class: 'btn btn-primary', href: '#/incidents/new', id: 'home-report' }, 'Report an incident') : null;
    if (!page.items.length) {
      return [h('p', { class: 'say' }, 'No open incident. Report one as soon as something happens: the deadlines count from when it was detected.'), report];
    }
    return [
      h('p', { class: 'say', id: 'my-incidents-summary' }, page.next_cursor ? 'Your newest open incidents:' : `${plural(page.items.length, 'open incident')}:`),
      h('ul', { class: 'todo', id: 'my-incidents' }, page.items.map(incidentItem)),
      report,
    ];
  },
});

const myTasks = tierPanel('institution', 'my-tasks', 6, 'Your tasks', {
  what: 'your tasks',
  load: () => get('/api/v1/tasks'),
  isEmpty: (page) => !page.items.length,
  empty: () => 'No incident task is open for your organisation. Tasks your CERT gives you appear here with their due date.',
  render: (page) => h('ul', { class: 'todo', id: 'my-tasks-list' }, page.items.map((t) => h('li', { class: ['todo-item', t.overdue ? 'is-late' : null], dataset: { taskId: t.id } },
    h('div', { class: 'todo-main' },
      h('span', { class: 'todo-title' }, t.title),
      h('span', { class: 'todo-meta' }, `For ${t.incident_reference}: ${t.incident_title}`),
      h('span', { class: ['todo-meta', t.overdue ? 'overdue' : null] }, t.due_date ? `Due ${fmtDate(t.due_date)}` : 'No due date', t.overdue ? [' ', overdueTag()] : null)),
    h('a', { class: 'btn btn-small todo-action', href: `#/incidents/${t.incident_id}`, 'aria-label': `Open ${t.incident_reference} for the task ${t.title}` }, 'Open')))),
});

export const INCIDENT_PANELS = [openIncidents, inboxPanel, overduePanel, myIncidents, myTasks];
