// Users of an org (admins and auditors): paginated table (cards on a phone), create form,
// disable (after a confirmation) and enable. #/users?org=ID opens the list of one org below.
import {
  h, fmtTime, replace, plainError, banner, confirmedClick, dataTable, pageHead,
} from './dom.js';
import { get, post, patch } from './api.js';
import { field, form } from './forms.js';
import { state, can, loadOrgs, orgIndex, descendants, isCert, roleLabel, kindLabel } from './state.js';

const PAGE = 50;

export async function render(section, ctx) {
  document.title = 'Users · rabta';
  const me = state.me;
  const manage = can('user_manage');
  section.append(...pageHead({
    eyebrow: 'People',
    title: 'Users',
    lede: manage
      ? 'Accounts of your organisation. Administrators add people, reset access and disable accounts that are no longer needed.'
      : 'Accounts of your organisation (read only).',
  }));

  // CERTs may look at (and, for a first admin, create in) orgs of their constituency.
  let orgChoices = [me.org];
  if (isCert(me.org)) {
    const orgs = await loadOrgs();
    if (!section.isConnected) return;
    const { kids } = orgIndex(orgs);
    orgChoices = [me.org, ...descendants(kids, me.org.id).sort((a, b) => a.name.localeCompare(b.name))];
  }
  const asked = ctx && ctx.query ? ctx.query.get('org') : null;
  let orgId = asked && orgChoices.some((o) => o.id === asked) ? asked : me.org.id;
  const orgName = (id) => (orgChoices.find((o) => o.id === id) || me.org).name;

  const tbody = h('tbody');
  const caption = h('caption', { class: 'sr-only' });
  const table = dataTable({
    id: 'users-table', caption, body: tbody,
    cols: ['Name', 'Email', 'Role', 'Status', 'Created', manage ? { label: 'Actions', hidden: true } : null],
  });
  const more = h('button', { type: 'button', class: 'btn', id: 'users-more', hidden: true }, 'Load more');
  const listStatus = h('p', { class: 'muted', role: 'status', id: 'users-status' });
  let cursor = null;
  let loaded = 0;

  function statusCell(u) {
    return h('span', { class: ['tag', u.disabled ? 'tag-off' : 'tag-ok'] }, u.disabled ? 'Disabled' : 'Active');
  }

  function row(u) {
    const tr = h('tr', { dataset: { userId: u.id, email: u.email } });
    const fill = () => {
      let action = null;
      if (manage) {
        if (u.id === me.user.id) {
          action = h('span', { class: 'muted' }, 'you');
        } else {
          const btn = h('button', {
            type: 'button', class: ['btn', 'btn-small', u.disabled ? null : 'btn-danger-quiet'],
            'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${u.name} (${u.email})`,
          }, u.disabled ? 'Enable' : 'Disable');
          confirmedClick(btn, {
            // Enabling needs no confirmation.
            ask: () => (u.disabled ? null : {
              title: `Disable ${u.name}?`,
              body: [
                `${u.name} (${u.email}) will be signed out at once and their API tokens stop working. They cannot sign in again until an administrator enables the account.`,
                'Nothing they recorded is removed; the audit trail keeps who did what.',
              ],
              confirm: 'Disable account',
              danger: true,
              name: 'disable-user',
            }),
            async act() {
              u = await patch(`/api/v1/users/${u.id}`, { disabled: !u.disabled });
              fill();
              banner(u.disabled
                ? `${u.name} can no longer sign in. Enable the account to let them back in.`
                : `${u.name} can sign in again, with the password they had.`, { tone: 'ok' });
              tr.querySelector('button')?.focus();
            },
            failed: (err) => banner(`${u.name} was not changed: ${plainError(err)}`, { tone: 'error' }),
          });
          action = btn;
        }
      }
      replace(tr,
        h('td', { class: 'card-title' }, u.name),
        h('td', { class: 'mono-ish' }, u.email),
        h('td', null, roleLabel(u.role)),
        h('td', null, statusCell(u)),
        h('td', { class: 'nowrap' }, fmtTime(u.created_at)),
        manage ? h('td', { class: 'actions' }, action) : null);
    };
    fill();
    return tr;
  }

  async function load(reset) {
    if (reset) {
      cursor = null;
      loaded = 0;
      replace(tbody);
    }
    more.disabled = true;
    const page = await get('/api/v1/users', { org_id: orgId === me.org.id ? null : orgId, limit: PAGE, cursor });
    if (!section.isConnected) return;
    for (const u of page.items) tbody.append(row(u));
    loaded += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    more.disabled = false;
    caption.textContent = `Users of ${orgName(orgId)}`;
    listStatus.textContent = loaded
      ? `Showing ${loaded} user${loaded === 1 ? '' : 's'} of ${orgName(orgId)}${cursor ? '; more available' : ''}.`
      : `${orgName(orgId)} has no users yet.`;
  }
  more.addEventListener('click', () => load(false).catch((e) => { listStatus.textContent = plainError(e); more.disabled = false; }));

  let orgPicker = null;
  if (orgChoices.length > 1) {
    orgPicker = field({
      name: 'org_id', label: 'Organisation', type: 'select', value: orgId,
      options: orgChoices.map((o) => ({ value: o.id, label: o.id === me.org.id ? `${o.name} (yours)` : `${o.name} — ${kindLabel(o.kind)}` })),
      hint: 'Your constituency: see its accounts; add the first administrator of an organisation below you.',
    });
    orgPicker.control.addEventListener('change', () => {
      orgId = orgPicker.control.value;
      createHeading.textContent = `Add a user to ${orgName(orgId)}`;
      history.replaceState(null, '', orgId === me.org.id ? '#/users' : `#/users?org=${encodeURIComponent(orgId)}`);
      load(true).catch((e) => { listStatus.textContent = plainError(e); });
    });
  }

  const createHeading = h('h2', { id: 'h-create' }, `Add a user to ${orgName(orgId)}`);
  let createPanel = null;
  if (manage) {
    const roles = (state.meta && state.meta.roles) || ['admin', 'analyst', 'reporter', 'viewer', 'auditor'];
    const f = form({
      class: 'create-user-form',
      ariaLabel: 'Add a user',
      submitLabel: 'Create user',
      onSubmit: async (v, el) => {
        const body = { email: v.email.trim(), name: v.name.trim(), role: v.role, password: v.password };
        if (orgId !== me.org.id) body.org_id = orgId;
        const u = await post('/api/v1/users', body);
        el.reset();
        el.statusEl.textContent = `Created ${u.name} (${u.email}) as ${roleLabel(u.role)}.`;
        await load(true);
      },
    },
    h('div', { class: 'row-2' },
      field({ name: 'email', label: 'Email', type: 'email', required: true, autocomplete: 'off', spellcheck: 'false' }),
      field({ name: 'name', label: 'Full name', required: true, autocomplete: 'off' })),
    h('div', { class: 'row-2' },
      field({ name: 'role', label: 'Role', type: 'select', value: 'analyst', options: roles.map((r) => ({ value: r, label: roleLabel(r) })) }),
      field({ name: 'password', label: 'Initial password', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 12 characters. Share it privately; the user should change it.' })));
    createPanel = h('section', { class: 'panel', 'aria-labelledby': 'h-create' }, createHeading, f);
  }

  section.append(
    orgPicker ? h('div', { class: 'toolbar' }, orgPicker) : null,
    h('section', { class: 'panel panel-flush', 'aria-label': 'User list' },
      h('div', { class: 'table-wrap' }, table),
      h('div', { class: 'table-foot' }, listStatus, more)),
    createPanel);
  await load(true);
}
