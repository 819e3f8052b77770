// guidelines_tests.mjs - the guidelines & preparedness pages in a real browser: the catalog browser,
// a profile made by ticking controls, a campaign launched over Punjab CERT's institutions, an
// institution filling, saving and submitting its assessment, the review round trip, and the
// dashboard checked against the API's roll-up and against the score computed here by hand.
// The story runs in order and hands ids on through t.shared; the demo's own guideline data (when
// present) only adds rows, so every check picks this story's campaign by its title.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { DEMO_PASSWORD } from './harness.mjs';

const CATALOG_TITLE = /National Cyber Security Baseline/;
const PROFILE_TITLE = 'Backup and MFA essentials';
const CAMPAIGN_TITLE = 'Punjab backup and MFA check';
const PB_ANALYST = 'analyst@punjab-cert.rabta.test';
const PB_HEALTH_REPORTER = 'reporter@pb-health.rabta.test';
const PB_HEALTH = 'Punjab Health Services Directorate';
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

function norm(s) {
  return (s || '').replace(/\s+/g, ' ').trim();
}

async function navTexts(page) {
  return (await page.locator('#app-nav .nav-link').allTextContents()).map((s) => s.trim());
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

export const tests = [
  {
    name: 'guidelines: a reporter browses the catalog, searches "backup", filters a domain, pages, opens a control',
    async fn(t) {
      const { page } = t;
      await t.signIn(PB_HEALTH_REPORTER);
      assert.deepEqual(await navTexts(page), ['Home', 'Org tree', 'Guidelines', 'Assessments', 'My account']);
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
      await t.goto('/campaigns');
      await page.getByRole('heading', { name: 'Not permitted' }).waitFor();
      await t.goto('/campaigns/new');
      await page.getByRole('heading', { name: 'Not permitted' }).waitFor();
    },
  },
  {
    name: 'profile and campaign: the Punjab CERT analyst ticks 3 controls, makes a profile and launches it over 6 institutions',
    async fn(t) {
      const { page } = t;
      t.allowHttp(422);
      await t.signIn(PB_ANALYST);
      assert.deepEqual(await navTexts(page), ['Home', 'Org tree', 'Guidelines', 'Preparedness', 'Assessments', 'My account']);
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
    async fn(t) {
      const { page } = t;
      t.allowHttp(422);
      await t.signIn(PB_HEALTH_REPORTER);
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
    async fn(t) {
      const { page } = t;
      await t.signIn(PB_ANALYST);
      const id = t.shared.assessmentId;
      assert.ok(id, 'the form test ran first');
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
    async fn(t) {
      const { page } = t;
      await t.signIn(PB_HEALTH_REPORTER);
      const id = t.shared.assessmentId;
      assert.ok(id, 'the form test ran first');
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
    async fn(t) {
      const { page } = t;
      await t.signIn(PB_ANALYST);
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
      assert.equal(lines[0], 'kind,id,title,domain,assessments,mean_score,not_implemented');
      assert.match(lines[1], /^control,"?iam-2"?,/);
      await page.evaluate(() => window.scrollTo(0, 0));
      await t.screenshot('rabta-dashboard');
    },
  },
  {
    name: 'dashboard: a national analyst narrows a campaign to a province CERT with the subtree filter',
    async fn(t) {
      const { page } = t;
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
    async fn(t) {
      const { page } = t;
      // Set-up through the API, as the Punjab CERT analyst: a two-control profile for health
      // institutions, launched over Punjab (Punjab Health is its only health institution).
      const pa = await apiSession(t, PB_ANALYST);
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

      await t.signIn(PB_HEALTH_REPORTER);
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
    async fn(t) {
      const { page } = t;
      // A small campaign over Punjab's health institutions, set up through the API.
      const pa = await apiSession(t, PB_ANALYST);
      const cat = (await pa('GET', '/api/v1/catalogs?limit=500')).body.items.find((c) => CATALOG_TITLE.test(c.title));
      let r = await pa('POST', '/api/v1/profiles', { catalog_id: cat.id, title: 'Closing check', control_ids: ['gv-2'], applies_sectors: ['health'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      r = await pa('POST', '/api/v1/campaigns', { profile_id: r.body.profile.id, title: 'Punjab closing check', due_date: dateInDays(30) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const campaignId = r.body.id;
      const ours = (await pa('GET', `/api/v1/assessments?campaign_id=${campaignId}`)).body.items.find((x) => x.org_name === PB_HEALTH);

      await t.signIn(PB_ANALYST);
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
      await t.signIn(PB_HEALTH_REPORTER);
      await t.goto(`/assessments/${ours.id}`);
      await page.locator('#closed-notice', { hasText: 'is closed' }).waitFor();
      assert.equal(await page.locator('#save-draft').count(), 0, 'nothing to save in a closed campaign');
    },
  },
];
