// Training sessions (#/trainings?view=calendar|list&month=YYYY-MM&mine=1&invited=1): the sessions
// the caller may read, as a month calendar (a day list at a phone's width) or as a list by start
// time with "Load more"; the filters live in the address. A CERT's analysts and admins get
// "Organise a session"; CERTs get links to the capacity dashboard and the gaps view. Below the
// sessions, folded, the organisation's calendar feed: an address a calendar program subscribes to (made,
// replaced or revoked here; shown only once, since rabta keeps only its hash).
import {
  h, replace, plural, pagedTable, pageHead, loadInto, secretLine, fmtDate, banner,
  plainError, confirmedClick,
} from './dom.js';
import { get, post, del, listAll, withQuery } from './api.js';
import { state, isCert } from './state.js';
import {
  modeTag, statusTag, whenWords, whereWords, attendanceWords, canOrganise,
} from './trainings.js';

const PAGE = 25;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function monthOf(query) {
  const m = /^(\d{4})-(\d{2})$/.exec(query.get('month') || '');
  const now = new Date();
  return m ? { y: Number(m[1]), m: Number(m[2]) - 1 } : { y: now.getUTCFullYear(), m: now.getUTCMonth() };
}

function iso(y, m, d) {
  return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
}

function sessionLink(t) {
  return h('a', { href: `#/trainings/${t.id}`, class: ['cal-event', t.status === 'cancelled' ? 'is-cancelled' : null, t.status === 'draft' ? 'is-draft' : null], dataset: { trainingId: t.id, mode: t.mode } },
    h('span', { class: 'cal-time' }, String(t.starts_at).slice(11, 16)), ' ', h('span', { class: 'cal-title' }, t.title),
    t.status !== 'scheduled' ? h('span', { class: 'sr-only' }, ` (${t.status})`) : null);
}

// The org's calendar feed: GET answers 404 while it has none. Making one replaces the one it had.
function feedPanel(org) {
  const path = `/api/v1/orgs/${org.id}/calendar-feed`;
  const box = h('div', { class: 'feed-box', id: 'feed-state' });
  const reveal = h('div', { class: 'token-reveal', id: 'feed-reveal', hidden: true });
  // Folded until opened: the feed is read only when someone asks for it.
  const panel = h('details', { class: 'panel filters-panel', id: 'calendar-feed' },
    h('summary', null, h('h2', { id: 'h-feed' }, 'Subscribe in your calendar'), h('span', { class: 'filters-count' }, 'a feed of your organisation’s sessions')),
    h('p', { class: 'muted' }, `A private address that Outlook, Google Calendar or Thunderbird can subscribe to: every session ${org.name} is invited to or organises, kept up to date. Anyone who has the address can read the feed; revoke it if it leaks.`),
    reveal, box);
  let loaded = false;
  panel.addEventListener('toggle', () => {
    if (panel.open && !loaded) {
      loaded = true;
      show();
    }
  });
  const make = async (had) => {
    const f = await post(path);
    const url = `${window.location.origin}${f.path}`;
    const [label, line, out] = secretLine({ id: 'feed-url', label: 'Your calendar feed address', value: url, noteId: 'feed-url-note' });
    replace(reveal, label, line,
      h('p', { class: 'hint', id: 'feed-url-note' },
        'This is the only time the address is shown: rabta keeps only its hash. In your calendar program choose “Add calendar from the Internet” (or “Subscribe”) and paste it. ',
        had ? 'The previous address no longer works.' : ''));
    reveal.hidden = false;
    banner(had ? 'A new calendar feed address is made; the old one no longer works.' : 'The calendar feed is made.', { tone: 'ok' });
    await show();
    out.focus();
    out.select();
  };
  const makeBtn = (had) => confirmedClick(h('button', { type: 'button', class: had ? 'btn' : 'btn btn-primary', id: 'feed-make' }, had ? 'Make a new address' : 'Make a feed address'), {
    ask: had ? () => ({ title: 'Make a new feed address?', body: ['Calendars subscribed to the current address stop receiving sessions; subscribe them again with the new one.'], confirm: 'Make a new address', name: 'feed-new' }) : null,
    act: () => make(had),
    failed: (err) => banner(`The calendar feed was not made: ${plainError(err)}`, { tone: 'error' }),
  });
  async function show() {
    await loadInto(box, {
      what: 'the calendar feed',
      load: async () => {
        try {
          return await get(path);
        } catch (err) {
          if (err.status === 404) return null;
          throw err;
        }
      },
      render(f) {
        if (!f) {
          return [h('p', { class: 'say', id: 'feed-summary' }, `${org.name} has no calendar feed.`), makeBtn(false)];
        }
        const revoke = confirmedClick(h('button', { type: 'button', class: 'btn btn-danger-quiet', id: 'feed-revoke' }, 'Revoke'), {
          ask: () => ({ title: 'Revoke the calendar feed?', body: ['Calendars subscribed to it stop receiving sessions at once.'], confirm: 'Revoke feed', danger: true, name: 'feed-revoke' }),
          act: async () => {
            await del(path);
            reveal.hidden = true;
            banner('The calendar feed is revoked; its address no longer works.', { tone: 'ok' });
            await show();
          },
          failed: (err) => banner(`The calendar feed was not revoked: ${plainError(err)}`, { tone: 'error' }),
        });
        return [h('p', { class: 'say', id: 'feed-summary' }, `A feed address (${f.prefix}…) is active since ${fmtDate(f.created_at)}.`),
          h('div', { class: 'head-actions' }, makeBtn(true), revoke)];
      },
    });
  }
  return panel;
}

export async function render(section, ctx) {
  document.title = 'Training sessions · rabta';
  const me = state.me;
  const view = ctx.query.get('view') === 'list' ? 'list' : 'calendar';
  const filters = {};
  for (const k of ['mine', 'invited']) if (ctx.query.get(k) === '1') filters[k] = '1';
  const { y, m } = monthOf(ctx.query);
  const go = (extra) => ctx.navigate(withQuery('#/trainings', { view, ...filters, ...extra }));

  section.append(...pageHead({
    eyebrow: 'Capacity building', title: 'Training sessions',
    lede: isCert(me.org)
      ? 'Sessions organised in the community, in person and online. Open one to invite organisations, register people and record attendance.'
      : 'Sessions your organisation may join. Open one to register your people.',
  },
  h('div', { class: 'head-actions' },
    canOrganise() ? h('a', { href: '#/trainings/new', class: 'btn btn-primary', id: 'training-new-link' }, 'Organise a session') : null,
    isCert(me.org) ? h('a', { href: '#/trainings/dashboard', class: 'btn', id: 'training-dashboard-link' }, 'Capacity dashboard') : null,
    isCert(me.org) ? h('a', { href: '#/trainings/gaps', class: 'btn', id: 'training-gaps-link' }, 'Training meets the gaps') : null)));

  const tabs = h('nav', { class: 'view-tabs', 'aria-label': 'Show the sessions as' },
    h('a', { href: withQuery('#/trainings', { ...filters, view: 'calendar' }), class: 'view-tab', 'aria-current': view === 'calendar' ? 'page' : null, id: 'view-calendar' }, 'Calendar'),
    h('a', { href: withQuery('#/trainings', { ...filters, view: 'list' }), class: 'view-tab', 'aria-current': view === 'list' ? 'page' : null, id: 'view-list' }, 'List'));
  const only = h('div', { class: 'view-filters' },
    ...[['invited', 'Invited to my organisation'], ['mine', 'Organised by my organisation']].map(([k, label]) => {
      const cb = h('input', { type: 'checkbox', id: `only-${k}`, checked: filters[k] === '1' });
      cb.addEventListener('change', () => {
        if (cb.checked) filters[k] = '1'; else delete filters[k];
        go(view === 'calendar' ? { month: iso(y, m, 1).slice(0, 7) } : {});
      });
      return h('span', { class: 'field-check inline-check' }, cb, h('label', { for: `only-${k}` }, label));
    }));
  section.append(h('div', { class: 'list-tools' }, tabs, only));
  const feed = me.org ? feedPanel(me.org) : null;
  const showFeed = () => { if (feed) section.append(feed); };

  if (view === 'calendar') {
    const first = new Date(Date.UTC(y, m, 1));
    const next = new Date(Date.UTC(y, m + 1, 1));
    const prev = new Date(Date.UTC(y, m - 1, 1));
    const label = `${MONTHS[m]} ${y}`;
    const prevBtn = h('a', { class: 'btn btn-small', id: 'cal-prev', href: withQuery('#/trainings', { view, ...filters, month: prev.toISOString().slice(0, 7) }) }, `‹ ${MONTHS[prev.getUTCMonth()]}`);
    const nextBtn = h('a', { class: 'btn btn-small', id: 'cal-next', href: withQuery('#/trainings', { view, ...filters, month: next.toISOString().slice(0, 7) }) }, `${MONTHS[next.getUTCMonth()]} ›`);
    const box = h('div', { class: 'state-box' });
    section.append(h('section', { class: 'panel', 'aria-labelledby': 'cal-month' },
      h('div', { class: 'panel-h cal-head' }, prevBtn, h('h2', { id: 'cal-month' }, label), nextBtn), box));
    await loadInto(box, {
      what: 'the sessions of the month',
      load: () => listAll('/api/v1/trainings', { ...filters, from: first.toISOString().slice(0, 10), to: next.toISOString().slice(0, 10) }),
      render(items) {
        const byDay = {};
        for (const t of items) (byDay[t.starts_at.slice(0, 10)] = byDay[t.starts_at.slice(0, 10)] || []).push(t);
        const lead = (first.getUTCDay() + 6) % 7; // Monday first
        const days = Math.round((next - first) / 86400000);
        const today = new Date().toISOString().slice(0, 10);
        const cells = [];
        for (let i = 0; i < lead; i++) cells.push(h('li', { class: 'cal-day is-pad', 'aria-hidden': 'true' }));
        for (let d = 1; d <= days; d++) {
          const key = iso(y, m, d);
          const evs = byDay[key] || [];
          cells.push(h('li', { class: ['cal-day', evs.length ? 'has-events' : 'is-empty', key === today ? 'is-today' : null], dataset: { day: key } },
            h('span', { class: 'cal-date' }, h('span', { class: 'cal-dow' }, DAYS[(lead + d - 1) % 7], ' '), String(d)),
            evs.length ? h('ul', { class: 'cal-events' }, evs.map((t) => h('li', null, sessionLink(t)))) : null));
        }
        return [
          h('p', { class: 'say', id: 'cal-summary' }, items.length ? `${plural(items.length, 'session')} in ${label}.` : `No session in ${label}.`),
          h('ol', { class: 'cal-week cal-dows', 'aria-hidden': 'true' }, DAYS.map((d) => h('li', null, d))),
          h('ol', { class: 'cal-grid', id: 'calendar', 'aria-label': `Sessions in ${label}` }, cells),
        ];
      },
    });
    showFeed();
    return;
  }

  const row = (t) => h('tr', { dataset: { trainingId: t.id, mode: t.mode, status: t.status } },
    h('td', { class: 'card-title' }, h('a', { href: `#/trainings/${t.id}` }, t.title), h('span', { class: 'cell-sub' }, whereWords(t))),
    h('td', null, whenWords(t)),
    h('td', null, modeTag(t.mode)),
    h('td', null, t.owner_org_name),
    h('td', null, attendanceWords(t)),
    h('td', null, statusTag(t)),
    h('td', { class: 'actions' }, h('a', { class: 'btn btn-small', href: `#/trainings/${t.id}`, 'aria-label': `Open ${t.title}` }, 'Open')));
  const list = pagedTable({
    name: 'trainings',
    caption: 'Training sessions by start',
    cols: ['Session', 'When', 'How', 'Organised by', 'Attendance', 'Status', { label: 'Open', hidden: true, cardLabel: '' }],
    row,
    what: 'the sessions',
    fetchPage: (cursor) => get('/api/v1/trainings', { ...filters, order: 'newest', limit: PAGE, cursor }),
    empty: () => (Object.keys(filters).length ? 'No session matches. Clear the choices above to see every session.' : 'No training session yet.'),
    statusText: (n, hasMore) => `Showing ${plural(n, 'session')}, the latest first${hasMore ? '; earlier ones follow with “Load more”' : ''}.`,
  });
  section.append(h('section', { class: 'panel panel-flush', 'aria-label': 'Sessions' },
    list.nodes));
  await list.load(true);
  showFeed();
}
