// Preparedness: the campaigns the caller may read, newest first; each opens its dashboard.
import { h, fmtDate, replace, pageHead } from './dom.js';
import { get } from './api.js';
import { append, canLaunch, tlpBadge, today, cardTable, loadWithRetry, plainError } from './guidelines.js';
import { campaignStatusTag } from './page-campaign.js';

const PAGE = 50;

export async function render(section) {
  document.title = 'Preparedness · rabta';
  append(section, pageHead({
    eyebrow: 'Preparedness',
    title: 'Campaigns',
    lede: 'A campaign asks every organisation a profile applies to for a self-assessment by a due date. Open one for its dashboard: scores, who has not submitted, the weakest controls.',
  }, canLaunch() ? h('a', { href: '#/campaigns/new', class: 'btn btn-primary head-action', id: 'launch-link' }, 'Launch a campaign') : null));

  const list = h('div', { class: 'campaign-cards', id: 'campaign-list' });
  const status = h('p', { class: 'muted', role: 'status', id: 'campaigns-status' });
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, 'Load more');
  let cursor = null;
  let count = 0;
  const now = today();
  const rows = [];

  function row(c) {
    const late = c.status === 'open' && c.due_date && c.due_date < now;
    return {
      attrs: { dataset: { campaignId: c.id, status: c.status } },
      cells: [
        h('a', { href: `#/campaigns/${c.id}`, class: 'strong-link' }, c.title),
        c.profile_id ? h('a', { href: `#/profiles/${c.profile_id}` }, c.profile_title || 'profile') : '—',
        c.owner_name || '—',
        [h('span', { class: late ? 'overdue' : null }, fmtDate(c.due_date)), late ? h('span', { class: 'tag tag-warn' }, 'past due') : null],
        String(c.assessments),
        [campaignStatusTag(c.status), ' ', tlpBadge(c.tlp)],
        h('a', { href: `#/campaigns/${c.id}`, class: 'btn btn-small', 'aria-label': `Open the dashboard of ${c.title}` }, 'Open'),
      ],
    };
  }
  function draw() {
    replace(list, rows.length ? cardTable({
      id: 'campaign-table', caption: 'Campaigns',
      cols: [{ label: 'Campaign', main: true }, { label: 'Profile' }, { label: 'Launched by' }, { label: 'Due' },
        { label: 'Organisations assessed', cls: 'num' }, { label: 'Status' }, { label: 'Actions', action: true }],
      rows,
    }) : null);
  }

  async function load() {
    more.disabled = true;
    const page = await get('/api/v1/campaigns', { limit: PAGE, cursor });
    if (!section.isConnected) return;
    for (const c of page.items) rows.push(row(c));
    draw();
    count += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    more.disabled = false;
    status.textContent = count ? `${count} campaign${count === 1 ? '' : 's'}${cursor ? '; more available' : ''}.`
      : (canLaunch() ? 'No campaigns yet. Launch one for a profile.' : 'No campaigns yet.');
  }
  more.addEventListener('click', () => load().catch((e) => { status.textContent = plainError(e); more.disabled = false; }));

  append(section, h('section', { class: 'panel panel-flush', 'aria-label': 'Campaigns' },
    list,
    h('div', { class: 'table-foot' }, status, more)));
  const ok = await loadWithRetry(list, 'campaigns', () => load().then(() => true), () => { rows.length = 0; count = 0; cursor = null; render(clearAll(section)); });
  if (!ok) status.textContent = '';
}

function clearAll(section) {
  replace(section);
  return section;
}
