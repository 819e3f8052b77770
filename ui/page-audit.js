// Audit trail (auditors and admins): filters, newest first with "Load more", an entry's details,
// CSV export with the same filters, and a check of the hash chain.
//
// The filters live in the page's address (#/audit?actor=…&action=assessment.&changes=1…), so a
// filtered view can be linked to (the home page's "Recent changes" does) and survives a reload.
import {
  h, fmtTime, replace, plural, loadingState, errorState, emptyState, plainError, showDialog, dataTable, pageHead, queryFilters, filtersPanel,
} from './dom.js';
import { get, withQuery } from './api.js';
import { field, form, fieldError } from './forms.js';
import {
  state, loadOrgs, orgIndex, descendants, kindLabel, ACTION_LABELS, ACTION_FAMILIES, OBJECT_KIND_LABELS,
  actionLabel, objectKindLabel, objectHref,
} from './state.js';

const PAGE = 50;
const FILTERS = ['actor', 'action', 'org_id', 'object_kind', 'object_id', 'since', 'until', 'changes'];
const WARN = new Set(['session.failed', 'user.disable', 'token.revoke', 'outbound.failed']);

function actorWords(actor) {
  if (!actor) return '—';
  if (actor === 'cli') return 'command line (cli)';
  return actor;
}

function actionOptions() {
  const opts = [{ value: '', label: 'Any action' }];
  for (const [prefix, words] of ACTION_FAMILIES) {
    opts.push({ value: prefix, label: `${words}: every action` });
    for (const a of Object.keys(ACTION_LABELS).filter((x) => x.startsWith(prefix))) {
      opts.push({ value: a, label: `— ${ACTION_LABELS[a]}` });
    }
  }
  return opts;
}

function entryDetails(e, ctx) {
  const href = objectHref(e, ctx.hasRoute);
  const rows = [
    ['Entry', `#${e.seq}`, 'seq'],
    ['Time', fmtTime(e.at), 'at'],
    ['Exact time', e.at, 'at_iso'],
    ['Person', actorWords(e.actor), 'actor'],
    ['Person’s id', e.actor_id || '— (not a signed-in user)', 'actor_id'],
    ['Action', [actionLabel(e.action), ' ', h('code', null, e.action)], 'action'],
    ['Organisation', e.org_id ? h('a', { href: `#/orgs/${e.org_id}` }, e.org_name || e.org_id) : '—', 'org'],
    ['Organisation’s id', e.org_id || '—', 'org_id'],
    ['Kind of object', objectKindLabel(e.object_kind), 'object_kind'],
    ['Object', e.object_name ? (href ? h('a', { href }, e.object_name) : e.object_name) : (e.object_id ? 'not readable by you (or removed)' : '—'), 'object_name'],
    ['Object’s id', e.object_id || '—', 'object_id'],
    ['Hash', h('span', { class: 'hash-full' }, e.hash || '—'), 'hash'],
  ];
  const about = e.object_id
    ? h('p', null, h('a', {
      href: withQuery('#/audit', { object_kind: e.object_kind, object_id: e.object_id }), id: 'entry-object-history',
      onclick: () => document.querySelector('dialog[open]')?.close(),
    }, `Every entry about ${e.object_name || 'this object'}`))
    : null;
  return [
    h('dl', { class: 'facts entry-facts', id: 'entry-facts' },
      rows.map(([k, v, key]) => [h('dt', null, k), h('dd', { dataset: { field: key } }, v)])),
    about,
    h('p', { class: 'hint' }, 'The hash is this entry’s link in the chain: it is computed from the entry and the hash of the entry before it, so any change to an earlier entry breaks every later link. “Verify chain” recomputes them all.'),
  ];
}

export async function render(section, ctx) {
  document.title = 'Audit trail · rabta';
  const me = state.me;
  let filters = queryFilters(ctx.query, FILTERS, ['changes']);

  section.append(...pageHead({
    eyebrow: 'Accountability',
    title: 'Audit trail',
    lede: 'Every change in your organisation and the organisations below it, newest first. Each entry is chained to the one before it by a hash, so a changed or deleted entry shows when the chain is verified.',
  }));

  // --- tools: verify, export ---
  const verifyBtn = h('button', { type: 'button', class: 'btn', id: 'audit-verify' }, 'Verify chain');
  const exportLink = h('a', { class: 'btn', id: 'audit-export', download: 'audit.csv' }, 'Download CSV');
  const verifyOut = h('div', { class: 'verify-result', id: 'verify-result', 'aria-live': 'polite' });
  verifyBtn.addEventListener('click', async () => {
    verifyBtn.disabled = true;
    replace(verifyOut, loadingState('Checking every entry of the chain…'));
    try {
      const v = await get('/api/v1/audit/verify');
      if (!section.isConnected) return;
      const at = fmtTime(new Date().toISOString());
      replace(verifyOut, v.intact
        ? h('div', { class: 'notice notice-ok', role: 'status', dataset: { intact: 'true' } },
          h('p', null, h('strong', null, 'The audit trail is intact. '),
            `All ${plural(v.entries, 'entry', 'entries')} check out: each one matches its hash and links to the one before it.`),
          h('p', { class: 'hint' }, `Checked ${at}. Latest hash: `, h('span', { class: 'hash-full' }, v.head || '—')))
        : h('div', { class: 'notice notice-error', role: 'alert', dataset: { intact: 'false', badSeq: v.bad_seq } },
          h('p', null, h('strong', null, `The audit trail is broken at entry #${v.bad_seq}. `),
            v.reason ? `${v.reason.charAt(0).toUpperCase()}${v.reason.slice(1)}.` : ''),
          h('p', null, v.bad_seq > 1 ? `Entries #1 to #${v.bad_seq - 1} check out; from #${v.bad_seq} on, the record cannot be trusted. ` : 'No entry can be trusted. ',
            'Keep the database as it is and tell the National CERT’s administrators: the server’s operator can compare it with a backup (rabta audit verify).'),
          h('p', { class: 'hint' }, `Checked ${at}; ${plural(v.entries, 'entry', 'entries')} in all.`)));
    } catch (err) {
      if (!section.isConnected) return;
      replace(verifyOut, errorState(err, () => verifyBtn.click(), 'The chain check'));
    } finally {
      verifyBtn.disabled = false;
    }
  });

  // --- filters ---
  let orgChoices = [me.org];
  try {
    const orgs = await loadOrgs();
    const { kids } = orgIndex(orgs);
    orgChoices = [me.org, ...descendants(kids, me.org.id).sort((a, b) => a.name.localeCompare(b.name))];
  } catch (e) {
    // the org filter then offers one's own org only
  }
  if (!section.isConnected) return;

  const fActor = field({ name: 'actor', label: 'Person', hint: 'Part of an email address, or “cli”.', value: filters.actor || '', autocomplete: 'off', spellcheck: 'false' });
  const fAction = field({ name: 'action', label: 'Action', type: 'select', value: filters.action || '', options: actionOptions() });
  const fOrg = field({
    name: 'org_id', label: 'Organisation', type: 'select', value: filters.org_id || '',
    options: [{ value: '', label: orgChoices.length > 1 ? 'Yours and every one below' : 'Yours' },
      ...orgChoices.map((o) => ({ value: o.id, label: o.id === me.org.id ? `${o.name} (yours)` : `${o.name} — ${kindLabel(o.kind)}` }))],
  });
  const fKind = field({
    name: 'object_kind', label: 'Kind of object', type: 'select', value: filters.object_kind || '',
    options: [{ value: '', label: 'Any kind' }, ...Object.entries(OBJECT_KIND_LABELS).map(([k, v]) => ({ value: k, label: v }))],
  });
  const fSince = field({ name: 'since', label: 'From', type: 'date', value: filters.since ? filters.since.slice(0, 10) : '' });
  const fUntil = field({ name: 'until', label: 'To', type: 'date', value: filters.until ? filters.until.slice(0, 10) : '', hint: 'The whole day is included.' });
  const fChanges = field({ name: 'changes', label: 'Changes only (leave out sign-ins and sign-outs)', type: 'checkbox', value: filters.changes === '1' });
  const objectNote = h('div', { class: 'object-filter' });
  const clearBtn = h('button', { type: 'button', class: 'btn', id: 'audit-clear' }, 'Clear filters');

  const filterForm = form({
    class: 'filters-form',
    ariaLabel: 'Filter the audit trail',
    submitLabel: 'Apply filters',
    extraActions: clearBtn,
    onSubmit: async (v, el) => {
      if (v.since && v.until && v.since > v.until) {
        fieldError(el, 'until', 'The end date is before the start date.');
        return;
      }
      const next = {};
      if (v.actor.trim()) next.actor = v.actor.trim();
      if (v.action) next.action = v.action;
      if (v.org_id) next.org_id = v.org_id;
      if (v.object_kind) next.object_kind = v.object_kind;
      if (filters.object_id) next.object_id = filters.object_id;
      if (v.since) next.since = v.since;
      if (v.until) next.until = v.until;
      if (v.changes) next.changes = '1';
      await apply(next, el);
    },
  },
  h('div', { class: 'filters' }, fActor, fAction, fOrg, fKind, fSince, fUntil, fChanges),
  objectNote);
  filterForm.setAttribute('role', 'search');
  clearBtn.addEventListener('click', () => {
    filterForm.reset();
    for (const c of filterForm.querySelectorAll('input[type="text"], input[type="date"]')) c.value = '';
    for (const c of filterForm.querySelectorAll('select')) c.value = '';
    filterForm.querySelector('input[type="checkbox"]').checked = false;
    apply({}, filterForm).catch(() => {});
  });

  // --- list ---
  const tbody = h('tbody');
  const table = dataTable({
    id: 'audit-table', compact: true, caption: 'Audit entries, newest first', body: tbody,
    cols: ['#', 'When', 'Action', 'Object', 'Person', 'Organisation', { label: 'Details', hidden: true }],
  });
  const listState = h('div', { class: 'state-box', id: 'audit-state' });
  const more = h('button', { type: 'button', class: 'btn', id: 'audit-more', hidden: true }, 'Load more');
  const status = h('p', { class: 'muted', role: 'status', id: 'audit-status' });
  let cursor = null;
  let count = 0;
  let generation = 0;

  function row(e) {
    const href = objectHref(e, ctx.hasRoute);
    const details = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Details of entry ${e.seq}: ${actionLabel(e.action)}` }, 'Details');
    details.addEventListener('click', () => showDialog({ title: `Entry #${e.seq}: ${actionLabel(e.action)}`, body: entryDetails(e, ctx), wide: true, name: 'audit-entry' }));
    return h('tr', { dataset: { seq: e.seq, action: e.action, objectId: e.object_id || '' } },
      h('td', { class: 'num' }, String(e.seq)),
      h('td', { class: 'nowrap' }, fmtTime(e.at)),
      h('td', { class: 'card-title' },
        h('span', { class: ['action-label', WARN.has(e.action) ? 'action-warn' : null] }, actionLabel(e.action)),
        h('span', { class: 'action-code' }, e.action)),
      h('td', { class: 'obj-cell' },
        e.object_name
          ? (href ? h('a', { href, class: 'obj-name' }, e.object_name) : h('span', { class: 'obj-name' }, e.object_name))
          : (e.object_kind ? h('span', { class: 'muted' }, objectKindLabel(e.object_kind)) : '—'),
        e.object_name && e.object_kind ? h('span', { class: 'cell-sub' }, objectKindLabel(e.object_kind)) : null),
      h('td', { class: 'actor-cell' }, actorWords(e.actor)),
      h('td', null, e.org_name || '—'),
      h('td', { class: 'actions' }, details));
  }

  function describe() {
    const parts = [];
    if (filters.actor) parts.push(`by people matching “${filters.actor}”`);
    if (filters.action) {
      const fam = ACTION_FAMILIES.find(([p]) => p === filters.action);
      parts.push(fam ? `about ${fam[1].toLowerCase()}` : `“${actionLabel(filters.action)}”`);
    }
    if (filters.org_id) parts.push(`in ${(orgChoices.find((o) => o.id === filters.org_id) || { name: 'one organisation' }).name}`);
    if (filters.object_kind) parts.push(`about a ${objectKindLabel(filters.object_kind).toLowerCase()}`);
    if (filters.object_id) parts.push('about one object');
    if (filters.since) parts.push(`from ${filters.since.slice(0, 10)}`);
    if (filters.until) parts.push(`to ${filters.until.slice(0, 10)}`);
    if (filters.changes) parts.push('changes only');
    return parts.length ? ` (${parts.join(', ')})` : '';
  }

  async function load(reset) {
    const gen = generation;
    more.disabled = true;
    if (reset) {
      replace(tbody);
      cursor = null;
      count = 0;
      status.textContent = '';
      replace(listState, loadingState('Loading the audit trail…'));
    }
    let page;
    try {
      page = await get('/api/v1/audit', { ...filters, limit: PAGE, cursor });
    } catch (err) {
      if (!section.isConnected || gen !== generation) return;
      more.disabled = false;
      if (reset && err && err.status === 422 && FILTERS.includes(err.field)) {
        replace(listState, emptyState('Correct the filter marked above, then apply the filters again.'));
        table.hidden = true;
      } else if (reset) {
        replace(listState, errorState(err, () => load(true).catch(() => {}), 'The audit trail'));
        table.hidden = true;
      } else {
        status.textContent = `${plainError(err)} Press “Load more” to try again.`;
      }
      throw err;
    }
    if (!section.isConnected || gen !== generation) return;
    replace(listState);
    for (const e of page.items) tbody.append(row(e));
    const named = filters.object_id && page.items.find((e) => e.object_name);
    const chipText = section.querySelector('#object-chip .chip-text');
    if (named && chipText) chipText.textContent = `Only entries about ${named.object_name} `;
    count += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    more.disabled = false;
    table.hidden = count === 0;
    if (!count) {
      replace(listState, emptyState(Object.keys(filters).length
        ? 'No entry matches these filters. Widen the dates or clear a filter.'
        : 'No entries yet.'));
    }
    status.textContent = count
      ? `Showing the latest ${plural(count, 'entry', 'entries')}${describe()}${cursor ? '; older entries follow with “Load more”' : ''}.`
      : '';
  }
  more.addEventListener('click', () => load(false).catch(() => {}));

  function syncLinks() {
    exportLink.href = withQuery('/api/v1/audit/export', filters);
    filterBox.count(filters);
    replace(objectNote, filters.object_id
      ? h('p', { class: 'filter-chip', id: 'object-chip' }, h('span', { class: 'chip-text' }, 'Only entries about one object '),
        h('button', { type: 'button', class: 'chip-x', 'aria-label': 'Show entries about every object' }, '×'))
      : null);
    const x = objectNote.querySelector('button');
    if (x) {
      x.addEventListener('click', () => {
        const next = { ...filters };
        delete next.object_id;
        apply(next, filterForm).catch(() => {});
      });
    }
  }

  async function apply(next, formEl) {
    filters = next;
    generation += 1;
    const hash = withQuery('#/audit', filters);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    syncLinks();
    try {
      await load(true);
    } catch (err) {
      if (err && err.field && formEl && formEl.elements.namedItem(err.field)) throw err; // shown at the field
    }
  }

  const filterBox = filtersPanel({ id: 'audit-filters', headingId: 'h-filters', countId: 'filters-count' }, filterForm, filters);

  section.append(
    h('div', { class: 'audit-tools' },
      h('p', { class: 'muted' }, 'Download the entries the filters select, or check the whole chain.'),
      h('div', { class: 'tool-buttons' }, verifyBtn, exportLink)),
    verifyOut,
    filterBox,
    h('section', { class: 'panel panel-flush', 'aria-label': 'Audit entries' },
      listState,
      h('div', { class: 'table-wrap' }, table),
      h('div', { class: 'table-foot' }, status, more)));
  syncLinks();
  await load(true).catch(() => {});
}
