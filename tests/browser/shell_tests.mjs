// shell_tests.mjs - the UI as its users live in it: stories of the focal person (keyboard only, on a
// phone), the Punjab CERT analyst's home, the GRC director's preparedness roll-up, the auditor's trail,
// an org's assessments, and the behaviour every page shares (loading, retry, plain words, one
// banner, confirmation dialogs). Each story that depends on the width runs at 390 and 1366 px.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEMO_PASSWORD, PHONE, DESKTOP, apiSignIn, apiSignOut, atBothWidths, norm,
} from './harness.mjs';
import { ANALYST, REPORTER, AUDITOR, NATIONAL_ADMIN, PB_HEALTH } from './demo.mjs';

// The rows a list shows once it has caught up with its filters: a list reloads after the address
// changes, and on a busy machine that can come after the page looked idle. Polls for up to 5 s,
// then asserts.
async function sameSoon(get, want) {
  for (let i = 0; i < 50; i++) {
    if (JSON.stringify(await get()) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(await get(), want);
}

const here = path.dirname(fileURLToPath(import.meta.url));


const DAY = 86400000;
const dayNo = (x) => Math.floor(new Date(x.length === 10 ? `${x}T00:00:00Z` : x).getTime() / DAY);
const todayNo = () => Math.floor(Date.now() / DAY);
const isoDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);
const fmtScore = (v) => (v === null || v === undefined ? '—' : (Math.round(Number(v) * 10) / 10).toFixed(1)); // one decimal, as ui/guidelines.js
const plural = (n, one, many) => `${n} ${n === 1 ? one : (many || `${one}s`)}`;
const WORDS = {
  'assessment.create': 'Assessment created', 'assessment.save': 'Assessment saved', 'assessment.submit': 'Assessment submitted',
  'assessment.review': 'Assessment reviewed', 'assessment.attach': 'Evidence file attached',
};

// A fresh campaign of the Punjab CERT over its institutions, due in `days` days; returns it.
async function launchPunjabCampaign(t, title, days) {
  await apiSignIn(t, ANALYST);
  const profiles = (await t.api('GET', '/api/v1/profiles')).body.items;
  let made = null;
  for (const p of profiles) {
    const r = await t.api('POST', '/api/v1/campaigns', { profile_id: p.id, title, due_date: isoDay(todayNo() + days) });
    if (r.status === 201) { made = r.body; break; }
  }
  await apiSignOut(t);
  assert.ok(made, 'a profile the Punjab CERT may launch');
  return made;
}

// The element with keyboard focus, described.
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {
      id: el.id, tag: el.tagName, text: (el.textContent || '').replace(/\s+/g, ' ').trim(),
      label: el.getAttribute('aria-label') || '', href: el.getAttribute('href') || '',
      left: r.left, right: r.right, visible: r.width > 0 && r.height > 0,
    };
  });
}

async function tabUntil(page, pred, { max = 60, back = false } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && pred(f)) return f;
  }
  throw new Error('the keyboard never reached the element');
}

// Signs in through the form as email and waits until the home's panel `panel` has drawn its body
// and the page has settled.
async function openHomePanel(t, email, panel) {
  await t.signIn(email);
  await t.page.locator(`[data-panel="${panel}"] .panel-body`).waitFor();
  await t.settle();
}

function focalPersonStory(viewport, label) {
  const phone = viewport.width < 800;
  return {
    name: `story (${label}, keyboard only): the Punjab Health focal person signs in, finds the self-assessment to fill with its progress and due date, opens it${phone ? ', and uses the menu (Enter opens, Esc closes)' : ' and goes home by the navigation'}`,
    viewport,
    async fn(t, page) {
      const title = `Punjab ${label} readiness check ${Date.now()}`;
      const campaign = await launchPunjabCampaign(t, title, 20);
      await t.signIn(REPORTER, DEMO_PASSWORD, { keyboard: true });
      await page.locator('#task-list').waitFor();
      await t.settle();
      const mine = (await t.apiAll('/api/v1/assessments?mine=1')).find((a) => a.campaign_id === campaign.id);
      assert.ok(mine, 'the new campaign reached Punjab Health');
      const item = page.locator(`#task-list .todo-item[data-assessment-id="${mine.id}"]`);
      assert.match(norm(await item.textContent()), new RegExp(`${title}.*Not started.*Due ${isoDay(todayNo() + 20)}, in 20 days\\..*0 of ${mine.total} controls answered`));
      assert.equal(await item.locator('svg.meter').getAttribute('aria-label'), `0 of ${mine.total} controls answered`);
      assert.match(norm(await page.locator('#self-summary').textContent()), /self-assessments? to fill for Punjab CERT\./);
      // the header fits: on a phone a menu button and no navigation until it is opened
      assert.equal(await page.locator('#menu-button').isVisible(), phone);
      assert.equal(await page.locator('#app-nav').isVisible(), !phone);
      await t.screenshot(`story-focal-person-home-${label}`);

      // keyboard only: Tab to the task's action and press Enter
      const f = await tabUntil(page, (x) => x.label === `Start the self-assessment: ${title}`);
      assert.ok(f.visible && f.left >= 0 && f.right <= viewport.width, 'the focused action is on screen');
      await page.keyboard.press('Enter');
      await page.waitForFunction((id) => location.hash === `#/assessments/${id}`, mine.id);
      await page.locator('h1').first().waitFor();

      if (!phone) {
        // Shift+Tab from the page reaches the navigation; Enter on Home goes home
        await tabUntil(page, (x) => x.text === 'Home' && x.href === '#/home', { back: true, max: 12 });
        await page.keyboard.press('Enter');
        await page.locator('#home-title').waitFor();
        assert.equal(t.hash(), '#/home');
        return;
      }
      // the menu by keyboard: Shift+Tab from the page to the menu button, Enter opens, Esc closes
      await tabUntil(page, (x) => x.id === 'menu-button', { back: true, max: 8 });
      await page.keyboard.press('Enter');
      await page.locator('#app-nav.is-open').waitFor();
      assert.equal(await page.locator('#menu-button').getAttribute('aria-expanded'), 'true');
      const current = await focused(page);
      assert.equal(current.text, 'Assessments', 'focus goes to the current page in the menu');
      const navBox = await page.locator('#app-nav').boundingBox();
      assert.ok(navBox.x >= 0 && navBox.x + navBox.width <= viewport.width, 'the open menu fits the screen');
      await t.screenshot('story-focal-person-menu-phone');
      await page.keyboard.press('Escape');
      await page.locator('#app-nav').waitFor({ state: 'hidden' });
      assert.equal(await page.locator('#menu-button').getAttribute('aria-expanded'), 'false');
      assert.equal((await focused(page)).id, 'menu-button', 'Esc gives focus back to the menu button');
      // open again and go home with the keyboard; the menu closes on the way
      await page.keyboard.press('Enter');
      await page.locator('#app-nav.is-open').waitFor();
      await tabUntil(page, (x) => x.text === 'Home', { back: true, max: 10 });
      await page.keyboard.press('Enter');
      await page.locator('#home-title').waitFor();
      assert.equal(t.hash(), '#/home');
      assert.equal(await page.locator('#app-nav').isVisible(), false);
      // signing out is in the menu on a phone
      await t.openMenu();
      await page.locator('#app-nav').getByRole('button', { name: 'Sign out' }).waitFor();
      assert.match(norm(await page.locator('.nav-account').textContent()), /Punjab Health Services Directorate · Reporter/);
    },
  };
}

function reviewQueueStory(viewport, label) {
  return {
    name: `story (${label}): the Punjab CERT analyst's home says how many assessments wait for review and for how long; Review opens one`,
    viewport,
    async fn(t, page) {
      await openHomePanel(t, ANALYST, 'review');
      const queue = (await t.apiAll('/api/v1/assessments?review=1&status=submitted'))
        .sort((a, b) => a.submitted_at.localeCompare(b.submitted_at));
      const panel = page.locator('[data-panel="review"]');
      // a provincial analyst's home: the incident inbox, overdue incidents and the CERT's advisories to
      // acknowledge (hours count), then the review queue
      const order = await page.locator('#home-panels > .panel').evaluateAll((ps) => ps.map((p) => p.dataset.panel));
      assert.deepEqual(order.slice(0, 4), ['inbox', 'overdue-incidents', 'advisories-to-ack', 'review']);
      if (!queue.length) {
        assert.match(norm(await panel.textContent()), /No assessment waits for your review/);
        return;
      }
      const waits = queue.map((a) => todayNo() - dayNo(a.submitted_at));
      const n = queue.length;
      const summary = norm(await page.locator('#review-summary').textContent());
      assert.equal(summary, `${n === 1 ? '1 assessment waits' : `${n} assessments wait`} for your review. ${n === 1 ? 'It has' : 'The oldest has'} waited ${plural(waits[0], 'day')} (submitted ${queue[0].submitted_at.slice(0, 10)}).`);
      const items = page.locator('#review-queue .queue-item');
      assert.equal(await items.count(), Math.min(n, 8));
      for (let i = 0; i < Math.min(n, 8); i++) {
        const a = queue[i];
        const item = page.locator(`#review-queue .queue-item[data-assessment-id="${a.id}"]`);
        assert.match(norm(await item.textContent()), new RegExp(`^${a.org_name}`));
        assert.equal(norm(await item.locator('.queue-wait').textContent()),
          waits[i] === 0 ? 'waiting since today' : `waiting for ${plural(waits[i], 'day')}`);
        const btn = item.getByRole('link', { name: `Review the assessment of ${a.org_name}` });
        assert.equal(await btn.getAttribute('href'), `#/assessments/${a.id}/review`);
        assert.ok(await btn.isVisible(), 'the Review action is visible');
        const box = await btn.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, 'the Review action is on screen');
      }
      // the preparedness panel: counts that read without arithmetic, as the roll-up has them
      const open = (await t.apiAll('/api/v1/campaigns')).filter((c) => c.status === 'open');
      for (const c of open) {
        const r = (await t.api('GET', `/api/v1/campaigns/${c.id}/rollup`)).body;
        const block = page.locator(`.campaign-block[data-campaign-id="${c.id}"]`);
        if (!r.assessments) continue;
        if (r.submitted) {
          assert.equal(norm(await block.locator('[data-say="submitted"]').textContent()),
            `${r.submitted} submitted: ${r.accepted} accepted, ${r.submitted - r.accepted} awaiting review.`);
        }
        assert.equal(norm(await block.locator('[data-figure="overdue"] .figure-value').textContent()), String(r.overdue));
        assert.equal(norm(await block.locator('[data-figure="score"] .figure-value').textContent()), r.score.n ? fmtScore(r.score.mean) : '—');
        assert.match(norm(await block.locator('[data-figure="score"] .figure-label').textContent()), /^constituency score/);
      }
      await t.screenshot(`story-analyst-home-${label}`);
      // Review opens the review page of the longest-waiting assessment
      await page.locator(`#review-queue .queue-item[data-assessment-id="${queue[0].id}"]`).getByRole('link').click();
      await page.waitForFunction((id) => location.hash === `#/assessments/${id}/review`, queue[0].id);
      await page.locator('h1').first().waitFor();
    },
  };
}

function directorHomeStory(viewport, label) {
  return {
    name: `story (${label}): the GRC director reads the national preparedness roll-up: score, submission rate, overdue, by province with what each number rests on, thin data marked, a scale under the bars`,
    viewport,
    async fn(t, page) {
      await openHomePanel(t, NATIONAL_ADMIN, 'preparedness');
      assert.equal(await page.locator('#home-panels > .panel').first().getAttribute('data-panel'), 'preparedness');
      const meta = (await t.api('GET', '/api/v1/meta')).body;
      const names = new Map(meta.provinces.map((p) => [p.code, p.name]));
      const open = (await t.apiAll('/api/v1/campaigns')).filter((c) => c.status === 'open');
      assert.ok(open.length > 0, 'the demo has an open campaign');
      for (const c of open) {
        const r = (await t.api('GET', `/api/v1/campaigns/${c.id}/rollup`)).body;
        const block = page.locator(`.campaign-block[data-campaign-id="${c.id}"]`);
        assert.equal(await block.locator('h3 a').getAttribute('href'), `#/campaigns/${c.id}`);
        assert.equal(norm(await block.locator('[data-figure="score"] .figure-value').textContent()), r.score.n ? fmtScore(r.score.mean) : '—');
        assert.equal(norm(await block.locator('[data-figure="score"] .figure-label').textContent()),
          r.score.n ? `national score (mean of ${r.score.n})` : 'national score: none scored yet');
        assert.equal(norm(await block.locator('[data-figure="rate"] .figure-value').textContent()), `${Math.round((100 * r.submitted) / r.assessments)}%`);
        assert.equal(norm(await block.locator('[data-figure="rate"] .figure-label').textContent()), `submitted (${r.submitted} of ${r.assessments})`);
        const says = norm(await block.locator('[data-say="assessments"]').textContent());
        assert.equal(says, r.not_submitted
          ? `${plural(r.assessments, 'assessment')}: ${r.submitted} submitted, ${r.not_submitted} not submitted yet (${r.overdue} overdue).`
          : `${plural(r.assessments, 'assessment')}: ${r.assessments === 1 ? 'submitted' : `all ${r.submitted} submitted`}.`);
        if (r.submitted) {
          assert.equal(norm(await block.locator('[data-say="submitted"]').textContent()),
            `${r.submitted} submitted: ${r.accepted} accepted, ${r.submitted - r.accepted} awaiting review.`);
        }
        // by province: the mean, what it rests on (n scored of m assessed) and thin data marked
        const bars = block.locator(`[data-chart="province-scores-${c.id}"] li.barlist-row`);
        assert.equal(await bars.count(), r.by_province.length > 1 ? r.by_province.length : 0);
        if (r.by_province.length < 2) continue;
        for (const p of r.by_province) {
          const bar = block.locator(`li.barlist-row[data-key="${p.key || 'none'}"]`);
          assert.equal(norm(await bar.locator('.barlist-label').textContent()), p.key ? names.get(p.key) : 'No province (sector-wide)');
          assert.equal(norm(await bar.locator('.barlist-value').textContent()), fmtScore(p.mean));
          const m = p.n + r.not_submitted_orgs.filter((o) => (o.province || null) === p.key).length;
          assert.match(norm(await bar.locator('.barlist-note').textContent()), new RegExp(`^mean of ${p.n} scored of ${m} assessed${p.n < 3 ? ' · thin' : ''}$`));
          assert.equal(await bar.evaluate((el) => el.classList.contains('is-thin')), p.n < 3);
          // thin bars are drawn lighter, as on the dashboard (not in a louder colour)
          const fill = await bar.locator('.meter-fill').evaluate((el) => getComputedStyle(el).fill);
          assert.equal(fill, p.n < 3 ? 'rgb(159, 207, 212)' : 'rgb(42, 138, 148)', `fill of ${p.key}`);
        }
        if (r.by_province.some((p) => p.n < 3)) {
          assert.match(norm(await block.locator('.chart-caption').textContent()), /Thin: fewer than 3 organisations scored; drawn lighter/);
        }
        // a scale under the bars: 0 to 100 in steps of 25, at least 11 px, each tick under its place on the bars
        const chart = block.locator(`figure[data-chart="province-scores-${c.id}"]`);
        assert.deepEqual((await chart.locator('.barlist-tick').allTextContents()).map(norm), ['0', '25', '50', '75', '100']);
        assert.equal(norm(await chart.locator('.barlist-axis').textContent()), 'Mean score (0–100)');
        const geo = await chart.evaluate((fig) => {
          const track = fig.querySelector('.meter-track').getBoundingClientRect();
          const ticks = [...fig.querySelectorAll('.barlist-tick')].map((tk) => tk.getBoundingClientRect().left);
          const size = Math.min(...[...fig.querySelectorAll('.barlist-tick > span')].map((x) => parseFloat(getComputedStyle(x).fontSize)));
          return { left: track.left, width: track.width, ticks, size };
        });
        assert.ok(geo.size >= 11, `tick text at ${geo.size} px`);
        geo.ticks.forEach((x, i) => assert.ok(Math.abs(x - (geo.left + (geo.width * i) / 4)) <= 2, `tick ${i} at ${x}, bars from ${geo.left} over ${geo.width}`));
      }
      await t.screenshot(`story-director-home-${label}`);
    },
  };
}

function auditorStory(viewport, label) {
  return {
    name: `story (${label}): the auditor filters the audit trail (action family, org, changes only, dates, person), opens an entry, downloads the CSV and verifies the chain`,
    viewport,
    async fn(t, page) {
      await t.signIn(AUDITOR);
      await t.nav('Audit trail');
      await page.locator('#audit-table tbody tr').first().waitFor();
      await t.settle();
      assert.equal(t.hash(), '#/audit');

      // Verify chain: intact, in words, with the number of entries the server checked
      await page.getByRole('button', { name: 'Verify chain' }).click();
      const ok = page.locator('#verify-result [data-intact="true"]');
      await ok.waitFor();
      const v = (await t.api('GET', '/api/v1/audit/verify')).body;
      assert.equal(v.intact, true);
      assert.match(norm(await ok.innerText()), new RegExp(`^The audit trail is intact\\. All ${v.entries} entries check out`));
      // a broken chain (the server's answer replayed): where it breaks and what that means
      await page.route('**/api/v1/audit/verify', (route) => route.fulfill({
        status: 200, contentType: 'application/json',
        body: JSON.stringify({ intact: false, entries: v.entries, head: v.head, bad_seq: 57, reason: 'its content does not match its hash: the entry was changed' }),
      }));
      await page.getByRole('button', { name: 'Verify chain' }).click();
      const broken = page.locator('#verify-result [data-intact="false"]');
      await broken.waitFor();
      assert.match(norm(await broken.innerText()), /^The audit trail is broken at entry #57\. Its content does not match its hash: the entry was changed\. Entries #1 to #56 check out; from #57 on, the record cannot be trusted/);
      assert.equal(await broken.getAttribute('role'), 'alert');
      await page.unroute('**/api/v1/audit/verify');

      // filters: every assessment action of Punjab Health, changes only
      const orgs = await t.apiAll('/api/v1/orgs');
      const pbh = orgs.find((o) => o.name === PB_HEALTH);
      const box = page.locator('#audit-filters');
      if (!(await box.evaluate((d) => d.open))) await box.locator('summary').click(); // folded on a phone
      await box.getByLabel('Action').selectOption('assessment.');
      await box.getByLabel('Organisation').selectOption(pbh.id);
      await box.getByLabel(/Changes only/).check();
      await box.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForFunction(() => location.hash.includes('action=assessment.'));
      await t.settle();
      const q = `action=assessment.&org_id=${pbh.id}&changes=1`;
      const want = (await t.api('GET', `/api/v1/audit?${q}&limit=50`)).body.items;
      assert.ok(want.length > 0, 'Punjab Health has assessment entries');
      const seqs = async () => page.locator('#audit-table tbody tr').evaluateAll((rs) => rs.map((r) => Number(r.dataset.seq)));
      await sameSoon(seqs, want.map((e) => e.seq));
      assert.match(t.hash(), /action=assessment\./);
      assert.match(t.hash(), new RegExp(`org_id=${pbh.id}`));
      assert.match(t.hash(), /changes=1/);
      // actions in words, never codes; objects by name, linked to their page
      for (const lbl of await page.locator('#audit-table tbody .action-label').allTextContents()) {
        assert.match(lbl, /^(Assessment (created|saved|submitted|reviewed)|Evidence file attached|Remediation plan updated)$/);
      }
      const first = want[0];
      const firstRow = page.locator(`#audit-table tbody tr[data-seq="${first.seq}"]`);
      assert.equal(await firstRow.getByRole('link', { name: first.object_name }).getAttribute('href'), `#/assessments/${first.object_id}`);
      assert.match(norm(await page.locator('#audit-status').textContent()), /about assessments, in Punjab Health Services Directorate, changes only/);

      // one day: since = until = the newest entry's day
      const day = first.at.slice(0, 10);
      await box.getByLabel('From').fill(day);
      await box.getByLabel('To').fill(day);
      await box.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForFunction((d) => location.hash.includes(`until=${d}`), day);
      await t.settle();
      const dayWant = (await t.api('GET', `/api/v1/audit?${q}&since=${day}&until=${day}&limit=50`)).body.items;
      await sameSoon(seqs, dayWant.map((e) => e.seq));
      // an end before the start is refused next to the field, in words
      await box.getByLabel('From').fill(isoDay(dayNo(day) + 1));
      await box.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('The end date is before the start date.').waitFor();
      await box.getByLabel('From').fill(day);

      // the person filter (part of an email)
      await box.getByLabel('Person').fill('reporter@pb-health');
      await box.getByLabel('From').fill('');
      await box.getByLabel('To').fill('');
      await box.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForFunction(() => location.hash.includes('actor='));
      await t.settle();
      const actorWant = (await t.api('GET', `/api/v1/audit?${q}&actor=reporter%40pb-health&limit=50`)).body.items;
      await sameSoon(seqs, actorWant.map((e) => e.seq));
      if (!actorWant.length) await page.getByText('No entry matches these filters.').waitFor();
      // the kind of object: campaigns only (every org, every action)
      await box.getByLabel('Person').fill('');
      await box.getByLabel('Action').selectOption('');
      await box.getByLabel('Organisation').selectOption('');
      await box.getByLabel('Kind of object').selectOption('campaign');
      await box.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForFunction(() => location.hash.includes('object_kind=campaign') && !location.hash.includes('actor='));
      await t.settle();
      const kindWant = (await t.api('GET', '/api/v1/audit?object_kind=campaign&changes=1&limit=50')).body.items;
      assert.ok(kindWant.length > 0, 'campaigns were launched');
      await sameSoon(seqs, kindWant.map((e) => e.seq));
      for (const e of kindWant.slice(0, 3)) {
        const link = page.locator(`#audit-table tbody tr[data-seq="${e.seq}"]`).getByRole('link', { name: e.object_name, exact: true });
        assert.equal(await link.getAttribute('href'), `#/campaigns/${e.object_id}`);
      }
      // back to the assessments of Punjab Health
      await box.getByLabel('Kind of object').selectOption('');
      await box.getByLabel('Action').selectOption('assessment.');
      await box.getByLabel('Organisation').selectOption(pbh.id);
      await box.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForFunction(() => !location.hash.includes('object_kind='));
      await t.settle();
      await sameSoon(seqs, want.map((e) => e.seq));

      // an entry's details: every field, the whole hash; Esc closes and gives focus back
      const details = firstRow.getByRole('button', { name: /^Details of entry/ });
      await details.click();
      const anyDlg = page.locator('dialog[open]');
      await anyDlg.waitFor();
      assert.equal(norm(await anyDlg.locator('h2').textContent()), `Entry #${first.seq}: ${WORDS[first.action]}`);
      const fact = async (k) => norm(await anyDlg.locator(`dd[data-field="${k}"]`).textContent());
      assert.equal(await fact('hash'), first.hash);
      assert.equal(await fact('seq'), `#${first.seq}`);
      assert.equal(await fact('at_iso'), first.at);
      assert.equal(await fact('object_id'), first.object_id);
      assert.equal(await fact('object_name'), first.object_name);
      assert.equal(await fact('org'), PB_HEALTH);
      assert.match(await fact('action'), new RegExp(first.action.replace('.', '\\.')));
      await t.screenshot(`story-audit-entry-${label}`);
      await page.keyboard.press('Escape');
      await anyDlg.waitFor({ state: 'detached' });
      assert.match((await focused(page)).label, new RegExp(`^Details of entry ${first.seq}`));

      // CSV with the same filters, as a download
      const link = page.locator('#audit-export');
      assert.equal(await link.getAttribute('href'), `/api/v1/audit/export?${q}`);
      const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(dl.suggestedFilename(), 'audit.csv');
      const csv = fs.readFileSync(await dl.path(), 'utf8').trim().split(/\r?\n/);
      assert.equal(csv[0], 'seq,at,actor,org,action,object_kind,object_id,object_name,hash');
      const all = await t.apiAll(`/api/v1/audit?${q}`);
      assert.equal(csv.length - 1, all.length, 'one line per filtered entry');
      assert.ok(csv.slice(1).every((l) => /,assessment\.[a-z]+,/.test(l)));

      // the filters survive a reload (they are in the address)
      await page.reload();
      await page.locator('#audit-table tbody tr').first().waitFor();
      await t.settle();
      assert.equal(await page.locator('#audit-filters').getByLabel('Action').inputValue(), 'assessment.');
      assert.equal(await page.locator('#audit-filters').getByLabel(/Changes only/).isChecked(), true);
      await sameSoon(seqs, want.map((e) => e.seq));
      await t.screenshot(`story-audit-filtered-${label}`);

      // from an entry's details to every entry about its object
      const objRow = page.locator(`#audit-table tbody tr[data-object-id="${first.object_id}"]`).first();
      await objRow.getByRole('button', { name: /^Details of entry/ }).click();
      await page.locator('dialog[open]').getByRole('link', { name: `Every entry about ${first.object_name}` }).click();
      await page.waitForFunction((id) => location.hash.includes(`object_id=${id}`), first.object_id);
      await page.locator('#object-chip', { hasText: `Only entries about ${first.object_name}` }).waitFor();
      await t.settle();
      const objWant = (await t.api('GET', `/api/v1/audit?object_kind=assessment&object_id=${first.object_id}&limit=50`)).body.items;
      await sameSoon(seqs, objWant.map((e) => e.seq));
      assert.equal(await page.locator('dialog[open]').count(), 0);

      // Clear filters: everything again, newest first (this sign-in on top)
      const fbox = page.locator('#audit-filters');
      if (!(await fbox.evaluate((d) => d.open))) await fbox.locator('summary').click();
      await fbox.getByRole('button', { name: 'Clear filters' }).click();
      await page.waitForFunction(() => location.hash === '#/audit');
      await t.settle();
      assert.equal(await page.locator('#audit-table tbody tr').first().getAttribute('data-action'), 'session.create');

    },
  };
}

function orgPageStory(viewport, label) {
  return {
    name: `story (${label}): an org's page lists its self-assessments with scores, each linking to the assessment`,
    viewport,
    async fn(t, page) {
      await t.signIn(NATIONAL_ADMIN);
      const org = (await t.apiAll('/api/v1/orgs')).find((o) => o.name === PB_HEALTH);
      const items = await t.apiAll(`/api/v1/assessments?org_id=${org.id}`);
      assert.ok(items.length >= 2, 'the demo has assessments of Punjab Health');
      await t.goto(`/orgs/${org.id}`);
      await page.locator('#org-assessments-table').waitFor();
      await t.settle();
      const rows = page.locator('#org-assessments-table tbody tr');
      assert.equal(await rows.count(), items.length);
      for (const a of items) {
        const row = page.locator(`#org-assessments-table tr[data-assessment-id="${a.id}"]`);
        assert.equal(await row.getByRole('link', { name: a.campaign_title, exact: true }).getAttribute('href'), `#/assessments/${a.id}`);
        assert.equal(norm(await row.locator('.score-cell').textContent()), a.score === null ? 'not scored yet' : fmtScore(a.score));
        const open = row.getByRole('link', { name: `Open the assessment: ${a.campaign_title}` });
        assert.ok(await open.isVisible(), 'the Open action is visible');
      }
      const latest = items.filter((a) => a.score !== null).sort((a, b) => b.due_date.localeCompare(a.due_date))[0];
      assert.match(norm(await page.locator('#org-assessments .say').textContent()), new RegExp(`latest score is ${fmtScore(latest.score).replace('.', '\\.')} of 100`));
      // links to the org's audit trail and users for those who may read them
      assert.equal(await page.locator('#org-assessments').getByRole('link', { name: 'Its audit trail' }).getAttribute('href'), `#/audit?org_id=${org.id}`);
      await t.screenshot(`story-org-assessments-${label}`);
      await page.locator(`#org-assessments-table tr[data-assessment-id="${items[0].id}"]`).getByRole('link', { name: /^Open the assessment/ }).click();
      await page.waitForFunction((id) => location.hash === `#/assessments/${id}`, items[0].id);
    },
  };
}

function sharedRetry(viewport, label) {
  return {
    name: `shared (${label}): a failed load says what failed in plain words with Try again; a slow one shows a loading state; a failed page can be tried again`,
    viewport,
    async fn(t, page) {
      t.allowHttp(503, 500);
      await t.signIn(ANALYST);
      await t.settle();
      // the review queue fails once (the database is busy), the campaigns answer slowly
      let failures = 1;
      await page.route(/\/api\/v1\/assessments\?.*review=1/, (route) => {
        if (failures-- > 0) {
          route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'database is locked' } }) });
        } else route.continue();
      });
      await page.route(/\/api\/v1\/campaigns(\?|$)/, async (route) => {
        await new Promise((r) => setTimeout(r, 900));
        await route.continue();
      });
      await t.goto('/orgs');
      await page.locator('#org-tree').waitFor();
      await t.goto('/home');
      const loadingPanel = page.locator('[data-panel="preparedness"] .state-loading');
      await loadingPanel.waitFor();
      assert.equal(norm(await loadingPanel.textContent()), 'Loading the open campaigns…');
      await page.locator('#busy.is-busy', { hasText: 'Loading…' }).waitFor();
      const err = page.locator('[data-panel="review"] .state-error');
      await err.waitFor();
      assert.equal(norm(await err.locator('p').textContent()),
        'The review queue could not be loaded. The server cannot reach its database just now. Try again in a moment.');
      assert.equal(await err.getAttribute('role'), 'alert');
      await t.screenshot(`shared-retry-${label}`);
      // the other panels are not held up by the failure
      await page.locator('[data-panel="constituency"] .stats').waitFor();
      await err.getByRole('button', { name: 'Try again' }).click();
      await page.locator('#review-queue, [data-panel="review"] .state-empty').first().waitFor();
      await page.locator('[data-panel="preparedness"] .campaign-block').first().waitFor();
      await t.settle();
      assert.equal(await page.locator('#busy').isVisible(), false, 'the loading indicator goes away');
      await page.unrouteAll();

      // a page whose data fails: the whole page offers Try again
      let pageFail = 1;
      await page.route('**/api/v1/tokens', (route) => {
        if (pageFail-- > 0) route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'internal error' } }) });
        else route.continue();
      });
      await t.goto('/account');
      const perr = page.locator('.page > .state-error');
      await perr.waitFor();
      assert.equal(norm(await perr.locator('p').textContent()),
        'This page could not be loaded. Something went wrong on the server. Try again; if it happens again, tell your administrator.');
      await perr.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('heading', { name: 'API tokens' }).waitFor();
      await page.locator('#tokens-status', { hasText: /API tokens|active of/ }).waitFor();
    },
  };
}

function sharedPlainWords(viewport, label) {
  return {
    name: `shared (${label}): error messages are plain words, never raw field names (the API's own messages, at the field)`,
    viewport,
    async fn(t, page) {
      t.allowHttp(422);
      await t.signIn('admin@kp-cert.rabta.test');
      // the mapping itself, for messages of every page (including the guideline pages)
      const words = await page.evaluate(async () => {
        const { plainError } = await import('/ui/dom.js');
        // the field errors as the API words them: [message, field]
        const fieldErrors = [
          ['"due_date" is in the past', 'due_date'],
          ['"due_date" must be a date like 2027-03-31', 'due_date'],
          ['"maturity" must be between 0 and 5', 'answers[2].maturity'],
          ['"cii_grade" applies only to CII institutions (set "cii": true)', 'cii_grade'],
          ['"expires_in_days" must be 1 to 366', 'expires_in_days'],
          ['"min_cii_grade" must be 0 to 3', 'min_cii_grade'],
          ['"title" must be at least 2 characters long', 'title'],
          ['3 of 5 controls are not answered yet; answer every control (use not_applicable where one does not apply) before submitting', 'answers'],
        ].map(([message, field]) => ({ code: 'invalid_field', message, field }));
        const cases = [
          ...fieldErrors,
          { code: 'unavailable', message: 'database is locked' },
          { code: 'internal', status: 500, message: 'internal error' },
          { code: 'network', message: 'x' },
          { code: 'not_found', message: 'not found' },
        ];
        return cases.map(plainError);
      });
      for (const w of words) {
        assert.doesNotMatch(w, /"[a-z_]+"|[a-z]+_[a-z]+/, `raw field name in: ${w}`);
        assert.match(w, /^[A-Z0-9“]/, `starts a sentence: ${w}`);
        assert.match(w, /[.)]$/, `ends a sentence: ${w}`);
      }
      assert.equal(words[0], 'The due date is in the past: choose today or a later date.');
      assert.equal(words[2], 'The maturity must be between 0 and 5 (answer 3).');
      assert.equal(words[4], 'The number of days before the token expires must be 1 to 366.');

      // and on a real form: the token expiry refused by the server, shown at its field in words
      await t.goto('/account');
      const form = page.locator('.token-form');
      await form.getByLabel('Token name').fill('Too long');
      await form.getByLabel('Expires after (days)').fill('400');
      await form.getByRole('button', { name: 'Create token' }).click();
      const input = form.getByLabel('Expires after (days)');
      const err = page.locator(`#${await input.getAttribute('id')}-error`);
      await err.waitFor({ state: 'visible' });
      assert.match(norm(await err.textContent()), /^The number of days before the token expires must be (between 1 and 366|1 to 366)\.$/);
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      // a user's email, refused by the server
      await t.goto('/users');
      const uf = page.locator('.create-user-form');
      await uf.getByLabel('Email').fill('not-an-email');
      await uf.getByLabel('Full name').fill('Some One');
      await uf.getByLabel('Initial password').fill('a-long-enough-password');
      await uf.getByRole('button', { name: 'Create user' }).click();
      await uf.getByText('Enter an email address like name@example.org.').waitFor();
    },
  };
}

function sharedConfirm(viewport, label) {
  return {
    name: `shared (${label}): a confirmation dialog says what will happen; Esc and Cancel keep things as they are; one banner per event`,
    viewport,
    async fn(t, page) {
      await t.signIn('analyst@sindh-cert.rabta.test');
      await t.goto('/account');
      const form = page.locator('.token-form');
      // names of this width's run (the other width's tokens of the same person stay in the list)
      const NIGHTLY = `Nightly export ${label}`;
      const FEED = `Dashboard feed ${label}`;
      for (const name of [NIGHTLY, FEED]) {
        await form.getByLabel('Token name').fill(name);
        await form.getByRole('button', { name: 'Create token' }).click();
        await page.locator(`#tokens-table tr[data-name="${name}"]`).waitFor();
      }
      const row = page.locator(`#tokens-table tr[data-name="${NIGHTLY}"]`);
      const revoke = row.getByRole('button', { name: `Revoke token ${NIGHTLY}`, exact: true });
      assert.ok(await revoke.isVisible(), 'the main action of the row (a card on a phone) is visible');
      await revoke.click();
      const dlg = page.getByRole('dialog', { name: `Revoke the token “${NIGHTLY}”?` });
      await dlg.waitFor();
      assert.match(norm(await dlg.textContent()), /stop working at once.*cannot be brought back/);
      assert.equal((await focused(page)).text, 'Cancel', 'focus starts on Cancel');
      await t.screenshot(`shared-confirm-${label}`);
      await page.keyboard.press('Escape');
      await dlg.waitFor({ state: 'detached' });
      assert.equal((await focused(page)).label, `Revoke token ${NIGHTLY}`, 'focus returns to the button');
      await revoke.click();
      await dlg.getByRole('button', { name: 'Cancel' }).click();
      await dlg.waitFor({ state: 'detached' });
      const tokens = (await t.api('GET', '/api/v1/tokens')).body.items.filter((x) => x.name === NIGHTLY || x.name === FEED);
      assert.equal(tokens.length, 2);
      assert.ok(tokens.every((x) => x.revoked_at === null), 'Esc and Cancel revoke nothing');
      await revoke.click();
      await dlg.getByRole('button', { name: 'Revoke token' }).click();
      await page.locator(`#tokens-table tr[data-name="${NIGHTLY}"]`, { hasText: 'Revoked' }).waitFor();
      await page.locator('#banner-host .banner', { hasText: `The token “${NIGHTLY}” is revoked; it no longer works.` }).waitFor();
      assert.equal(await page.locator('#banner-host .banner').count(), 1);
      // the next event replaces the banner: still one
      await page.locator(`#tokens-table tr[data-name="${FEED}"]`).getByRole('button', { name: `Revoke token ${FEED}`, exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
      await page.locator('#banner-host .banner', { hasText: FEED }).waitFor();
      assert.equal(await page.locator('#banner-host .banner').count(), 1);
      // and a route change takes it away
      await t.goto('/home');
      await page.locator('#home-title').waitFor();
      assert.equal(await page.locator('#banner-host .banner').count(), 0);
    },
  };
}

export const tests = [
  ...atBothWidths(focalPersonStory),
  {
    name: 'shell (wide): the navigation is always shown, no menu button; the institution home has no constituency panels',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.signIn(REPORTER);
      await page.locator('#home-panels').waitFor();
      await t.settle();
      assert.equal(await page.locator('#menu-button').isVisible(), false);
      assert.equal(await page.locator('#app-nav').isVisible(), true);
      assert.equal(await page.locator('#whoami-name').isVisible(), true);
      const panels = await page.locator('#home-panels > .panel').evaluateAll((ps) => ps.map((p) => p.dataset.panel));
      assert.deepEqual(panels, ['advisories-to-ack', 'my-incidents', 'my-tasks', 'my-risks', 'training-invited', 'self-assessment', 'org']);
    },
  },
  ...atBothWidths(reviewQueueStory),
  ...atBothWidths(directorHomeStory, DESKTOP),
  ...atBothWidths(auditorStory, DESKTOP),
  {
    name: 'shell: the auditor\'s home starts with the recent changes (sign-ins left out), each in words with its object',
    async fn(t, page) {
      await t.signIn(AUDITOR);
      await page.locator('#recent-changes').waitFor();
      assert.equal(await page.locator('#home-panels > .panel').first().getAttribute('data-panel'), 'changes');
      const want = (await t.api('GET', '/api/v1/audit?changes=1&limit=10')).body.items;
      const got = await page.locator('#recent-changes .change-item').evaluateAll((ls) => ls.map((l) => Number(l.dataset.seq)));
      assert.deepEqual(got, want.map((e) => e.seq));
      assert.ok(want.every((e) => !e.action.startsWith('session.')));
      for (const e of want.slice(0, 3)) {
        const li = page.locator(`#recent-changes .change-item[data-seq="${e.seq}"]`);
        assert.doesNotMatch(norm(await li.locator('.change-what').textContent()), /\./, 'the action is in words, not a code');
        if (e.object_name) assert.match(norm(await li.textContent()), new RegExp(e.object_name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      }
      assert.equal(await page.locator('[data-panel="changes"] .panel-link').getAttribute('href'), '#/audit?changes=1');
    },
  },
  {
    name: 'audit words: every action the server can record (GET /api/v1/meta audit_actions) and every kind of object has words in ui/state.js, and every action a family in the filter',
    async fn(t, page) {
      const meta = (await t.api('GET', '/api/v1/meta')).body;
      assert.ok(meta.audit_actions.length > 40, `the server lists its actions (${meta.audit_actions.length})`);
      assert.ok(meta.audit_actions.includes('incident.task_overdue'));
      // the kinds of object an entry can name: the kind table of src/core/kind.c
      // (a row may name itself through a macro of kind.h, KIND_NAME_ASSESSMENT "assessment")
      const kindSrc = fs.readFileSync(path.join(here, '..', '..', 'src', 'core', 'kind.c'), 'utf8');
      const kindHdr = fs.readFileSync(path.join(here, '..', '..', 'src', 'core', 'kind.h'), 'utf8');
      const macros = Object.fromEntries([...kindHdr.matchAll(/#define (KIND_NAME_[A-Z_]+) "([a-z_]+)"/g)].map((m) => [m[1], m[2]]));
      const kinds = [...kindSrc.matchAll(/\.name = (?:"([a-z_]+)"|(KIND_NAME_[A-Z_]+))/g)].map((m) => m[1] || macros[m[2]]);
      assert.ok(kinds.every(Boolean), `every kind's name is found (${kinds.join(' ')})`);
      assert.ok(kinds.includes('assessment'), kinds.join(' '));
      assert.ok(kinds.includes('webhook') && kinds.length >= 9, kinds.join(' '));
      await t.goto('/signin');
      const got = await page.evaluate(async ({ actions, kindNames }) => {
        const st = await import('/ui/state.js');
        return {
          noWords: actions.filter((a) => !st.ACTION_LABELS[a]),
          fallback: actions.filter((a) => /:/.test(st.actionLabel(a))),
          noFamily: actions.filter((a) => !st.ACTION_FAMILIES.some(([p]) => a.startsWith(p))),
          noKind: kindNames.filter((k) => !st.OBJECT_KIND_LABELS[k]),
          unknown: Object.keys(st.ACTION_LABELS).filter((a) => !actions.includes(a)),
        };
      }, { actions: meta.audit_actions, kindNames: kinds });
      assert.deepEqual(got.noWords, [], 'actions without words in ACTION_LABELS');
      assert.deepEqual(got.fallback, [], 'actions shown in the "Kind: verb" fallback');
      assert.deepEqual(got.noFamily, [], 'actions in no family of ACTION_FAMILIES');
      assert.deepEqual(got.noKind, [], 'kinds without words in OBJECT_KIND_LABELS');
      assert.deepEqual(got.unknown, [], 'words for actions the server never records');
    },
  },
  ...atBothWidths(orgPageStory, DESKTOP),
  ...atBothWidths(sharedRetry),
  ...atBothWidths(sharedPlainWords, DESKTOP),
  ...atBothWidths(sharedConfirm),
];
