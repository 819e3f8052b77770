// Sign-in page: email + password; shows the server's message in role="alert".
import { h } from './dom.js';
import { post } from './api.js';
import { field, form } from './forms.js';

export async function render(section, ctx) {
  document.title = 'Sign in · rabta';
  const flash = ctx.flash();
  const email = field({ name: 'email', label: 'Email', type: 'email', autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true });

  const f = form({
    class: 'signin-form',
    ariaLabel: 'Sign in',
    submitLabel: 'Sign in',
    onSubmit: async (v, el) => {
      if (!v.email.trim() || !v.password) {
        const e = new Error('Enter your email and password.');
        throw e;
      }
      try {
        const session = await post('/api/v1/session', { email: v.email.trim(), password: v.password }, { auth: false });
        ctx.signedIn(session);
        ctx.navigate(ctx.afterSignin());
      } catch (err) {
        el.elements.password.value = '';
        if (err.status === 429) {
          const mins = err.retryAfter ? Math.ceil(Number(err.retryAfter) / 60) : null;
          const e = new Error(mins
            ? `${err.message} (about ${mins} minute${mins === 1 ? '' : 's'}).`
            : err.message);
          throw e;
        }
        // Field-less error: goes to the form alert (role="alert"), e.g. "wrong email or password".
        throw Object.assign(new Error(err.message), { field: null });
      }
    },
  }, email, password);

  section.classList.add('signin-page');
  section.append(
    h('div', { class: 'signin-card' },
      h('div', { class: 'signin-brand' },
        h('img', { src: '/ui/logo.svg', alt: '', width: 40, height: 40 }),
        h('div', null,
          h('p', { class: 'signin-name' }, 'rabta'),
          h('p', { class: 'signin-tag' }, 'The national CERT network'))),
      h('h1', { tabindex: '-1' }, 'Sign in'),
      flash ? h('p', { class: 'notice', role: 'status' }, flash) : null,
      f,
      h('p', { class: 'signin-foot' }, 'Accounts are created by your organisation’s administrator.')));
  email.control.focus();
}
