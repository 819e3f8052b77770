// trainings_tests.mjs - the training pages as their users live in them: the National CERT analyst
// records who attended a hybrid session and how (in the room, online, absent) and sees the counts
// follow; the Punjab Health focal person registers a colleague on a phone and rates the session;
// the Punjab CERT analyst drafts a session from "training meets the gaps" with the weak
// organisations invited; the calendar and the capacity dashboard show what the API says.
// The sessions these tests need are made through the API.
import assert from 'node:assert/strict';
import {
  PHONE, DESKTOP, apiSignIn, apiSignOut, apiAs, norm, landedOn, noSidewaysScroll, signInAs, orgId,
} from './harness.mjs';
import {
  NATIONAL_ANALYST, ANALYST, REPORTER, PB_HEALTH,
} from './demo.mjs';

const at = (hours) => new Date(Date.now() + hours * 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z');

// The id of the org named `name`, as the National CERT's analyst sees the tree.
async function orgNamed(t, name) {
  await apiSignIn(t, NATIONAL_ANALYST);
  const id = await orgId(t, name);
  await apiSignOut(t);
  return id;
}

// A session made by `email` through the API (after signing in), and the people each org registers.
async function session(t, email, body) {
  return apiAs(t, email, 'POST', '/api/v1/trainings', {
    mode: 'hybrid', venue: 'KP CERT, Peshawar', meeting_url: 'https://meet.rabta.test/x', starts_at: at(-1), ends_at: at(3), ...body,
  }, 201);
}

// A person registered by `email` (the organiser names the org: orgId).
async function register(t, email, id, name, orgId) {
  return apiAs(t, email, 'POST', `/api/v1/trainings/${id}/people`, orgId ? { name, org_id: orgId } : { name }, 201);
}

export const tests = [
  {
    name: 'trainings (1366 px): the National CERT analyst records attendance by mode — KP in the room, Punjab online, one absent — and the counts, the invites and the API agree',
    viewport: DESKTOP,
    async fn(t, page) {
      const kp = await orgNamed(t, 'Khyber Pakhtunkhwa CERT');
      const pb = await orgNamed(t, 'Punjab CERT');
      const title = `Drill: KP in the room, Punjab online ${Date.now()}`;
      const s = await session(t, NATIONAL_ANALYST, { title, invited_org_ids: [kp, pb], topics: ['ir'] });
      // KP's person registered by the organiser, Punjab's by Punjab CERT's analyst
      const a = await register(t, NATIONAL_ANALYST, s.id, 'Ayesha Khan', kp);
      const b = await register(t, ANALYST, s.id, 'Bilal Ahmed');
      const c = await register(t, ANALYST, s.id, 'Sana Malik');
      await t.openAs(NATIONAL_ANALYST, `/trainings/${s.id}`);
      assert.equal(norm(await t.text('#training-title')), title);
      assert.match(norm(await t.text('#attendance-words')), /^0 of 3 attended$/);
      const rowOf = (p) => page.locator(`#people-table tr[data-person-id="${p.id}"]`);
      // a hybrid session offers both ways in, and absent (the people table loads apart from the
      // counts: wait for its row before reading it)
      await rowOf(a).locator('button[data-attend]').first().waitFor();
      assert.deepEqual(await rowOf(a).locator('button[data-attend]').evaluateAll((bs) => bs.map((x) => x.dataset.attend)), ['in_person', 'virtual', 'absent']);
      await rowOf(a).getByRole('button', { name: 'Ayesha Khan: In the room' }).click();
      await rowOf(a).locator('.attend-cell[data-attended="in_person"]').waitFor();
      await rowOf(b).getByRole('button', { name: 'Bilal Ahmed: Online' }).click();
      await rowOf(b).locator('.attend-cell[data-attended="virtual"]').waitFor();
      await rowOf(c).getByRole('button', { name: 'Sana Malik: Absent' }).click();
      await t.settle();
      await page.waitForFunction(() => /2 of 3 attended/.test(document.getElementById('attendance-words').textContent));
      assert.equal(norm(await t.text('#attendance-words')), '2 of 3 attended: 1 in the room, 1 online');
      assert.equal(norm(await rowOf(a).locator('.attend-now').textContent()), 'In the room');
      assert.equal(await rowOf(a).locator('button[data-attend="in_person"]').getAttribute('aria-pressed'), 'true');
      await t.screenshot('trainings-attendance-wide');
      const v = (await t.api('GET', `/api/v1/trainings/${s.id}`)).body;
      assert.deepEqual([v.registered, v.attended, v.in_person, v.virtual], [3, 2, 1, 1]);
      const people = (await t.api('GET', `/api/v1/trainings/${s.id}/people`)).body.items;
      assert.deepEqual(people.map((p) => [p.name, p.attended_mode]).sort(), [['Ayesha Khan', 'in_person'], ['Bilal Ahmed', 'virtual'], ['Sana Malik', null]]);
      // the invites table after a reload says the same per organisation
      await page.reload();
      await page.locator('body.ready').waitFor();
      await t.settle();
      assert.match(norm(await page.locator(`#invites-table tr[data-org-id="${kp}"]`).textContent()), /1\s*1\s*0$/);
      assert.match(norm(await page.locator(`#invites-table tr[data-org-id="${pb}"]`).textContent()), /2\s*0\s*1$/);
      // the session is in the month's calendar, on its day
      await t.visit('/trainings');
      await page.locator(`#calendar a[data-training-id="${s.id}"]`).waitFor();
      const day = await page.locator(`#calendar a[data-training-id="${s.id}"]`).evaluate((el) => el.closest('.cal-day').dataset.day);
      assert.equal(day, s.starts_at.slice(0, 10));
    },
  },
  {
    name: 'trainings (390 px): the Punjab Health focal person finds the invitation on the home page, registers a colleague, and once the colleague attended gives the feedback',
    viewport: PHONE,
    async fn(t, page) {
      const health = await orgNamed(t, PB_HEALTH);
      const title = `Phishing that fools no one ${Date.now()}`;
      const s = await session(t, ANALYST, { title, mode: 'virtual', venue: null, invited_org_ids: [health], starts_at: at(-0.5), ends_at: at(2) });
      await t.openAs(REPORTER, '/home');
      const item = page.locator(`#training-invitations [data-training-id="${s.id}"]`);
      await item.waitFor();
      await item.getByRole('link', { name: `Open ${title}` }).click();
      await page.locator('#training-title').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#meeting-link')), /meet\.rabta\.test/);
      const f = page.locator('form.register-form');
      await f.getByLabel('Name').fill('Hina Qureshi');
      await f.getByRole('button', { name: 'Register' }).click();
      await page.locator('#people-table tr[data-name="Hina Qureshi"]').waitFor();
      await t.settle();
      await noSidewaysScroll(t, 'the session page');
      await t.screenshot('trainings-registered-phone');
      // the organiser records that she attended online
      const p = (await t.api('GET', `/api/v1/trainings/${s.id}/people`)).body.items.find((x) => x.name === 'Hina Qureshi');
      await apiSignOut(t);
      await page.goto('about:blank');
      await apiSignIn(t, ANALYST);
      assert.equal((await t.api('POST', `/api/v1/trainings/${s.id}/attendance`, { person_id: p.id, mode: 'virtual' })).status, 200);
      await signInAs(t, REPORTER);
      await t.visit(`/trainings/${s.id}`);
      await page.locator(`#people-table tr[data-person-id="${p.id}"]`).getByRole('button', { name: 'Give feedback' }).click();
      const dlg = page.locator('dialog[data-dialog="feedback"]');
      await dlg.getByLabel('Rating').selectOption('4');
      await dlg.getByLabel('Comment (optional)').fill('Useful; more examples from our sector, please.');
      await dlg.getByRole('button', { name: 'Save feedback' }).click();
      await page.locator(`#people-table tr[data-person-id="${p.id}"] .feedback-cell`).filter({ hasText: '4 of 5' }).waitFor();
      const after = (await t.api('GET', `/api/v1/trainings/${s.id}`)).body;
      assert.deepEqual([after.feedback_count, after.feedback_mean], [1, 4]);
    },
  },
  {
    name: 'trainings (390 px): the Punjab CERT analyst drafts a session from the gaps view with the weak organisations that had no session invited; the draft sends nothing until scheduled',
    viewport: PHONE,
    async fn(t, page) {
      await t.signIn(ANALYST);
      // the demo's national campaign in progress (other tests launch campaigns of their own)
      const camps = await t.apiAll('/api/v1/campaigns');
      const camp = camps.find((c) => c.title === 'National baseline self-assessment, December 2026');
      assert.ok(camp, 'the demo has its December campaign');
      const gaps = (await t.api('GET', `/api/v1/trainings/gaps?campaign_id=${camp.id}`)).body;
      const d = gaps.domains.find((x) => x.weak_untrained > 0);
      assert.ok(d, 'the demo has a domain with weak organisations that had no session');
      await t.visit(`/trainings/gaps?campaign_id=${camp.id}`);
      assert.match(norm(await t.text('#gaps-summary')), new RegExp(gaps.campaign_title));
      const card = page.locator(`.gap-domain[data-domain="${d.id}"]`);
      assert.match(norm(await card.textContent()), new RegExp(`${d.weak_untrained} had none`));
      await t.screenshot('trainings-gaps-phone');
      await card.locator(`button[data-draft="${d.id}"]`).click();
      await page.locator('#training-title').waitFor();
      const id = await landedOn(t, 'trainings');
      const draft = (await t.api('GET', `/api/v1/trainings/${id}`)).body;
      assert.equal(draft.status, 'draft');
      assert.deepEqual(draft.topics.map((x) => x.id), [d.id]);
      assert.equal(draft.invited, d.weak_untrained);
      const invited = (await t.api('GET', `/api/v1/trainings/${id}/invites`)).body.items.map((i) => i.org_id).sort();
      assert.deepEqual(invited, d.untrained_orgs.map((o) => o.org_id).sort());
      assert.match(norm(await t.text('#banner-host')), /draft/);
      assert.equal(await page.locator('#training-badges [data-status="draft"]').count(), 1);
      assert.equal(await page.locator('#edit-panel').getAttribute('open'), '', 'the draft opens its details to complete');
      assert.equal(await page.locator('#schedule-btn').count(), 1);
      // a draft plans nothing: the gaps are as they were
      const again = (await t.api('GET', `/api/v1/trainings/gaps?campaign_id=${camp.id}&domain=${d.id}`)).body.domains[0];
      assert.equal(again.weak_untrained, d.weak_untrained);
      await noSidewaysScroll(t, 'the draft\'s page');
      await t.screenshot('trainings-draft-phone');
    },
  },
  {
    name: 'trainings (1366 px): the capacity dashboard shows the roll-up’s numbers (sessions held, reached, attendance, by mode) and says what its bars rest on',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.openAs(NATIONAL_ANALYST, '/trainings/dashboard');
      const ru = (await t.api('GET', '/api/v1/trainings/rollup')).body;
      assert.equal(norm(await t.text('[data-figure="held"] .figure-value')), String(ru.sessions_held));
      assert.equal(norm(await t.text('[data-figure="reached"] .figure-value')), String(ru.orgs_reached));
      assert.match(norm(await t.text('#dash-summary')), new RegExp(`${ru.attended} of ${ru.registered} people registered attended, ${ru.in_person} in the room and ${ru.virtual} online`));
      for (const p of ru.by_province) {
        const bar = page.locator(`figure[data-chart="attended-by-province"] rect.bar[data-key="${p.key || 'none'}"]`);
        assert.equal(await bar.getAttribute('data-value'), String(p.attended));
        assert.equal(await bar.getAttribute('data-of'), String(p.registered));
      }
      assert.equal(await page.locator('#dash-orgs tbody tr').count(), ru.by_org.length);
      await t.screenshot('trainings-dashboard-wide');
    },
  },
  {
    name: 'trainings (390 px): the Punjab Health focal person makes the organisation’s calendar feed, a calendar program reads it without signing in, and once revoked it answers 404',
    viewport: PHONE,
    async fn(t, page) {
      t.allowHttp(404); // the feed's GET answers 404 while the organisation has none
      const s = await session(t, NATIONAL_ANALYST, { title: `Feed session ${Date.now()}`, invited_org_ids: [await orgNamed(t, PB_HEALTH)], status: 'scheduled' });
      await t.openAs(REPORTER, '/trainings?view=list');
      const panel = page.locator('#calendar-feed');
      await panel.locator('summary').click();
      await t.settle();
      const make = panel.getByRole('button', { name: /Make (a feed|a new) address/ });
      if (norm(await make.textContent()) === 'Make a new address') {
        await make.click();
        await page.getByRole('dialog').getByRole('button', { name: 'Make a new address' }).click();
      } else {
        await make.click();
      }
      const url = await page.locator('#feed-url').inputValue();
      assert.match(url, /\/api\/v1\/calendar\/rbc_[0-9a-f]{64}\.ics$/);
      await t.settle();
      assert.match(norm(await t.text('#feed-summary')), /^A feed address \(rbc_[0-9a-f]{8}…\) is active since /);
      const path = new URL(url).pathname;
      const ics = await t.fetchPlain(path); // no cookies: the address is the credential
      assert.equal(ics.status, 200);
      assert.match(ics.body, /^BEGIN:VCALENDAR\r\n/);
      assert.ok(ics.body.includes(`SUMMARY:${s.title}`), 'the invited session is in the feed');
      await t.screenshot('trainings-feed-phone');
      await panel.getByRole('button', { name: 'Revoke' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke feed' }).click();
      // The panel is drawn again from the feed's GET once the DELETE is answered: wait for it,
      // and say what the page shows if it never comes.
      await page.locator('#feed-summary', { hasText: /has no calendar feed\.$/ }).waitFor({ timeout: 10000 }).catch(async () => {
        const said = await page.locator('.banner-text').allTextContents();
        assert.fail(`after Revoke the panel says "${await t.text('#feed-summary')}" and the banner "${said.join(' ')}"`);
      });
      await t.settle();
      assert.match(norm(await t.text('#feed-summary')), /has no calendar feed\.$/);
      assert.equal((await t.fetchPlain(path)).status, 404);
    },
  },
  {
    name: 'trainings (1366 px): the National CERT analyst organises a session from the form — a domain, two organisers with the analyst leading, KP CERT invited — and the session page and the API agree',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.signIn(NATIONAL_ANALYST);
      const me = (await t.api('GET', '/api/v1/me')).body.user;
      const admin = (await t.apiAll('/api/v1/me/colleagues')).find((p) => p.email === 'admin@ncert.rabta.test');
      assert.ok(admin, 'the National CERT admin is a colleague');
      const kp = await t.api('GET', '/api/v1/orgs?limit=500');
      const kpOrg = kp.body.items.find((o) => o.short_name === 'KP-CERT' || o.name === 'KP CERT' || o.name === 'Khyber Pakhtunkhwa CERT');
      assert.ok(kpOrg, 'KP CERT is in the tree');
      await t.visit('/trainings/new');
      const title = `Tabletop on ransomware ${Date.now()}`;
      await page.locator('.training-form input[name=title]').fill(title);
      await page.locator('.training-form select[name=mode]').selectOption('in_person');
      await page.locator('.training-form input[name=venue]').fill('National CERT, Islamabad, Hall 2');
      const firstTopic = page.locator('#topics > ul input[type=checkbox]').first();
      const domain = await firstTopic.getAttribute('value');
      await firstTopic.check();
      // And one control of another domain, from "Or name specific controls".
      await page.locator('#control-topics summary').click();
      await page.locator('#topic-ir-2').check();
      // The analyst is checked as the lead already; the admin joins.
      assert.equal(await page.locator(`#staff-${me.id}`).isChecked(), true);
      await page.locator(`#staff-${admin.id}`).check();
      await page.locator(`#inv-${kpOrg.id}`).check();
      await page.getByRole('button', { name: 'Schedule and invite' }).click();
      await page.waitForURL(/#\/trainings\/[0-9a-f-]{36}$/);
      await t.settle();
      const id = page.url().split('/').pop();
      const s = (await t.api('GET', `/api/v1/trainings/${id}`)).body;
      assert.equal(s.title, title);
      assert.equal(s.mode, 'in_person');
      assert.equal(s.status, 'scheduled');
      assert.deepEqual(s.staff.map((p) => p.id), [me.id, admin.id]);
      assert.deepEqual(s.topics.map((x) => [x.id, x.kind]), [[domain, 'domain'], ['ir-2', 'control']]);
      assert.equal(s.invited, 1);
      assert.equal(norm(await t.text('#training-staff')), `${me.name} (lead), ${admin.name}`);
      assert.equal(await page.locator('#training-staff a').first().getAttribute('href'), `mailto:${me.email}`);
      await t.screenshot('trainings-new-organised');
      // The admin takes the lead: the analyst is unchecked in "Change the session".
      await page.locator('#edit-panel summary').click();
      await page.locator(`#edit-panel #staff-${me.id}`).uncheck();
      await page.locator('#edit-panel').getByRole('button', { name: 'Save changes' }).click();
      await page.waitForFunction((n) => document.querySelector('#training-staff')?.textContent.trim() === n, admin.name);
      await t.settle();
      assert.deepEqual((await t.api('GET', `/api/v1/trainings/${id}`)).body.staff.map((p) => p.id), [admin.id]);
    },
  },
];
