// Advisories (#/advisories): the advisories the caller may read, newest first, with filters kept in
// the address (#/advisories?q=vpn&severity=critical&to_act=1…): words over the title, tracking id,
// CVEs and products, a CVE, the severity, drafts or published ones (for the CERTs that write them),
// the caller's org's record status and "to act on"; "Load more" by cursor. Each row becomes a card
// on a phone with its "Open" link visible; a recipient's row says where its record stands.
import {
  h, plural, fmtDate, pagedTable, pageHead, queryFilters, filtersPanel,
} from './dom.js';
import { get, withQuery } from './api.js';
import { field, form } from './forms.js';
import { state } from './state.js';
import {
  ADV_SEVERITIES, ACK_STATUSES, advSeverityTag, advTlpBadge, advStatusBadge, ackStatusBadge, recordDueWords, writesAdvisories,
} from './advisories.js';

const PAGE = 25;
const FILTERS = ['q', 'cve', 'severity', 'status', 'my_status', 'to_act'];

// An advisory's CVEs in a few words ("CVE-2026-1, CVE-2026-2 and 3 more").
export function cveList(adv) {
  const cves = (adv.cves || '').split(/[\s,]+/).filter(Boolean);
  if (!cves.length) return '—';
  return cves.length > 3 ? `${cves.slice(0, 3).join(', ')} and ${cves.length - 3} more` : cves.join(', ');
}

export async function render(section, ctx) {
  document.title = 'Advisories · rabta';
  const me = state.me;
  let filters = {};
  const writes = writesAdvisories(me);

  section.append(...pageHead({ eyebrow: 'Advisories', title: 'Advisories' },
    writes ? h('div', { class: 'head-actions' },
      h('a', { href: '#/advisories/new', class: 'btn btn-primary', id: 'write-link' }, 'Write an advisory'),
      h('a', { href: '#/advisories/import', class: 'btn', id: 'import-link' }, 'Import CSAF')) : null,
    h('p', { class: 'lede' }, writes
      ? 'Advisories your CERT wrote or received, newest first. Each organisation they reach acknowledges them and says whether it is affected.'
      : 'Advisories sent to your organisation, newest first. Acknowledge each one and say whether you are affected.',
    ' The deadlines come from the ', h('a', { href: '#/advisory-policy', id: 'adv-policy-link' }, 'advisory deadlines'), '.')));

  const any = (label) => ({ value: '', label });
  const fQ = field({ name: 'q', label: 'Words', type: 'search', autocomplete: 'off', hint: 'In the title, tracking id, CVEs and products, e.g. “VPN”.' });
  const fCve = field({ name: 'cve', label: 'CVE', autocomplete: 'off', placeholder: 'CVE-2026-12345', spellcheck: 'false' });
  const fSev = field({ name: 'severity', label: 'Severity', type: 'select', options: [any('Any severity'), ...ADV_SEVERITIES.map((x) => ({ value: x.value, label: x.label }))] });
  const fStatus = writes ? field({ name: 'status', label: 'Stage', type: 'select', options: [any('Drafts and published'), { value: 'draft', label: 'Drafts only' }, { value: 'published', label: 'Published only' }] }) : null;
  const fMine = field({ name: 'my_status', label: 'Your record', type: 'select', options: [any('Any'), ...ACK_STATUSES.map((x) => ({ value: x.value, label: x.label }))] });
  const fAct = field({ name: 'to_act', label: 'Still to act on', type: 'checkbox' });
  const setControls = () => {
    fQ.control.value = filters.q || '';
    fCve.control.value = filters.cve || '';
    fSev.control.value = filters.severity || '';
    if (fStatus) fStatus.control.value = filters.status || '';
    fMine.control.value = filters.my_status || '';
    fAct.control.checked = filters.to_act === '1';
  };
  const clearBtn = h('button', { type: 'button', class: 'btn', id: 'advisories-clear' }, 'Clear filters');
  const filterForm = form({
    class: 'filters-form', ariaLabel: 'Filter the advisories', submitLabel: 'Apply filters', extraActions: clearBtn,
    async onSubmit(v) {
      const next = {};
      for (const k of ['q', 'cve', 'severity', 'status', 'my_status']) if (v[k] && String(v[k]).trim()) next[k] = String(v[k]).trim();
      if (v.to_act) next.to_act = '1';
      await apply(next);
    },
  }, h('div', { class: 'filters' }, fQ, fCve, fSev, fStatus, fMine, fAct));
  filterForm.setAttribute('role', 'search');
  clearBtn.addEventListener('click', () => { apply({}).then(setControls, () => {}); });

  function row(a) {
    const rec = a.my_record;
    return h('tr', { dataset: { advisoryId: a.id, trackingId: a.tracking_id, severity: a.severity, status: a.status } },
      h('td', { class: 'card-title adv-cell' },
        h('a', { href: `#/advisories/${a.id}`, class: 'adv-ref' }, a.tracking_id),
        h('span', { class: 'adv-title' }, a.title),
        h('span', { class: 'cell-sub' }, advTlpBadge(a.tlp), a.status === 'draft' ? advStatusBadge(a.status) : null,
          a.revision > 1 ? h('span', { class: 'tag tag-info' }, `version ${a.version}`) : null)),
      h('td', null, advSeverityTag(a.severity), a.max_score ? h('span', { class: 'cell-sub score-sub' }, `CVSS ${a.max_score.toFixed(1)}`) : null),
      h('td', { class: 'adv-cves' }, cveList(a)),
      h('td', null, a.owner ? 'Your CERT' : a.owner_org_name),
      h('td', { class: 'nowrap' }, a.published_at ? fmtDate(a.published_at) : 'Not yet'),
      h('td', { class: ['adv-record', rec && rec.overdue ? 'overdue' : null] }, rec
        ? [ackStatusBadge(rec.status), h('span', { class: 'cell-sub' }, recordDueWords(rec))]
        : (a.owner ? (a.status === 'draft' ? 'Not published yet' : 'Yours: see its status') : '—')),
      h('td', { class: 'actions' }, h('a', { class: 'btn btn-small', href: `#/advisories/${a.id}`, 'aria-label': `Open ${a.tracking_id}: ${a.title}` }, 'Open')));
  }

  const list = pagedTable({
    name: 'advisories',
    caption: 'Advisories, newest first',
    cols: ['Advisory', 'Severity', 'CVEs', 'From', 'Published', 'Your record', { label: 'Open', hidden: true, cardLabel: '' }],
    row,
    what: 'the advisories',
    fetchPage: (cursor) => get('/api/v1/advisories', { ...filters, limit: PAGE, cursor }),
    empty: () => (Object.keys(filters).length
      ? 'No advisory matches these filters. Clear a filter to see more.'
      : (writes ? h('p', null, 'No advisory yet. ', h('a', { href: '#/advisories/new' }, 'Write one'), ' or ', h('a', { href: '#/advisories/import' }, 'import a CSAF document'), '.')
        : 'No advisory has been sent to your organisation yet.')),
    statusText: (n, hasMore) => `Showing ${plural(n, 'advisory', 'advisories')}${hasMore ? '; older ones follow with “Load more”' : ''}.`,
  });

  async function apply(next) {
    filters = next;
    const hash = withQuery('#/advisories', filters);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    filterBox.count(filters);
    await list.load(true);
  }

  filters = queryFilters(ctx.query, FILTERS, ['to_act']);
  setControls();
  const filterBox = filtersPanel({ id: 'advisory-filters', headingId: 'h-adv-filters', countId: 'adv-filters-count' }, filterForm, filters);

  section.append(
    filterBox,
    h('section', { class: 'panel panel-flush', 'aria-label': 'Advisories' },
      list.nodes));
  await apply(filters);
}
