// Preparedness: the campaigns the caller may read, newest first; each opens its dashboard.
import { h, fmtDate, replace } from './dom.js';
import { get } from './api.js';
import { append, canLaunch, tlpBadge, today } from './guidelines.js';

const PAGE = 50;

export async function render(section) {
  document.title = 'Preparedness · rabta';
  append(section,
    h('div', { class: 'page-head' },
      h('p', { class: 'eyebrow' }, 'Preparedness'),
      h('h1', { tabindex: '-1' }, 'Campaigns'),
      h('p', { class: 'lede' }, 'A campaign asks every organisation a profile applies to for a self-assessment by a due date. Open one for its dashboard: scores, who has not submitted, the weakest controls.'),
      canLaunch() ? h('a', { href: '#/campaigns/new', class: 'btn btn-primary head-action', id: 'launch-link' }, 'Launch a campaign') : null));

  const tbody = h('tbody');
  const status = h('p', { class: 'muted', role: 'status', id: 'campaigns-status' });
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, 'Load more');
  let cursor = null;
  let count = 0;
  const now = today();

  function row(c) {
    const late = c.status === 'open' && c.due_date && c.due_date < now;
    return h('tr', { dataset: { campaignId: c.id } },
      h('td', null, h('a', { href: `#/campaigns/${c.id}`, class: 'strong-link' }, c.title)),
      h('td', null, c.profile_title || '—'),
      h('td', null, c.owner_name || '—'),
      h('td', { class: ['nowrap', late ? 'overdue' : null] }, fmtDate(c.due_date)),
      h('td', { class: 'num' }, String(c.assessments)),
      h('td', null, h('span', { class: ['tag', c.status === 'open' ? 'tag-info' : 'tag-off'] }, c.status), ' ', tlpBadge(c.tlp)));
  }

  async function load() {
    more.disabled = true;
    const page = await get('/api/v1/campaigns', { limit: PAGE, cursor });
    if (!section.isConnected) return;
    for (const c of page.items) tbody.append(row(c));
    count += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    more.disabled = false;
    status.textContent = count ? `${count} campaign${count === 1 ? '' : 's'}${cursor ? '; more available' : ''}.`
      : (canLaunch() ? 'No campaigns yet. Launch one for a profile.' : 'No campaigns yet.');
  }
  more.addEventListener('click', () => load().catch((e) => { status.textContent = e.message; more.disabled = false; }));

  append(section, h('section', { class: 'panel panel-flush', 'aria-label': 'Campaigns' },
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'campaign-table' },
      h('caption', { class: 'sr-only' }, 'Campaigns'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Campaign'),
        h('th', { scope: 'col' }, 'Profile'),
        h('th', { scope: 'col' }, 'Launched by'),
        h('th', { scope: 'col' }, 'Due'),
        h('th', { scope: 'col' }, 'Assessments'),
        h('th', { scope: 'col' }, 'Status'))),
      tbody)),
    h('div', { class: 'table-foot' }, status, more)));
  replace(tbody);
  await load();
}
