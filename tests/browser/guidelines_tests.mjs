// guidelines_tests.mjs - the guidelines & preparedness pages in a real browser: the catalog browser,
// a profile made by ticking controls, a campaign launched over Punjab CERT's institutions, an
// institution filling, saving and submitting its assessment, the review round trip, and the
// dashboard checked against the API's roll-up and against the score computed here by hand.
// The story runs in order and hands ids on through t.shared; the demo's own guideline data (when
// present) only adds rows, so every check picks this story's campaign by its title.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { DEMO_PASSWORD, PHONE, DESKTOP, atBothWidths, norm, navTexts, noSidewaysScroll } from './harness.mjs';
import {
  NATIONAL_ADMIN, ANALYST, REPORTER, LAND_REPORTER, PORT_REPORTER, PB_HEALTH, LAND, POWER,
} from './demo.mjs';

const CATALOG_TITLE = /National Cyber Security Baseline/;
const PROFILE_TITLE = 'Backup and MFA essentials';
const CAMPAIGN_TITLE = 'Punjab backup and MFA check';
const RETURN_COMMENT = 'Show where the offline copy is kept and when it was last refreshed.';

// What this story answers, control by control (the last maturity of br-2 is after the review).
const FINAL = {
  'br-1': { status: 'implemented', maturity: 4 },
  'br-2': { status: 'implemented', maturity: 3 },
  'iam-2': { status: 'not_implemented', maturity: 1 },
};

function dateInDays(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

// the UI's one rounding rule: one decimal
function fmtScore(v) {
  return (Math.round(v * 10) / 10).toFixed(1);
}

async function baseline(t) {
  const cats = await t.apiAll('/api/v1/catalogs');
  const cat = cats.find((c) => CATALOG_TITLE.test(c.title));
  assert.ok(cat, 'the national baseline catalog is in the database');
  return cat;
}

// score = 100 * sum(w * maturity / 5) / sum(w) over non-N/A controls (weights from the catalog)
async function handScore(t, catalogId, answers) {
  let num = 0;
  let den = 0;
  for (const [id, a] of Object.entries(answers)) {
    if (a.status === 'not_applicable') continue;
    const c = (await t.api('GET', `/api/v1/catalogs/${catalogId}/controls/${id}`)).body;
    const w = c.weight || 1;
    num += (w * a.maturity) / 5;
    den += w;
  }
  return Math.round((10000 * num) / den) / 100;
}

async function ourAssessment(t) {
  if (t.shared.assessmentId) return t.shared.assessmentId;
  const mine = await t.apiAll('/api/v1/assessments?mine=1');
  const a = mine.find((x) => x.campaign_title === CAMPAIGN_TITLE);
  assert.ok(a, 'the campaign test made an assessment for Punjab Health');
  t.shared.assessmentId = a.id;
  return a.id;
}

// The assessment the form test filled and submitted, which the review tests after it work on.
function formAssessment(t) {
  const id = t.shared.assessmentId;
  assert.ok(id, 'the form test ran first');
  return id;
}

// Signs in over HTTP outside the browser (its own cookie and CSRF token): for setting up data through
// the API without touching the page's session.
async function apiSession(t, email) {
  const res = await fetch(`${t.base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  assert.equal(res.status, 201, `${email} signs in`);
  const cookie = /^rabta_session=[^;]*/.exec(res.headers.get('set-cookie'))[0];
  const csrf = (await res.json()).csrf_token;
  return async (method, p, body) => {
    const headers = { Cookie: cookie };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return t.fetchPlain(p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
}


// ---------- helpers of the user stories below ----------
const DECEMBER = 'National baseline self-assessment, December 2026';
const WIDTHS = [[1366, 768], [390, 844]];

// The smallest text drawn in the charts under `scope`, in CSS pixels on the screen.
async function smallestChartText(t, scope = 'main') {
  return t.page.evaluate((sel) => {
    let min = Infinity;
    for (const el of document.querySelectorAll(`${sel} svg.chart-svg text`)) {
      const m = el.ownerSVGElement.getScreenCTM();
      min = Math.min(min, parseFloat(getComputedStyle(el).fontSize) * (m ? m.a : 1));
    }
    return min;
  }, scope);
}

// Uploads a file as the raw body with an apiSession-like cookie session.
async function apiUploadAs(t, email, p, buffer, type) {
  const res = await fetch(`${t.base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const cookie = /^rabta_session=[^;]*/.exec(res.headers.get('set-cookie'))[0];
  const csrf = (await res.json()).csrf_token;
  return t.fetchPlain(p, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': type }, body: buffer });
}

async function decemberOf(t, call, orgName) {
  const camp = (await call('GET', '/api/v1/campaigns?limit=500')).body.items.find((c) => c.title === DECEMBER);
  assert.ok(camp, 'the demo has the December campaign');
  const list = (await call('GET', `/api/v1/assessments?campaign_id=${camp.id}&limit=500`)).body.items;
  return { camp, a: orgName ? list.find((x) => x.org_name === orgName) : null, list };
}

// Punjab CERT's review of an assessment through the API: returns the controls of `back` (id ->
// comment) and accepts the rest; its answer.
async function reviewReturning(call, id, back) {
  const full = (await call('GET', `/api/v1/assessments/${id}`)).body;
  const r = await call('POST', `/api/v1/assessments/${id}/review`, {
    decisions: full.controls.map((c) => (back[c.id] ? { control_id: c.id, decision: 'return', comment: back[c.id] } : { control_id: c.id, decision: 'accept' })),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

function bannerStory(viewport, label) {
  return {
    name: `banners are worded for their reader (${label}): the institution reads "Your CERT returned", its CERT "You returned … to", the National CERT "Punjab CERT returned … to"`,
    viewport,
    async fn(t, page) {
      const pa = await apiSession(t, ANALYST);
      const { a: land } = await decemberOf(t, pa, LAND);
      if (land.status === 'submitted') {
        // Run alone, before the analyst story: return IAM-2 as that story's second round does.
        land.status = (await reviewReturning(pa, land.id, { 'iam-2': 'Which systems have MFA today?' })).assessment.status;
      }
      assert.equal(land.status, 'returned', 'one control of Land Records is returned');
      await t.signIn(LAND_REPORTER);
      await t.goto(`/assessments/${land.id}`);
      await page.locator('#returned-notice').waitFor();
      assert.match(norm(await page.locator('#returned-notice').textContent()), /^Your CERT \(Punjab CERT\) returned 1 control\./);
      assert.equal(await page.locator('main .notice').count(), 1);
      assert.equal(await page.locator('#jump-returned a[data-control="iam-2"]').count(), 1, 'the returned control is linked at the top');
      await t.openMenu();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').waitFor();
      await t.signIn(ANALYST);
      await t.goto(`/assessments/${land.id}`);
      await page.locator('#returned-notice').waitFor();
      const own = norm(await page.locator('#returned-notice').textContent());
      assert.equal(own, `You (Punjab CERT) returned 1 control to ${LAND}; it is with them to revise and submit again.`);
      await t.openMenu();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').waitFor();
      await t.signIn('analyst@ncert.rabta.test');
      await t.goto(`/assessments/${land.id}`);
      await page.locator('#returned-notice').waitFor();
      assert.equal(norm(await page.locator('#returned-notice').textContent()), `Punjab CERT returned 1 control to ${LAND}; it is with them to revise and submit again.`);
    },
  };
}

function focalFormStory(viewport, label) {
  const w = viewport.width;
  return {
    name: `focal person story (${label}, keyboard only): jump to the first unanswered control, contradiction flagged, Ctrl+S and Attach keep the focus, a chosen file is not dropped, the incomplete submit names what is missing`,
    viewport,
    async fn(t, page) {
      await t.signIn(PORT_REPORTER, DEMO_PASSWORD, { keyboard: true });
      const mine = await t.apiAll('/api/v1/assessments?mine=1');
      const draft = mine.find((x) => x.campaign_title === DECEMBER);
      assert.equal(draft.status, 'draft');
      const full = (await t.api('GET', `/api/v1/assessments/${draft.id}`)).body;
      const open = full.controls.filter((c) => !c.answer);
      assert.ok(open.length > 5);
      const x = open[0];
      await t.goto(`/assessments/${draft.id}`);
      await page.locator('#attention').waitFor();
      await noSidewaysScroll(t, `assessment form at ${w}`);
      assert.equal(await t.text('#attention [data-group="unanswered"] .sub-h'), `Not answered yet (${open.length} of ${full.controls.length})`);
      const first = page.locator('#jump-unanswered a.jump-link').first();
      assert.equal(await first.getAttribute('data-control'), x.id);
      assert.equal(norm(await first.textContent()), `${x.label} ${x.title}`);
      // Enter on the link puts the focus on the control's first status
      await first.focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), `ctl-${x.id}-implemented`);
      await page.keyboard.press('Space');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      assert.equal(await page.locator(`#ctl-${x.id}-not_implemented`).isChecked(), true);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), `ctl-${x.id}-maturity`);
      await page.keyboard.press('5');
      const warn = page.locator(`#ctl-${x.id}-warn`);
      await warn.waitFor({ state: 'visible' });
      assert.match(await warn.textContent(), /^“Not implemented” with maturity 5 \(Optimised\) contradicts itself/);
      assert.equal(await page.locator(`#jump-contradictions a[data-control="${x.id}"]`).count(), 1);
      await page.waitForTimeout(1100); // the select's type-ahead forgets the "5"
      await page.keyboard.press('1');
      assert.equal(await page.locator(`#ctl-${x.id}-maturity`).inputValue(), '1');
      await warn.waitFor({ state: 'hidden' });
      await page.keyboard.press('Tab');
      await page.keyboard.type('No MFA yet; the plan is approved.');
      await page.keyboard.press('Control+s');
      await page.locator('#assessment-status', { hasText: 'Draft saved: 1 answer.' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), `ctl-${x.id}-evidence`, 'Ctrl+S keeps the focus in the evidence note');
      // Attach with the keyboard: the focus stays on the Attach button
      await page.locator(`#ctl-${x.id}-file`).setInputFiles({ name: 'mfa-plan.txt', mimeType: 'text/plain', buffer: Buffer.from('MFA rollout plan\n') });
      await page.locator(`#ctl-${x.id}-file-attach`).focus();
      await page.keyboard.press('Enter');
      await page.locator(`#ctl-${x.id}-file-status`, { hasText: 'Attached mfa-plan.txt' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), `ctl-${x.id}-file-attach`, 'Attach keeps the focus');
      // a file chosen but not attached: saving says so instead of dropping it
      await page.locator(`#ctl-${x.id}-file`).setInputFiles({ name: 'mfa-quote.txt', mimeType: 'text/plain', buffer: Buffer.from('Quote for tokens\n') });
      await page.locator(`#ctl-${x.id}-evidence`).focus();
      await page.keyboard.type(' Quote attached.');
      await page.keyboard.press('Control+s');
      const alert = page.locator('#assessment-alert');
      await alert.waitFor({ state: 'visible' });
      assert.match(norm(await alert.textContent()), new RegExp(`^You chose the file “mfa-quote\\.txt” for ${x.label} but did not attach it\\.`));
      assert.equal(await page.evaluate(() => document.activeElement.id), 'attach-then-save');
      await page.keyboard.press('Enter');
      await page.locator('#assessment-status', { hasText: 'Draft saved: 1 answer.' }).waitFor();
      const files = (await t.api('GET', `/api/v1/assessments/${draft.id}/attachments`)).body.items.filter((f) => f.control_id === x.id).map((f) => f.filename);
      assert.deepEqual(files.sort(), ['mfa-plan.txt', 'mfa-quote.txt']);
      assert.equal((await t.api('GET', `/api/v1/assessments/${draft.id}`)).body.controls.find((c) => c.id === x.id).answer.evidence, 'No MFA yet; the plan is approved. Quote attached.');
      // an incomplete submit names the missing controls in words
      await page.locator('#submit-assessment').focus();
      await page.keyboard.press('Enter');
      await alert.waitFor({ state: 'visible' });
      const left = open.length - 1;
      assert.match(norm(await alert.textContent()), new RegExp(`^${left} controls are not answered yet, so the assessment cannot be submitted: ${open[1].label} ${open[1].title};`));
      assert.doesNotMatch(await alert.textContent(), /not_applicable/);
      assert.equal(await page.locator('#missing-list a.jump-link').count(), Math.min(left, 10));
      await noSidewaysScroll(t, `assessment alert at ${w}`);
      await t.screenshot(`rabta-assessment-${w}`);
    },
  };
}

export const tests = [
  {
    name: 'guidelines: a reporter browses the catalog, searches "backup", filters a domain, pages, opens a control',
    async fn(t, page) {
      await t.signIn(REPORTER);
      assert.deepEqual(await navTexts(page), ['Home', 'Inbox', 'Incidents', 'Report an incident', 'Advisories', 'Org tree', 'Guidelines', 'Assessments', 'Training', 'Risks', 'My account']);
      const cat = await baseline(t);
      await page.locator('#app-nav').getByRole('link', { name: 'Guidelines' }).click();
      await page.locator('#catalog-list').getByRole('link', { name: cat.title }).click();
      await page.locator('#catalog-title', { hasText: cat.title }).waitFor();
      assert.equal(t.hash(), `#/catalogs/${cat.id}`);
      await page.locator('#control-status', { hasText: 'Showing 25 controls; more available.' }).waitFor();
      assert.equal(await page.locator('#build-toggle').count(), 0, 'a reporter cannot make profiles');

      // the sidebar lists every domain with its number of controls
      const groups = (await t.api('GET', `/api/v1/catalogs/${cat.id}`)).body.groups;
      assert.equal(groups.length, cat.groups);
      const links = page.locator('#domain-list a.domain-link[data-domain]:not([data-domain=""])');
      assert.equal(await links.count(), groups.length);
      for (const g of groups) {
        assert.equal(norm(await page.locator(`#domain-list a[data-domain="${g.id}"] .domain-count`).textContent()), String(g.controls));
      }

      // search
      const want = await t.apiAll(`/api/v1/catalogs/${cat.id}/controls?q=backup`);
      assert.ok(want.length >= 3);
      await page.locator('#control-search').fill('backup');
      await page.locator('#control-status', { hasText: `Showing ${want.length} controls.` }).waitFor();
      const ids = await page.locator('#control-list .control-item').evaluateAll((els) => els.map((e) => e.dataset.controlId));
      assert.deepEqual(ids, want.map((c) => c.id));
      for (const id of ['br-1', 'br-2', 'br-3']) assert.ok(ids.includes(id), `${id} is listed`);
      for (const c of want) assert.match(`${c.title} ${c.statement}`.toLowerCase(), /backup/);
      assert.match(t.hash(), /\?q=backup$/);
      assert.equal(norm(await page.locator('#control-list .control-item[data-control-id="br-1"] .control-title').textContent()), 'Backup Scope and Frequency');
      assert.equal(await page.locator('#control-list .control-item[data-control-id="br-1"] .control-title mark').textContent(), 'Backup');
      await t.screenshot('rabta-catalog');

      // the address keeps the search: a reload shows the same list
      await page.reload();
      await page.locator('#control-status', { hasText: `Showing ${want.length} controls.` }).waitFor();
      assert.equal(await page.locator('#control-search').inputValue(), 'backup');

      // a domain narrows the search; clearing the search shows the whole domain
      const br = groups.find((g) => g.id === 'br');
      const brBackup = await t.apiAll(`/api/v1/catalogs/${cat.id}/controls?q=backup&domain=br`);
      await page.locator('#domain-list a[data-domain="br"]').click();
      await page.locator('#control-status', { hasText: `Showing ${brBackup.length} controls.` }).waitFor();
      assert.equal(await page.locator('#domain-list a[data-domain="br"]').getAttribute('aria-current'), 'true');
      assert.match(t.hash(), /domain=br/);
      await page.locator('#control-search').fill('');
      await page.locator('#control-search').press('Enter');
      await page.locator('#control-status', { hasText: `Showing ${br.controls} controls.` }).waitFor();
      const brIds = await page.locator('#control-list .control-item').evaluateAll((els) => els.map((e) => e.dataset.domain));
      assert.ok(brIds.every((d) => d === 'br'));

      // every control, 25 at a time
      await page.locator('#domain-list a[data-domain=""]').click();
      await page.locator('#control-status', { hasText: 'Showing 25 controls; more available.' }).waitFor();
      const total = cat.controls + cat.enhancements;
      while (await page.locator('#controls-more').isVisible()) {
        const before = await page.locator('#control-list .control-item').count();
        await page.locator('#controls-more').click();
        await page.locator(`#control-list .control-item:nth-child(${before + 1})`).waitFor();
      }
      await page.locator('#control-status', { hasText: `Showing ${total} controls.` }).waitFor();
      assert.equal(await page.locator('#control-list .control-item').count(), total);

      // a control's page: statement, guidance
      await page.locator('#control-search').fill('backup');
      await page.locator('#control-status', { hasText: `Showing ${want.length} controls.` }).waitFor();
      await page.getByRole('link', { name: 'Backup Scope and Frequency' }).click();
      await page.locator('#control-title', { hasText: 'Backup Scope and Frequency' }).waitFor();
      assert.equal(t.hash(), `#/catalogs/${cat.id}/controls/br-1`);
      const api = (await t.api('GET', `/api/v1/catalogs/${cat.id}/controls/br-1`)).body;
      assert.ok(api.guidance && api.guidance.length > 40);
      assert.equal(norm(await page.locator('#control-guidance').textContent()), norm(api.guidance));
      assert.equal(norm(await page.locator('#control-statement').textContent()), norm(api.statement));
      assert.equal(await t.text('dd[data-field="weight"]'), String(api.weight));
      assert.equal(await t.text('dd[data-field="domain"]'), 'Backup and Recovery');
      // parameters come resolved: no OSCAL insert markers reach the page
      await t.goto(`/catalogs/${cat.id}/controls/gv-1`);
      await page.locator('#control-title', { hasText: 'Accountable Official' }).waitFor();
      assert.doesNotMatch(await page.locator('#control-statement').textContent(), /\{\{|insert:/);

      // no campaigns pages for an institution
      await t.gotoHeading('/campaigns', 'Not permitted');
      await t.gotoHeading('/campaigns/new', 'Not permitted');
    },
  },
  {
    name: 'profile and campaign: the Punjab CERT analyst ticks 3 controls, makes a profile and launches it over 6 institutions',
    async fn(t, page) {
      t.allowHttp(422);
      await t.signIn(ANALYST);
      assert.deepEqual(await navTexts(page), ['Home', 'Inbox', 'Incidents', 'Advisories', 'Responsiveness', 'Org tree', 'Guidelines', 'Preparedness', 'Assessments', 'Training', 'Risks', 'My account']);
      const cat = await baseline(t);
      await t.goto(`/catalogs/${cat.id}`);
      await page.locator('#control-status', { hasText: 'Showing 25' }).waitFor();
      assert.equal(await page.locator('#profile-builder').isVisible(), false);
      await page.locator('#build-toggle').click();
      await page.locator('#profile-builder').waitFor();
      assert.equal(await page.locator('#build-toggle').getAttribute('aria-pressed'), 'true');

      await page.locator('#control-search').fill('backup');
      await page.locator('#control-list .control-item[data-control-id="tp-5"]').waitFor();
      await page.getByRole('checkbox', { name: 'Tick BR-1 Backup Scope and Frequency' }).check();
      await page.getByRole('checkbox', { name: 'Tick BR-2 Offline or Isolated Backup Copy' }).check();
      await page.locator('#selected-count', { hasText: '2 controls ticked' }).waitFor();
      const brBox = page.locator('#domain-check-br');
      assert.equal(await brBox.evaluate((b) => b.indeterminate), true, 'part of the domain is ticked');

      // select all in a domain, then none
      const br = (await t.api('GET', `/api/v1/catalogs/${cat.id}`)).body.groups.find((g) => g.id === 'br');
      await brBox.check();
      await page.locator('#selected-count', { hasText: `${br.controls} controls ticked` }).waitFor();
      assert.equal(await brBox.evaluate((b) => b.indeterminate), false);
      assert.equal(await page.getByRole('checkbox', { name: 'Tick BR-3 Restore Testing' }).isChecked(), true);
      await brBox.uncheck();
      await page.locator('#selected-count', { hasText: 'No controls ticked yet' }).waitFor();
      assert.equal(await page.getByRole('checkbox', { name: 'Tick BR-1 Backup Scope and Frequency' }).isChecked(), false);

      await page.getByRole('checkbox', { name: 'Tick BR-1 Backup Scope and Frequency' }).check();
      await page.getByRole('checkbox', { name: 'Tick BR-2 Offline or Isolated Backup Copy' }).check();
      // the ticks survive a change of filter
      await page.locator('#control-search').fill('');
      await page.locator('#control-search').press('Enter');
      await page.locator('#domain-list a[data-domain="iam"]').click();
      await page.locator('#control-list .control-item[data-control-id="iam-2"]').waitFor();
      await page.getByRole('checkbox', { name: 'Tick IAM-2 Multi-Factor Authentication' }).check();
      await page.locator('#selected-count', { hasText: '3 controls ticked' }).waitFor();
      const chips = await page.locator('#selected-chips .chip').evaluateAll((els) => els.map((e) => e.dataset.controlId));
      assert.deepEqual(chips.sort(), ['br-1', 'br-2', 'iam-2']);

      // a missing title is refused next to the field
      const form = page.locator('.profile-form');
      await form.getByRole('button', { name: 'Create profile' }).click();
      const title = form.getByLabel('Profile title');
      const titleErr = page.locator(`#${await title.getAttribute('id')}-error`);
      await titleErr.waitFor({ state: 'visible' });
      assert.match(await titleErr.textContent(), /title/);
      assert.equal(await title.getAttribute('aria-invalid'), 'true');
      assert.equal(await form.getByRole('checkbox', { name: 'Institution' }).isChecked(), true);

      await title.fill(PROFILE_TITLE);
      await page.evaluate(() => window.scrollTo(0, 0));
      await t.screenshot('rabta-profile-builder');
      await form.getByRole('button', { name: 'Create profile' }).click();
      await page.locator('#profile-result', { hasText: `Profile “${PROFILE_TITLE}” created with 3 controls.` }).waitFor();
      const profile = (await t.apiAll('/api/v1/profiles')).find((p) => p.title === PROFILE_TITLE);
      assert.ok(profile, 'the API lists the new profile');
      const full = (await t.api('GET', `/api/v1/profiles/${profile.id}`)).body;
      assert.deepEqual(full.control_ids.slice().sort(), ['br-1', 'br-2', 'iam-2']);
      assert.equal(full.profile.catalog_id, cat.id);
      assert.match(String(full.profile.applies_to.kinds), /institution/);
      assert.equal(await page.locator('#selected-count').textContent(), 'No controls ticked yet');
      t.shared.profileId = profile.id;

      // launch: a due date in the past is refused at the field, then the campaign starts
      await page.locator('#launch-with-profile').click();
      await page.getByRole('heading', { name: 'Launch a campaign' }).waitFor();
      assert.equal(t.hash(), `#/campaigns/new?profile=${profile.id}`);
      const launch = page.locator('.launch-form');
      assert.equal(await launch.getByLabel('Profile').inputValue(), profile.id);
      await launch.getByLabel('Campaign title').fill(CAMPAIGN_TITLE);
      const due = launch.getByLabel('Due date');
      await due.fill('2020-01-01');
      await launch.getByRole('button', { name: 'Launch campaign' }).click();
      const dueErr = page.locator(`#${await due.getAttribute('id')}-error`);
      await dueErr.waitFor({ state: 'visible' });
      assert.match(await dueErr.textContent(), /past/);
      assert.equal((await t.apiAll('/api/v1/campaigns')).filter((c) => c.title === CAMPAIGN_TITLE).length, 0);

      const dueDate = dateInDays(45);
      await due.fill(dueDate);
      await launch.getByRole('button', { name: 'Launch campaign' }).click();
      await page.locator('#launch-count', { hasText: '6 assessments' }).waitFor();
      const campaign = (await t.apiAll('/api/v1/campaigns')).find((c) => c.title === CAMPAIGN_TITLE);
      assert.ok(campaign);
      assert.equal(campaign.assessments, 6);
      assert.equal(campaign.due_date, dueDate);
      t.shared.campaignId = campaign.id;
      // one assessment per institution below Punjab CERT
      const orgs = await t.apiAll('/api/v1/orgs');
      const me = (await t.api('GET', '/api/v1/me')).body;
      const insts = orgs.filter((o) => o.parent_id === me.org.id && o.kind === 'institution').map((o) => o.name).sort();
      const assessed = (await t.apiAll(`/api/v1/assessments?campaign_id=${campaign.id}`)).map((a) => a.org_name).sort();
      assert.deepEqual(assessed, insts);
      assert.ok(assessed.includes(PB_HEALTH));

      await page.locator('#open-dashboard').click();
      await page.locator('#campaign-title', { hasText: CAMPAIGN_TITLE }).waitFor();
      assert.equal(t.hash(), `#/campaigns/${campaign.id}`);
      assert.equal(await t.text('[data-stat="assessments"] .stat-value'), '6');
      assert.equal(await t.text('[data-stat="submitted"] .stat-value'), '0');
      assert.equal(await t.text('[data-stat="not_submitted"] .stat-value'), '6');
      assert.equal(await t.text('[data-stat="mean"] .stat-value'), '—');
      assert.equal(await page.locator('#pending-table tbody tr').count(), 6);
      assert.equal(await page.locator('#assessment-table tbody tr').count(), 6);
      // and it is listed under Preparedness
      await page.locator('#app-nav').getByRole('link', { name: 'Preparedness' }).click();
      await page.locator(`#campaign-table tr[data-campaign-id="${campaign.id}"]`).waitFor();
    },
  },
  {
    name: 'assessment form: the Punjab Health reporter fills (keyboard too), saves a draft, reloads, is refused when incomplete, submits',
    async fn(t, page) {
      t.allowHttp(422);
      await t.signIn(REPORTER);
      await page.locator('#home-title').waitFor();
      const task = page.locator('#task-list .task-assessment', { hasText: CAMPAIGN_TITLE });
      await task.waitFor();
      assert.equal(await task.getAttribute('data-status'), 'not_started');
      await task.getByRole('link').click();
      await page.locator('#assessment-title', { hasText: CAMPAIGN_TITLE }).waitFor();
      const id = await ourAssessment(t);
      assert.equal(t.hash(), `#/assessments/${id}`);

      const bar = page.getByRole('progressbar', { name: 'Completion' });
      assert.equal(await bar.getAttribute('aria-valuenow'), '0');
      assert.equal(await bar.getAttribute('aria-valuemax'), '3');
      // grouped by domain, collapsible
      const domains = await page.locator('#assessment-form details.domain-section').evaluateAll((els) => els.map((e) => e.dataset.domain));
      assert.deepEqual(domains.slice().sort(), ['br', 'iam']);
      const brSection = page.locator('details.domain-section[data-domain="br"]');
      await brSection.locator(':scope > summary').click();
      assert.equal(await brSection.evaluate((d) => d.open), false);
      await brSection.locator(':scope > summary').focus();
      await page.keyboard.press('Enter');
      assert.equal(await brSection.evaluate((d) => d.open), true);

      // br-1 with the mouse
      await page.locator('#ctl-br-1').getByText('Implemented', { exact: true }).click();
      await page.locator('#ctl-br-1-maturity').selectOption('4');
      await page.locator('#ctl-br-1-evidence').fill('Nightly backup jobs; report of the last 30 runs attached.');
      assert.equal(await bar.getAttribute('aria-valuenow'), '1');

      // br-2 with the keyboard only: arrow keys pick the status, Tab moves on, typing picks the maturity
      await page.locator('#ctl-br-2-implemented').focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.locator('#ctl-br-2-partial').isChecked(), true);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'ctl-br-2-maturity');
      await page.keyboard.press('2');
      assert.equal(await page.locator('#ctl-br-2-maturity').inputValue(), '2');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'ctl-br-2-evidence');
      await page.keyboard.type('Weekly copy to a disk kept offline.');
      assert.equal(await bar.getAttribute('aria-valuenow'), '2');
      await page.locator('#assessment-status', { hasText: '2 unsaved changes' }).waitFor();

      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.locator('#assessment-status', { hasText: 'Draft saved: 2 answers.' }).waitFor();
      let api = (await t.api('GET', `/api/v1/assessments/${id}`)).body;
      assert.equal(api.assessment.status, 'draft');
      assert.equal(api.assessment.answered, 2);
      const ans = Object.fromEntries(api.controls.map((c) => [c.id, c.answer]));
      assert.deepEqual([ans['br-1'].status, ans['br-1'].maturity, ans['br-1'].evidence],
        ['implemented', 4, 'Nightly backup jobs; report of the last 30 runs attached.']);
      assert.deepEqual([ans['br-2'].status, ans['br-2'].maturity, ans['br-2'].evidence], ['partial', 2, 'Weekly copy to a disk kept offline.']);
      assert.equal(ans['iam-2'], null);

      // a reload shows the saved answers
      await page.reload();
      await page.locator('#assessment-title').waitFor();
      assert.equal(await page.locator('#ctl-br-2-partial').isChecked(), true);
      assert.equal(await page.locator('#ctl-br-1-implemented').isChecked(), true);
      assert.equal(await page.locator('#ctl-br-2-maturity').inputValue(), '2');
      assert.equal(await page.locator('#ctl-br-1-maturity').inputValue(), '4');
      assert.equal(await page.locator('#ctl-br-2-evidence').inputValue(), 'Weekly copy to a disk kept offline.');
      assert.equal(await page.getByRole('progressbar', { name: 'Completion' }).getAttribute('aria-valuenow'), '2');

      // submitting with a control unanswered: the page names it, in words, with a link to it
      await page.getByRole('button', { name: 'Submit' }).click();
      const alert = page.locator('#assessment-alert');
      await alert.waitFor({ state: 'visible' });
      assert.equal(await alert.getAttribute('role'), 'alert');
      assert.match(norm(await alert.textContent()), /1 control is not answered yet, so the assessment cannot be submitted: IAM-2 Multi-Factor Authentication\./);
      assert.doesNotMatch(await alert.textContent(), /not_applicable|iam-2/);
      assert.equal(await page.locator('#missing-list a[data-control="iam-2"]').count(), 1);
      assert.equal((await t.api('GET', `/api/v1/assessments/${id}`)).body.assessment.status, 'draft');

      // iam-2, saved with Ctrl+S
      await page.locator('#ctl-iam-2').getByText('Not implemented', { exact: true }).click();
      await page.locator('#ctl-iam-2-maturity').selectOption('1');
      await page.locator('#ctl-iam-2-maturity').focus();
      // only what changed is sent
      const put = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith(`/api/v1/assessments/${id}/answers`));
      await page.keyboard.press('Control+s');
      assert.deepEqual((await put).postDataJSON(), { answers: [{ control_id: 'iam-2', status: 'not_implemented', evidence: '', maturity: 1 }] });
      await page.locator('#assessment-status', { hasText: 'Draft saved: 1 answer.' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'ctl-iam-2-maturity', 'Ctrl+S keeps the focus where the user was');
      assert.equal(await page.getByRole('progressbar', { name: 'Completion' }).getAttribute('aria-valuenow'), '3');
      await page.evaluate(() => window.scrollTo(0, 0));
      await t.screenshot('rabta-assessment-form');

      await page.getByRole('button', { name: 'Submit' }).click();
      await page.locator('#assessment-message', { hasText: 'Submitted.' }).waitFor();
      assert.equal(await t.text('dd[data-field="status"]'), 'Submitted');
      assert.equal(await page.locator('#assessment-form input[type="radio"]').count(), 0, 'read only once submitted');
      assert.equal(await page.getByRole('button', { name: 'Save draft' }).count(), 0);
      api = (await t.api('GET', `/api/v1/assessments/${id}`)).body;
      assert.equal(api.assessment.status, 'submitted');
      const expected = await handScore(t, api.assessment.catalog_id,
        { 'br-1': FINAL['br-1'], 'br-2': { status: 'partial', maturity: 2 }, 'iam-2': FINAL['iam-2'] });
      assert.equal(api.assessment.score, expected);
      assert.equal(await t.text('dd[data-field="score"]'), fmtScore(expected));
      const actions = await page.locator('#history-list .history-item').evaluateAll((els) => els.map((e) => e.dataset.action));
      assert.deepEqual(actions, ['submitted', 'saved', 'saved']);
    },
  },
  {
    name: 'review: the Punjab CERT analyst returns one control with a comment (a comment is required)',
    async fn(t, page) {
      await t.signIn(ANALYST);
      const id = formAssessment(t);
      await page.locator('#app-nav').getByRole('link', { name: 'Assessments' }).click();
      const row = page.locator(`#review-table tr[data-assessment-id="${id}"]`);
      await row.waitFor();
      assert.equal(await row.getAttribute('data-campaign'), CAMPAIGN_TITLE);
      await row.getByRole('link', { name: `Review ${PB_HEALTH}` }).click();
      await page.locator('#review-title', { hasText: PB_HEALTH }).waitFor();
      assert.equal(t.hash(), `#/assessments/${id}/review`);
      assert.equal(await page.locator('.review-card').count(), 3);
      assert.equal(await t.text('#rv-br-2 [data-field="maturity"]'), '2 (Developing)');
      assert.equal(await t.text('#rv-br-2 [data-field="evidence"]'), 'Weekly copy to a disk kept offline.');

      await page.locator('#rv-br-1').getByText('Accept', { exact: true }).click();
      await page.locator('#rv-iam-2').getByText('Accept', { exact: true }).click();
      await page.locator('#rv-br-2').getByText('Return with a comment').click();
      await page.getByRole('button', { name: 'Send decisions' }).click();
      await page.locator('#rv-br-2-error', { hasText: 'Say why it is returned.' }).waitFor();
      assert.equal((await t.api('GET', `/api/v1/assessments/${id}`)).body.assessment.status, 'submitted');

      await page.locator('#rv-br-2-comment').fill(RETURN_COMMENT);
      await page.evaluate(() => window.scrollTo(0, 0));
      await t.screenshot('rabta-review');
      await page.getByRole('button', { name: 'Send decisions' }).click();
      await page.locator('#review-message', { hasText: `Returned to ${PB_HEALTH} with 1 control to revise.` }).waitFor();
      assert.equal(await t.text('#review-status'), 'Returned');
      const api = (await t.api('GET', `/api/v1/assessments/${id}`)).body;
      assert.equal(api.assessment.status, 'returned');
      const rv = Object.fromEntries(api.controls.map((c) => [c.id, [c.answer.review, c.answer.review_comment]]));
      assert.deepEqual(rv, { 'br-1': ['accepted', null], 'br-2': ['returned', RETURN_COMMENT], 'iam-2': ['accepted', null] });
    },
  },
  {
    name: 'revise: the reporter sees the returned control highlighted with the comment, fixes it and submits again',
    async fn(t, page) {
      await t.signIn(REPORTER);
      const id = formAssessment(t);
      const task = page.locator(`#task-list .task-assessment[data-assessment-id="${id}"]`);
      await task.waitFor();
      assert.equal(await task.getAttribute('data-status'), 'returned');
      await task.getByRole('link').click();
      await page.locator('#returned-notice', { hasText: 'Your CERT (Punjab CERT) returned 1 control' }).waitFor();
      const br2 = page.locator('#ctl-br-2');
      assert.match(await br2.getAttribute('class'), /is-returned/);
      assert.equal(norm(await br2.locator('.review-comment').textContent()), RETURN_COMMENT);
      assert.equal(await page.locator('details.domain-section[data-domain="br"] > summary .tag').textContent(), '1 returned');
      // accepted controls are locked
      for (const c of ['br-1', 'iam-2']) {
        assert.equal(await page.locator(`#ctl-${c} input, #ctl-${c} select, #ctl-${c} textarea`).count(), 0, `${c} is locked`);
        assert.match(await page.locator(`#ctl-${c}`).textContent(), /Accepted/);
      }
      await br2.getByText('Implemented', { exact: true }).click();
      await page.locator('#ctl-br-2-maturity').selectOption(String(FINAL['br-2'].maturity));
      await page.locator('#ctl-br-2-evidence').fill('Offline disk in the records room safe; refreshed every Friday (log attached).');
      await page.getByRole('button', { name: 'Submit again' }).click();
      await page.locator('#assessment-message', { hasText: 'Submitted.' }).waitFor();
      assert.equal(await t.text('dd[data-field="status"]'), 'Submitted');
      const returned = page.locator('#history-list .history-item[data-action="control returned"]');
      assert.match(norm(await returned.textContent()), new RegExp(`BR-2.*${RETURN_COMMENT.slice(0, 30)}`));
      const api = (await t.api('GET', `/api/v1/assessments/${id}`)).body;
      assert.equal(api.assessment.status, 'submitted');
      const ans = Object.fromEntries(api.controls.map((c) => [c.id, c.answer]));
      assert.deepEqual([ans['br-2'].status, ans['br-2'].maturity], [FINAL['br-2'].status, FINAL['br-2'].maturity]);
    },
  },
  {
    name: 'dashboard: the analyst accepts; submitted 1, the mean is the API roll-up and the hand-computed score, histogram, weakest domain and control, CSV',
    async fn(t, page) {
      await t.signIn(ANALYST);
      const id = t.shared.assessmentId;
      const campaignId = t.shared.campaignId;
      assert.ok(id && campaignId, 'the earlier story tests ran first');
      await t.goto(`/assessments/${id}`);
      await page.locator('#review-link').click();
      await page.locator('#review-title', { hasText: PB_HEALTH }).waitFor();
      assert.equal(await page.locator('.review-card').count(), 1, 'only the returned control comes back to review');
      await page.getByRole('button', { name: /^Accept all undecided/ }).click();
      await page.getByRole('button', { name: 'Send decisions' }).click();
      await page.locator('#review-message', { hasText: 'Accepted' }).waitFor();
      assert.equal(await page.locator('#review-closed').count(), 0, 'one banner for one event');
      assert.equal(await t.text('#review-status'), 'Accepted');
      const api = (await t.api('GET', `/api/v1/assessments/${id}`)).body;
      assert.equal(api.assessment.status, 'accepted');
      const expected = await handScore(t, api.assessment.catalog_id, FINAL);
      assert.equal(api.assessment.score, expected);

      await page.locator('#review-message').getByRole('link', { name: 'Campaign dashboard' }).click();
      await page.locator('#campaign-title', { hasText: CAMPAIGN_TITLE }).waitFor();
      const rollup = (await t.api('GET', `/api/v1/campaigns/${campaignId}/rollup`)).body;
      assert.equal(rollup.submitted, 1);
      assert.equal(rollup.score.mean, expected);
      assert.equal(await t.text('[data-stat="assessments"] .stat-value'), '6');
      assert.equal(await t.text('[data-stat="submitted"] .stat-value'), '1');
      assert.equal(await t.text('[data-stat-detail="submitted"]'), '1 accepted');
      assert.equal(await t.text('[data-stat="not_submitted"] .stat-value'), '5');
      assert.equal(await t.text('[data-stat="mean"] .stat-value'), fmtScore(rollup.score.mean));
      assert.equal(await t.text('[data-stat="median"] .stat-value'), fmtScore(rollup.score.median));
      assert.equal(await page.locator('#pending-table tbody tr').count(), 5);
      assert.equal(await page.locator(`#pending-table tr[data-assessment-id="${id}"]`).count(), 0);
      assert.equal(await page.locator(`#assessment-table tr[data-assessment-id="${id}"]`).getAttribute('data-status'), 'accepted');

      // histogram: the bar of the score's bin has a height, every other bar none
      const bin = Math.min(9, Math.floor(expected / 10));
      const hist = page.locator('svg[data-chart="score-histogram"]');
      const bar = hist.locator(`rect[data-bin="${bin}"]`);
      assert.ok(Number(await bar.getAttribute('height')) > 0, `bin ${bin} has a bar`);
      assert.equal(await bar.getAttribute('data-value'), '1');
      const heights = await hist.locator('rect.bar').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
      assert.equal(heights.length, 10);
      assert.equal(heights.filter((x) => x > 0).length, 1);

      // by domain: IAM (maturity 1 -> 20) is weaker than backup, and highlighted
      const byDomain = Object.fromEntries(rollup.by_domain.map((d) => [d.key, d.mean]));
      assert.equal(byDomain.iam, 20);
      assert.ok(byDomain.br > byDomain.iam);
      const weak = page.locator('svg[data-chart="by-domain"] rect.bar-weak');
      assert.equal(await weak.count(), 1);
      assert.equal(await weak.getAttribute('data-key'), 'iam');
      assert.equal(await page.locator('svg[data-chart="by-province"] rect.bar[data-key="punjab"]').getAttribute('data-value'), String(rollup.score.mean));
      // trend: this campaign's dot sits at its mean
      assert.equal(await page.locator(`svg[data-chart="trend"] circle[data-key="${campaignId}"]`).getAttribute('data-value'), String(rollup.score.mean));

      // gap report: the weakest control first, as the API says; the CSV link serves text/csv
      const gaps = (await t.api('GET', `/api/v1/campaigns/${campaignId}/gaps?limit=10`)).body;
      assert.equal(gaps.controls[0].id, 'iam-2');
      assert.equal(gaps.controls[0].mean_score, 20);
      assert.equal(await page.locator('#gap-controls tbody tr').first().getAttribute('data-control-id'), 'iam-2');
      assert.deepEqual(await page.locator('#gap-controls tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.controlId)), gaps.controls.map((c) => c.id));
      assert.equal(await page.locator('#gap-domains tbody tr').first().getAttribute('data-domain-id'), 'iam');
      const href = await page.locator('#gaps-csv').getAttribute('href');
      assert.match(href, /format=csv/);
      const res = await page.request.get(`${t.base}${href}`);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'], /^text\/csv/);
      const lines = (await res.text()).trim().split(/\r?\n/);
      assert.equal(lines[0], 'kind,id,label,title,domain,assessments,mean_score,not_implemented');
      assert.match(lines[1], /^control,"?iam-2"?,"?IAM-2"?,/);
      // the CSV spells the control as the page does
      assert.equal(await page.locator('#gap-controls tbody tr').first().locator('.control-label').textContent(), 'IAM-2');
      await page.evaluate(() => window.scrollTo(0, 0));
      await t.screenshot('rabta-dashboard');
    },
  },
  {
    name: 'POA&M: the Punjab Health reporter plans the gap of its accepted assessment (owner, due date, what will be done), downloads the POA&M; the CERT reads the plan',
    viewport: { width: 390, height: 844 },
    async fn(t, page) {
      // Set-up through the API: a two-control campaign over Punjab's health institutions, which
      // Punjab Health answers (one gap: AM-1 partial), submits, and its CERT accepts.
      const pa = await apiSession(t, ANALYST);
      const hr = await apiSession(t, REPORTER);
      const cat = (await pa('GET', '/api/v1/catalogs?limit=500')).body.items.find((c) => CATALOG_TITLE.test(c.title));
      let r = await pa('POST', '/api/v1/profiles', { catalog_id: cat.id, title: 'POA&M check', control_ids: ['br-3', 'am-1'], applies_sectors: ['health'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      r = await pa('POST', '/api/v1/campaigns', { profile_id: r.body.profile.id, title: 'Punjab POA&M check', due_date: dateInDays(30) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const id = (await pa('GET', `/api/v1/assessments?campaign_id=${r.body.id}`)).body.items.find((x) => x.org_name === PB_HEALTH).id;
      r = await hr('PUT', `/api/v1/assessments/${id}/answers`, { answers: [
        { control_id: 'br-3', status: 'implemented', maturity: 4 }, { control_id: 'am-1', status: 'partial', maturity: 2 }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal((await hr('POST', `/api/v1/assessments/${id}/submit`)).status, 200);
      r = await pa('POST', `/api/v1/assessments/${id}/review`, { decisions: [
        { control_id: 'br-3', decision: 'accept' }, { control_id: 'am-1', decision: 'accept' }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));

      await t.signIn(REPORTER);
      await t.goto(`/assessments/${id}`);
      await page.locator('#poam-panel').waitFor();
      // the one gap of the accepted assessment: AM-1, partially implemented
      assert.deepEqual(await page.locator('#poam-list .poam-item').evaluateAll((els) => els.map((e) => e.dataset.controlId)), ['am-1']);
      await noSidewaysScroll(t, 'the plan of action at 390 px');
      const due = dateInDays(90);
      const plan = { owner: 'Head of IT', due_date: due, weakness: 'The inventory misses the wards’ devices: add them by a walk-through.' };
      await page.getByLabel('Owner (a person or a role)').fill(plan.owner);
      await page.locator('#poam-am-1-due').fill(due);
      await page.getByLabel('What will be done').fill(plan.weakness);
      await page.getByRole('button', { name: 'Save plan for AM-1' }).click();
      await page.locator('#poam-am-1-status', { hasText: 'Plan saved.' }).waitFor();
      const got = (await t.api('GET', `/api/v1/assessments/${id}`)).body.poam;
      assert.deepEqual(got.map((x) => [x.control_id, x.owner, x.due_date, x.weakness]), [['am-1', plan.owner, due, plan.weakness]]);
      await page.locator('#history-list .history-item[data-action="plan set"]', { hasText: 'Remediation planned' }).waitFor();
      // the download is the OSCAL POA&M, with the plan in it
      const href = await page.locator('#poam-download').getAttribute('href');
      assert.equal(href, `/api/v1/assessments/${id}/poam`);
      const res = await page.request.get(`${t.base}${href}`);
      assert.equal(res.status(), 200);
      const pm = (await res.json())['plan-of-action-and-milestones'];
      const item = pm['poam-items'][0];
      assert.equal(item.description, plan.weakness);
      assert.ok(item.props.some((p) => p.name === 'owner' && p.value === plan.owner));
      assert.equal(pm.risks[0].deadline, `${due}T23:59:59Z`);
      await t.screenshot('rabta-assessment-poam');

      // the reviewing CERT reads the plan; it cannot change it
      await t.openMenu();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').waitFor();
      await t.signIn(ANALYST);
      await t.goto(`/assessments/${id}`);
      const row = page.locator('#poam-list .poam-item[data-control-id="am-1"]');
      await row.waitFor();
      assert.match(norm(await row.textContent()), /Owner\s*Head of IT/);
      assert.match(norm(await row.textContent()), /misses the wards/);
      assert.equal(await row.locator('input, textarea, button').count(), 0);
      assert.equal(await page.locator('#poam-download').count(), 1);
    },
  },
  {
    name: 'dashboard: a national analyst narrows a campaign to a province CERT with the subtree filter',
    async fn(t, page) {
      await t.signIn('analyst@ncert.rabta.test');
      const campaignId = t.shared.campaignId;
      assert.ok(campaignId, 'the campaign test ran first');
      await page.locator('#app-nav').getByRole('link', { name: 'Preparedness' }).click();
      await page.locator(`#campaign-table tr[data-campaign-id="${campaignId}"] a.strong-link`).click();
      await page.locator('#campaign-title', { hasText: CAMPAIGN_TITLE }).waitFor();
      assert.equal(await page.locator('#assessment-table a[aria-label^="Review"]').count(), 0, 'only the parent CERT reviews');
      const orgs = await t.apiAll('/api/v1/orgs');
      const punjab = orgs.find((o) => o.name === 'Punjab CERT');
      const sindh = orgs.find((o) => o.name === 'Sindh CERT');
      await page.locator('#root-filter').selectOption(punjab.id);
      await page.locator('#root-note', { hasText: 'Punjab CERT' }).waitFor();
      assert.equal(t.hash(), `#/campaigns/${campaignId}?root=${punjab.id}`);
      const pb = (await t.api('GET', `/api/v1/campaigns/${campaignId}/rollup?root=${punjab.id}`)).body;
      assert.equal(await t.text('[data-stat="assessments"] .stat-value'), String(pb.assessments));
      assert.equal(pb.assessments, 6);
      assert.equal(pb.score.n, 1, 'the accepted assessment of Punjab Health is scored');
      assert.equal(await t.text('[data-stat="mean"] .stat-value'), fmtScore(pb.score.mean));
      await page.locator('#root-filter').selectOption(sindh.id);
      await page.locator('#root-note', { hasText: 'Sindh CERT' }).waitFor();
      const sd = (await t.api('GET', `/api/v1/campaigns/${campaignId}/rollup?root=${sindh.id}`)).body;
      assert.equal(sd.assessments, 0);
      assert.equal(await t.text('[data-stat="assessments"] .stat-value'), '0');
      assert.equal(await t.text('[data-stat="mean"] .stat-value'), '—');
      assert.equal(await page.locator('#assessment-table tbody tr').count(), 0);
      // the CSV follows the filter
      assert.match(await page.locator('#gaps-csv').getAttribute('href'), new RegExp(`root=${sindh.id}`));
    },
  },
  {
    name: 'evidence: the Punjab Health reporter attaches a file to a control, sees it listed with its size, downloads it, sees it in the history',
    async fn(t, page) {
      // Set-up through the API, as the Punjab CERT analyst: a two-control profile for health
      // institutions, launched over Punjab (Punjab Health is its only health institution).
      const pa = await apiSession(t, ANALYST);
      const cat = (await pa('GET', '/api/v1/catalogs?limit=500')).body.items.find((c) => CATALOG_TITLE.test(c.title));
      assert.ok(cat, 'the national baseline catalog is in the database');
      let r = await pa('POST', '/api/v1/profiles', { catalog_id: cat.id, title: 'Evidence check', control_ids: ['br-3', 'am-1'], applies_sectors: ['health'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      r = await pa('POST', '/api/v1/campaigns', { profile_id: r.body.profile.id, title: 'Punjab evidence check', due_date: dateInDays(30) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const campaignId = r.body.id;
      const assessments = (await pa('GET', `/api/v1/assessments?campaign_id=${campaignId}`)).body.items;
      const ours = assessments.find((x) => x.org_name === PB_HEALTH);
      assert.ok(ours, 'Punjab Health has an assessment in the new campaign');
      const id = ours.id;

      await t.signIn(REPORTER);
      await t.goto(`/assessments/${id}`);
      await page.locator('#assessment-title', { hasText: 'Punjab evidence check' }).waitFor();
      const files = page.locator('#ctl-br-3-files');
      assert.equal(norm(await files.textContent()), 'No files attached.');

      // An answer picked but not saved yet survives the upload (the form is not rebuilt).
      await page.locator('#ctl-br-3').getByText('Partially implemented', { exact: true }).click();
      await page.locator('#assessment-status', { hasText: '1 unsaved change' }).waitFor();

      // Attach without choosing a file: said at the control, nothing sent.
      await page.locator('#ctl-br-3-file-attach').click();
      await page.locator('#ctl-br-3-file-error', { hasText: 'Choose a file first.' }).waitFor();

      const content = Buffer.from('Restore test, 2026-11-02\nSystems restored: 14 of 14\nLongest restore: 3 h 10 min\n');
      const sha = createHash('sha256').update(content).digest('hex');
      await page.locator('#ctl-br-3-file').setInputFiles({ name: 'restore-test.txt', mimeType: 'text/plain', buffer: content });
      assert.match(await page.locator('#ctl-br-3-file').inputValue(), /restore-test\.txt$/);
      const post = page.waitForRequest((q) => q.method() === 'POST' && q.url().includes(`/api/v1/assessments/${id}/attachments?`));
      await page.locator('#ctl-br-3-file-attach').click();
      const req = await post;
      const url = new URL(req.url());
      assert.deepEqual([url.searchParams.get('control_id'), url.searchParams.get('filename')], ['br-3', 'restore-test.txt']);
      assert.equal((await req.allHeaders())['content-type'], 'text/plain');
      await page.locator('#ctl-br-3-file-status', { hasText: `Attached restore-test.txt (${content.length} bytes).` }).waitFor();
      assert.equal(await page.locator('#ctl-br-3-file-error').isHidden(), true);

      // listed, with its size; the API has the same file
      const item = files.locator('.attachment-item');
      assert.equal(await item.count(), 1);
      assert.equal(norm(await item.locator('.attachment-link').textContent()), 'Download restore-test.txt');
      assert.equal(norm(await item.locator('.attachment-size').textContent()), `${content.length} bytes`);
      assert.equal(await item.getAttribute('data-size'), String(content.length));
      const listed = (await t.api('GET', `/api/v1/assessments/${id}/attachments`)).body.items;
      assert.equal(listed.length, 1);
      assert.deepEqual([listed[0].control_id, listed[0].filename, listed[0].content_type, listed[0].size, listed[0].sha256],
        ['br-3', 'restore-test.txt', 'text/plain', content.length, sha]);
      assert.equal(await item.getAttribute('data-attachment-id'), listed[0].id);
      assert.equal(await page.locator('#ctl-am-1-files').textContent(), 'No files attached.', 'only the chosen control has it');
      assert.equal(await page.locator('#ctl-br-3-partial').isChecked(), true, 'the unsaved answer is still on screen');
      await page.locator('#assessment-status', { hasText: '1 unsaved change' }).waitFor();

      // the download: a plain link with the download attribute; the saved file is the same bytes
      const link = item.locator('a.attachment-link');
      assert.equal(await link.getAttribute('href'), `/api/v1/assessments/${id}/attachments/${listed[0].id}`);
      assert.equal(await link.getAttribute('download'), 'restore-test.txt');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), 'restore-test.txt');
      const saved = fs.readFileSync(await download.path());
      assert.equal(createHash('sha256').update(saved).digest('hex'), sha);
      assert.equal(saved.toString(), content.toString());

      // the history panel has the step, with the control and the file name
      const step = page.locator('#history-list .history-item[data-action="evidence attached"]');
      await step.waitFor();
      assert.equal(await step.count(), 1);
      assert.match(norm(await step.textContent()), /^Evidence attached\s*BR-3\s*restore-test\.txt\s*reporter@pb-health\.rabta\.test/);
      // and it stays after a reload (where the unsaved answer is gone, as any unsaved change)
      await page.reload();
      await page.locator('#ctl-br-3-files .attachment-item').waitFor();
      assert.equal(await page.locator('#history-list .history-item[data-action="evidence attached"]').count(), 1);
      await t.screenshot('rabta-evidence');

      // The Punjab CERT (an ancestor) downloads the same bytes.
      const pr = await pa('GET', `/api/v1/assessments/${id}/attachments/${listed[0].id}`);
      assert.equal(pr.status, 200);
      assert.equal(pr.body, content.toString());
    },
  },
  {
    name: 'closing: the Punjab analyst closes a campaign; the reporter’s assessment is then kept as it stood',
    async fn(t, page) {
      // A small campaign over Punjab's health institutions, set up through the API.
      const pa = await apiSession(t, ANALYST);
      const cat = (await pa('GET', '/api/v1/catalogs?limit=500')).body.items.find((c) => CATALOG_TITLE.test(c.title));
      let r = await pa('POST', '/api/v1/profiles', { catalog_id: cat.id, title: 'Closing check', control_ids: ['gv-2'], applies_sectors: ['health'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      r = await pa('POST', '/api/v1/campaigns', { profile_id: r.body.profile.id, title: 'Punjab closing check', due_date: dateInDays(30) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const campaignId = r.body.id;
      const ours = (await pa('GET', `/api/v1/assessments?campaign_id=${campaignId}`)).body.items.find((x) => x.org_name === PB_HEALTH);

      await t.signIn(ANALYST);
      await t.goto(`/campaigns/${campaignId}`);
      await page.locator('#campaign-title', { hasText: 'Punjab closing check' }).waitFor();
      // the dialog says what closing does to whom; Esc and Cancel leave it open
      const dialog = page.locator('#close-dialog');
      await page.locator('#close-campaign').click();
      await dialog.waitFor();
      assert.match(norm(await dialog.locator('#close-consequence').textContent()), /^1 of 1 organisations have not submitted: 1 not started\. They will not be able to submit any more\.$/);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.confirm), 'cancel', 'the safe choice has the focus');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => document.activeElement.id), 'close-campaign', 'the focus returns to the button');
      assert.equal((await pa('GET', `/api/v1/campaigns/${campaignId}`)).body.status, 'open');
      await page.locator('#close-campaign').click();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal((await pa('GET', `/api/v1/campaigns/${campaignId}`)).body.status, 'open');
      await page.locator('#close-campaign').click();
      await dialog.getByRole('button', { name: 'Close the campaign' }).click();
      await page.locator('#campaign-title', { hasText: 'Punjab closing check' }).waitFor();
      await page.locator('.lede .tag', { hasText: 'Closed' }).waitFor();
      assert.equal(await page.locator('#close-campaign').count(), 0, 'a closed campaign has no close button');
      assert.equal((await pa('GET', `/api/v1/campaigns/${campaignId}`)).body.status, 'closed');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').waitFor();
      await t.signIn(REPORTER);
      await t.goto(`/assessments/${ours.id}`);
      await page.locator('#closed-notice', { hasText: 'is closed' }).waitFor();
      assert.equal(await page.locator('#save-draft').count(), 0, 'nothing to save in a closed campaign');
    },
  },
  {
    name: 'analyst story (1366 px): a second round of 64 controls, grouped by domain, with the evidence file, the earlier comments, "changed since last round" and accept-all that keeps a Return',
    async fn(t, page) {
      await page.setViewportSize({ width: 1366, height: 768 });
      // Round 1 through the API: Punjab CERT returns three of Land Records' 64 controls.
      const pa = await apiSession(t, ANALYST);
      const { a: land } = await decemberOf(t, pa, LAND);
      assert.equal(land.status, 'submitted', 'the demo has Land Records submitted');
      const full = (await pa('GET', `/api/v1/assessments/${land.id}`)).body;
      assert.equal(full.controls.length, 64);
      const back = { 'gv-2': 'Attach the approved policy with its signature page.', 'br-2': 'Say where the offline copy is kept.', 'iam-2': 'Which systems have MFA today?' };
      assert.equal((await reviewReturning(pa, land.id, back)).assessment.status, 'returned');
      let r;
      await new Promise((res) => setTimeout(res, 1100)); // the revision is saved after the review, to the second
      // The focal person revises one of them and attaches a file to it, only attaches a file to
      // another (its answer stays as it was: a new file is a change too), submits again.
      const pl = await apiSession(t, LAND_REPORTER);
      r = await pl('PUT', `/api/v1/assessments/${land.id}/answers`, { answers: [
        { control_id: 'gv-2', status: 'implemented', maturity: 4, evidence: 'Policy v3 signed by the Secretary on 2026-11-25.' }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const policy = Buffer.from('Information security policy v3\nSigned 2026-11-25\n');
      r = await apiUploadAs(t, LAND_REPORTER, `/api/v1/assessments/${land.id}/attachments?control_id=gv-2&filename=policy-v3.txt`, policy, 'text/plain');
      assert.equal(r.status, 201, JSON.stringify(r.body));
      r = await apiUploadAs(t, LAND_REPORTER, `/api/v1/assessments/${land.id}/attachments?control_id=br-2&filename=offline-copy-log.txt`, Buffer.from('Offline disk refreshed weekly\n'), 'text/plain');
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const now = (await pl('GET', `/api/v1/assessments/${land.id}`)).body;
      const br2 = now.controls.find((c) => c.id === 'br-2');
      assert.ok(now.assessment.reviewed_at && br2.answer.updated_at < now.assessment.reviewed_at, `br-2: only a file is new (${br2.answer.updated_at}, reviewed ${now.assessment.reviewed_at})`);
      r = await pl('POST', `/api/v1/assessments/${land.id}/submit`);
      assert.equal(r.status, 200, JSON.stringify(r.body));

      await t.signIn(ANALYST);
      await page.locator('#app-nav').getByRole('link', { name: 'Assessments' }).click();
      await page.locator(`#review-table tr[data-assessment-id="${land.id}"]`).getByRole('link', { name: `Review ${LAND}` }).click();
      await page.locator('#review-title', { hasText: LAND }).waitFor();
      // only the three returned controls come back, grouped by their domains
      assert.deepEqual((await page.locator('details.rv-domain').evaluateAll((els) => els.map((e) => e.dataset.domain))).sort(), ['br', 'gv', 'iam']);
      assert.equal(await page.locator('.review-card').count(), 3);
      assert.match(norm(await page.locator('#review-intro').textContent()), /^3 controls to decide in 3 domains; 61 controls accepted in an earlier round stay accepted; 2 changed since the last round/);
      assert.equal(await t.text('#review-progress'), '0 of 3 decided');
      assert.equal(await page.locator('#review-bar').evaluate((e) => getComputedStyle(e).position), 'sticky');
      assert.equal(await page.locator('#review-bar #send-review').count(), 1, 'Send is in the sticky bar');
      // the evidence file opens (downloads) from the control
      const link = page.locator('#rv-gv-2-files a.attachment-link');
      assert.equal(norm(await link.textContent()), 'Download policy-v3.txt');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), 'policy-v3.txt');
      assert.equal(fs.readFileSync(await download.path()).toString(), policy.toString());
      assert.match(await page.locator('#rv-iam-2-files').textContent(), /No evidence files/);
      assert.equal(norm(await page.locator('#rv-br-2-files a.attachment-link').textContent()), 'Download offline-copy-log.txt');
      // the earlier round's comments, and what changed since
      for (const [cid, comment] of Object.entries(back)) assert.match(norm(await page.locator(`#rv-${cid}-earlier`).textContent()), new RegExp(comment.slice(0, 20)));
      assert.deepEqual(await page.locator('.review-card').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.controlId, e.dataset.changed]))),
        { 'gv-2': 'true', 'iam-2': 'false', 'br-2': 'true' });
      await page.locator('#review-filter').selectOption('changed');
      assert.deepEqual(await page.locator('.review-card:visible').evaluateAll((els) => els.map((e) => e.dataset.controlId)), ['gv-2', 'br-2']);
      assert.equal(await t.text('#review-filter-note'), 'Showing 2 controls of 3.');
      assert.match(t.hash(), /\?show=changed$/);
      await page.locator('#review-filter').selectOption('all');
      // IAM-2 is returned again; accept-all fills only the two undecided
      await page.locator('#rv-iam-2').getByText('Return with a comment').click();
      await page.locator('#rv-iam-2-comment').fill('Still no MFA on the land records portal: give a date.');
      await page.getByRole('button', { name: 'Accept all undecided (2)' }).click();
      assert.equal(await page.locator('#rv-iam-2-return').isChecked(), true, 'accept-all never overrides a Return');
      assert.equal(await page.locator('#rv-gv-2-accept').isChecked(), true);
      assert.equal(await page.locator('#rv-br-2-accept').isChecked(), true);
      assert.match(await t.text('#review-note'), /^2 controls marked Accept; 1 control marked Return keeps its decision\./);
      assert.equal(await t.text('#review-progress'), '3 of 3 decided (2 accepted, 1 to return)');
      await page.evaluate(() => window.scrollTo(0, 0));
      await t.screenshot('rabta-review-round2-1366');
      await page.getByRole('button', { name: 'Send decisions (3)' }).click();
      await page.locator('#review-message', { hasText: `Returned to ${LAND} with 1 control to revise.` }).waitFor();
      assert.equal(await page.locator('main .notice').count(), 1, 'one banner for one event');
      const api = (await t.api('GET', `/api/v1/assessments/${land.id}`)).body;
      const rv = Object.fromEntries(api.controls.filter((c) => back[c.id]).map((c) => [c.id, c.answer.review]));
      assert.deepEqual(rv, { 'gv-2': 'accepted', 'iam-2': 'returned', 'br-2': 'accepted' });
      await noSidewaysScroll(t, 'review at 1366');
    },
  },
  {
    name: 'analyst story (390 px): reviewing 64 controls on a phone, Send stays in view, accept-all then one Return, no sideways scroll',
    async fn(t, page) {
      await page.setViewportSize({ width: 390, height: 844 });
      await t.signIn(ANALYST);
      const pa = await apiSession(t, ANALYST);
      const { a: power } = await decemberOf(t, pa, POWER);
      assert.equal(power.status, 'submitted');
      await t.goto(`/assessments/${power.id}/review`);
      await page.locator('#review-title', { hasText: POWER }).waitFor();
      await noSidewaysScroll(t, 'review at 390');
      assert.equal(await t.text('#review-progress'), '0 of 64 decided');
      assert.equal(await page.locator('details.rv-domain').count(), 12, 'grouped in the 12 domains');
      await page.getByRole('button', { name: 'Accept all undecided (64)' }).click();
      assert.equal(await t.text('#review-progress'), '64 of 64 decided (64 accepted)');
      // change one's mind at the bottom of the page: the Send button is still on the screen
      await page.locator('#rv-tp-5').scrollIntoViewIfNeeded();
      await page.locator('#rv-tp-5').getByText('Return with a comment').click();
      await page.locator('#rv-tp-5-comment').fill('Name the supplier whose contract lacks the security clause.');
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const box = await page.locator('#send-review').boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `Send is in view at the bottom of the page (${JSON.stringify(box)})`);
      assert.equal(await t.text('#review-progress'), '64 of 64 decided (63 accepted, 1 to return)');
      await t.screenshot('rabta-review-390');
      await page.locator('#send-review').click();
      await page.locator('#review-message', { hasText: `Returned to ${POWER} with 1 control to revise.` }).waitFor();
      await noSidewaysScroll(t, 'review result at 390');
    },
  },
  ...atBothWidths(bannerStory, DESKTOP),
  focalFormStory(PHONE, '390 px'),
  focalFormStory(DESKTOP, '1366 px'),
  {
    name: 'director story (1366 and 390 px): the December dashboard says what each number rests on, marks thin and partial data, has scales, one rounding and one spelling of control ids',
    async fn(t, page) {
      await t.signIn(NATIONAL_ADMIN);
      const call = (m, p) => t.api(m, p);
      const { camp, list } = await decemberOf(t, call);
      const roll = (await t.api('GET', `/api/v1/campaigns/${camp.id}/rollup`)).body;
      const gaps = (await t.api('GET', `/api/v1/campaigns/${camp.id}/gaps?limit=10`)).body;
      const orgs = new Map((await t.apiAll('/api/v1/orgs')).map((o) => [o.id, o]));
      const assessedIn = new Map();
      for (const a of list) { const k = orgs.get(a.org_id).province || 'none'; assessedIn.set(k, (assessedIn.get(k) || 0) + 1); }
      const awaiting = roll.submitted - roll.accepted;
      for (const [w, hgt] of WIDTHS) {
        await page.setViewportSize({ width: w, height: hgt });
        await t.goto(`/campaigns/${camp.id}`);
        await page.locator('#campaign-title', { hasText: DECEMBER }).waitFor();
        await page.locator('svg[data-chart="by-province"]').waitFor();
        await page.waitForTimeout(150); // the charts redraw at their real width
        await noSidewaysScroll(t, `dashboard at ${w}`);
        // partial, and the counts in words
        assert.match(norm(await page.locator('#partial-notice').textContent()), new RegExp(`^Open campaign: partial figures\\. ${roll.submitted} of ${roll.assessments} organisations`));
        assert.match(norm(await page.locator('#count-sentence').textContent()), new RegExp(`${roll.submitted} submitted \\(${roll.accepted} accepted, ${awaiting} awaiting review\\)`));
        assert.equal(await t.text('[data-stat-detail="submitted"]'), `${roll.accepted} accepted, ${awaiting} awaiting review`);
        // every province bar shows its base, thin ones are marked
        const rows = await page.locator('svg[data-chart="by-province"] g.bar-row').evaluateAll((gs) => gs.map((g) => ({
          key: g.dataset.key, base: g.querySelector('text.bar-base').textContent, thin: g.querySelector('rect.bar').classList.contains('bar-thin'),
          value: g.querySelector('text.bar-value').textContent, data: g.querySelector('rect.bar').dataset.value,
        })));
        assert.equal(rows.length, assessedIn.size);
        for (const r of rows) {
          const api = roll.by_province.find((p) => (p.key || 'none') === r.key);
          const n = api ? api.n : 0;
          assert.equal(r.base.replace(' submitted', ''), `${n} of ${assessedIn.get(r.key)}${n > 0 && n < 3 ? ' · thin' : ''}`, `base of ${r.key}`);
          assert.equal(r.thin, n > 0 && n < 3);
          if (api) assert.equal(r.value, fmtScore(api.mean));
        }
        assert.ok(rows.some((r) => r.thin), 'the demo has a thin province');
        assert.match(await page.locator('#h-prov').locator('xpath=..').locator('.chart-caption').textContent(), /Thin: fewer than 3 organisations submitted/);
        // scales
        assert.deepEqual(await page.locator('svg[data-chart="by-domain"] text.axis-tick').allTextContents(), ['0', '25', '50', '75', '100']);
        assert.equal(await page.locator('svg[data-chart="by-domain"] text.axis-title').textContent(), 'Mean score (0–100)');
        assert.deepEqual(await page.locator('svg[data-chart="trend"] text.axis-tick').allTextContents(), ['0', '25', '50', '75', '100']);
        // trend points told apart, the open one partial, each with its base
        assert.deepEqual(await page.locator('svg[data-chart="trend"] text.point-label').allTextContents(), ['June 2026', 'December 2026']);
        assert.match(await page.locator(`svg[data-chart="trend"] circle[data-key="${camp.id}"]`).getAttribute('class'), /is-partial/);
        const subs = await page.locator('svg[data-chart="trend"] text.axis-sub').allTextContents();
        assert.ok(subs.includes(`${roll.submitted} of ${roll.assessments} submitted`), subs.join(' | '));
        assert.ok(subs.includes('open: partial'));
        // one rounding rule: chart and table agree, no two-decimal numbers anywhere
        const ir = roll.by_domain.find((d) => d.key === 'ir');
        const irBar = await page.locator('svg[data-chart="by-domain"] g.bar-row[data-key="ir"] text.bar-value').textContent();
        const irRow = await page.locator('#gap-domains tr[data-domain-id="ir"] td').nth(1).textContent();
        assert.equal(irBar, fmtScore(ir.mean));
        assert.equal(norm(irRow), irBar);
        assert.doesNotMatch(await page.locator('main').innerText(), /\b\d+\.\d\d\b/);
        // one spelling of control ids: the catalog's labels
        const labels = await page.locator('#gap-controls .control-label').allTextContents();
        assert.equal(labels.length, gaps.controls.length);
        for (const l of labels) assert.match(l, /^[A-Z]+-\d+(\.\d+)?$/);
        assert.doesNotMatch(await page.locator('#gap-report').innerText(), /\b[a-z]{2,3}-\d+\b/);
        // text of the charts stays readable
        assert.ok(await smallestChartText(t) >= 11, 'chart text at least 11 px');
        if (w === 390) {
          // tables are cards with their main action visible
          const row = page.locator('#assessment-table tbody tr').first();
          await row.scrollIntoViewIfNeeded();
          assert.equal(await row.evaluate((e) => getComputedStyle(e).display), 'flex');
          assert.equal(await row.locator('.rt-action a').isVisible(), true);
          const rb = await row.boundingBox();
          assert.ok(rb.x >= 0 && rb.x + rb.width <= 390, 'a card fits the width');
        }
        await page.evaluate(() => window.scrollTo(0, 0));
        await t.screenshot(`rabta-dashboard-december-${w}`);
      }
      // closing asks first, says how many have not submitted, and Esc keeps it open
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.locator('#close-campaign').click();
      const dialog = page.locator('#close-dialog');
      await dialog.waitFor();
      assert.match(norm(await dialog.locator('#close-consequence').textContent()), new RegExp(`^${roll.not_submitted} of ${roll.assessments} organisations have not submitted: `));
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal((await t.api('GET', `/api/v1/campaigns/${camp.id}`)).body.status, 'open');
    },
  },
  {
    name: 'launch form (1366 and 390 px): it says how many organisations will get an assessment as the choices change, and shows the refusal before launch',
    async fn(t, page) {
      await t.signIn(ANALYST);
      const { camp } = await decemberOf(t, (m, p) => t.api(m, p));
      const pid = camp.profile_id;
      for (const [w, hgt] of WIDTHS) {
        await page.setViewportSize({ width: w, height: hgt });
        await t.goto(`/campaigns/new?profile=${pid}`);
        const all = (await t.api('GET', `/api/v1/profiles/${pid}/reach`)).body;
        await page.locator('#reach[data-state="ok"]').waitFor();
        assert.equal(norm(await page.locator('#reach-count').textContent()), `${all.orgs} organisations will get an assessment to fill by the due date.`);
        const form = page.locator('.launch-form');
        await form.getByLabel('Sector').selectOption('health');
        const health = (await t.api('GET', `/api/v1/profiles/${pid}/reach?sector=health`)).body;
        await page.locator(`#reach[data-orgs="${health.orgs}"]`).waitFor();
        assert.match(norm(await page.locator('#reach-count').textContent()), new RegExp(`^${health.orgs} organisations? will get an assessment`));
        await form.getByLabel('Province').selectOption('sindh');
        const none = (await t.api('GET', `/api/v1/profiles/${pid}/reach?sector=health&province=sindh`)).body;
        assert.equal(none.launchable, false);
        await page.locator('#reach[data-state="refused"]').waitFor();
        assert.match(norm(await page.locator('#reach-refused').textContent()), /^This launch would be refused: The profile applies to no org below your CERT/);
        assert.equal(await form.getByRole('button', { name: 'Launch campaign' }).isDisabled(), true);
        await noSidewaysScroll(t, `launch form at ${w}`);
        await form.getByLabel('Province').selectOption('');
        await page.locator('#reach[data-state="ok"]').waitFor();
        assert.equal(await form.getByRole('button', { name: 'Launch campaign' }).isDisabled(), false);
        await form.getByLabel('Sector').selectOption('');
        await page.locator(`#reach[data-orgs="${all.orgs}"]`).waitFor();
      }
    },
  },
  {
    name: 'profile page (1366 and 390 px): opened from the catalog and from the dashboard; its controls by domain, whom it applies to, the campaigns assessing it',
    async fn(t, page) {
      await t.signIn(NATIONAL_ADMIN);
      const { camp } = await decemberOf(t, (m, p) => t.api(m, p));
      const prof = (await t.api('GET', `/api/v1/profiles/${camp.profile_id}`)).body;
      const used = await t.apiAll(`/api/v1/campaigns?profile_id=${camp.profile_id}`);
      for (const [w, hgt] of WIDTHS) {
        await page.setViewportSize({ width: w, height: hgt });
        await t.goto(`/catalogs/${prof.profile.catalog_id}`);
        await page.locator(`#catalog-profiles a[data-profile-id="${camp.profile_id}"]`).click();
        await page.locator('#profile-title', { hasText: prof.profile.title }).waitFor();
        assert.equal(t.hash(), `#/profiles/${camp.profile_id}`);
        assert.equal(await page.locator('#profile-controls li[data-control-id]').count(), prof.control_ids.length);
        assert.deepEqual(await page.locator('#profile-controls li[data-control-id]').evaluateAll((els) => els.map((e) => e.dataset.controlId)), prof.control_ids);
        assert.equal(await t.text('#profile-applies dd[data-field="kinds"]'), 'Institution');
        assert.deepEqual((await page.locator('#profile-campaigns tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.campaignId))).sort(), used.map((c) => c.id).sort());
        assert.match(await t.text('#profile-reach'), /organisations? an assessment/);
        await noSidewaysScroll(t, `profile at ${w}`);
        await t.screenshot(`rabta-profile-${w}`);
        await t.goto(`/campaigns/${camp.id}`);
        await page.locator('#profile-link').click();
        await page.locator('#profile-title', { hasText: prof.profile.title }).waitFor();
      }
      // lists of the guideline pages at 390 px: cards, no sideways scroll
      await page.setViewportSize({ width: 390, height: 844 });
      for (const hash of ['/catalogs', '/campaigns', '/assessments']) {
        await t.goto(hash);
        await page.locator('h1').waitFor();
        await page.waitForTimeout(100);
        await noSidewaysScroll(t, `${hash} at 390`);
      }
      await t.goto('/campaigns');
      const card = page.locator(`#campaign-table tr[data-campaign-id="${camp.id}"]`);
      await card.waitFor();
      assert.equal(await card.locator('.rt-action a', { hasText: 'Open' }).isVisible(), true);
    },
  },
];
