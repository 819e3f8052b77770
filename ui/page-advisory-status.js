// The status dashboard of an advisory (#/advisories/{id}/status), for CERTs: the records of every
// organisation the caller may see (the owner: all; a recipient CERT: its own and its
// constituency's) — the counts in sentences, charts by status, acknowledgement by province and by
// sector (each bar says what it rests on, thin data drawn lighter), the likely affected (by their
// inventory) against those that acted, and how long after delivery the organisations acknowledged
// (time since publication) — then the table of records: likely affected that have not acted
// first, then overdue, then the ones not acknowledged, with filters by status, province and overdue.
import {
  h, loadFirst, replace, plural, fmtTime, dataTable, pageHead, ago, emptyState,
} from './dom.js';
import { get, listAll } from './api.js';
import { field } from './forms.js';
import { sectorLabel, kindLabel } from './state.js';
import { barChart } from './chart.js';
import { THIN_TEXT } from './guidelines.js';
import { durationWords, overdueTag } from './incidents.js';
import {
  ACK_STATUSES, ackStatusBadge, ackStatusLabel, advSeverityTag, advSeverityLabel, advTlpBadge, answered, acted, recordDueWords,
  answeredCount, countSentence, ackShareRows, groupLabel,
} from './advisories.js';

const SHOWN = 20; // rows shown at first; "Show all" shows the rest

// How long after delivery a record was acknowledged: the buckets of the "time since publication" chart.
const BUCKETS = [
  ['h1', 'Within an hour', 3600],
  ['h4', '1 to 4 hours', 4 * 3600],
  ['d1', '4 to 24 hours', 86400],
  ['d3', '1 to 3 days', 3 * 86400],
  ['d7', '3 to 7 days', 7 * 86400],
  ['later', 'Later than 7 days', Infinity],
];

function timeRows(records) {
  const counts = Object.fromEntries(BUCKETS.map(([k]) => [k, 0]));
  let waiting = 0;
  for (const r of records) {
    if (!r.acknowledged_at || !r.delivered_at) { if (!answered(r.status)) waiting += 1; continue; }
    const secs = (new Date(r.acknowledged_at) - new Date(r.delivered_at)) / 1000;
    const b = BUCKETS.find(([, , max]) => secs < max);
    counts[b[0]] += 1;
  }
  return [
    ...BUCKETS.map(([k, label]) => ({ key: k, label, value: counts[k] })),
    { key: 'waiting', label: 'Not acknowledged yet', value: waiting },
  ];
}

// A chart with its title shown above it (barChart's own title is for screen readers).
function titled(spec) {
  return h('div', { class: 'titled-chart' }, h('h3', { class: 'sub-h chart-h' }, spec.title), barChart(spec));
}

// Likely affected that have not acted first (the ones to call), then overdue, then not
// acknowledged, then by name: the order of GET /advisories/{id}/acks.
function rank(r) {
  if (r.likely_affected && !acted(r.status)) return 0;
  if (r.overdue) return 1;
  if (!answered(r.status)) return 2;
  return 3;
}

function recordRow(r) {
  return h('tr', { dataset: { orgId: r.org_id, status: r.status, overdue: r.overdue ? 'true' : 'false' } },
    h('td', { class: 'card-title rec-org' }, h('a', { href: `#/orgs/${r.org_id}` }, r.org_name),
      h('span', { class: 'cell-sub' }, `${kindLabel(r.org_kind)}${r.sector ? ` · ${sectorLabel(r.sector)}` : ''}`)),
    h('td', null, groupLabel('province', r.province || 'none')),
    h('td', { class: 'rec-status' }, ackStatusBadge(r.status),
      r.likely_affected ? h('span', { class: 'tag tag-warn' }, 'likely affected') : null,
      r.overdue ? overdueTag() : null,
      r.matched ? h('span', { class: 'cell-sub rec-matched' }, r.matched) : null),
    h('td', { class: ['rec-due', r.overdue ? 'overdue' : null] }, answered(r.status) && r.acknowledged_at
      ? [`Acknowledged ${fmtTime(r.acknowledged_at)}`, (r.status === 'affected' || r.status === 'mitigating') ? h('span', { class: 'cell-sub' }, recordDueWords(r)) : null]
      : recordDueWords(r)),
    h('td', { class: 'rec-note' }, r.note || '—'),
    h('td', { class: 'nowrap' }, r.updated_by ? `${fmtTime(r.updated_at)}` : '—', r.updated_by ? h('span', { class: 'cell-sub' }, r.updated_by) : null));
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  const got = await loadFirst(section, 'the advisory and its records',
    () => Promise.all([get(`/api/v1/advisories/${id}`), get(`/api/v1/advisories/${id}/acks/stats`), listAll(`/api/v1/advisories/${id}/acks`),
      get('/api/v1/advisory-policy').catch(() => null)]),
    { title: 'Advisory status', titleOf: ([a]) => `Status of ${a.tracking_id}` });
  if (!got) return;
  const [adv, st, records, policy] = got;
  const rule = policy && policy.rules.find((r) => r.severity === adv.severity);
  const since = adv.published_at ? (Date.now() - new Date(adv.published_at).getTime()) / 1000 : null;

  section.append(...pageHead({
    path: [['#/advisories', 'Advisories'], [`#/advisories/${id}`, adv.tracking_id]], here: 'Status',
    eyebrow: `${adv.tracking_id} · version ${adv.version}`,
    title: `Status: ${adv.title}`,
    titleId: 'status-title',
    className: 'incident-head advisory-head',
  },
  h('p', { class: 'incident-badges' }, advSeverityTag(adv.severity), advTlpBadge(adv.tlp)),
  h('p', { class: 'lede' }, adv.published_at
      ? `Published ${fmtTime(adv.published_at)} (${since < 86400 ? `${durationWords(since)} ago` : ago(adv.published_at)}). ${adv.owner ? 'Every organisation it reached' : 'Your CERT and the organisations below it'}: ${plural(st.total, 'record')}.`
      : 'Not published yet: no organisation has a record.')));
  if (!st.total) {
    section.append(h('section', { class: 'panel' }, emptyState('No organisation you may see has a record of this advisory.')));
    return;
  }

  const ack = answeredCount(st);
  const figures = h('div', { class: 'figures', id: 'status-figures' },
    [['total', st.total, 'organisations'], ['answered', ack, 'acknowledged'],
      ['affected', (st.by_status.affected || 0) + (st.by_status.mitigating || 0), 'affected, not mitigated'],
      ['mitigated', st.by_status.mitigated || 0, 'mitigated'],
      ['overdue', st.overdue, 'overdue', st.overdue ? 'figure-warn' : null]].map(([k, v, label, extra]) => h('div', { class: ['figure', extra], dataset: { figure: k, value: v } },
      h('span', { class: 'figure-value' }, String(v)), h('span', { class: 'figure-label' }, label))));
  const statusRows = ACK_STATUSES.map((s) => ({ key: s.value, label: s.label, value: st.by_status[s.value] || 0, highlight: s.value === 'delivered' && st.overdue > 0, note: s.value === 'delivered' && st.overdue ? `${st.overdue} overdue` : null }));
  const la = st.likely_affected || 0;
  const laActed = la - (st.likely_affected_not_acted || 0);
  const saidAffected = (st.by_status.affected || 0) + (st.by_status.mitigating || 0) + (st.by_status.mitigated || 0);
  const thinCaption = `Thin: ${THIN_TEXT} have a record there; drawn lighter, read with care.`;

  const charts = h('section', { class: 'panel', 'aria-labelledby': 'h-status-charts', id: 'status-charts' },
    h('div', { class: 'panel-h' }, h('h2', { id: 'h-status-charts' }, 'Where it stands')),
    figures,
    h('p', { class: 'say', id: 'status-sentence' }, countSentence(st)),
    h('div', { class: 'grid-2 status-grid' },
      titled({
        name: 'by-status', title: 'Organisations by status', rows: statusRows, unit: ['organisation', 'organisations'], axisLabel: 'Organisations', labelWidth: 140,
        caption: `Each of the ${plural(st.total, 'record')} you may see, by where it stands now. An orange bar: some are overdue.`,
      }),
      titled({
        name: 'likely-affected', title: 'Likely affected, and whether they acted', unit: ['organisation', 'organisations'], axisLabel: 'Organisations', labelWidth: 170,
        rows: [
          { key: 'likely', label: 'Likely affected (inventory)', value: la },
          { key: 'likely-acted', label: 'of them, said whether affected', value: laActed, base: la ? { n: laActed, of: la } : null },
          { key: 'said-affected', label: 'Said affected (any)', value: saidAffected },
          { key: 'mitigated', label: 'Mitigated', value: st.by_status.mitigated || 0, base: saidAffected ? { n: st.by_status.mitigated || 0, of: saidAffected } : null },
        ],
        caption: la
          ? `${plural(la, 'organisation')} run products the advisory names, by their inventory; ${st.likely_affected_not_acted} of them have not said whether they are affected.`
          : 'No inventory you may see names the products of this advisory; the organisations say themselves whether they are affected.',
      })),
    h('div', { class: 'grid-2 status-grid' },
      titled({
        name: 'by-province', title: 'Acknowledged, by province', rows: ackShareRows('province', st.provinces), max: 100, format: (v) => `${v}%`, axisLabel: 'Acknowledged (%)', labelWidth: 150, baseHeading: 'Acknowledged',
        caption: `Share of the organisations of each province (the one they are in) that acknowledged; lowest first. ${thinCaption}`,
      }),
      titled({
        name: 'by-sector', title: 'Acknowledged, by sector', rows: ackShareRows('sector', st.sectors), max: 100, format: (v) => `${v}%`, axisLabel: 'Acknowledged (%)', labelWidth: 150, baseHeading: 'Acknowledged',
        caption: `Share of the organisations of each sector that acknowledged; lowest first. ${thinCaption}`,
      })),
    titled({
      name: 'time-to-ack', title: 'How long after delivery they acknowledged', rows: timeRows(records), unit: ['organisation', 'organisations'], axisLabel: 'Organisations', labelWidth: 170,
      caption: `From when each organisation got it (at publication, or when it was relayed) to its acknowledgement; ${plural(records.length, 'record')}.${rule ? ` A ${advSeverityLabel(adv.severity).toLowerCase()} advisory is to be acknowledged within ${plural(rule.ack_hours, 'hour')}` : ' The deadlines are in the advisory deadlines'}.`,
    }));

  // ---------- the records ----------
  const provinces = [...new Set(records.map((r) => r.province || 'none'))].sort();
  const fStatus = field({ name: 'status', label: 'Status', type: 'select', options: [{ value: '', label: 'Any status' }, ...ACK_STATUSES.map((s) => ({ value: s.value, label: s.label }))] });
  const fProv = field({ name: 'province', label: 'Province', type: 'select', options: [{ value: '', label: 'Any province' }, ...provinces.map((p) => ({ value: p, label: groupLabel('province', p) }))] });
  const fOver = field({ name: 'overdue', label: 'Overdue only', type: 'checkbox' });
  const fLikely = field({ name: 'likely', label: 'Likely affected only', type: 'checkbox' });
  const tools = h('div', { class: 'filters record-filters', id: 'record-filters', role: 'search', 'aria-label': 'Filter the records' }, fStatus, fProv, fOver, fLikely);
  const tbody = h('tbody');
  const table = dataTable({
    id: 'records-table', compact: true, caption: 'Records, likely affected that have not acted first, then overdue', body: tbody,
    cols: ['Organisation', 'Province', 'Status', 'Due or done', 'Note', 'Last change'],
  });
  const count = h('p', { class: 'muted', role: 'status', id: 'records-count' });
  const more = h('button', { type: 'button', class: 'btn', id: 'records-more', hidden: true }, 'Show all');
  const emptyBox = h('div', { class: 'state-box' });
  const sorted = [...records].sort((a, b) => rank(a) - rank(b) || a.org_name.localeCompare(b.org_name));
  let all = false;
  const draw = () => {
    const s = fStatus.control.value;
    const p = fProv.control.value;
    const pick = sorted.filter((r) => (!s || r.status === s) && (!p || (r.province || 'none') === p)
      && (!fOver.control.checked || r.overdue) && (!fLikely.control.checked || r.likely_affected));
    const shown = all ? pick : pick.slice(0, SHOWN);
    replace(tbody, shown.map(recordRow));
    table.hidden = !pick.length;
    replace(emptyBox, pick.length ? null : emptyState('No record matches these filters.'));
    more.hidden = shown.length === pick.length;
    more.textContent = `Show all ${pick.length}`;
    count.textContent = pick.length ? `Showing ${shown.length} of ${plural(pick.length, 'record')}${pick.length < sorted.length ? ` (of ${sorted.length} in all)` : ''}.` : '';
  };
  tools.addEventListener('change', () => { all = false; draw(); });
  more.addEventListener('click', () => { all = true; draw(); });
  draw();
  section.append(charts,
    h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-records', id: 'records-panel' },
      h('div', { class: 'panel-h panel-h-pad' }, h('h2', { id: 'h-records' }, 'Every organisation'),
        h('p', { class: 'hint' }, `Overdue first, then the likely affected that have not said whether they are, then those not acknowledged. ${ackStatusLabel('delivered')}: delivered, nobody acknowledged it yet.`)),
      h('div', { class: 'panel-pad' }, tools),
      emptyBox,
      h('div', { class: 'table-wrap' }, table),
      h('div', { class: 'table-foot' }, count, more)));
}
