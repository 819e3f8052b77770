// The training panels of the home page (docs/ui.md, "Home panels"), imported into PANELS of
// page-home.js:
//   National CERT  — Training this quarter: sessions held this quarter by province (a chart), the
//                    people reached, and how many sessions are still to come
//   other CERTs    — the same for their constituency
//   institutions   — Training sessions you are invited to (the coming ones, with your people
//                    registered), each with Open
import { h, plural, fmtPercent } from './dom.js';
import { get } from './api.js';
import { barChart } from './chart.js';
import { isCert, tierPanel, provinceLabel } from './state.js';
import { THIN_BASE, THIN_TEXT } from './guidelines.js';
import {
  quarterOf, whenWords, modeTag, statusTag,
} from './trainings.js';

const quarterPanel = {
  id: 'training-quarter',
  title: (me) => (me.org.kind === 'national_cert' ? 'Training this quarter' : 'Training in your constituency this quarter'),
  show: (me) => isCert(me.org),
  order: () => 30,
  wide: true,
  what: 'this quarter’s training',
  link: () => ({ href: '#/trainings/dashboard?span=quarter', label: 'Capacity dashboard' }),
  load: (me) => {
    const q = quarterOf();
    return get('/api/v1/trainings/rollup', { root: me.org.id, since: q.start, until: q.end }).then((ru) => ({ ru, q }));
  },
  isEmpty: ({ ru }) => !ru.sessions_held && !ru.sessions_upcoming,
  empty: () => 'No session has been held or planned this quarter for your constituency.',
  render({ ru, q }) {
    const rows = ru.by_province.map((p) => ({
      key: p.key || 'none', label: p.key ? provinceLabel(p.key) : 'No province', value: p.sessions,
      base: { n: p.attended, of: p.registered, thin: p.attended < THIN_BASE }, note: `${plural(p.attended, 'attendee')}`,
    }));
    return [
      h('p', {
        class: 'say',
        id: 'training-quarter-summary',
        dataset: {
          since: q.start, until: q.end, held: ru.sessions_held, upcoming: ru.sessions_upcoming, reached: ru.orgs_reached,
          registered: ru.registered, attended: ru.attended, inPerson: ru.in_person, virtual: ru.virtual,
        },
      },
        h('strong', null, plural(ru.sessions_held, 'session')), ` held in ${q.label} reached ${plural(ru.orgs_reached, 'organisation')}: `,
        `${ru.attended} of ${plural(ru.registered, 'person', 'people')} registered attended (${fmtPercent(ru.attended, ru.registered)}), ${ru.in_person} in the room and ${ru.virtual} online. `,
        ru.sessions_upcoming ? h('a', { href: '#/trainings?view=list' }, `${plural(ru.sessions_upcoming, 'session')} still to come.`) : 'None is still to come.'),
      rows.length ? barChart({
        name: 'training-by-province', title: `Sessions held in ${q.label}, by province`, rows, unit: ['session', 'sessions'],
        axisLabel: 'Sessions that reached the province', baseHeading: 'Attended of registered', labelWidth: 200,
        caption: `A session counts for each province whose organisations attended it. Thin: ${THIN_TEXT.replace('organisations', 'attendees')}; drawn lighter.`,
      }) : null,
    ];
  },
};

const invitedPanel = tierPanel('institution', 'training-invited', 8, 'Training sessions you are invited to', {
  what: 'your invitations',
  link: () => ({ href: '#/trainings?view=list&invited=1', label: 'All your sessions' }),
  load: () => get('/api/v1/trainings', { invited: 1, ends_from: new Date().toISOString(), limit: 6 }),
  isEmpty: (page) => !page.items.length,
  empty: () => 'No coming session invites your organisation. Invitations from your CERT appear here and in your inbox.',
  render: (page) => h('ul', { class: 'todo', id: 'training-invitations' }, page.items.map((t) => h('li', { class: 'todo-item', dataset: { trainingId: t.id } },
    h('div', { class: 'todo-main' },
      h('span', { class: 'todo-title' }, h('a', { href: `#/trainings/${t.id}` }, t.title)),
      h('span', { class: 'todo-meta' }, modeTag(t.mode), ' ', statusTag(t), ` · ${whenWords(t)}`),
      h('span', { class: 'todo-meta' }, `By ${t.owner_org_name} · ${t.you.registered ? `${plural(t.you.registered, 'person', 'people')} of yours registered` : 'none of your people registered yet'}${t.full ? ' · full' : ''}`)),
    h('a', { class: 'btn btn-small todo-action', href: `#/trainings/${t.id}`, 'aria-label': `Open ${t.title}` }, t.you.registered ? 'Open' : 'Register')))),
});

export const TRAINING_PANELS = [quarterPanel, invitedPanel];
