// Audit trail (auditors and admins): newest first, "Load more" follows next_cursor.
import { h, fmtTime, replace } from './dom.js';
import { get } from './api.js';

const PAGE = 50;

const ACTION_LABELS = {
  'org.create': 'Organisation created',
  'org.update': 'Organisation changed',
  'org.move': 'Organisation moved',
  'user.create': 'User created',
  'user.password': 'Password set',
  'user.disable': 'User disabled',
  'user.enable': 'User enabled',
  'session.create': 'Signed in',
  'session.failed': 'Failed sign-in',
  'session.delete': 'Signed out',
  'token.create': 'API token created',
  'token.revoke': 'API token revoked',
};

export async function render(section) {
  document.title = 'Audit trail · rabta';
  section.append(
    h('div', { class: 'page-head' },
      h('p', { class: 'eyebrow' }, 'Accountability'),
      h('h1', { tabindex: '-1' }, 'Audit trail'),
      h('p', { class: 'lede' }, 'Every change in your organisation and the organisations below it, newest first. Entries are hash-chained; ',
        h('code', null, 'rabta audit verify'), ' checks the chain.')));

  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'btn', id: 'audit-more', hidden: true }, 'Load more');
  const status = h('p', { class: 'muted', role: 'status', id: 'audit-status' });
  let cursor = null;
  let count = 0;

  function row(e) {
    const danger = e.action === 'session.failed' || e.action === 'user.disable' || e.action === 'token.revoke';
    return h('tr', { dataset: { seq: e.seq, action: e.action, objectId: e.object_id || '' } },
      h('td', { class: 'num' }, String(e.seq)),
      h('td', { class: 'nowrap' }, fmtTime(e.at)),
      h('td', null, e.actor || '—'),
      h('td', null,
        h('span', { class: ['action', danger ? 'action-warn' : null] }, e.action),
        h('span', { class: 'action-label' }, ACTION_LABELS[e.action] || '')),
      h('td', null, e.object_kind || '—', e.object_id ? h('span', { class: 'obj-id', title: e.object_id }, ` ${e.object_id.slice(0, 8)}`) : null),
      h('td', null, e.org_name || '—'),
      h('td', { class: 'hash', title: e.hash }, e.hash ? e.hash.slice(0, 10) : ''));
  }

  async function load() {
    more.disabled = true;
    const page = await get('/api/v1/audit', { limit: PAGE, cursor });
    if (!section.isConnected) return;
    for (const e of page.items) tbody.append(row(e));
    count += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    more.disabled = false;
    status.textContent = count ? `Showing the latest ${count} entries${cursor ? '; older entries available' : ''}.` : 'No entries yet.';
  }
  more.addEventListener('click', () => load().catch((e) => { status.textContent = e.message; more.disabled = false; }));

  section.append(h('section', { class: 'panel panel-flush', 'aria-label': 'Audit entries' },
    h('div', { class: 'table-wrap' },
      h('table', { class: 'table table-compact', id: 'audit-table' },
        h('caption', { class: 'sr-only' }, 'Audit entries, newest first'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, '#'),
          h('th', { scope: 'col' }, 'When'),
          h('th', { scope: 'col' }, 'Actor'),
          h('th', { scope: 'col' }, 'Action'),
          h('th', { scope: 'col' }, 'Object'),
          h('th', { scope: 'col' }, 'Organisation'),
          h('th', { scope: 'col' }, 'Hash'))),
        tbody)),
    h('div', { class: 'table-foot' }, status, more)));
  replace(tbody);
  await load();
}
