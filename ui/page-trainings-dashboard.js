// The capacity dashboard (#/trainings/dashboard?root=ORG&span=all|quarter): what the training
// reached in the caller's constituency (or an org below it): sessions held, organisations reached,
// attendance rate, in the room against online, the ratings, and the guideline domains covered —
// per province, per CERT and per organisation — from GET /api/v1/trainings/rollup (sessions the
// caller may read). Every chart says what its numbers rest on; bars resting on fewer than
// THIN_BASE attendees are drawn thin.
import {
  h, plural, fmtPercent, pageHead, loadBelow, reportPicks, dataTable, barList,
} from './dom.js';
import { get } from './api.js';
import { barChart } from './chart.js';
import {
  state, loadOrgs, orgIndex, descendants, provinceLabel, isCert,
} from './state.js';
import { THIN_BASE, THIN_TEXT } from './guidelines.js';
import { quarterOf } from './trainings.js';

function figure(value, label, key) {
  return h('div', { class: 'figure', dataset: { figure: key } },
    h('span', { class: 'figure-value' }, String(value)),
    h('span', { class: 'figure-label' }, label));
}

export function rollupFigures(ru) {
  return h('div', { class: 'figures figures-4' },
    figure(ru.sessions_held, 'sessions held', 'held'),
    figure(ru.orgs_reached, 'organisations reached', 'reached'),
    figure(ru.registered ? fmtPercent(ru.attended, ru.registered) : '—', 'attendance', 'rate'),
    figure(ru.feedback.n ? String(ru.feedback.mean) : '—', 'mean rating (of 5)', 'rating'));
}

export async function render(section, ctx) {
  document.title = 'Capacity dashboard · rabta';
  const me = state.me;
  const root = ctx.query.get('root') || me.org.id;
  const span = ctx.query.get('span') === 'quarter' ? 'quarter' : 'all';
  const q = quarterOf();
  section.append(...pageHead({
    path: [['#/trainings', 'Training sessions']], here: 'Capacity dashboard',
    eyebrow: 'Capacity building', title: 'Capacity dashboard',
    lede: 'What the sessions held reached: counted over the sessions you may read, for the people of the organisations chosen below.',
  }));
  const orgs = await loadOrgs().catch(() => []);
  const { byId, kids } = orgIndex(orgs);
  const roots = [me.org, ...descendants(kids, me.org.id).filter(isCert)];
  const pick = h('select', { id: 'dash-root', 'aria-label': 'Organisations counted' },
    roots.map((o) => h('option', { value: o.id, selected: o.id === root ? true : null }, `${o.name} and below`)));
  const spanSel = h('select', { id: 'dash-span', 'aria-label': 'Sessions counted' },
    h('option', { value: 'all', selected: span === 'all' ? true : null }, 'Every session held'),
    h('option', { value: 'quarter', selected: span === 'quarter' ? true : null }, `This quarter (${q.label})`));
  const go = () => ctx.navigate(`#/trainings/dashboard?root=${encodeURIComponent(pick.value)}&span=${spanSel.value}`);
  section.append(reportPicks(go, [['Organisations counted', pick], ['Sessions counted', spanSel]]));

  await loadBelow(section, {
    what: 'the capacity roll-up',
    load: () => get('/api/v1/trainings/rollup', { root, ...(span === 'quarter' ? { since: q.start, until: q.end } : {}) }),
    isEmpty: (ru) => !ru.sessions_held,
    empty: 'No session held has reached these organisations yet.',
    render(ru) {
      const rootName = (byId.get(ru.root) || me.org).name;
      const thin = (n) => n < THIN_BASE;
      const provRows = ru.by_province.map((p) => ({
        key: p.key || 'none', label: p.key ? provinceLabel(p.key) : 'No province', value: p.attended,
        base: { n: p.attended, of: p.registered, thin: thin(p.attended) }, note: plural(p.sessions, 'session'),
      }));
      const domRows = ru.by_domain.map((d) => ({
        key: d.key, label: d.name || d.key, value: d.sessions,
        base: { n: d.orgs_reached, thin: thin(d.attended) }, note: `${plural(d.attended, 'attendee')}`,
      }));
      const certRows = ru.by_cert.map((c) => ({
        key: c.key, label: c.name || '—', value: c.orgs_reached, base: { n: c.attended, of: c.registered, thin: thin(c.attended) },
      }));
      const modeRows = [
        { key: 'in_person', label: 'In the room', value: ru.in_person, note: fmtPercent(ru.in_person, ru.attended) },
        { key: 'virtual', label: 'Online', value: ru.virtual, note: fmtPercent(ru.virtual, ru.attended) },
      ];
      const ratingRows = [5, 4, 3, 2, 1].map((n) => ({ key: String(n), label: `${n} of 5`, value: ru.ratings[n - 1] }));
      const orgRows = ru.by_org.slice().sort((a, b) => b.attended - a.attended || a.name.localeCompare(b.name));
      return [
        rollupFigures(ru),
        h('p', { class: 'say', id: 'dash-summary' },
          h('strong', null, plural(ru.sessions_held, 'session')), ` held reached ${plural(ru.orgs_reached, 'organisation')} of the ${ru.orgs_invited} invited under ${rootName}: `,
          `${ru.attended} of ${plural(ru.registered, 'person', 'people')} registered attended, ${ru.in_person} in the room and ${ru.virtual} online`,
          ru.feedback.n ? `; ${plural(ru.feedback.n, 'attendee')} rated the sessions ${ru.feedback.mean} of 5 on average.` : '.',
          ru.sessions_upcoming ? ` ${plural(ru.sessions_upcoming, 'session')} ${ru.sessions_upcoming === 1 ? 'is' : 'are'} still to come.` : ''),
        h('div', { class: 'grid-2' },
          h('div', null, h('h2', { class: 'sub-h' }, 'People who attended, by province'), barChart({ name: 'attended-by-province', title: 'People who attended, by province', rows: provRows, unit: ['person', 'people'], axisLabel: 'People who attended', baseHeading: 'Of registered', labelWidth: 200, caption: `Each bar: attendees of the organisations of a province, beside the people registered. Thin: ${THIN_TEXT.replace('organisations', 'attendees')}; drawn lighter.` })),
          h('div', null, h('h2', { class: 'sub-h' }, 'Sessions held, by guideline domain'), barChart({ name: 'sessions-by-domain', title: 'Sessions held, by guideline domain', rows: domRows, unit: ['session', 'sessions'], axisLabel: 'Sessions held', baseHeading: 'Orgs reached', labelWidth: 210, caption: 'A session counts once for each domain its topics touch; beside each bar, the organisations whose people attended.' }))),
        h('div', { class: 'grid-2' },
          barList({ name: 'attendance-by-mode', title: 'How people joined', rows: modeRows, unit: 'people', axisLabel: 'People who attended', caption: `Of ${plural(ru.attended, 'attendee')}.` }),
          barList({ name: 'ratings', title: 'Ratings given', rows: ratingRows, unit: 'attendees', axisLabel: 'Attendees who gave the rating', caption: `${plural(ru.feedback.n, 'rating')} of ${plural(ru.attended, 'attendee')}.` })),
        certRows.length > 1 ? h('h2', { class: 'sub-h' }, 'Organisations reached, per CERT') : null,
        certRows.length > 1 ? barChart({ name: 'reached-by-cert', title: 'Organisations reached, per CERT', rows: certRows, unit: ['organisation', 'organisations'], axisLabel: 'Organisations reached', baseHeading: 'Attended of registered', labelWidth: 240, caption: 'An institution counts under its CERT; a CERT under itself.' }) : null,
        h('h2', { class: 'sub-h', id: 'h-by-org' }, 'Per organisation'),
        dataTable({
          id: 'dash-orgs', compact: true, caption: 'Attendance per organisation',
          cols: ['Organisation', 'Sessions', 'Attended', 'In the room', 'Online', 'Attendance', 'Domains covered'],
          body: orgRows.map((o) => h('tr', { dataset: { orgId: o.key } },
            h('td', { class: 'card-title' }, o.name),
            h('td', null, String(o.sessions)), h('td', null, `${o.attended} of ${o.registered}`),
            h('td', null, String(o.in_person)), h('td', null, String(o.virtual)),
            h('td', null, fmtPercent(o.attended, o.registered)),
            h('td', null, o.domains.length ? o.domains.join(', ') : '—'))),
        }),
      ];
    },
  });
}
