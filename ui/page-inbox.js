// Inbox (#/inbox): what the caller's org must act on, newest first — incidents to triage, escalated
// to it, tasks, deadlines — unread ones marked; "Unread only" kept in the address (#/inbox?unread=1);
// mark one or all read; each item links to its object. The navigation shows the unread count
// (app.js, from GET /api/v1/inbox/count); refreshInboxBadge() updates it after marking.
import {
  h, replace, plural, fmtTime, plainError, banner, pagedList, pageHead,
} from './dom.js';
import { get, post } from './api.js';
import { INBOX_KINDS } from './incidents.js';

const PAGE = 50;

export function itemHref(it) {
  if (it.object_kind === 'incident' && it.object_id) return `#/incidents/${it.object_id}`;
  if (it.object_kind === 'training' && it.object_id) return `#/trainings/${it.object_id}`;
  if (it.object_kind === 'advisory' && it.object_id) return `#/advisories/${it.object_id}`;
  return null;
}

// The unread count beside "Inbox" in the navigation (#nav-inbox-count).
export async function refreshInboxBadge() {
  const badge = document.getElementById('nav-inbox-count');
  if (!badge) return;
  try {
    const c = await get('/api/v1/inbox/count');
    const n = `${c.unread}${c.capped ? '+' : ''}`;
    if (c.unread) replace(badge, n, h('span', { class: 'sr-only' }, ' unread'));
    else replace(badge);
    badge.hidden = !c.unread;
    badge.dataset.unread = c.unread;
  } catch (e) {
    badge.hidden = true; // the count is a hint; the inbox page says what went wrong
  }
}

export async function render(section, ctx) {
  document.title = 'Inbox · rabta';
  let unreadOnly = ctx.query.get('unread') === '1';
  section.append(...pageHead({
    eyebrow: 'Triage',
    title: 'Inbox',
    lede: 'What your organisation must act on, newest first: incidents to triage, incidents escalated to you, tasks and deadlines. Items you have not read are marked.',
  }));

  const toggle = h('input', { type: 'checkbox', id: 'inbox-unread', checked: unreadOnly });
  const allBtn = h('button', { type: 'button', class: 'btn', id: 'inbox-read-all' }, 'Mark all read');
  const ul = h('ul', { class: 'inbox', id: 'inbox-list' });
  const listState = h('div', { class: 'state-box', id: 'inbox-state' });
  const more = h('button', { type: 'button', class: 'btn', id: 'inbox-more', hidden: true }, 'Load more');
  const status = h('p', { class: 'muted', role: 'status', id: 'inbox-status' });

  async function markRead(body, li) {
    try {
      const r = await post('/api/v1/inbox/read', body);
      if (li) {
        li.classList.remove('is-unread');
        li.dataset.read = 'true';
        li.querySelector('.inbox-unread')?.remove();
        li.querySelector('.inbox-mark')?.remove();
        if (unreadOnly) li.remove();
      } else {
        banner(r.marked ? `${plural(r.marked, 'item')} marked read.` : 'Everything was read already.', { tone: 'ok' });
        load(true);
      }
      refreshInboxBadge();
    } catch (err) {
      banner(plainError(err), { tone: 'error' });
    }
  }

  function item(it) {
    const href = itemHref(it);
    const mark = it.read ? null : h('button', { type: 'button', class: 'btn btn-small inbox-mark', 'aria-label': `Mark read: ${it.label}, ${it.object_name || ''}` }, 'Mark read');
    const li = h('li', { class: ['inbox-item', it.read ? null : 'is-unread', `kind-${it.kind}`], dataset: { seq: it.seq, kind: it.kind, read: it.read ? 'true' : 'false', objectId: it.object_id || '' } },
      h('div', { class: 'inbox-main' },
        h('span', { class: 'inbox-kind' }, it.read ? null : h('span', { class: 'inbox-unread' }, 'Unread · '), it.label || INBOX_KINDS[it.kind] || it.kind),
        href ? h('a', { href, class: 'inbox-object' }, it.object_name || 'Open') : h('span', { class: 'inbox-object' }, it.object_name || '—'),
        it.detail ? h('span', { class: 'inbox-detail' }, it.detail) : null,
        h('span', { class: 'inbox-meta' }, fmtTime(it.created_at))),
      mark);
    if (mark) mark.addEventListener('click', () => markRead({ seqs: [it.seq] }, li));
    if (href && !it.read) li.querySelector('.inbox-object').addEventListener('click', () => { post('/api/v1/inbox/read', { seqs: [it.seq] }).catch(() => {}); });
    return li;
  }

  const list = pagedList({
    what: 'your inbox',
    fetchPage: (cursor) => get('/api/v1/inbox', { unread: unreadOnly ? 1 : null, limit: PAGE, cursor }),
    add: (it) => ul.append(item(it)),
    clear: () => replace(ul),
    box: listState,
    more,
    status,
    empty: () => (unreadOnly ? 'You have read everything. Untick “Unread only” to see earlier items.' : 'Nothing for your organisation yet. New incidents to triage, escalations and tasks appear here.'),
    statusText: (n) => `Showing ${plural(n, 'item')}${unreadOnly ? ' you have not read' : ''}.`,
  });
  const load = (reset) => list.load(reset);
  toggle.addEventListener('change', () => {
    unreadOnly = toggle.checked;
    const hash = unreadOnly ? '#/inbox?unread=1' : '#/inbox';
    if (location.hash !== hash) history.replaceState(null, '', hash);
    load(true);
  });
  allBtn.addEventListener('click', () => markRead({ all: true }, null));

  section.append(
    h('div', { class: 'list-tools' },
      h('div', { class: 'field field-check inbox-filter' }, toggle, h('label', { for: 'inbox-unread' }, 'Unread only')),
      allBtn),
    h('section', { class: 'panel panel-flush', 'aria-label': 'Inbox items' }, listState, ul,
      h('div', { class: 'table-foot' }, status, more)));
  await load(true);
  refreshInboxBadge();
}
