// app.js - boot, session, layout and hash routing for the rabta web UI.
//
// Layout: a header (menu button at a phone's width, brand, who is signed in, sign out), the main
// navigation (a side column on a wide screen; at <= 820 px hidden behind the menu button, which
// opens it, Esc or a choice closes it), one banner slot, and the page. While any API request has
// been in flight for 150 ms the header shows "Loading…" (#busy). A page whose render() throws gets
// the error in plain words with a "Try again" button that renders it again.
//
// A page is a module with `render(section, ctx)`; ctx: {params, query, navigate(hash),
// hasRoute(hash), flash(), …}. Add a page: one ROUTES row (and a NAV row if it is a destination),
// the file in meson.build, and a line in tests/browser/phone_tests.mjs (PAGES), which checks that
// every route is opened at a phone's width.
import {
  h, replace, errorState, setBannerHost, bannerRouteChanged,
} from './dom.js';
import { api, get, del, setCsrf, onUnauthenticated, onBusy } from './api.js';
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
import * as incidents from './page-incidents.js';
import * as incidentNew from './page-incident-new.js';
import * as incident from './page-incident.js';
import * as inbox from './page-inbox.js';
import * as responsiveness from './page-responsiveness.js';
import * as reportingPolicy from './page-reporting-policy.js';
import * as trainings from './page-trainings.js';
import * as trainingNew from './page-training-new.js';
import * as training from './page-training.js';
import * as trainingsDashboard from './page-trainings-dashboard.js';
import * as trainingsGaps from './page-trainings-gaps.js';
import { canOrganise } from './trainings.js';
import * as advisories from './page-advisories.js';
import * as advisory from './page-advisory.js';
import * as advisoryNew from './page-advisory-new.js';
import * as advisoryImport from './page-advisory-import.js';
import * as advisoryStatus from './page-advisory-status.js';
import * as advisoryPolicy from './page-advisory-policy.js';
import * as inventory from './page-inventory.js';
import { writesAdvisories } from './advisories.js';
import * as risks from './page-risks.js';
import * as risk from './page-risk.js';
import { refreshInboxBadge } from './page-inbox.js';
import { seesResponsiveness } from './incidents.js';

// [pattern, page module, nav key, permission check]
const ROUTES = [
  [/^\/signin$/, signin, null, null],
  [/^\/home$/, home, 'home', null],
  [/^\/orgs$/, orgs, 'orgs', null],
  [/^\/orgs\/([0-9a-fA-F-]{1,64})$/, orgDetail, 'orgs', null],
  [/^\/orgs\/([0-9a-fA-F-]{1,64})\/inventory$/, inventory, 'orgs', null],
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
  [/^\/incidents$/, incidents, 'incidents', null],
  [/^\/incidents\/new$/, incidentNew, 'report', () => can('report')],
  [/^\/incidents\/([0-9a-fA-F-]{1,64})$/, incident, 'incidents', null],
  [/^\/inbox$/, inbox, 'inbox', null],
  [/^\/responsiveness$/, responsiveness, 'responsiveness', () => seesResponsiveness(state.me)],
  [/^\/reporting-policy$/, reportingPolicy, 'incidents', null],
  [/^\/trainings$/, trainings, 'trainings', null],
  [/^\/trainings\/new$/, trainingNew, 'trainings', canOrganise],
  [/^\/trainings\/dashboard$/, trainingsDashboard, 'trainings', () => isCert(state.me.org)],
  [/^\/trainings\/gaps$/, trainingsGaps, 'trainings', () => isCert(state.me.org)],
  [/^\/trainings\/([0-9a-fA-F-]{1,64})$/, training, 'trainings', null],
  [/^\/advisories$/, advisories, 'advisories', null],
  [/^\/advisories\/new$/, advisoryNew, 'advisories', () => writesAdvisories(state.me)],
  [/^\/advisories\/import$/, advisoryImport, 'advisories', () => writesAdvisories(state.me)],
  [/^\/advisories\/([0-9a-fA-F-]{1,64})$/, advisory, 'advisories', null],
  [/^\/advisories\/([0-9a-fA-F-]{1,64})\/revise$/, advisoryNew, 'advisories', () => writesAdvisories(state.me)],
  [/^\/advisories\/([0-9a-fA-F-]{1,64})\/status$/, advisoryStatus, 'advisories', () => isCert(state.me.org)],
  [/^\/advisory-policy$/, advisoryPolicy, 'advisories', null],
  [/^\/risks$/, risks, 'risks', null],
  [/^\/risks\/([0-9a-fA-F-]{1,64})$/, risk, 'risks', null],
];

const NAV = [
  { key: 'home', href: '#/home', label: 'Home', show: () => true },
  { key: 'inbox', href: '#/inbox', label: 'Inbox', show: () => true, badge: 'nav-inbox-count' },
  { key: 'incidents', href: '#/incidents', label: 'Incidents', show: () => true },
  { key: 'report', href: '#/incidents/new', label: 'Report an incident', show: () => can('report') && !isCert(state.me.org) },
  { key: 'advisories', href: '#/advisories', label: 'Advisories', show: () => true },
  { key: 'responsiveness', href: '#/responsiveness', label: 'Responsiveness', show: () => seesResponsiveness(state.me) },
  { key: 'orgs', href: '#/orgs', label: 'Org tree', show: () => true },
  { key: 'guidelines', href: '#/catalogs', label: 'Guidelines', show: () => true },
  { key: 'campaigns', href: '#/campaigns', label: 'Preparedness', show: () => isCert(state.me.org) },
  { key: 'assessments', href: '#/assessments', label: 'Assessments', show: () => true },
  { key: 'trainings', href: '#/trainings', label: 'Training', show: () => true },
  { key: 'risks', href: '#/risks', label: 'Risks', show: () => true },
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

// Is there a page at this hash ("#/profiles/ID")? Pages use it to link only where a page exists.
export function hasRoute(hash) {
  const p = String(hash || '').replace(/^#/, '').split('?')[0];
  return ROUTES.some((r) => r[0].test(p));
}
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

function setMenu(open, focusTarget) {
  if (!els.menuButton) return;
  els.menuButton.setAttribute('aria-expanded', open ? 'true' : 'false');
  els.nav.classList.toggle('is-open', open);
  document.body.classList.toggle('menu-open', open);
  if (open) {
    const first = els.nav.querySelector('.nav-link[aria-current="page"]') || els.nav.querySelector('.nav-link');
    if (first) first.focus();
  } else if (focusTarget) {
    focusTarget.focus();
  }
}

function menuOpen() {
  return !!els.menuButton && els.menuButton.getAttribute('aria-expanded') === 'true';
}

function renderHeader(navKey) {
  const signedIn = !!state.me;
  document.body.classList.toggle('signed-in', signedIn);
  els.header.hidden = !signedIn;
  els.nav.hidden = !signedIn;
  els.menuButton = null;
  document.body.classList.remove('menu-open');
  els.nav.classList.remove('is-open');
  if (!signedIn) {
    replace(els.header);
    replace(els.nav);
    return;
  }
  const { user, org } = state.me;
  const signout = h('button', { type: 'button', class: 'btn btn-quiet', id: 'signout' }, 'Sign out');
  signout.addEventListener('click', signOut);
  const menu = h('button', {
    type: 'button', class: 'menu-btn', id: 'menu-button', 'aria-controls': 'app-nav', 'aria-expanded': 'false',
  }, h('span', { class: 'menu-icon', 'aria-hidden': 'true' }), h('span', { class: 'menu-label' }, 'Menu'));
  menu.addEventListener('click', () => setMenu(!menuOpen()));
  els.menuButton = menu;
  replace(els.header,
    menu,
    h('div', { class: 'brand' },
      h('a', { href: '#/home', class: 'brand-link' },
        h('img', { src: '/ui/logo.svg', alt: '', class: 'brand-mark', width: 28, height: 28 }),
        h('span', { class: 'brand-name' }, 'rabta')),
      h('span', { class: 'brand-sub' }, 'CERT network')),
    els.busy,
    h('div', { class: 'whoami', 'aria-label': 'Signed in as' },
      h('div', { class: 'whoami-text' },
        h('span', { class: 'whoami-name', id: 'whoami-name' }, user.name),
        h('span', { class: 'whoami-org' },
          h('span', { id: 'whoami-org' }, org.name), ' · ',
          h('span', { class: 'role-badge', id: 'whoami-role', dataset: { role: user.role } }, roleLabel(user.role)))),
      signout));
  const signout2 = h('button', { type: 'button', class: 'btn btn-small nav-signout' }, 'Sign out');
  signout2.addEventListener('click', signOut);
  replace(els.nav,
    h('ul', { class: 'nav-list' },
      NAV.filter((n) => n.show()).map((n) => h('li', { class: n.badge ? 'has-badge' : null },
        h('a', {
          href: n.href, class: 'nav-link', dataset: { nav: n.key }, 'aria-current': n.key === navKey ? 'page' : null,
          'aria-describedby': n.badge || null,
        }, n.label),
        // beside the link, not in it: the link's name stays its label; the count is its description
        n.badge ? h('span', { class: 'nav-badge', id: n.badge, hidden: true }) : null))),
    h('div', { class: 'nav-account' },
      h('p', { class: 'nav-account-name' }, user.name),
      h('p', { class: 'nav-account-org' }, org.name, ' · ', roleLabel(user.role)),
      signout2));
  refreshInboxBadge();
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
  if (!path || path === '/') {
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
  bannerRouteChanged();

  // Each render gets a fresh section; a page still loading when the route changes
  // writes into a detached section, so late answers never land on the wrong page.
  const section = h('div', { class: 'page' });
  replace(els.main, els.bannerHost, section);
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
      hasRoute,
      afterSignin: () => { const t = afterSignin; afterSignin = '#/home'; return t; },
      signedIn: onSignedIn,
      flash: takeFlash,
    });
  } catch (err) {
    if (!section.isConnected) return;
    if (err && err.status === 401) return; // on its way to the sign-in page
    section.append(errorState(err, () => route(), 'This page'));
    if (!(err && err.name === 'ApiError')) console.warn('rabta: page failed', err); // eslint-disable-line no-console
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
  els.bannerHost = h('div', { class: 'banner-host', id: 'banner-host', hidden: true });
  setBannerHost(els.bannerHost);
  els.busy = h('div', { class: 'busy', id: 'busy', role: 'status', 'aria-live': 'polite' });
  let busyTimer = null;
  document.documentElement.dataset.requests = 'idle';
  onBusy((on) => {
    document.documentElement.dataset.requests = on ? 'busy' : 'idle'; // for tests: no request in flight
    clearTimeout(busyTimer);
    if (on) {
      busyTimer = setTimeout(() => {
        els.busy.classList.add('is-busy');
        els.busy.textContent = 'Loading…';
        els.main.setAttribute('aria-busy', 'true');
      }, 150);
    } else {
      els.busy.classList.remove('is-busy');
      els.busy.textContent = '';
      els.main.removeAttribute('aria-busy');
    }
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && menuOpen() && !document.querySelector('dialog[open]')) {
      ev.preventDefault();
      setMenu(false, els.menuButton);
    }
  });
  document.addEventListener('click', (ev) => {
    if (!menuOpen()) return;
    if (els.nav.contains(ev.target) && !ev.target.closest('a')) return;
    if (els.menuButton.contains(ev.target)) return;
    setMenu(false);
  });
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
