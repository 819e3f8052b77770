// Responsiveness (#/responsiveness): how quickly incidents were acknowledged and contained, per
// handling CERT and per province, over a period (last 30 / 90 / 365 days, or dates; kept in the
// address: #/responsiveness?days=30 or ?since=…&until=…). The whole comes first; each bar says what
// it rests on ("12 of 15 in time") and is marked when it rests on few; medians in hours/minutes; open
// and overdue by severity; a CSV download of the same period. Only what the viewer may read counts.
import {
  h, replace, plural, fmtTime, fmtPercent, loadInto, barList, dataTable, pageHead,
} from './dom.js';
import { get, withQuery } from './api.js';
import { field, form, fieldError } from './forms.js';
import { provinceLabel } from './state.js';
import { SEVERITIES, durationWords } from './incidents.js';

const THIN = 5; // fewer judged handling periods than this: "thin", drawn lighter
const DAY = 86400000;

function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

// The period of the address -> {days, since, until} (since/until as sent to the API).
export function periodFrom(query) {
  const since = query.get('since');
  const until = query.get('until');
  if (since || until) return { days: null, since: since || null, until: until || null };
  const d = Number(query.get('days')) || 90;
  const days = [30, 90, 365].includes(d) ? d : 90;
  return { days, since: isoDay(Date.now() - days * DAY), until: null };
}

export function judged(a) { return a.in_time + a.late + a.missed; }

// "12 of 15 in time"
export function inTimeWords(a) {
  const n = judged(a);
  return n ? `${a.in_time} of ${n} in time` : 'none judged yet';
}

function sevWords(by) {
  const parts = SEVERITIES.filter((s) => by && by[s.value]).map((s) => `${by[s.value]} ${s.label.toLowerCase()}`);
  return parts.length ? parts.join(', ') : 'none';
}
function total(by) { return Object.values(by || {}).reduce((a, b) => a + b, 0); }

function groupSentence(g) {
  const a = g.acknowledgement;
  const c = g.containment;
  const n = judged(a);
  return [
    h('strong', null, `${plural(g.incidents, 'incident')}`), ' reported in the period. ',
    n ? [h('strong', null, `${a.in_time} of ${n}`), ` handling turns acknowledged in time (${fmtPercent(a.share_in_time)})`] : 'No handling turn could be judged yet',
    a.late ? `, ${a.late} late` : '', a.missed ? `, ${a.missed} missed` : '',
    a.pending ? `; ${a.pending} still within the deadline` : '', a.handed_on ? `; ${a.handed_on} handed on before the deadline` : '', '. ',
    a.median_seconds !== null ? `Median time to acknowledge: ${durationWords(a.median_seconds)}. ` : '',
    c.contained ? `${c.contained} contained, median ${durationWords(c.median_seconds)} after the report. ` : 'None contained yet. ',
    `Open now: ${total(g.open_by_severity)} (${sevWords(g.open_by_severity)}); overdue: ${total(g.overdue_by_severity)}.`,
  ];
}

function groupBlock(kind, groups, caption) {
  const heading = kind === 'cert' ? 'Handling CERT' : 'Province';
  const name = (g) => (kind === 'province' ? (g.name || provinceLabel(g.key)) : g.name);
  const withData = groups.filter((g) => g.incidents > 0 || g.acknowledgement.periods > 0);
  const rows = withData.map((g) => {
    const a = g.acknowledgement;
    const n = judged(a);
    return {
      key: g.key || 'none', label: name(g), value: n ? Math.round(100 * a.share_in_time) : null,
      note: inTimeWords(a), thin: n > 0 && n < THIN,
    };
  });
  const table = dataTable({
    id: `resp-${kind}`, dataset: { kind }, compact: true, className: 'resp-table',
    caption: `${heading}: acknowledgement, containment, open and overdue`,
    cols: [heading, 'Acknowledged in time', 'Median to acknowledge', 'Median to contain', 'Open by severity', 'Overdue'],
    body: withData.map((g) => {
      const a = g.acknowledgement;
      const n = judged(a);
      return h('tr', { dataset: { key: g.key || 'none', inTime: a.in_time, judged: n } },
        h('td', { class: 'card-title' }, name(g)),
        h('td', { class: 'resp-share' }, inTimeWords(a), n && n < THIN ? h('span', { class: 'thin-mark' }, ' · thin') : null),
        h('td', null, a.median_seconds === null ? '—' : durationWords(a.median_seconds)),
        h('td', null, g.containment.median_seconds === null ? '—' : `${durationWords(g.containment.median_seconds)} (${g.containment.contained} contained)`),
        h('td', null, sevWords(g.open_by_severity)),
        h('td', { class: total(g.overdue_by_severity) ? 'overdue' : null }, String(total(g.overdue_by_severity))));
    }),
  });
  return h('section', { class: 'panel', 'aria-labelledby': `h-resp-${kind}` },
    h('div', { class: 'panel-h' }, h('h2', { id: `h-resp-${kind}` }, kind === 'cert' ? 'By handling CERT' : 'By province')),
    withData.length ? [
      barList({
        name: `in-time-${kind}`, title: 'Acknowledged in time (% of judged handling turns)', rows, max: 100,
        format: (v) => `${v}%`, axisLabel: 'Acknowledged in time (%)', caption,
      }),
      h('div', { class: 'table-wrap' }, table),
    ] : h('p', { class: 'muted' }, 'No incident in this period.'));
}

export async function render(section, ctx) {
  document.title = 'Responsiveness · rabta';
  const period = periodFrom(ctx.query);
  section.append(...pageHead({
    eyebrow: 'Incidents',
    title: 'Responsiveness',
    lede: 'How quickly the CERTs acknowledged and contained the incidents reported in a period.',
  }));

  const fPeriod = field({
    name: 'days', label: 'Period', type: 'select', value: period.days ? String(period.days) : 'dates',
    options: [{ value: '30', label: 'Last 30 days' }, { value: '90', label: 'Last 90 days' }, { value: '365', label: 'Last 365 days' }, { value: 'dates', label: 'Between dates…' }],
  });
  const fSince = field({ name: 'since', label: 'From', type: 'date', value: period.days ? '' : (period.since || '').slice(0, 10) });
  const fUntil = field({ name: 'until', label: 'To', type: 'date', value: period.days ? '' : (period.until || '').slice(0, 10) });
  const dates = h('div', { class: 'row-2 period-dates' }, fSince, fUntil);
  const syncDates = () => { dates.hidden = fPeriod.control.value !== 'dates'; };
  fPeriod.control.addEventListener('change', syncDates);
  syncDates();
  const csv = h('a', { class: 'btn', id: 'resp-csv', download: 'responsiveness.csv', href: withQuery('/api/v1/responsiveness', { since: period.since, until: period.until, format: 'csv' }) }, 'Download CSV');
  const periodForm = form({
    class: 'period-form', ariaLabel: 'Choose the period', submitLabel: 'Show',
    extraActions: csv,
    async onSubmit(v, el) {
      if (v.days !== 'dates') { ctx.navigate(`#/responsiveness?days=${v.days}`); return; }
      if (!v.since) { fieldError(el, 'since', 'Choose the first day of the period.'); return; }
      if (v.until && v.until < v.since) { fieldError(el, 'until', 'The end date is before the start date.'); return; }
      ctx.navigate(withQuery('#/responsiveness', { since: v.since, until: v.until }));
    },
  }, h('div', { class: 'row-3' }, fPeriod), dates);
  const box = h('div', { class: 'state-box', id: 'resp-box' });
  section.append(h('section', { class: 'panel' }, periodForm), box);
  await loadInto(box, {
    what: 'the responsiveness figures',
    load: () => get('/api/v1/responsiveness', { since: period.since, until: period.until }),
    render(r) {
      const o = r.overall;
      return [
        h('section', { class: 'panel', 'aria-labelledby': 'h-resp-all', id: 'resp-overall', dataset: { since: r.since, until: r.until || '', inTime: o.acknowledgement.in_time, judged: judged(o.acknowledgement), incidents: o.incidents } },
          h('div', { class: 'panel-h' }, h('h2', { id: 'h-resp-all' }, 'All CERTs together')),
          h('p', { class: 'say', id: 'resp-summary' }, groupSentence(o)),
          h('p', { class: 'hint', id: 'resp-note' },
            `From ${fmtTime(r.since)} to ${r.until ? fmtTime(r.until) : 'now'}. Only the incidents your organisation may read are counted: CERTs and provinces whose incidents are not shared with you do not appear, and their numbers are not in the totals. `,
            'A handling turn is a CERT’s time with an incident, from its report or escalation; it is judged once acknowledged or once its deadline has passed. ',
            `Thin: fewer than ${THIN} judged turns; drawn lighter, read with care.`)),
        groupBlock('cert', r.by_cert, 'Each bar: the turns the CERT acknowledged by its deadline, of those judged; turns still within the deadline or handed on are not counted.'),
        groupBlock('province', r.by_province, 'Each bar: the turns acknowledged in time for incidents of organisations in that province, of those judged.'),
      ];
    },
  });
}
