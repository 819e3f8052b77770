// ui_tests.mjs - what the rabta web UI must do, checked in a real browser against a demo DB.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, navTexts, apiAs } from './harness.mjs';
import { NATIONAL_ADMIN } from './demo.mjs';


export const tests = [
  {
    name: 'sign-in: a wrong password is refused with the server message and no navigation',
    async fn(t, page) {
      t.allowHttp(401);
      await t.goto('/signin');
      await page.getByLabel('Email').fill('analyst@sindh-cert.rabta.test');
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert').filter({ hasText: /wrong email or password/i });
      await alert.waitFor();
      assert.equal(t.hash(), '#/signin');
      assert.equal(await page.locator('#app-nav').isVisible(), false, 'no navigation while signed out');
      assert.equal(await page.locator('body.signed-in').count(), 0);
      assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password field is cleared');
      assert.equal(await page.getByLabel('Email').inputValue(), 'analyst@sindh-cert.rabta.test');
      await t.screenshot('rabta-signin-error');
      assert.equal((await t.api('GET', '/api/v1/me')).status, 401);
      // a protected page redirects to the sign-in page
      await t.gotoHeading('/users', 'Sign in');
      assert.equal(t.hash(), '#/signin');
    },
  },
  {
    name: 'sign-in: after 5 failures the 429 retry message is shown',
    async fn(t, page) {
      t.allowHttp(401, 429);
      const email = 'reporter@gb-cert.rabta.test';
      for (let i = 0; i < 5; i++) {
        const r = await t.fetchPlain('/api/v1/session', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: `wrong-${i}` }),
        });
        assert.equal(r.status, 401);
      }
      await t.goto('/signin');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert').filter({ hasText: /too many failed sign-ins/i });
      await alert.waitFor();
      assert.match(await alert.textContent(), /try again in \d+ seconds.*minute/i);
      assert.equal(t.hash(), '#/signin');
    },
  },
  {
    name: 'addresses: the bare address and #/ lead home once signed in; an unknown one says so with a way home',
    async fn(t, page) {
      await t.signIn('analyst@sindh-cert.rabta.test');
      for (const bare of ['/', '']) {
        await page.goto(`${t.url('').replace(/#$/, '')}${bare ? `#${bare}` : ''}`);
        await page.locator('body.ready').waitFor();
        await page.waitForURL(/#\/home$/);
        assert.equal(t.hash(), '#/home', `"${bare}" leads home`);
      }
      await t.gotoHeading('/no-such-page', 'Page not found');
      await page.getByRole('link', { name: 'Go to the home page' }).click();
      await page.waitForURL(/#\/home$/);
    },
  },
  {
    name: 'home: a national admin (keyboard sign-in) sees the org, role and constituency charts',
    async fn(t, page) {
      await t.signIn(NATIONAL_ADMIN, DEMO_PASSWORD, { keyboard: true });
      await page.locator('#home-title').waitFor();
      assert.equal(t.hash(), '#/home');
      assert.equal(await t.text('#home-title'), 'National CERT');
      assert.equal(await t.text('#whoami-name'), 'NCERT Administrator');
      assert.equal(await t.text('#whoami-org'), 'National CERT');
      assert.equal(await t.text('#whoami-role'), 'Administrator');
      assert.deepEqual(await navTexts(page), ['Home', 'Inbox', 'Incidents', 'Advisories', 'Responsiveness', 'Org tree', 'Guidelines', 'Preparedness', 'Assessments', 'Training', 'Risks', 'Users', 'Audit trail', 'My account']);
      assert.equal(await page.locator('#app-nav [aria-current="page"]').textContent(), 'Home');

      const orgs = await t.apiAll('/api/v1/orgs');
      const meta = (await t.api('GET', '/api/v1/meta')).body;
      const root = orgs.find((o) => o.parent_id === null);
      const below = orgs.filter((o) => o.id !== root.id);
      const byProv = new Map();
      for (const o of below) if (o.province) byProv.set(o.province, (byProv.get(o.province) || 0) + 1);
      assert.equal(byProv.size, 7, 'the demo spans all 7 provinces/territories');

      // the constituency panel: one bar per province present in the data, labelled in words
      const chart = page.locator('ul[data-chart="by-province"]');
      await chart.waitFor();
      const bars = chart.locator('li.barlist-row');
      const labels = (await chart.locator('.barlist-label').allTextContents()).map((s) => s.trim());
      assert.equal(await bars.count(), byProv.size, 'one bar per province present in the data');
      const names = new Map(meta.provinces.map((p) => [p.code, p.name]));
      assert.deepEqual(new Set(labels), new Set([...byProv.keys()].map((c) => names.get(c))));
      for (const [code, count] of byProv) {
        const bar = chart.locator(`li[data-key="${code}"]`);
        assert.equal(await bar.getAttribute('data-value'), String(count), `bar value for ${code}`);
        assert.equal(await t.text(`ul[data-chart="by-province"] li[data-key="${code}"] .barlist-value`), String(count));
        assert.ok(Number(await bar.locator('rect.meter-fill').getAttribute('width')) > 0, `bar width for ${code}`);
      }
      // bars scale: the biggest province has the widest bar
      const maxCode = [...byProv.entries()].sort((a, b) => b[1] - a[1])[0][0];
      const widths = await chart.locator('rect.meter-fill').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
      assert.equal(Number(await chart.locator(`li[data-key="${maxCode}"] rect.meter-fill`).getAttribute('width')), Math.max(...widths));
      assert.equal(await chart.locator('svg.meter').first().getAttribute('role'), 'img');

      // no "coming soon" list: every panel is work of today
      assert.equal(await page.getByText(/coming to this page|arrives later/i).count(), 0);
      const cii = below.filter((o) => o.cii).length;
      assert.ok(cii > 0);
      assert.equal(await t.text('[data-stat="cii"] .stat-value'), String(cii));
      assert.equal(await t.text('[data-stat="orgs"] .stat-value'), String(below.length));
      assert.equal(await page.locator('#cii-table tbody tr').count(), cii);
      await t.screenshot('rabta-home');
    },
  },
  {
    name: 'org tree: expand Punjab CERT (mouse and keyboard), filter',
    async fn(t, page) {
      await t.signIn(NATIONAL_ADMIN);
      await page.locator('#app-nav').getByRole('link', { name: 'Org tree' }).click();
      await page.locator('#org-tree').waitFor();
      assert.equal(t.hash(), '#/orgs');
      const orgs = await t.apiAll('/api/v1/orgs');
      assert.equal(await page.locator('#org-tree .tree-node').count(), orgs.length, 'every visible org is in the tree');

      const punjab = page.locator('.tree-node[data-name="Punjab CERT"]');
      const toggle = punjab.locator(':scope > .tree-row > .tree-toggle');
      const health = page.locator('.tree-node[data-name="Punjab Health Services Directorate"]');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await health.isVisible(), false);
      await toggle.click();
      await health.waitFor({ state: 'visible' });
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      const punjabId = orgs.find((o) => o.name === 'Punjab CERT').id;
      const kids = orgs.filter((o) => o.parent_id === punjabId).map((o) => o.name).sort();
      const shown = (await punjab.locator(':scope > ul > li').evaluateAll((ls) => ls.map((l) => l.dataset.name))).sort();
      assert.deepEqual(shown, kids);
      assert.ok(kids.includes('Punjab Health Services Directorate'));
      await t.screenshot('rabta-orgs');

      // keyboard: Enter collapses, Space opens, arrows too
      await toggle.focus();
      await page.keyboard.press('Enter');
      await health.waitFor({ state: 'hidden' });
      await page.keyboard.press('Space');
      await health.waitFor({ state: 'visible' });
      await page.keyboard.press('ArrowLeft');
      await health.waitFor({ state: 'hidden' });
      await page.keyboard.press('ArrowRight');
      await health.waitFor({ state: 'visible' });

      // filter: matches are shown with their ancestors, everything else is hidden
      await page.getByLabel('Filter').fill('karachi');
      await page.locator('#tree-count', { hasText: '2 matches' }).waitFor();
      assert.equal(await page.locator('.tree-node[data-name="Karachi Port Operations Office"]').isVisible(), true);
      assert.equal(await page.locator('.tree-node[data-name="Karachi Bulk Water Board"]').isVisible(), true);
      assert.equal(await page.locator('.tree-node[data-name="Sindh CERT"]').isVisible(), true);
      assert.equal(await health.isVisible(), false);
      assert.equal(await page.locator('.tree-node[data-name="Karachi Port Operations Office"] mark').textContent(), 'Karachi');
      await page.getByLabel('Filter').fill('');
      await health.waitFor({ state: 'visible' });
    },
  },
  {
    name: 'org detail: fields of a CII institution; a CERT admin adds an org below a CERT',
    async fn(t, page) {
      t.allowHttp(409, 422);
      await t.signIn(NATIONAL_ADMIN);
      await t.goto('/orgs');
      await page.getByLabel('Filter').fill('Karachi Port');
      await page.getByRole('link', { name: 'Karachi Port Operations Office' }).click();
      await page.locator('#org-title', { hasText: 'Karachi Port Operations Office' }).waitFor();
      const orgs = await t.apiAll('/api/v1/orgs');
      const port = orgs.find((o) => o.name === 'Karachi Port Operations Office');
      const sindh = orgs.find((o) => o.name === 'Sindh CERT');
      t.shared.sindhCertId = sindh.id;
      assert.equal(t.hash(), `#/orgs/${port.id}`);
      assert.equal(await t.text('dd[data-field="kind"]'), 'Institution');
      assert.equal(await t.text('dd[data-field="province"]'), 'Sindh');
      assert.equal(await t.text('dd[data-field="sector"]'), 'Transport');
      assert.equal(await t.text('dd[data-field="cii"]'), 'Designated');
      assert.equal(await t.text('dd[data-field="cii_grade"]'), `Grade ${port.cii_grade}`);
      assert.equal(await t.text('dd[data-field="cii_review_date"]'), port.cii_review_date);
      assert.equal(await t.text('dd[data-field="parent"]'), 'Sindh CERT');
      assert.equal(await page.locator('.add-org-form').count(), 0, 'no "add below" on an institution');
      await t.screenshot('rabta-org-detail');

      // to the parent CERT, where a national admin may add an org below
      await page.locator('dd[data-field="parent"] a').click();
      await page.locator('#org-title', { hasText: 'Sindh CERT' }).waitFor();
      assert.equal(t.hash(), `#/orgs/${sindh.id}`);
      assert.equal(await t.text('dd[data-field="kind"]'), 'Provincial CERT');
      await page.getByRole('heading', { name: 'Add org below' }).waitFor();
      const form = page.locator('.add-org-form');
      await form.getByLabel('Name', { exact: true }).fill('Hyderabad Water Board');
      await form.getByLabel('Short name').fill('HWB');
      await form.getByLabel('Sector').selectOption('water');
      assert.equal(await form.getByLabel('CII grade').isDisabled(), true);
      await form.getByLabel(/Designated critical information infrastructure/).check();
      await form.getByLabel('CII grade').selectOption('2');
      await form.getByLabel('CII review date').fill('2028-01-15');
      await form.getByRole('button', { name: 'Add organisation' }).click();
      await page.locator('#org-title', { hasText: 'Hyderabad Water Board' }).waitFor();
      assert.equal(await t.text('dd[data-field="province"]'), 'Sindh', 'province defaults to the parent\'s');
      assert.equal(await t.text('dd[data-field="cii_grade"]'), 'Grade 2');
      const created = (await t.apiAll('/api/v1/orgs?q=Hyderabad')).find((o) => o.name === 'Hyderabad Water Board');
      assert.ok(created, 'the API lists the new org');
      assert.equal(t.hash(), `#/orgs/${created.id}`);
      assert.equal(created.parent_id, sindh.id);
      assert.equal(created.kind, 'institution');
      assert.equal(created.cii_grade, 2);
      assert.equal(created.cii_review_date, '2028-01-15');
      assert.equal(created.short_name, 'HWB');

      // the same name again under the same CERT: refused, message shown in the form
      await t.goto(`/orgs/${sindh.id}`);
      await page.locator('.add-org-form').getByLabel('Name', { exact: true }).fill('Hyderabad Water Board');
      await page.locator('.add-org-form').getByRole('button', { name: 'Add organisation' }).click();
      await page.locator('.add-org-form').getByText(/already/).waitFor();
      assert.equal(t.hash(), `#/orgs/${sindh.id}`);
      // and the new org is in the tree
      await t.goto('/orgs');
      await page.locator('.tree-node[data-name="Sindh CERT"] > .tree-row > .tree-toggle').click();
      await page.locator('.tree-node[data-name="Hyderabad Water Board"]').waitFor({ state: 'visible' });
    },
  },
  {
    name: 'users: an admin creates a user (API validation shown at the field), disables and enables it',
    async fn(t, page) {
      t.allowHttp(422);
      await t.signIn(NATIONAL_ADMIN);
      await page.locator('#app-nav').getByRole('link', { name: 'Users' }).click();
      await page.locator('#users-table tr[data-email="admin@ncert.rabta.test"]').waitFor();
      assert.equal(t.hash(), '#/users');
      const form = page.locator('.create-user-form');
      const email = form.getByLabel('Email');
      await email.fill('not-an-email');
      await form.getByLabel('Full name').fill('Dana Qureshi');
      await form.getByLabel('Role').selectOption('analyst');
      await form.getByLabel('Initial password').fill('correct-horse-battery');
      await form.getByRole('button', { name: 'Create user' }).click();
      const emailId = await email.getAttribute('id');
      const err = page.locator(`#${emailId}-error`);
      await err.waitFor({ state: 'visible' });
      assert.match(await err.textContent(), /email/);
      assert.equal(await email.getAttribute('aria-invalid'), 'true');
      assert.match(await email.getAttribute('aria-describedby'), new RegExp(`${emailId}-error`));

      await email.fill('dana.qureshi@ncert.rabta.test');
      await form.getByRole('button', { name: 'Create user' }).click();
      await form.locator('.form-status', { hasText: 'Created Dana Qureshi' }).waitFor();
      assert.equal(await err.isVisible(), false, 'the field error is cleared');
      await t.screenshot('rabta-users');
      assert.equal(await form.getByLabel('Role').inputValue(), 'analyst', 'the form is reset to its defaults');
      assert.equal(await email.inputValue(), '');
      const row = page.locator('#users-table tr[data-email="dana.qureshi@ncert.rabta.test"]');
      await row.waitFor();
      const cells = (await row.locator('td').allTextContents()).map((s) => s.trim());
      assert.deepEqual(cells.slice(0, 4), ['Dana Qureshi', 'dana.qureshi@ncert.rabta.test', 'Analyst', 'Active']);

      const users = await t.apiAll('/api/v1/users');
      const dana = users.find((u) => u.email === 'dana.qureshi@ncert.rabta.test');
      assert.ok(dana, 'the API lists the new user');
      assert.equal(dana.role, 'analyst');
      assert.equal(dana.name, 'Dana Qureshi');
      assert.equal(dana.disabled, false);
      t.shared.createdUserId = dana.id;
      assert.equal(await row.getAttribute('data-user-id'), dana.id);

      // disabling asks first, in a dialog that says what happens; Cancel keeps the account
      await row.getByRole('button', { name: /^Disable Dana Qureshi/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Disable Dana Qureshi?' });
      await dialog.waitFor();
      assert.match(await dialog.textContent(), /signed out at once/);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal((await t.api('GET', `/api/v1/users/${dana.id}`)).body.disabled, false, 'Cancel changes nothing');
      await row.getByRole('button', { name: /^Disable Dana Qureshi/ }).click();
      await page.getByRole('dialog', { name: 'Disable Dana Qureshi?' }).getByRole('button', { name: 'Disable account' }).click();
      await row.getByText('Disabled', { exact: true }).waitFor();
      await page.locator('#banner-host .banner', { hasText: 'Dana Qureshi can no longer sign in.' }).waitFor();
      assert.equal((await t.api('GET', `/api/v1/users/${dana.id}`)).body.disabled, true);
      await row.getByRole('button', { name: /^Enable Dana Qureshi/ }).click();
      await row.getByText('Active', { exact: true }).waitFor();
      assert.equal((await t.api('GET', `/api/v1/users/${dana.id}`)).body.disabled, false);
      // one's own row has no disable button
      assert.equal(await page.locator('#users-table tr[data-email="admin@ncert.rabta.test"] button').count(), 0);
    },
  },
  {
    name: 'users: a provincial CERT admin picks an org below it and adds its first administrator',
    async fn(t, page) {
      t.allowHttp(403);
      await t.signIn('admin@sindh-cert.rabta.test');
      let org = (await t.apiAll('/api/v1/orgs?q=Hyderabad')).find((o) => o.name === 'Hyderabad Water Board');
      if (!org) { // the org detail test did not run: make the org through the API
        const r = await t.api('POST', '/api/v1/orgs', { parent_id: t.shared.sindhCertId, kind: 'institution', name: 'Hyderabad Water Board', province: 'sindh' });
        assert.equal(r.status, 201);
        org = r.body;
      }
      await t.goto('/users');
      await page.locator('#users-table tr[data-email="admin@sindh-cert.rabta.test"]').waitFor();
      await page.getByLabel('Organisation').selectOption(org.id);
      await page.locator('#users-status', { hasText: 'Hyderabad Water Board has no users yet.' }).waitFor();
      await page.getByRole('heading', { name: 'Add a user to Hyderabad Water Board' }).waitFor();
      const form = page.locator('.create-user-form');
      await form.getByLabel('Email').fill('it.head@hwb.example.org');
      await form.getByLabel('Full name').fill('Sana Memon');
      await form.getByLabel('Role').selectOption('admin');
      await form.getByLabel('Initial password').fill('first-admin-password');
      await form.getByRole('button', { name: 'Create user' }).click();
      const row = page.locator('#users-table tr[data-email="it.head@hwb.example.org"]');
      await row.waitFor();
      assert.match(await row.textContent(), /Administrator/);
      const users = (await t.api('GET', `/api/v1/users?org_id=${org.id}`)).body.items;
      assert.deepEqual(users.map((u) => [u.email, u.role, u.org_id]), [['it.head@hwb.example.org', 'admin', org.id]]);
      // a second admin is the new org's own business: refused for the CERT admin, message shown
      await form.getByLabel('Email').fill('second.admin@hwb.example.org');
      await form.getByLabel('Full name').fill('Second Admin');
      await form.getByLabel('Role').selectOption('admin');
      await form.getByLabel('Initial password').fill('second-admin-password');
      await form.getByRole('button', { name: 'Create user' }).click();
      await form.getByRole('alert').waitFor();
      assert.equal((await t.api('GET', `/api/v1/users?org_id=${org.id}`)).body.items.length, 1);
    },
  },
  {
    name: 'reporter: no Users or Audit links, institution home with tasks, pages refused',
    async fn(t, page) {
      await t.signIn('reporter@pb-health.rabta.test');
      await page.locator('#home-title').waitFor();
      assert.deepEqual(await navTexts(page), ['Home', 'Inbox', 'Incidents', 'Report an incident', 'Advisories', 'Org tree', 'Guidelines', 'Assessments', 'Training', 'Risks', 'My account']);
      assert.equal(await page.locator('#app-nav').getByRole('link', { name: 'Users' }).count(), 0);
      assert.equal(await page.locator('#app-nav').getByRole('link', { name: 'Audit trail' }).count(), 0);
      assert.equal(await t.text('#whoami-role'), 'Reporter');
      assert.equal(await t.text('#whoami-org'), 'Punjab Health Services Directorate');
      assert.equal(await t.text('#home-title'), 'Punjab Health Services Directorate');
      const card = page.locator('.org-card');
      await card.getByRole('link', { name: 'Punjab CERT' }).waitFor();
      assert.equal(await page.getByText(/coming to this page|arrives later/i).count(), 0, 'no "coming soon" tasks');
      // the self-assessment panel lists the real open assessments of the org (the demo has some)
      const open = (await t.apiAll('/api/v1/assessments?mine=1')).filter((a) => a.status !== 'accepted' && a.campaign_status !== 'closed');
      await page.locator('[data-panel="self-assessment"] .say').first().waitFor();
      assert.equal(await page.locator('#task-list .todo-item').count(), open.length);
      for (const a of open) {
        assert.equal(await page.locator(`#task-list .todo-item[data-assessment-id="${a.id}"] a`).getAttribute('href'), `#/assessments/${a.id}`);
      }
      assert.equal(await page.locator('svg.chart-svg').count(), 0, 'no constituency charts for an institution');
      await t.screenshot('rabta-institution-home');

      await t.gotoHeading('/users', 'Not permitted');
      await t.gotoHeading('/audit', 'Not permitted');
      // the tree shows only own org and its ancestors
      await t.goto('/orgs');
      await page.locator('#org-tree').waitFor();
      assert.equal(await page.locator('#org-tree .tree-node').count(), 3);
      await page.locator('.tree-node[data-name="Punjab Health Services Directorate"]').waitFor({ state: 'visible' });
      // an org outside what the reporter may see: the API answers 404 and so does the page
      t.allowHttp(404);
      const sindhId = t.shared.sindhCertId;
      if (sindhId) {
        await t.gotoHeading(`/orgs/${sindhId}`, 'Organisation not found');
      }
      await t.gotoHeading('/no-such-page', 'Page not found');
    },
  },
  {
    name: 'my account: create an API token (shown once), use it, see it listed, revoke it',
    async fn(t, page) {
      await t.signIn('analyst@punjab-cert.rabta.test');
      await page.locator('#app-nav').getByRole('link', { name: 'My account' }).click();
      await page.getByRole('heading', { name: 'API tokens' }).waitFor();
      // the session (and its CSRF token) survives a reload; first let the header's logo finish loading,
      // else the reload aborts its request and the harness counts a failed request
      await page.locator('img.brand-mark').evaluate((img) => (img.complete ? null
        : new Promise((resolve) => { img.addEventListener('load', resolve); img.addEventListener('error', resolve); })));
      await page.reload();
      await page.getByRole('heading', { name: 'API tokens' }).waitFor();
      await page.locator('#tokens-status', { hasText: 'no API tokens' }).waitFor();

      await page.getByLabel('Token name').fill('SIEM export');
      await page.getByRole('button', { name: 'Create token' }).click();
      const out = page.locator('#new-token');
      await out.waitFor();
      const token = await out.inputValue();
      assert.match(token, /^rbt_[0-9a-f]{64}$/);
      assert.equal(await out.evaluate((e) => e.readOnly), true);
      assert.match(await t.text('#new-token-note'), /only time the token is shown/);
      await t.screenshot('rabta-account');
      assert.equal(await page.getByLabel('Expires after (days)').inputValue(), '90', 'the form is reset to its defaults');
      const row = page.locator('#tokens-table tr[data-name="SIEM export"]');
      await row.waitFor();
      assert.equal(await t.text('#tokens-table tr[data-name="SIEM export"] code'), `${token.slice(0, 12)}…`);
      await row.getByText('Active').waitFor();

      const auth = { headers: { Authorization: `Bearer ${token}` } };
      const me = await t.fetchPlain('/api/v1/me', auth);
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, 'analyst@punjab-cert.rabta.test');

      await row.getByRole('button', { name: 'Revoke token SIEM export' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke the token “SIEM export”?' });
      await confirm.waitFor();
      assert.match(await confirm.textContent(), /stop working at once/);
      await confirm.getByRole('button', { name: 'Revoke token' }).click();
      await page.locator('#banner-host', { hasText: 'The token “SIEM export” is revoked' }).waitFor();
      await page.locator('#tokens-table tr[data-name="SIEM export"]', { hasText: 'Revoked' }).waitFor();
      assert.equal(await page.locator('#tokens-table tr[data-name="SIEM export"] button').count(), 0);
      assert.equal((await t.fetchPlain('/api/v1/me', auth)).status, 401);
      const list = (await t.api('GET', '/api/v1/tokens')).body.items;
      assert.equal(list.length, 1);
      assert.notEqual(list[0].revoked_at, null);
    },
  },
  {
    name: 'my account: a short new password shows the field error; a good one works',
    async fn(t, page) {
      t.allowHttp(422);
      const email = 'analyst@kp-cert.rabta.test';
      await t.signIn(email);
      await t.goto('/account');
      const form = page.locator('.password-form');
      await form.waitFor();
      const cur = form.getByLabel('Current password');
      const pw = form.getByLabel('New password', { exact: true });
      await cur.fill(DEMO_PASSWORD);
      await pw.fill('short');
      await form.getByLabel('Repeat new password').fill('short');
      await form.getByRole('button', { name: 'Change password' }).click();
      const pwErr = page.locator(`#${await pw.getAttribute('id')}-error`);
      await pwErr.waitFor({ state: 'visible' });
      assert.match(await pwErr.textContent(), /at least 12 characters/);
      assert.equal(await pw.getAttribute('aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.name), 'password');

      await cur.fill('not-my-password');
      await pw.fill('a-much-longer-passphrase');
      await form.getByLabel('Repeat new password').fill('a-much-longer-passphrase');
      await form.getByRole('button', { name: 'Change password' }).click();
      const curErr = page.locator(`#${await cur.getAttribute('id')}-error`);
      await curErr.waitFor({ state: 'visible' });
      assert.match(await curErr.textContent(), /current password is wrong/);
      assert.equal(await pwErr.isVisible(), false);

      await cur.fill(DEMO_PASSWORD);
      await form.getByRole('button', { name: 'Change password' }).click();
      await form.locator('.form-status', { hasText: 'Your password has been changed.' }).waitFor();
      const signin = (password) => t.fetchPlain('/api/v1/session', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
      });
      assert.equal((await signin('a-much-longer-passphrase')).status, 201);
    },
  },
  {
    name: 'audit trail: an auditor sees entries incl. the user.create made above (or, run alone, one made here); Load more',
    async fn(t, page) {
      // The users story made a user; run alone, the National CERT admin makes one first.
      const userId = t.shared.createdUserId || (await apiAs(t, NATIONAL_ADMIN, 'POST', '/api/v1/users',
        { email: 'audit.probe@ncert.rabta.test', name: 'Audit Probe', role: 'viewer', password: 'audit-probe-password' }, 201)).id;
      await t.signIn('auditor@ncert.rabta.test');
      assert.ok((await navTexts(page)).includes('Audit trail'));
      await page.locator('#app-nav').getByRole('link', { name: 'Audit trail' }).click();
      await page.locator('#audit-table tbody tr').first().waitFor();
      assert.equal(t.hash(), '#/audit');
      const rows = page.locator('#audit-table tbody tr');
      assert.equal(await rows.count(), 50);
      const seqs = await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.seq)));
      assert.ok(seqs.every((s, i) => i === 0 || s < seqs[i - 1]), 'newest first');
      // the newest entry is this sign-in
      assert.equal(await rows.first().getAttribute('data-action'), 'session.create');
      assert.match(await rows.first().textContent(), /auditor@ncert\.rabta\.test/);

      const denied = await t.api('POST', '/api/v1/users', { email: 'audit.probe2@ncert.rabta.test', name: 'Audit Probe', role: 'viewer', password: 'audit-probe-password' });
      assert.equal(denied.status, 403, 'an auditor may not create users');
      const entry = page.locator(`#audit-table tr[data-action="user.create"][data-object-id="${userId}"]`);
      await entry.waitFor();
      assert.match(await entry.textContent(), /admin@ncert\.rabta\.test/);
      assert.match(await entry.textContent(), /User created/);
      await t.screenshot('rabta-audit');

      await page.getByRole('button', { name: 'Load more' }).click();
      await page.locator('#audit-table tbody tr:nth-child(51)').waitFor();
      const after = await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.seq)));
      assert.ok(after.length > 50);
      assert.ok(after[50] < after[49], 'older entries follow');
      const api = (await t.api('GET', '/api/v1/audit?limit=500')).body.items;
      assert.ok(api.some((e) => e.action === 'user.create' && e.object_id === userId));
    },
  },
  {
    name: 'sign out returns to the sign-in page and the session is gone',
    async fn(t, page) {
      await t.signIn('admin@gov-cert.rabta.test');
      await page.locator('#home-title').waitFor();
      assert.equal((await t.api('GET', '/api/v1/me')).status, 200);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(t.hash(), '#/signin');
      await page.getByText('You have signed out.').waitFor();
      assert.equal(await page.locator('#app-header').isVisible(), false);
      assert.equal((await t.api('GET', '/api/v1/me')).status, 401);
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await t.gotoHeading('/orgs', 'Sign in');
      assert.equal(t.hash(), '#/signin');
    },
  },
];
