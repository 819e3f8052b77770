// My account: profile, change password, API tokens (create shows the token once; list; revoke
// after a confirmation).
import {
  h, fmtTime, fmtDate, replace, plainError, banner, confirmedClick, dataTable, pageHead, secretLine,
} from './dom.js';
import { get, post, del } from './api.js';
import { field, form, fieldError } from './forms.js';
import { state, roleLabel, kindLabel, permissionLabel } from './state.js';

function passwordForm() {
  return form({
    class: 'password-form',
    ariaLabel: 'Change password',
    submitLabel: 'Change password',
    onSubmit: async (v, el) => {
      if (v.password && v.password_repeat !== v.password) {
        fieldError(el, 'password_repeat', 'The two new passwords differ.');
        return;
      }
      await post('/api/v1/me/password', { current_password: v.current_password, password: v.password });
      el.reset();
      el.statusEl.textContent = 'Your password has been changed.';
    },
  },
  field({ name: 'current_password', label: 'Current password', type: 'password', required: true, autocomplete: 'current-password' }),
  h('div', { class: 'row-2' },
    field({ name: 'password', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 12 characters. A passphrase of a few words works well.' }),
    field({ name: 'password_repeat', label: 'Repeat new password', type: 'password', required: true, autocomplete: 'new-password' })));
}

function tokensSection(section) {
  const tbody = h('tbody');
  const listStatus = h('p', { class: 'muted', role: 'status', id: 'tokens-status' });
  const reveal = h('div', { class: 'token-reveal', id: 'token-reveal', hidden: true });

  function row(t) {
    const tr = h('tr', { dataset: { tokenId: t.id, name: t.name } });
    const actions = h('td', { class: 'actions' });
    const showRevoke = () => {
      if (t.revoked_at) { replace(actions); return; }
      const b = h('button', { type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': `Revoke token ${t.name}` }, 'Revoke');
      confirmedClick(b, {
        ask: () => ({
          title: `Revoke the token “${t.name}”?`,
          body: [`Scripts and tools that use it (prefix ${t.prefix}…) stop working at once. A revoked token cannot be brought back; make a new one if you need access again.`],
          confirm: 'Revoke token',
          danger: true,
          name: 'revoke-token',
        }),
        async act() {
          await del(`/api/v1/tokens/${t.id}`);
          banner(`The token “${t.name}” is revoked; it no longer works.`, { tone: 'ok' });
          await load();
          section.querySelector('#tokens-table')?.focus();
        },
        failed: (err) => banner(`The token “${t.name}” was not revoked: ${plainError(err)}`, { tone: 'error' }),
      });
      replace(actions, b);
    };
    showRevoke();
    replace(tr,
      h('td', { class: 'card-title' }, t.name),
      h('td', null, h('code', null, `${t.prefix}…`)),
      h('td', { class: 'nowrap' }, fmtTime(t.created_at)),
      h('td', { class: 'nowrap' }, fmtDate(t.expires_at)),
      h('td', null, t.revoked_at
        ? h('span', { class: 'tag tag-off' }, `Revoked ${fmtDate(t.revoked_at)}`)
        : h('span', { class: 'tag tag-ok' }, 'Active')),
      actions);
    return tr;
  }

  async function load() {
    const page = await get('/api/v1/tokens');
    if (!section.isConnected) return;
    replace(tbody, page.items.map(row));
    const active = page.items.filter((t) => !t.revoked_at).length;
    listStatus.textContent = page.items.length ? `${active} active of ${page.items.length}.` : 'You have no API tokens.';
  }

  const create = form({
    class: 'token-form',
    ariaLabel: 'Create an API token',
    submitLabel: 'Create token',
    onSubmit: async (v, el) => {
      const body = { name: v.name.trim() };
      if (v.expires_in_days) {
        const n = Number(v.expires_in_days);
        if (!Number.isInteger(n)) { fieldError(el, 'expires_in_days', 'Enter a whole number of days (1 to 366).'); return; }
        body.expires_in_days = n;
      }
      const t = await post('/api/v1/tokens', body);
      el.reset();
      const [label, line, out] = secretLine({ id: 'new-token', label: `Your new token “${t.name}”`, value: t.token, noteId: 'new-token-note' });
      replace(reveal, label, line,
        h('p', { class: 'hint', id: 'new-token-note' },
          'This is the only time the token is shown: rabta keeps only its hash. Store it in your password manager or secret store now. ',
          'Use it as ', h('code', null, 'Authorization: Bearer <token>'), '; it expires on ', fmtDate(t.expires_at), '.'));
      reveal.hidden = false;
      listStatus.textContent = '';
      await load();
      out.focus();
      out.select();
    },
  },
  h('div', { class: 'row-2' },
    field({ name: 'name', label: 'Token name', required: true, autocomplete: 'off', hint: 'What it is for, e.g. “SIEM export”.' }),
    field({ name: 'expires_in_days', label: 'Expires after (days)', type: 'number', value: '90', min: 1, max: 366, inputmode: 'numeric', hint: '1 to 366 days.' })));

  const el = h('section', { class: 'panel', 'aria-labelledby': 'h-tokens' },
    h('h2', { id: 'h-tokens' }, 'API tokens'),
    h('p', { class: 'muted' }, 'Tokens let scripts and tools act as you through the API. Revoke a token as soon as it is no longer needed.'),
    create,
    reveal,
    h('div', { class: 'table-wrap' },
      dataTable({
        id: 'tokens-table', tabindex: '-1', caption: 'Your API tokens', body: tbody,
        cols: ['Name', 'Prefix', 'Created', 'Expires', 'Status', { label: 'Actions', hidden: true }],
      })),
    listStatus);
  return { el, load };
}

export async function render(section) {
  document.title = 'My account · rabta';
  const { user, org } = state.me;
  const tokens = tokensSection(section);
  section.append(
    ...pageHead({ eyebrow: 'Account', title: 'My account' }),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-profile' },
        h('h2', { id: 'h-profile' }, 'Profile'),
        h('dl', { class: 'facts' },
          h('dt', null, 'Name'), h('dd', null, user.name),
          h('dt', null, 'Email'), h('dd', null, user.email),
          h('dt', null, 'Role'), h('dd', null, roleLabel(user.role)),
          h('dt', null, 'Organisation'), h('dd', null, h('a', { href: `#/orgs/${org.id}` }, org.name), kindLabel(org.kind) !== org.name ? [' ', h('span', { class: 'muted' }, kindLabel(org.kind))] : null),
          h('dt', null, 'You may'), h('dd', null, h('ul', { class: 'perm-list' }, state.me.permissions.map((p) => h('li', { dataset: { perm: p } }, permissionLabel(p))))))),
      h('section', { class: 'panel', 'aria-labelledby': 'h-password' },
        h('h2', { id: 'h-password' }, 'Change password'),
        passwordForm())),
    tokens.el);
  await tokens.load();
}
