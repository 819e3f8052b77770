// The advisory panels of the home page (docs/ui.md, "Home panels"), imported into PANELS of
// page-home.js:
//   every org that receives advisories — Advisories to acknowledge: the org's open records, what is
//                    due first, each with Acknowledge (one click, here) or Open
//   provincial and other CERTs — Advisories: the latest published ones with how many of the
//                    constituency acknowledged them and how many are overdue
//   National CERT  — Advisories: acknowledgement by province for the latest advisory (a chart), and
//                    the same lines for the latest ones
import {
  h, replace, plural, fmtPercent, meterBar, plainError,
} from './dom.js';
import { get, post } from './api.js';
import { barChart } from './chart.js';
import { can, isCert, tierPanel } from './state.js';
import { overdueTag } from './incidents.js';
import { THIN_TEXT } from './guidelines.js';
import {
  advSeverityTag, ackStatusBadge, recordDueWords, answered, answeredCount, ackShareRows,
} from './advisories.js';

const LATEST = 4; // advisories whose acknowledgement the CERT panels show

function recordItem(r) {
  const href = `#/advisories/${r.advisory_id}`;
  const meta = h('span', { class: ['todo-meta', r.overdue ? 'overdue' : null] }, recordDueWords(r), r.overdue ? [' ', overdueTag()] : null);
  const badge = h('span', { class: 'todo-meta' }, advSeverityTag(r.advisory_severity), ' ', ackStatusBadge(r.status));
  const li = h('li', { class: ['todo-item', 'advisory-item', r.overdue ? 'is-late' : null], dataset: { advisoryId: r.advisory_id, status: r.status } },
    h('div', { class: 'todo-main' },
      h('span', { class: 'todo-title' }, h('a', { href }, r.advisory_title)),
      badge, meta));
  if (r.status === 'delivered' && can('read')) {
    const b = h('button', { type: 'button', class: 'btn btn-small btn-primary todo-action home-ack', 'aria-label': `Acknowledge: ${r.advisory_title}` }, 'Acknowledge');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const after = await post(`/api/v1/advisories/${r.advisory_id}/acks`, { status: 'acknowledged' });
        const now = { ...r, ...(after.my_record || {}), status: (after.my_record || {}).status || 'acknowledged' };
        li.dataset.status = now.status;
        li.classList.toggle('is-late', !!now.overdue);
        replace(badge, advSeverityTag(r.advisory_severity), ' ', ackStatusBadge(now.status));
        replace(meta, 'Acknowledged. Now say whether you are affected.');
        b.replaceWith(h('a', { class: 'btn btn-small todo-action', href, 'aria-label': `Say whether you are affected: ${r.advisory_title}` }, 'Open'));
      } catch (err) {
        b.disabled = false;
        replace(meta, plainError(err));
        meta.classList.add('overdue');
      }
    });
    li.append(b);
  } else {
    li.append(h('a', { class: 'btn btn-small todo-action', href, 'aria-label': `Open: ${r.advisory_title}` }, 'Open'));
  }
  return li;
}

const toAcknowledge = {
  id: 'advisories-to-ack',
  title: () => 'Advisories to acknowledge',
  show: (me) => me.org.kind !== 'national_cert',
  order: (me) => (isCert(me.org) ? 7 : 4),
  what: 'the advisories to acknowledge',
  link: () => ({ href: '#/advisories?to_act=1', label: 'All to act on' }),
  load: () => get('/api/v1/acks'),
  isEmpty: (page) => !page.items.length,
  empty: () => 'No advisory waits for your organisation. New ones arrive here and in your inbox, with the time you have to acknowledge them.',
  render(page) {
    const items = page.items;
    const waiting = items.filter((r) => !answered(r.status)).length;
    const undecided = items.filter((r) => r.status === 'acknowledged').length;
    const open = items.length - waiting - undecided;
    const overdue = items.filter((r) => r.overdue).length;
    return [
      h('p', { class: 'say', id: 'to-ack-summary', dataset: { waiting, overdue } },
        h('strong', null, `${plural(items.length, 'advisory', 'advisories')}${page.next_cursor ? ' or more' : ''} to act on`), ': ',
        `${waiting} not acknowledged, `,
        undecided ? `${undecided} acknowledged without saying whether affected, ` : '',
        `${open} affected and not mitigated yet; `,
        overdue ? h('strong', { class: 'overdue' }, `${overdue} overdue`) : 'none overdue', '.'),
      h('ul', { class: 'todo', id: 'to-ack-list' }, items.map(recordItem)),
    ];
  },
};

// The latest published advisories with their counts (what the caller may see of their records).
async function latestWithStats() {
  const page = await get('/api/v1/advisories', { status: 'published', limit: LATEST });
  const stats = await Promise.all(page.items.map((a) => get(`/api/v1/advisories/${a.id}/acks/stats`).catch(() => null)));
  return page.items.map((a, i) => ({ adv: a, st: stats[i] })).filter((x) => x.st);
}

function rateItem({ adv, st }) {
  const ack = answeredCount(st);
  return h('li', { class: ['queue-item', 'adv-rate', st.overdue ? 'is-late' : null], dataset: { advisoryId: adv.id, total: st.total, answered: ack, overdue: st.overdue } },
    h('div', { class: 'queue-main' },
      h('span', { class: 'queue-org' }, h('a', { href: `#/advisories/${adv.id}` }, adv.title)),
      h('span', { class: 'queue-meta' }, advSeverityTag(adv.severity), ` ${adv.tracking_id} · `,
        `${ack} of ${plural(st.total, 'organisation')} acknowledged (${fmtPercent(ack, st.total)})`,
        st.overdue ? [', ', h('strong', { class: 'overdue' }, `${st.overdue} overdue`)] : ', none overdue'),
      meterBar(ack, st.total, `${adv.tracking_id}: ${ack} of ${st.total} acknowledged`)),
    h('a', { class: 'btn btn-small', href: `#/advisories/${adv.id}/status`, 'aria-label': `Status of ${adv.tracking_id}` }, 'Status'));
}

function overdueSentence(rows) {
  const overdue = rows.reduce((n, x) => n + x.st.overdue, 0);
  return h('p', { class: 'say', id: 'adv-overdue-summary', dataset: { overdue } },
    overdue ? h('strong', { class: 'overdue' }, `${plural(overdue, 'organisation record', 'organisation records')} overdue`) : h('strong', null, 'Nothing overdue'),
    rows.length === 1 ? ' for the latest advisory:' : ` across the latest ${rows.length} advisories:`);
}

// 12: after the review queue (10): it watches, the queue waits for the analyst
const constituency = tierPanel('cert-below', 'advisories-constituency', 12, 'Advisories', {
  what: 'the advisories',
  link: () => ({ href: '#/advisories', label: 'All advisories' }),
  load: latestWithStats,
  isEmpty: (rows) => !rows.length,
  empty: () => 'No advisory is published to your constituency yet. When one is, you see here how many of your organisations acknowledged it.',
  render: (rows) => [overdueSentence(rows), h('ul', { class: 'queue', id: 'adv-rates' }, rows.map(rateItem))],
});

const national = tierPanel('national', 'advisory-rates', (me) => (me.user.role === 'analyst' ? 7 : 16), 'Advisories: acknowledgement', {
  wide: true,
  what: 'the advisories',
  link: () => ({ href: '#/advisories', label: 'All advisories' }),
  load: latestWithStats,
  isEmpty: (rows) => !rows.length,
  empty: () => 'No advisory is published yet. Once one is, its acknowledgement by province shows here.',
  render(rows) {
    const { adv, st } = rows[0];
    const provRows = ackShareRows('province', st.provinces);
    return [
      overdueSentence(rows),
      h('div', { class: 'grid-2 advisory-home' },
        h('ul', { class: 'queue', id: 'adv-rates' }, rows.map(rateItem)),
        h('div', null,
          h('h3', { class: 'sub-h' }, `${adv.tracking_id}, the latest: acknowledged by province`),
          barChart({
            name: 'adv-by-province', title: `${adv.tracking_id}: acknowledged by province`, rows: provRows, max: 100, format: (v) => `${v}%`,
            axisLabel: 'Acknowledged (%)', labelWidth: 150, baseHeading: 'Acknowledged',
            caption: `Share of each province’s organisations that acknowledged ${adv.tracking_id}; lowest first; an orange bar: some are overdue. Thin: ${THIN_TEXT} have a record there; drawn lighter, read with care.`,
          }))),
    ];
  },
});

export const ADVISORY_PANELS = [toAcknowledge, constituency, national];
