// Home: a CERT sees a summary of its constituency; an institution sees its card and its tasks.
import { h, fmtDate, plural } from './dom.js';
import { barChart } from './chart.js';
import { listAll } from './api.js';
import { editable, statusTag } from './guidelines.js';
import { sortTasks } from './page-assessments.js';
import {
  state, loadOrgs, orgIndex, descendants, isCert, kindLabel, provinceLabel, sectorLabel, roleLabel, KIND_LABELS,
} from './state.js';

function stat(label, value, key) {
  return h('div', { class: 'stat', dataset: { stat: key } },
    h('span', { class: 'stat-value' }, String(value)),
    h('span', { class: 'stat-label' }, label));
}

function countBy(items, keyFn) {
  const m = new Map();
  for (const it of items) {
    const k = keyFn(it);
    if (k === null || k === undefined) continue;
    m.set(k, (m.get(k) || 0) + 1);
  }
  return m;
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

function certHome(section, me, orgs) {
  const { kids } = orgIndex(orgs);
  const below = descendants(kids, me.org.id);
  const certs = below.filter(isCert);
  const insts = below.filter((o) => o.kind === 'institution');
  const cii = insts.filter((o) => o.cii);

  // by province, in the order of the meta list, only provinces that occur
  const provCounts = countBy(below, (o) => o.province);
  const provOrder = (state.meta ? state.meta.provinces.map((p) => p.code) : [...provCounts.keys()].sort());
  const provRows = provOrder.filter((c) => provCounts.has(c))
    .map((c) => ({ key: c, label: provinceLabel(c), value: provCounts.get(c) }));
  const noProvince = below.filter((o) => !o.province).length;

  const kindCounts = countBy(below, (o) => o.kind);
  const kindRows = Object.keys(KIND_LABELS).filter((k) => kindCounts.has(k))
    .map((k) => ({ key: k, label: kindLabel(k), value: kindCounts.get(k) }));

  const sectorCounts = countBy(insts, (o) => o.sector);
  const sectorRows = [...sectorCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => ({ key: k, label: sectorLabel(k), value: v }));

  const now = today();
  const reviews = cii.slice().sort((a, b) => (a.cii_review_date || '9999').localeCompare(b.cii_review_date || '9999')
    || a.name.localeCompare(b.name));

  section.append(
    h('div', { class: 'page-head' },
      h('p', { class: 'eyebrow' }, `${kindLabel(me.org.kind)} · constituency overview`),
      h('h1', { tabindex: '-1', id: 'home-title' }, me.org.name)),
    h('div', { class: 'stats', role: 'list', 'aria-label': 'Constituency in numbers' },
      [stat('organisations below', below.length, 'orgs'),
        stat('CERTs', certs.length, 'certs'),
        stat('institutions', insts.length, 'institutions'),
        stat('CII institutions', cii.length, 'cii')].map((x) => { x.setAttribute('role', 'listitem'); return x; })),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-prov' },
        h('h2', { id: 'h-prov' }, 'Organisations by province'),
        barChart({
          name: 'by-province', title: 'Organisations by province', rows: provRows, unit: ['organisation', 'organisations'],
          caption: noProvince ? `${plural(noProvince, 'organisation')} without a province (sector-wide) are not shown.` : null,
        })),
      h('section', { class: 'panel', 'aria-labelledby': 'h-kind' },
        h('h2', { id: 'h-kind' }, 'Organisations by kind'),
        barChart({ name: 'by-kind', title: 'Organisations by kind', rows: kindRows, unit: ['organisation', 'organisations'] }))),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-sector' },
        h('h2', { id: 'h-sector' }, 'Institutions by sector'),
        barChart({ name: 'by-sector', title: 'Institutions by sector', rows: sectorRows, unit: ['institution', 'institutions'] })),
      h('section', { class: 'panel', 'aria-labelledby': 'h-cii' },
        h('h2', { id: 'h-cii' }, 'Critical information infrastructure'),
        cii.length
          ? h('table', { class: 'table table-compact', id: 'cii-table' },
            h('caption', { class: 'sr-only' }, 'CII institutions by designation review date'),
            h('thead', null, h('tr', null,
              h('th', { scope: 'col' }, 'Institution'),
              h('th', { scope: 'col' }, 'Grade'),
              h('th', { scope: 'col' }, 'Review due'))),
            h('tbody', null, reviews.map((o) => h('tr', null,
              h('td', null, h('a', { href: `#/orgs/${o.id}` }, o.name)),
              h('td', null, o.cii_grade ? `Grade ${o.cii_grade}` : '—'),
              h('td', { class: o.cii_review_date && o.cii_review_date < now ? 'overdue' : null },
                fmtDate(o.cii_review_date),
                o.cii_review_date && o.cii_review_date < now ? h('span', { class: 'tag tag-warn' }, 'overdue') : null)))))
          : h('p', { class: 'muted' }, 'No CII institutions are designated in this constituency yet.'))),
    h('section', { class: 'panel panel-soon', 'aria-labelledby': 'h-soon' },
      h('h2', { id: 'h-soon' }, 'Coming to this page'),
      h('ul', { class: 'soon-list' },
        h('li', null, 'Open incidents by severity across the constituency'),
        h('li', null, 'Advisory acknowledgement rates and overdue acknowledgements'),
        h('li', null, 'Preparedness (assessment) scores by province'))));
}

function institutionHome(section, me, orgs, assessments) {
  const { byId } = orgIndex(orgs);
  const org = me.org;
  const parent = org.parent_id ? byId.get(org.parent_id) : null;
  const rows = [
    ['Kind', kindLabel(org.kind)],
    ['Constituency CERT', parent ? h('a', { href: `#/orgs/${parent.id}` }, parent.name) : '—'],
    ['Province', provinceLabel(org.province)],
    ['Sector', sectorLabel(org.sector)],
    ['CII', org.cii ? `Designated, grade ${org.cii_grade || '—'} (review ${fmtDate(org.cii_review_date)})` : 'Not designated'],
    ['Your role', roleLabel(me.user.role)],
  ];
  const later = [
    ['Incidents', `Report incidents to ${parent ? parent.name : 'your CERT'} and follow their handling here.`],
    ['Advisories to acknowledge', 'Advisories sent to your organisation will be listed for acknowledgement.'],
    ['Risks', 'Your risk register and its review reminders will be kept here.'],
  ];
  const now = today();
  const open = sortTasks(assessments.filter((a) => a.status !== 'accepted'));
  const assessmentTasks = open.length
    ? open.map((a) => {
      const late = editable(a.status) && a.due_date && a.due_date < now;
      return h('li', { class: ['task', 'task-assessment', a.status === 'returned' ? 'is-returned' : null], dataset: { assessmentId: a.id, status: a.status } },
        h('a', { class: 'task-title', href: `#/assessments/${a.id}` }, `Self-assessment: ${a.campaign_title}`),
        h('span', { class: ['task-desc', late ? 'overdue' : null] },
          a.status === 'submitted' ? 'Submitted; waiting for review by your CERT.'
            : a.status === 'returned' ? `Returned by your CERT: revise and submit again · due ${fmtDate(a.due_date)}`
              : `Due ${fmtDate(a.due_date)}${late ? ' (overdue)' : ''} · ${a.answered} of ${a.total} answered`),
        statusTag(a.status));
    })
    : [h('li', { class: 'task' },
      h('a', { class: 'task-title', href: '#/assessments' }, 'Assessments'),
      h('span', { class: 'task-desc' }, 'No preparedness assessment is waiting for your organisation.'),
      h('span', { class: 'tag tag-ok' }, 'all done'))];
  section.append(
    h('div', { class: 'page-head' },
      h('p', { class: 'eyebrow' }, kindLabel(org.kind)),
      h('h1', { tabindex: '-1', id: 'home-title' }, org.name)),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel org-card', 'aria-labelledby': 'h-card' },
        h('h2', { id: 'h-card' }, 'Your organisation'),
        h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))),
      h('section', { class: 'panel', 'aria-labelledby': 'h-tasks' },
        h('h2', { id: 'h-tasks' }, 'Your tasks'),
        h('ul', { class: 'task-list', id: 'task-list' },
          assessmentTasks,
          later.map(([t, d]) => h('li', { class: 'task task-later' },
            h('span', { class: 'task-title' }, t),
            h('span', { class: 'task-desc' }, d),
            h('span', { class: 'tag' }, 'arrives later')))))));
}

export async function render(section) {
  const me = state.me;
  document.title = 'Home · rabta';
  const [orgs, mine] = await Promise.all([
    loadOrgs(),
    isCert(me.org) ? Promise.resolve([]) : listAll('/api/v1/assessments', { mine: 1 }),
  ]);
  if (!section.isConnected) return;
  if (isCert(me.org)) certHome(section, me, orgs);
  else institutionHome(section, me, orgs, mine);
}
