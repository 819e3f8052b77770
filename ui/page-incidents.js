// Incidents (#/incidents): the incidents the caller may read, newest first, with filters kept in the
// address (#/incidents?severity=high&open=1&province=punjab…), the counts of what they select
// (GET /incidents/stats: "124 incidents, 17 open, 3 overdue"), "Load more" by cursor, and a CSV
// download of the same selection. Each row becomes a card on a phone with its "Open" link visible.
import {
  h, replace, plural, plainError, pagedTable, pageHead, queryFilters, filtersPanel,
} from './dom.js';
import { get, withQuery } from './api.js';
import { field, form } from './forms.js';
import {
  state, can, loadOrgs, isCert, provinceLabel,
} from './state.js';
import {
  SEVERITIES, STATUSES, severityTag, statusBadge, nextDueWords, overdueTag, tlpBadge,
} from './incidents.js';
import { loadTaxonomy } from './page-incident-new.js';

const PAGE = 25;
export const FILTERS = ['severity', 'status', 'rsit_class', 'province', 'overdue', 'open', 'cii', 'handling_org_id', 'org_id', 'q', 'since', 'until'];

// "124 incidents, 17 open, 3 overdue"
export function countWords(st) {
  return `${plural(st.total, 'incident')}, ${st.open} open, ${st.overdue} overdue`;
}

export async function render(section, ctx) {
  document.title = 'Incidents · rabta';
  const me = state.me;
  let filters = queryFilters(ctx.query, FILTERS, ['overdue', 'open', 'cii']);

  section.append(...pageHead({ eyebrow: 'Incidents', title: 'Incidents' },
    can('report') ? h('a', { href: '#/incidents/new', class: 'btn btn-primary head-action', id: 'report-link' }, 'Report an incident') : null,
    h('p', { class: 'lede' }, isCert(me.org)
      ? 'Incidents your CERT handles or may read, newest first.'
      : 'Incidents of your organisation, newest first.', ' Their deadlines come from the ', h('a', { href: '#/reporting-policy', id: 'policy-link' }, 'reporting policy'), '.')));

  let tax = { classes: [] };
  let certs = [];
  try {
    const [t, orgs] = await Promise.all([loadTaxonomy(), loadOrgs()]);
    tax = t;
    certs = orgs.filter(isCert).sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  } catch (e) {
    // the class and CERT filters then offer "any" only
  }
  if (!section.isConnected) return;
  const provinces = (state.meta && state.meta.provinces) || [];

  const any = (label) => ({ value: '', label });
  const fQ = field({ name: 'q', label: 'Words', type: 'search', value: filters.q || '', autocomplete: 'off', hint: 'In the title, description or services.' });
  const fSev = field({ name: 'severity', label: 'Severity', type: 'select', value: filters.severity || '', options: [any('Any severity'), { value: 'emergency,severe,high', label: 'High or worse' }, ...SEVERITIES.map((x) => ({ value: x.value, label: x.label }))] });
  const fStatus = field({ name: 'status', label: 'Status', type: 'select', value: filters.status || '', options: [any('Any status'), ...STATUSES.map(([v, l]) => ({ value: v, label: l }))] });
  const fClass = field({ name: 'rsit_class', label: 'Kind', type: 'select', value: filters.rsit_class || '', options: [any('Any kind'), ...tax.classes.map((c) => ({ value: c.id, label: c.label }))] });
  const fProv = field({ name: 'province', label: 'Province', type: 'select', value: filters.province || '', options: [any('Any province'), ...provinces.map((p) => ({ value: p.code, label: p.name })), { value: 'none', label: 'No province' }] });
  const fHandler = field({ name: 'handling_org_id', label: 'Handling CERT', type: 'select', value: filters.handling_org_id || '', options: [any('Any CERT'), ...certs.map((o) => ({ value: o.id, label: o.name }))] });
  const fOpen = field({ name: 'open', label: 'Open ones only', type: 'checkbox', value: filters.open === '1' });
  const fOverdue = field({ name: 'overdue', label: 'Overdue only', type: 'checkbox', value: filters.overdue === '1' });
  const clearBtn = h('button', { type: 'button', class: 'btn', id: 'incidents-clear' }, 'Clear filters');
  const filterForm = form({
    class: 'filters-form', ariaLabel: 'Filter the incidents', submitLabel: 'Apply filters', extraActions: clearBtn,
    async onSubmit(v, el) {
      const next = {};
      for (const k of ['q', 'severity', 'status', 'rsit_class', 'province', 'handling_org_id']) if (v[k] && String(v[k]).trim()) next[k] = String(v[k]).trim();
      if (v.open) next.open = '1';
      if (v.overdue) next.overdue = '1';
      for (const k of ['cii', 'org_id', 'since', 'until']) if (filters[k]) next[k] = filters[k]; // kept from a link
      await apply(next, el);
    },
  }, h('div', { class: 'filters' }, fQ, fSev, fStatus, fClass, fProv, fHandler, fOpen, fOverdue));
  filterForm.setAttribute('role', 'search');
  clearBtn.addEventListener('click', () => {
    for (const c of filterForm.querySelectorAll('input[type="search"]')) c.value = '';
    for (const c of filterForm.querySelectorAll('select')) c.value = '';
    for (const c of filterForm.querySelectorAll('input[type="checkbox"]')) c.checked = false;
    apply({}, filterForm).catch(() => {});
  });

  const counts = h('p', { class: 'say incident-counts', id: 'incident-counts', 'aria-live': 'polite' });
  const exportLink = h('a', { class: 'btn', id: 'incidents-export', download: 'incidents.csv' }, 'Download CSV');
  let generation = 0; // of the counts

  function row(inc) {
    return h('tr', { dataset: { incidentId: inc.id, reference: inc.reference, severity: inc.severity, status: inc.status } },
      h('td', { class: 'card-title inc-cell' },
        h('a', { href: `#/incidents/${inc.id}`, class: 'inc-ref' }, inc.reference),
        h('span', { class: 'inc-title' }, inc.title),
        h('span', { class: 'cell-sub' }, tlpBadge(inc.tlp), inc.cii_involved ? h('span', { class: 'tag badge-cii' }, 'CII') : null)),
      h('td', null, severityTag(inc.severity)),
      h('td', null, statusBadge(inc.status)),
      h('td', null, inc.org_name),
      h('td', null, provinceLabel(inc.province)),
      h('td', null, inc.handling_org_name),
      h('td', { class: ['next-due', inc.overdue ? 'overdue' : null] }, nextDueWords(inc), inc.overdue ? [' ', overdueTag()] : null),
      h('td', { class: 'actions' }, h('a', { class: 'btn btn-small', href: `#/incidents/${inc.id}`, 'aria-label': `Open ${inc.reference}: ${inc.title}` }, 'Open')));
  }

  async function loadCounts() {
    const gen = generation;
    counts.textContent = 'Counting…';
    try {
      const st = await get('/api/v1/incidents/stats', filters);
      if (gen !== generation || !section.isConnected) return;
      counts.dataset.total = st.total;
      counts.dataset.open = st.open;
      counts.dataset.overdue = st.overdue;
      replace(counts, h('strong', null, `${st.more ? 'More than ' : ''}${countWords(st)}`), Object.keys(filters).length ? ' match these filters.' : ' in all.');
    } catch (err) {
      if (gen !== generation || !section.isConnected) return;
      counts.textContent = `The counts could not be loaded. ${plainError(err)}`;
    }
  }

  const list = pagedTable({
    name: 'incidents',
    caption: 'Incidents, newest first',
    cols: ['Incident', 'Severity', 'Status', 'Affected', 'Province', 'Handled by', 'Next deadline',
      { label: 'Open', hidden: true, cardLabel: '' }],
    row,
    what: 'the incidents',
    fetchPage: (cursor) => get('/api/v1/incidents', { ...filters, limit: PAGE, cursor }),
    empty: () => (Object.keys(filters).length
      ? 'No incident matches these filters. Clear a filter to see more.'
      : (can('report') ? h('p', null, 'No incident yet. ', h('a', { href: '#/incidents/new' }, 'Report an incident'), ' when something happens.') : 'No incident has been shared with your organisation yet.')),
    statusText: (n, hasMore) => `Showing ${plural(n, 'incident')}${hasMore ? '; older ones follow with “Load more”' : ''}.`,
  });

  async function apply(next) {
    filters = next;
    generation += 1;
    const hash = withQuery('#/incidents', filters);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    exportLink.href = withQuery('/api/v1/incidents/export', filters);
    filterBox.count(filters);
    await Promise.all([list.load(true), loadCounts()]);
  }

  const filterBox = filtersPanel({ id: 'incident-filters', headingId: 'h-filters', countId: 'filters-count' }, filterForm, filters);

  section.append(
    filterBox,
    h('div', { class: 'list-tools' }, counts, exportLink),
    h('section', { class: 'panel panel-flush', 'aria-label': 'Incidents' },
      list.nodes));
  await apply(filters);
}
