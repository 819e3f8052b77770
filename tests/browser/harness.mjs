// harness.mjs - a tiny sequential test harness around playwright-core pages.
// Each test gets a fresh browser context (own cookies) and fails on console errors, page errors,
// CSP violations, 5xx answers and failed UI asset loads, besides its own assertions.
// A test is {name, fn(t, page), viewport?: {width, height}} (default 1360×860; page is t.page, its
// playwright page); PHONE and DESKTOP are the two widths every page is looked at (390×844 and
// 1366×768).
import assert from 'node:assert/strict';
import path from 'node:path';

export const DEMO_PASSWORD = 'rabta-demo-2026';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 768 };

// A story written for one width (story(viewport, label) makes its test) as two tests, one at each
// width, `first` first; the labels its test names carry are 'phone' and 'wide'.
export function atBothWidths(story, first = PHONE) {
  const both = first === PHONE ? [PHONE, DESKTOP] : [DESKTOP, PHONE];
  return both.map((v) => story(v, v === PHONE ? 'phone' : 'wide'));
}

// Sign in and out through the API with a test's cookies (for setting things up without the form).
export async function apiSignIn(t, email, password = DEMO_PASSWORD) {
  const r = await t.api('POST', '/api/v1/session', { email, password });
  if (r.status !== 201) throw new Error(`API sign-in of ${email}: ${r.status}`);
}
export async function apiSignOut(t) { await t.api('DELETE', '/api/v1/session'); }

// One API call made as `email` (signed in and out again through the API), its status checked (the
// answer's body in the message): the answer's body.
export async function apiAs(t, email, method, p, body, status = 200) {
  await apiSignIn(t, email);
  const r = await t.api(method, p, body);
  assert.equal(r.status, status, `${method} ${p}: ${JSON.stringify(r.body)}`);
  await apiSignOut(t);
  return r.body;
}

// Sign in through the form as someone else: the page is left first, so nothing of the last
// person's session is still on it.
export async function signInAs(t, email) {
  await apiSignOut(t);
  await t.page.goto('about:blank');
  await t.signIn(email);
}

// Text with its white space folded and trimmed, as t.text reads an element (null reads as '').
export const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

// The id of the org named `name` (or short-named) among those the signed-in person may see.
export async function orgId(t, name) {
  const orgs = await t.apiAll('/api/v1/orgs');
  const o = orgs.find((x) => x.name === name || x.short_name === name);
  if (!o) throw new Error(`no org ${name} is visible`);
  return o.id;
}

// The id of the object page a test has landed on (#/<kind>/<uuid>, e.g. after saving a form),
// once the page has settled.
export async function landedOn(t, kind) {
  await t.settle();
  assert.match(t.hash(), new RegExp(`^#/${kind}/[0-9a-f-]{36}$`));
  return t.hash().split('/')[2];
}

// Fails when the page is wider than the window (it would scroll sideways).
export async function noSidewaysScroll(t, where) {
  const [sw, iw] = await t.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (sw > iw) throw new Error(`${where} scrolls sideways at ${iw} px (${sw} px wide)`);
}

// The link texts of the main navigation, in order.
export async function navTexts(page) {
  return (await page.locator('#app-nav .nav-link').allTextContents()).map((s) => s.trim());
}

const FAILED_LOAD = /^Failed to load resource: the server responded with a status of (\d{3})/;

function makeT(page, context, env, shared) {
  const problems = [];
  const allowed = new Set();
  const t = {
    page,
    context,
    base: env.base,
    shared,
    problems,
    // Expected API answers with these statuses (also 5xx ones a test mocks) are not problems.
    allowHttp(...codes) { for (const c of codes) allowed.add(c); },
    async setViewport(size) { await page.setViewportSize(size); },
    url(hashPath) { return `${env.base}/#${hashPath}`; },
    async goto(hashPath) {
      await page.goto(t.url(hashPath));
      await page.locator('body.ready').waitFor();
    },
    // Opens hashPath and waits until the page has settled (below).
    async visit(hashPath) {
      await t.goto(hashPath);
      await t.settle();
    },
    // Clicks `link` (a selector or a locator), waits for `shows` (a selector) on the page it leads
    // to and for that page to settle; the address is then `hash`.
    async follow(link, shows, hash) {
      await (typeof link === 'string' ? page.locator(link) : link).click();
      await page.locator(shows).waitFor();
      await t.settle();
      assert.equal(t.hash(), hash);
    },
    // Signs in through the form as `email`, then visits hashPath.
    async openAs(email, hashPath) {
      await t.signIn(email);
      await t.visit(hashPath);
    },
    // Opens hashPath and waits for the heading `name` (the page's title, or an error page's).
    async gotoHeading(hashPath, name) {
      await t.goto(hashPath);
      await page.getByRole('heading', { name }).waitFor();
    },
    hash() { return new URL(page.url()).hash; },
    async text(selector) {
      return norm(await page.locator(selector).first().textContent());
    },
    // Sign in through the form. keyboard: type and press Enter, as a keyboard-only user would.
    async signIn(email, password = DEMO_PASSWORD, { keyboard = false } = {}) {
      await t.goto('/signin');
      if (keyboard) {
        // the email field has focus on load
        await page.keyboard.type(email);
        await page.keyboard.press('Tab');
        await page.keyboard.type(password);
        await page.keyboard.press('Enter');
      } else {
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
      }
      // attached, not visible: at a phone's width the name is in the (closed) menu
      await page.locator('body.signed-in #whoami-name').waitFor({ state: 'attached' });
    },
    // API calls with the page's cookies (and CSRF token on writes).
    async api(method, p, body) {
      const headers = {};
      if (method !== 'GET') {
        const s = await page.request.get(`${env.base}/api/v1/session`);
        if (s.status() === 200) headers['X-CSRF-Token'] = (await s.json()).csrf_token;
      }
      const res = await page.request.fetch(`${env.base}${p}`, {
        method, headers, data: body === undefined ? undefined : body, failOnStatusCode: false,
      });
      const txt = await res.text();
      return { status: res.status(), body: txt ? JSON.parse(txt) : null };
    },
    async apiAll(p) {
      const items = [];
      let cursor = null;
      for (;;) {
        const sep = p.includes('?') ? '&' : '?';
        const r = await t.api('GET', `${p}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        if (r.status !== 200) throw new Error(`GET ${p} -> ${r.status}`);
        items.push(...r.body.items);
        if (!r.body.next_cursor) return items;
        cursor = r.body.next_cursor;
      }
    },
    // A request without the page's cookies (e.g. with a Bearer token).
    async fetchPlain(p, init = {}) {
      const res = await fetch(`${env.base}${p}`, init);
      const txt = await res.text();
      let body = null;
      try { body = txt ? JSON.parse(txt) : null; } catch (e) { body = txt; }
      return { status: res.status, body };
    },
    // A picture for people to look at, not a verdict: on a loaded machine a full-page capture can
    // outlast its time, and the test's assertions are what decide it.
    async screenshot(name) {
      if (!env.screenshots) return;
      try {
        await page.screenshot({ path: path.join(env.screenshots, `${name}.png`), fullPage: true, timeout: 30000 });
      } catch (err) {
        console.error(`# screenshot ${name} not taken: ${String(err.message || err).split('\n')[0]}`);
      }
    },
    // Wait until the page has finished loading: no API request in flight for 150 ms and no loading
    // state left on the page.
    async settle() {
      await page.locator('body.ready').waitFor({ state: 'attached' });
      await page.waitForFunction(() => new Promise((resolve) => {
        const idle = () => document.documentElement.dataset.requests === 'idle' && !document.querySelector('.state-loading');
        if (!idle()) { resolve(false); return; }
        setTimeout(() => resolve(idle()), 150);
      }), null, { polling: 50 });
      await page.evaluate(() => document.fonts && document.fonts.ready);
    },
    // Open the menu at a phone's width (no-op on a wide screen, where the navigation is always shown).
    async openMenu() {
      const btn = page.locator('#menu-button');
      if (!(await btn.isVisible())) return;
      if ((await btn.getAttribute('aria-expanded')) !== 'true') await btn.click();
      await page.locator('#app-nav.is-open').waitFor();
    },
    // Click a link of the main navigation, at either width.
    async nav(label) {
      await t.openMenu();
      await page.locator('#app-nav').getByRole('link', { name: label, exact: true }).click();
    },
    // Problems not explained by an expected HTTP status.
    unexpected() {
      return problems.filter((p) => {
        if (p.kind === 'http' && p.url.includes('/api/')) {
          const code = Number(p.text.split(' ')[0]);
          return !allowed.has(code);
        }
        if (p.kind !== 'console') return true;
        const m = FAILED_LOAD.exec(p.text);
        if (!m || !p.url.includes('/api/')) return true;
        const code = Number(m[1]);
        if (allowed.has(code)) return false;
        // before sign-in the app asks who the visitor is: a 401 there is the normal answer
        if (code === 401 && /\/api\/v1\/(me|session)$/.test(p.url)) return false;
        return true;
      });
    },
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error' || (msg.type() === 'warning' && msg.text().startsWith('rabta:'))) {
      problems.push({ kind: 'console', text: msg.text(), url: msg.location().url || '' });
    }
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: String(err && err.stack || err), url: '' }));
  page.on('response', (res) => {
    const u = res.url();
    if (res.status() >= 500) problems.push({ kind: 'http', text: `${res.status()} ${u}`, url: u });
    else if (res.status() >= 400 && !u.includes('/api/')) problems.push({ kind: 'http', text: `${res.status()} ${u}`, url: u });
  });
  page.on('requestfailed', (req) => {
    const f = req.failure();
    // A request the page cancels itself (it moved on to another page) is not a failure.
    if (f && /ERR_ABORTED/.test(f.errorText)) return;
    problems.push({ kind: 'requestfailed', text: `${req.url()}: ${f && f.errorText}`, url: req.url() });
  });
  return t;
}

export async function runTests(tests, env) {
  let passed = 0;
  let failed = 0;
  const shared = {};
  let n = 0;
  for (const test of tests) {
    n += 1;
    const context = await env.browser.newContext({ viewport: test.viewport || { width: 1360, height: 860 }, locale: 'en-GB' });
    // Surface CSP violations even where Chromium would not log them.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber || ''})`);
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    const t = makeT(page, context, env, shared);
    let error = null;
    try {
      await test.fn(t, page);
      // let late console messages arrive
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      const bad = t.unexpected();
      if (bad.length) {
        error = new Error(`console errors, page errors or CSP violations:\n${bad.map((p) => `    [${p.kind}] ${p.text}${p.url ? ` (${p.url})` : ''}`).join('\n')}`);
      }
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
      const bad = t.unexpected();
      if (bad.length) error.also = `also seen:\n${bad.map((p) => `  [${p.kind}] ${p.text}${p.url ? ` (${p.url})` : ''}`).join('\n')}`;
      if (env.screenshots) await t.screenshot(`failed-${n}`).catch(() => {});
    }
    await context.close().catch(() => {});
    if (error) {
      failed += 1;
      console.log(`not ok ${n} - ${test.name}`);
      const text = [error.message, (error.stack || '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 4).join('\n'), error.also || '']
        .filter(Boolean).join('\n');
      // eslint-disable-next-line no-control-regex
      console.log(text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => `  ${l}`).join('\n'));
    } else {
      passed += 1;
      console.log(`ok ${n} - ${test.name}`);
    }
  }
  return { passed, failed, skipped: 0 };
}
