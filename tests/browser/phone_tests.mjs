// phone_tests.mjs - every page of the UI, as each role, at a phone's width (390×844): no sideways
// scroll, a header that fits with the menu button, chart text of at least 11 px, card rows whose
// main action is on screen, and text contrast of at least 4.5:1 (3:1 for large text). Each page is
// also photographed at 390 and 1366 px (run.mjs puts the pictures in build/screenshots/).
//
// The pages are split by who looks after them (the shell's, the guideline, incident and advisory
// pages; the org inventory walks with the advisory pages, whose matching it feeds), so a failure
// names its owner. Every route of ui/app.js must be in PAGES: a guard test
// reads the route table and fails on a route no entry opens (add one when you add a page).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHONE, DESKTOP } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const ROLES = [
  { key: 'national-admin', email: 'admin@ncert.rabta.test', who: 'the National CERT admin (GRC director)' },
  { key: 'punjab-analyst', email: 'analyst@punjab-cert.rabta.test', who: 'the Punjab CERT analyst' },
  { key: 'focal-person', email: 'reporter@pb-health.rabta.test', who: 'the Punjab Health focal person' },
  { key: 'auditor', email: 'auditor@ncert.rabta.test', who: 'the National CERT auditor' },
];

// Each page: a name, its owner, the hash to open (from ids found through the API; null: skip), and
// optionally what to do on it before measuring (prepare(page), e.g. open everything that folds).
export const PAGES = [
  { name: 'home', owner: 'shell', hash: () => '/home' },
  { name: 'org tree', owner: 'shell', hash: () => '/orgs', prepare: (page) => page.getByRole('button', { name: 'Expand all' }).click() },
  { name: 'own org', owner: 'shell', hash: (x) => `/orgs/${x.ownOrg}` },
  { name: 'an institution below', owner: 'shell', hash: (x) => (x.institution ? `/orgs/${x.institution}` : null) },
  { name: 'users', owner: 'shell', hash: () => '/users' },
  { name: 'my account', owner: 'shell', hash: () => '/account' },
  { name: 'audit trail', owner: 'shell', hash: () => '/audit' },
  { name: 'page not found', owner: 'shell', hash: () => '/no-such-page' },
  { name: 'catalogs', owner: 'guidelines', hash: () => '/catalogs' },
  { name: 'catalog', owner: 'guidelines', hash: (x) => (x.catalog ? `/catalogs/${x.catalog}` : null) },
  { name: 'control', owner: 'guidelines', hash: (x) => (x.catalog && x.control ? `/catalogs/${x.catalog}/controls/${x.control}` : null) },
  { name: 'profile', owner: 'guidelines', hash: (x) => (x.profile ? `/profiles/${x.profile}` : null) },
  { name: 'campaigns', owner: 'guidelines', hash: () => '/campaigns' },
  { name: 'new campaign', owner: 'guidelines', hash: () => '/campaigns/new' },
  { name: 'campaign', owner: 'guidelines', hash: (x) => (x.campaign ? `/campaigns/${x.campaign}` : null) },
  { name: 'assessments', owner: 'guidelines', hash: () => '/assessments' },
  { name: 'assessment', owner: 'guidelines', hash: (x) => (x.assessment ? `/assessments/${x.assessment}` : null) },
  { name: 'review', owner: 'guidelines', hash: (x) => (x.review ? `/assessments/${x.review}/review` : null) },
  { name: 'incidents', owner: 'incidents', hash: () => '/incidents', prepare: (page) => page.locator('#incident-filters').evaluate((d) => { d.open = true; }) },
  { name: 'report an incident', owner: 'incidents', hash: () => '/incidents/new' },
  { name: 'incident', owner: 'incidents', hash: (x) => (x.incident ? `/incidents/${x.incident}` : null) },
  { name: 'inbox', owner: 'incidents', hash: () => '/inbox' },
  { name: 'responsiveness', owner: 'incidents', hash: () => '/responsiveness' },
  { name: 'reporting policy', owner: 'incidents', hash: () => '/reporting-policy' },
  { name: 'training calendar', owner: 'trainings', hash: () => '/trainings' },
  { name: 'training list', owner: 'trainings', hash: () => '/trainings', prepare: (page) => page.locator('#view-list').click() },
  { name: 'organise a session', owner: 'trainings', hash: () => '/trainings/new' },
  { name: 'training session', owner: 'trainings', hash: (x) => (x.training ? `/trainings/${x.training}` : null) },
  { name: 'capacity dashboard', owner: 'trainings', hash: () => '/trainings/dashboard' },
  { name: 'training meets the gaps', owner: 'trainings', hash: () => '/trainings/gaps' },
  { name: 'advisories', owner: 'advisories', hash: () => '/advisories', prepare: (page) => page.locator('#advisory-filters').evaluate((d) => { d.open = true; }) },
  { name: 'write an advisory', owner: 'advisories', hash: () => '/advisories/new' },
  { name: 'import a CSAF advisory', owner: 'advisories', hash: () => '/advisories/import' },
  { name: 'advisory', owner: 'advisories', hash: (x) => (x.advisory ? `/advisories/${x.advisory}` : null) },
  { name: 'revise an advisory', owner: 'advisories', hash: (x) => (x.advisory ? `/advisories/${x.advisory}/revise` : null) },
  { name: 'advisory status', owner: 'advisories', hash: (x) => (x.advisory ? `/advisories/${x.advisory}/status` : null) },
  { name: 'advisory deadlines', owner: 'advisories', hash: () => '/advisory-policy' },
  { name: 'own inventory', owner: 'advisories', hash: (x) => `/orgs/${x.ownOrg}/inventory` },
  { name: 'an institution’s inventory', owner: 'advisories', hash: (x) => (x.institution ? `/orgs/${x.institution}/inventory` : null) },
  { name: 'risks', owner: 'risks', hash: () => '/risks', prepare: (page) => page.locator('#risk-filters').evaluate((d) => { d.open = true; }) },
  { name: 'risk matrix', owner: 'risks', hash: () => '/risks?matrix=1' },
  { name: 'risk', owner: 'risks', hash: (x) => (x.risk ? `/risks/${x.risk}` : null) },
];

// The route patterns of ui/app.js, as RegExps.
function appRoutes() {
  const src = fs.readFileSync(path.join(here, '..', '..', 'ui', 'app.js'), 'utf8');
  const out = [];
  for (const m of src.matchAll(/^\s*\[\/(\^.*?\$)\/,\s*\w+/gm)) out.push(new RegExp(m[1].replace(/\\\//g, '/')));
  return out;
}

// Ids of objects this role can see, for the pages that need one.
async function sampleIds(t) {
  const me = (await t.api('GET', '/api/v1/me')).body;
  const x = { ownOrg: me.org.id };
  const orgs = await t.apiAll('/api/v1/orgs');
  const inst = orgs.find((o) => o.kind === 'institution' && o.id !== me.org.id && o.parent_id === me.org.id)
    || orgs.find((o) => o.kind === 'institution' && o.id !== me.org.id && o.depth > me.org.depth);
  x.institution = inst ? inst.id : null;
  const cats = (await t.api('GET', '/api/v1/catalogs')).body.items;
  x.catalog = cats.length ? cats[0].id : null;
  if (x.catalog) {
    const ctl = (await t.api('GET', `/api/v1/catalogs/${x.catalog}/controls?limit=1`)).body.items;
    x.control = ctl.length ? ctl[0].id : null;
  }
  const profiles = (await t.api('GET', '/api/v1/profiles')).body.items;
  x.profile = profiles.length ? profiles[0].id : null;
  const camps = (await t.api('GET', '/api/v1/campaigns')).body.items;
  x.campaign = (camps.find((c) => c.status === 'open') || camps[0] || {}).id || null;
  const mine = (await t.api('GET', '/api/v1/assessments?mine=1')).body.items;
  const any = (await t.api('GET', '/api/v1/assessments?limit=5')).body.items;
  x.assessment = (mine[0] || any[0] || {}).id || null;
  const review = (await t.api('GET', '/api/v1/assessments?review=1&status=submitted')).body.items;
  const reviewable = review.length ? review : (await t.api('GET', '/api/v1/assessments?review=1')).body.items;
  x.review = (reviewable[0] || {}).id || null;
  const incs = (await t.api('GET', '/api/v1/incidents?limit=20')).body.items;
  // one with tasks, files or links if there is one (they make the page longer), else the newest
  x.incident = (incs.find((i) => i.status !== 'merged') || incs[0] || {}).id || null;
  // the session with the most people (its tables are the longest), else the newest
  const sessions = (await t.api('GET', '/api/v1/trainings?limit=100&order=newest')).body.items;
  x.training = (sessions.slice().sort((a, b) => b.registered - a.registered)[0] || {}).id || null;
  const advs = (await t.api('GET', '/api/v1/advisories?status=published&limit=20')).body.items;
  // one written at the National CERT if there is one (its page has the most: owner's actions, counts)
  x.advisory = (advs.find((a) => a.owner && a.source === 'authored') || advs[0] || {}).id || null;
  const risks = (await t.api('GET', '/api/v1/risks?limit=5')).body.items;
  x.risk = (risks.find((r) => r.controls_count > 0) || risks[0] || {}).id || null;
  return x;
}

// Everything measured on one page, in the page.
function measure() {
  const iw = window.innerWidth;
  const slack = 0.5;
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    const cls = typeof el.className === 'string' ? el.className.trim() : (el.getAttribute('class') || '');
    if (cls) d += `.${cls.split(/\s+/).slice(0, 3).join('.')}`;
    const txt = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return txt ? `${d} “${txt}”` : d;
  };
  const hiddenAway = (el) => !!el.closest('.sr-only, [hidden], dialog:not([open]), .table-cards thead, .table-cards caption');
  const shown = (el) => {
    if (hiddenAway(el)) return false;
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  // 1. sideways scroll of the page, with the outermost elements that stick out
  const sw = document.documentElement.scrollWidth;
  const overflow = [];
  if (sw > iw) {
    for (const el of document.body.querySelectorAll('*')) {
      // visually hidden text (.sr-only) counts: absolutely placed, it can stretch the page too
      if (el.closest('[hidden], dialog:not([open])')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right <= iw + slack && r.left >= -slack) continue;
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') {
          const pr = p.getBoundingClientRect();
          if (pr.right <= iw + slack && pr.left >= -slack) { clipped = true; break; }
        }
      }
      if (clipped) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body) {
        const pr = parent.getBoundingClientRect();
        if (pr.right > iw + slack || pr.left < -slack) continue; // the parent sticks out too: it is reported
      }
      overflow.push(`${describe(el)} (right edge at ${Math.round(r.right)} px)`);
    }
  }

  // 2. boxes that scroll sideways inside the page (a wide table in an overflow-x: auto wrapper)
  const innerScroll = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['INPUT', 'TEXTAREA', 'SELECT', 'OPTION'].includes(el.tagName)) continue;
    const ox = getComputedStyle(el).overflowX;
    if (ox !== 'auto' && ox !== 'scroll') continue;
    if (!shown(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1) innerScroll.push(`${describe(el)} (${el.scrollWidth} px of content in ${el.clientWidth} px)`);
  }

  // 3. the header: fits, shows the menu button, hides the navigation until the menu is opened
  const header = document.getElementById('app-header');
  const headerProblems = [];
  if (header && !header.hidden) {
    const hr = header.getBoundingClientRect();
    if (header.scrollWidth > header.clientWidth + 1) headerProblems.push('the header is wider than the screen');
    if (hr.height > 72) headerProblems.push(`the header is ${Math.round(hr.height)} px high`);
    const menu = document.getElementById('menu-button');
    if (!menu || !shown(menu)) headerProblems.push('no menu button');
    const nav = document.getElementById('app-nav');
    if (nav && shown(nav) && !nav.classList.contains('is-open')) headerProblems.push('the navigation is shown with the menu closed');
  }

  // 4. chart text of at least 11 px as drawn (SVG text scaled by its viewBox, and HTML text in charts)
  const smallText = [];
  for (const tx of document.querySelectorAll('svg text')) {
    if (!shown(tx)) continue;
    const ctm = tx.getScreenCTM();
    const px = parseFloat(getComputedStyle(tx).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
    if (px < 11 - 0.05) smallText.push(`${describe(tx)} drawn at ${px.toFixed(1)} px`);
  }
  for (const el of document.querySelectorAll('.chart *, figure *, [data-chart] *')) {
    if (el.closest('svg')) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    if (!shown(el)) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 11 - 0.05) smallText.push(`${describe(el)} at ${px.toFixed(1)} px`);
  }

  // 5. card rows keep their main action on screen (dom.js cardTable: .table-cards; guidelines.js
  // cardTable: .rtable, whose action cell is td.rt-action.actions)
  const hiddenActions = [];
  for (const tr of document.querySelectorAll('table.table-cards tbody tr, table.rtable tbody tr')) {
    if (!shown(tr)) continue;
    for (const a of tr.querySelectorAll('td.actions a, td.actions button')) {
      const r = a.getBoundingClientRect();
      if (!shown(a) || r.left < -slack || r.right > iw + slack) hiddenActions.push(`${describe(a)} in ${describe(tr)}`);
    }
  }
  return { sw, iw, overflow: overflow.slice(0, 15), innerScroll: innerScroll.slice(0, 10), headerProblems, smallText: smallText.slice(0, 10), hiddenActions: hiddenActions.slice(0, 10) };
}

// Text contrast, in the page: every visible text node against the background it is drawn on.
function contrast() {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const lum = (c) => {
    const f = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const x = lum(a); const y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage && cs.backgroundImage !== 'none') return null; // a gradient or image: not judged here
      const c = parse(cs.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
      if (e.tagName === 'DIALOG' && e.open) break;
    }
    let out = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) out = over(layers[i], out);
    return out;
  };
  const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const bad = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || seen.has(el)) continue;
    seen.add(el);
    if (el.closest('.sr-only, [hidden], option, title, desc, noscript, script, style, .skip-link, :disabled, [aria-disabled="true"]')) continue;
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const cs = getComputedStyle(el);
    const inSvg = !!el.closest('svg');
    let fg = parse(inSvg ? cs.fill : cs.color);
    if (!fg) continue;
    const bgEl = inSvg ? el.closest('svg').parentElement : el;
    const bg = background(bgEl);
    if (!bg) continue;
    fg = [fg[0], fg[1], fg[2], fg[3] * opacity(el)];
    const c = ratio(over(fg, bg), bg);
    const size = parseFloat(cs.fontSize);
    const bold = Number(cs.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (c < need - 0.01) {
      const txt = n.textContent.replace(/\s+/g, ' ').trim().slice(0, 40);
      bad.push(`“${txt}” (${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}) ${c.toFixed(2)}:1, needs ${need}:1`);
    }
  }
  return bad.slice(0, 15);
}

async function walk(t, role, owner) {
  const { page } = t;
  await t.signIn(role.email);
  const ids = await sampleIds(t);
  const routes = appRoutes();
  const problems = [];
  let opened = 0;
  for (const p of PAGES.filter((x) => x.owner === owner)) {
    const hash = p.hash(ids);
    if (!hash) continue;
    if (!routes.some((re) => re.test(hash)) && p.name !== 'page not found') continue; // a page not made yet
    t.allowHttp(403, 404); // e.g. a page refused to this role, or an object outside its view
    await t.setViewport(PHONE);
    await t.visit(hash);
    if (p.prepare) { await p.prepare(page); await t.settle(); }
    opened += 1;
    const m = await page.evaluate(measure);
    const where = `${p.name} (#${hash})`;
    if (m.sw > m.iw) problems.push(`${where}: scrolls sideways at ${m.iw} px (${m.sw} px wide); sticking out:\n      ${m.overflow.join('\n      ') || '(nothing found)'}`);
    if (m.innerScroll.length) problems.push(`${where}: a box scrolls sideways inside the page:\n      ${m.innerScroll.join('\n      ')}`);
    if (m.headerProblems.length) problems.push(`${where}: header: ${m.headerProblems.join('; ')}`);
    if (m.smallText.length) problems.push(`${where}: chart text under 11 px:\n      ${m.smallText.join('\n      ')}`);
    if (m.hiddenActions.length) problems.push(`${where}: a card's main action is off screen:\n      ${m.hiddenActions.join('\n      ')}`);
    const lowPhone = await page.evaluate(contrast);
    const file = `${role.key}-${p.name.replace(/[^a-z0-9]+/gi, '-')}`;
    await t.screenshot(`phone-${file}`);
    await t.setViewport(DESKTOP);
    await t.settle();
    const lowWide = await page.evaluate(contrast);
    const low = [...new Set([...lowPhone, ...lowWide])];
    if (low.length) problems.push(`${where}: text contrast below the minimum:\n      ${low.join('\n      ')}`);
    await t.screenshot(`wide-${file}`);
  }
  assert.ok(opened > 0, 'no page was opened');
  if (problems.length) throw new Error(`${problems.length} problem(s) for ${role.who}:\n  ${problems.join('\n  ')}`);
}

export const tests = [
  {
    name: 'phone: every route of ui/app.js is opened by the phone tests (PAGES)',
    async fn() {
      const samples = {
        ownOrg: '00000000-0000-4000-8000-000000000001', institution: '00000000-0000-4000-8000-000000000002',
        catalog: '00000000-0000-4000-8000-000000000003', control: 'gv-1', profile: '00000000-0000-4000-8000-000000000004',
        campaign: '00000000-0000-4000-8000-000000000005', assessment: '00000000-0000-4000-8000-000000000006',
        review: '00000000-0000-4000-8000-000000000007', incident: '00000000-0000-4000-8000-000000000008',
        training: '00000000-0000-4000-8000-000000000009',
        advisory: '00000000-0000-4000-8000-000000000009',
        risk: '00000000-0000-4000-8000-000000000009',
      };
      const hashes = PAGES.map((p) => p.hash(samples)).filter(Boolean);
      const routes = appRoutes();
      assert.ok(routes.length >= 10, `found ${routes.length} routes in ui/app.js`);
      const missing = routes.filter((re) => re.source !== '^\\/signin$' && !hashes.some((x) => re.test(x)));
      assert.deepEqual(missing.map((re) => re.source), [], 'routes that no PAGES entry opens');
    },
  },
  {
    name: 'phone: the sign-in page fits 390 px and reads well (signed out)',
    viewport: PHONE,
    async fn(t, page) {
      await t.visit('/signin');
      const m = await page.evaluate(measure);
      assert.ok(m.sw <= m.iw, `the sign-in page scrolls sideways: ${m.overflow.join('; ')}`);
      assert.deepEqual(await page.evaluate(contrast), []);
      await t.screenshot('phone-signed-out-signin');
      await t.setViewport(DESKTOP);
      await t.screenshot('wide-signed-out-signin');
    },
  },
  ...ROLES.flatMap((role) => [
    {
      name: `phone: the shell's pages fit 390 px as ${role.who} (home, org tree, orgs, users, account, audit)`,
      viewport: PHONE,
      fn: (t) => walk(t, role, 'shell'),
    },
    {
      name: `phone: the guideline pages fit 390 px as ${role.who} (catalogs, profile, campaigns, assessments, review)`,
      viewport: PHONE,
      fn: (t) => walk(t, role, 'guidelines'),
    },
    {
      name: `phone: the incident pages fit 390 px as ${role.who} (list, report form, incident, inbox, responsiveness, reporting policy)`,
      viewport: PHONE,
      fn: (t) => walk(t, role, 'incidents'),
    },
    {
      name: `phone: the training pages fit 390 px as ${role.who} (calendar, list, organise, session, capacity dashboard, gaps)`,
      viewport: PHONE,
      fn: (t) => walk(t, role, 'trainings'),
      name: `phone: the advisory pages fit 390 px as ${role.who} (list, form, import, advisory, revise, status, deadlines, inventory)`,
      viewport: PHONE,
      fn: (t) => walk(t, role, 'advisories'),
    },
    {
      name: `phone: the risk pages fit 390 px as ${role.who} (register with its heat map, the matrix, a risk)`,
      viewport: PHONE,
      fn: (t) => walk(t, role, 'risks'),
    },
  ]),
];
