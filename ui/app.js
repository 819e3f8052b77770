// app.js - boot, session, layout and hash routing for the rabta web UI.
import { h, replace } from './dom.js';
import { api, get, del, setCsrf, onUnauthenticated } from './api.js';
import { state, resetSession, can, roleLabel, loadMeta, isCert } from './state.js';
import { canLaunch } from './guidelines.js';
import * as signin from './page-signin.js';
import * as home from './page-home.js';
import * as orgs from './page-orgs.js';
import * as orgDetail from './page-org.js';
import * as users from './page-users.js';
import * as account from './page-account.js';
import * as audit from './page-audit.js';
import * as catalogs from './page-catalogs.js';
import * as catalog from './page-catalog.js';
import * as control from './page-control.js';
import * as campaigns from './page-campaigns.js';
import * as campaignNew from './page-campaign-new.js';
import * as campaign from './page-campaign.js';
import * as assessments from './page-assessments.js';
import * as assessment from './page-assessment.js';
import * as review from './page-review.js';
import * as profile from './page-profile.js';

// [pattern, page module, nav key, permission check]
const ROUTES = [
  [/^\/signin$/, signin, null, null],
  [/^\/home$/, home, 'home', null],
  [/^\/orgs$/, orgs, 'orgs', null],
  [/^\/orgs\/([0-9a-fA-F-]{1,64})$/, orgDetail, 'orgs', null],
  [/^\/users$/, users, 'users', () => can('user_read') || can('user_manage')],
  [/^\/account$/, account, 'account', null],
  [/^\/audit$/, audit, 'audit', () => can('audit_read')],
  [/^\/catalogs$/, catalogs, 'guidelines', null],
  [/^\/catalogs\/([0-9a-fA-F-]{1,64})$/, catalog, 'guidelines', null],
  [/^\/profiles\/([0-9a-fA-F-]{1,64})$/, profile, 'guidelines', null],
  [/^\/catalogs\/([0-9a-fA-F-]{1,64})\/controls\/([A-Za-z0-9._-]{1,64})$/, control, 'guidelines', null],
  [/^\/campaigns$/, campaigns, 'campaigns', () => isCert(state.me.org)],
  [/^\/campaigns\/new$/, campaignNew, 'campaigns', canLaunch],
  [/^\/campaigns\/([0-9a-fA-F-]{1,64})$/, campaign, 'campaigns', () => isCert(state.me.org)],
  [/^\/assessments$/, assessments, 'assessments', null],
  [/^\/assessments\/([0-9a-fA-F-]{1,64})$/, assessment, 'assessments', null],
  [/^\/assessments\/([0-9a-fA-F-]{1,64})\/review$/, review, 'assessments', () => isCert(state.me.org) && can('triage')],
];

const NAV = [
  { key: 'home', href: '#/home', label: 'Home', show: () => true },
  { key: 'orgs', href: '#/orgs', label: 'Org tree', show: () => true },
  { key: 'guidelines', href: '#/catalogs', label: 'Guidelines', show: () => true },
  { key: 'campaigns', href: '#/campaigns', label: 'Preparedness', show: () => isCert(state.me.org) },
  { key: 'assessments', href: '#/assessments', label: 'Assessments', show: () => true },
  { key: 'users', href: '#/users', label: 'Users', show: () => can('user_read') || can('user_manage') },
  { key: 'audit', href: '#/audit', label: 'Audit trail', show: () => can('audit_read') },
  { key: 'account', href: '#/account', label: 'My account', show: () => true },
];

const els = {};
let afterSignin = '#/home';
let firstRender = true;
let flash = null; // a one-shot message for the next page (e.g. "your session ended")

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

export function setFlash(message) { flash = message; }
export function takeFlash() { const f = flash; flash = null; return f; }

// "#/catalogs/ID?q=backup" -> {path: "/catalogs/ID", query: URLSearchParams("q=backup")}
function currentRoute() {
  const hsh = location.hash || '';
  if (!hsh.startsWith('#/')) return { path: '', query: new URLSearchParams() };
  const full = hsh.slice(1);
  const i = full.indexOf('?');
  return i < 0
    ? { path: full, query: new URLSearchParams() }
    : { path: full.slice(0, i), query: new URLSearchParams(full.slice(i + 1)) };
}

function renderHeader(navKey) {
  const signedIn = !!state.me;
  document.body.classList.toggle('signed-in', signedIn);
  els.header.hidden = !signedIn;
  els.nav.hidden = !signedIn;
  if (!signedIn) {
    replace(els.header);
    replace(els.nav);
    return;
  }
  const { user, org } = state.me;
  const signout = h('button', { type: 'button', class: 'btn btn-quiet', id: 'signout' }, 'Sign out');
  signout.addEventListener('click', signOut);
  replace(els.header,
    h('div', { class: 'brand' },
      h('a', { href: '#/home', class: 'brand-link' },
        h('img', { src: '/ui/logo.svg', alt: '', class: 'brand-mark', width: 28, height: 28 }),
        h('span', { class: 'brand-name' }, 'rabta')),
      h('span', { class: 'brand-sub' }, 'CERT network')),
    h('div', { class: 'whoami', 'aria-label': 'Signed in as' },
      h('div', { class: 'whoami-text' },
        h('span', { class: 'whoami-name', id: 'whoami-name' }, user.name),
        h('span', { class: 'whoami-org' },
          h('span', { id: 'whoami-org' }, org.name), ' · ',
          h('span', { class: 'role-badge', id: 'whoami-role', dataset: { role: user.role } }, roleLabel(user.role)))),
      signout));
  replace(els.nav,
    h('ul', { class: 'nav-list' },
      NAV.filter((n) => n.show()).map((n) => h('li', null,
        h('a', { href: n.href, class: 'nav-link', dataset: { nav: n.key }, 'aria-current': n.key === navKey ? 'page' : null }, n.label)))));
}

async function signOut() {
  try {
    await del('/api/v1/session', { auth: false });
  } catch (e) {
    // already signed out on the server: fine
  }
  setCsrf(null);
  resetSession();
  setFlash('You have signed out.');
  navigate('#/signin');
}

function notFound(section) {
  document.title = 'Not found · rabta';
  section.append(
    h('h1', { tabindex: '-1' }, 'Page not found'),
    h('p', null, 'There is no page at this address. ', h('a', { href: '#/home' }, 'Go to the home page'), '.'));
}

function forbidden(section) {
  document.title = 'Not permitted · rabta';
  section.append(
    h('h1', { tabindex: '-1' }, 'Not permitted'),
    h('p', { class: 'notice' }, 'Your role does not give access to this page. Ask an administrator of your organisation if you need it.'));
}

async function route() {
  const { path, query } = currentRoute();
  if (!path) {
    location.replace(state.me ? '#/home' : '#/signin');
    return;
  }
  if (!state.me && path !== '/signin') {
    afterSignin = location.hash;
    location.replace('#/signin');
    return;
  }
  if (state.me && path === '/signin') {
    location.replace('#/home');
    return;
  }

  let match = null;
  let params = [];
  for (const r of ROUTES) {
    const m = r[0].exec(path);
    if (m) { match = r; params = m.slice(1); break; }
  }
  renderHeader(match ? match[2] : null);

  // Each render gets a fresh section; a page still loading when the route changes
  // writes into a detached section, so late answers never land on the wrong page.
  const section = h('div', { class: 'page' });
  replace(els.main, section);
  document.body.dataset.page = match ? (match[2] || 'signin') : 'notfound';

  if (!firstRender) els.main.focus({ preventScroll: false });
  firstRender = false;

  if (!match) { notFound(section); return; }
  if (match[3] && !match[3]()) { forbidden(section); return; }
  try {
    await match[1].render(section, {
      params,
      query,
      navigate,
      afterSignin: () => { const t = afterSignin; afterSignin = '#/home'; return t; },
      signedIn: onSignedIn,
      flash: takeFlash,
    });
  } catch (err) {
    if (!section.isConnected) return;
    section.append(h('div', { class: 'notice notice-error', role: 'alert' },
      (err && err.message) || 'This page could not be loaded.'));
    console.warn('rabta: page failed', err); // eslint-disable-line no-console
  }
}

// Called by the sign-in page with the POST /api/v1/session answer.
function onSignedIn(session) {
  setCsrf(session.csrf_token);
  state.me = { user: session.user, org: session.org, permissions: session.permissions };
  state.orgs = null;
}

async function boot() {
  els.header = document.getElementById('app-header');
  els.nav = document.getElementById('app-nav');
  els.main = document.getElementById('main');
  const skip = document.getElementById('skip-link');
  skip.addEventListener('click', (ev) => { ev.preventDefault(); els.main.focus(); });

  onUnauthenticated(() => {
    if (!state.me) return;
    setCsrf(null);
    resetSession();
    setFlash('Your session has ended. Please sign in again.');
    afterSignin = location.hash && location.hash !== '#/signin' ? location.hash : '#/home';
    location.replace('#/signin');
  });

  await loadMeta().catch(() => null);
  try {
    const me = await api('GET', '/api/v1/me', undefined, { auth: false });
    const sess = await get('/api/v1/session', null, { auth: false });
    state.me = me;
    setCsrf(sess.csrf_token);
  } catch (e) {
    state.me = null; // not signed in (401), or a Bearer-less visit
  }
  window.addEventListener('hashchange', route);
  await route();
  document.body.classList.add('ready');
}

boot();
