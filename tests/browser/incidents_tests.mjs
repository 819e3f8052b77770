// incidents_tests.mjs - the incident pages as their users live in them: the Punjab Health focal person
// reporting on a phone with the keyboard, the Punjab CERT analyst triaging and escalating to the
// National CERT, the status buttons each role is offered, the responsiveness dashboard against the
// API, the list's filters and "Load more", and bad input refused at its field with nothing created.
// Every incident these tests need is made through the API (the demo may have none).
import assert from 'node:assert/strict';
import {
  DEMO_PASSWORD, PHONE, DESKTOP, apiSignIn, apiSignOut, apiAs, signInAs, norm, landedOn, noSidewaysScroll,
} from './harness.mjs';
import {
  REPORTER, ANALYST, PUNJAB_ADMIN, NATIONAL_ANALYST, AUDITOR, FINANCE_REPORTER,
} from './demo.mjs';


// An incident reported by `email` through the API; returns it.
async function report(t, email, body) {
  return apiAs(t, email, 'POST', '/api/v1/incidents', {
    rsit_class: 'fraud', rsit_type: 'phishing', severity: 'medium', ...body,
  }, 201);
}

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? { id: el.id, name: el.getAttribute('name') || '', tag: el.tagName, text: (el.textContent || '').trim(), type: el.type || '' } : null;
  });
}
async function tabTo(page, pred, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && pred(f)) return f;
  }
  throw new Error('the keyboard never reached the element');
}
// Choose an option of the focused <select> with the arrow keys until its text matches.
async function arrowTo(page, re) {
  for (let i = 0; i < 40; i++) {
    const text = await page.evaluate(() => { const s = document.activeElement; return s && s.tagName === 'SELECT' ? s.options[s.selectedIndex].text : null; });
    assert.ok(text !== null, 'a select has the focus');
    if (re.test(text)) return text;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no option matches ${re}`);
}

// The status buttons the page offers, and the other actions.
async function offered(page) {
  return page.evaluate(() => ({
    statuses: [...document.querySelectorAll('#incident-actions button[data-status]')].map((b) => b.dataset.status).sort(),
    ack: !!document.getElementById('ack-btn'),
    escalate: !!document.getElementById('escalate-btn'),
  }));
}

export const tests = [
  {
    name: 'incidents (390 px, keyboard only): the Punjab Health focal person reports a CII phishing incident (kind, type with its description, severity), sees it escalated to the National CERT, and finds it on the home page',
    viewport: PHONE,
    async fn(t, page) {
      const title = `Phishing mails to the records staff ${Date.now()}`;
      await t.signIn(REPORTER, DEMO_PASSWORD, { keyboard: true });
      await t.settle();
      // the home page offers "Report an incident"; the keyboard reaches it
      await page.locator('#home-report').waitFor();
      await tabTo(page, (f) => f.id === 'home-report');
      await page.keyboard.press('Enter');
      await page.locator('form.incident-form').waitFor();
      await t.settle();
      assert.equal(t.hash(), '#/incidents/new');
      assert.equal((await focused(page)).name, 'title', 'the title has the focus');
      await page.keyboard.type(title);
      await page.keyboard.press('Tab');
      await page.keyboard.type('Staff received mails asking for their passwords; two answered.');
      await tabTo(page, (f) => f.name === 'rsit_class');
      await arrowTo(page, /^Fraud$/);
      await tabTo(page, (f) => f.name === 'rsit_type');
      await arrowTo(page, /^Phishing$/);
      const tax = (await t.api('GET', '/api/v1/taxonomy/rsit')).body;
      const phishing = tax.classes.find((c) => c.id === 'fraud').types.find((x) => x.id === 'phishing');
      assert.equal(norm(await t.text('#type-note')), norm(phishing.description), 'the type’s description is shown');
      await tabTo(page, (f) => f.name === 'severity');
      const sev = await arrowTo(page, /^High/);
      assert.match(sev, /important system or sensitive data/, 'each severity says what it means');
      await tabTo(page, (f) => f.name === 'cii_involved');
      assert.equal(await page.locator('input[name="cii_involved"]').isChecked(), false, 'Punjab Health is not a CII: not ticked');
      await page.keyboard.press('Space');
      assert.equal(await page.locator('input[name="cii_involved"]').isChecked(), true);
      assert.match(await t.text('#tlp-note'), /escalated/);
      assert.equal(await page.locator('select[name="tlp"]').inputValue(), 'AMBER');
      await t.screenshot('incidents-report-filled-phone');
      await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Report the incident');
      await page.keyboard.press('Enter');
      await page.locator('#incident-title').waitFor();
      const id = await landedOn(t, 'incidents');
      const inc = (await t.api('GET', `/api/v1/incidents/${id}`)).body;
      assert.equal(inc.title, title);
      assert.equal(inc.cii_involved, true);
      assert.equal(inc.severity, 'high');
      assert.equal(inc.handling_org_name, 'National CERT', 'a CII incident is escalated at once');
      const b = norm(await t.text('#banner-host'));
      assert.match(b, new RegExp(`${inc.reference} is reported\\. National CERT handles it now`));
      assert.match(b, /critical infrastructure is involved/);
      assert.match(norm(await t.text('#handled-by')), /^National CERT handles it/);
      assert.match(norm(await t.text('#handling-history')), /Punjab CERT.*National CERT.*critical infrastructure/);
      await noSidewaysScroll(t, 'the incident page');
      await t.screenshot('incidents-reported-phone');
      // home: "Your incidents" lists it with its next deadline
      await t.visit('/home');
      const item = page.locator(`#my-incidents [data-incident-id="${id}"]`);
      await item.waitFor();
      assert.match(norm(await item.textContent()), new RegExp(`${inc.reference}: ${title}.*handled by National CERT.*due in`));
    },
  },
  {
    name: 'incidents (1366 px): the Punjab CERT analyst triages from the inbox (acknowledge), adds a task for the institution, escalates with a reason; the National CERT analyst finds it in its inbox and on the list with the province filter',
    viewport: DESKTOP,
    async fn(t, page) {
      const inc = await report(t, REPORTER, { title: `Suspicious logins on the HR portal ${Date.now()}`, rsit_class: 'intrusions', rsit_type: 'unprivileged-account-compromise' });
      assert.equal(inc.handling_org_name, 'Punjab CERT');
      await t.signIn(ANALYST);
      await t.settle();
      const badge = page.locator('#nav-inbox-count');
      await badge.waitFor();
      assert.ok(Number(await badge.getAttribute('data-unread')) >= 1, 'the navigation shows unread items');
      await page.locator('#app-nav a[data-nav="inbox"]').click();
      await page.locator('#inbox-list').waitFor();
      await t.settle();
      const item = page.locator(`#inbox-list li[data-object-id="${inc.id}"][data-kind="triage"]`);
      assert.equal(await item.getAttribute('data-read'), 'false');
      assert.match(await item.getAttribute('class'), /is-unread/);
      await t.screenshot('incidents-inbox-wide');
      await item.locator('a.inbox-object').click();
      await page.locator('#incident-title').waitFor();
      await t.settle();
      assert.deepEqual(await offered(page), { statuses: ['rejected', 'triaged'], ack: true, escalate: true });
      await page.locator('#ack-btn').click();
      await page.locator('#incident-badges [data-status="triaged"]').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), /acknowledged by Punjab CERT and now triaged/);
      assert.deepEqual(await offered(page), { statuses: ['contained', 'rejected'], ack: false, escalate: true });
      // a task for the institution
      const tasks = page.locator('#tasks-panel');
      await tasks.getByLabel('What is to be done').fill('Reset the passwords of the HR portal accounts');
      await tasks.getByLabel('For').selectOption({ label: 'Punjab Health Services Directorate' });
      await tasks.getByLabel('Due').fill('2030-01-15');
      await tasks.getByRole('button', { name: 'Add task' }).click();
      await page.locator('#tasks-table tbody tr').filter({ hasText: 'Reset the passwords' }).waitFor();
      const tk = (await t.api('GET', `/api/v1/incidents/${inc.id}/tasks`)).body.items;
      assert.equal(tk.length, 1);
      assert.equal(tk[0].assignee_org_name, 'Punjab Health Services Directorate');
      assert.equal(tk[0].due_date, '2030-01-15');
      // escalate, with a reason asked in a dialog
      await page.locator('#escalate-btn').click();
      const dlg = page.locator('dialog[data-dialog="escalate"]');
      await dlg.waitFor();
      await dlg.getByLabel('Why it is escalated').fill('Same logins seen in other provinces');
      await dlg.getByRole('button', { name: 'Escalate' }).click();
      await page.locator('#handled-by').filter({ hasText: 'National CERT' }).waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), /escalated: National CERT handles it now/);
      assert.match(norm(await t.text('#handling-history')), /Escalated by hand: “Same logins seen in other provinces”/);
      assert.deepEqual(await offered(page), { statuses: [], ack: false, escalate: false }, 'Punjab CERT no longer handles it');
      // the National CERT analyst
      await page.locator('#signout').click();
      await page.locator('body:not(.signed-in)').waitFor();
      await t.signIn(NATIONAL_ANALYST);
      await t.settle();
      await page.locator(`#home-inbox li`).first().waitFor();
      await page.locator('#app-nav a[data-nav="inbox"]').click();
      await page.locator('#inbox-list').waitFor();
      await t.settle();
      const esc = page.locator(`#inbox-list li[data-object-id="${inc.id}"][data-kind="escalated"]`);
      assert.match(norm(await esc.textContent()), /Same logins seen in other provinces/);
      await page.locator('#app-nav a[data-nav="incidents"]').click();
      await page.locator('#incidents-table').waitFor();
      await t.settle();
      await page.locator('#incident-filters').getByLabel('Province').selectOption('punjab');
      await page.locator('#incident-filters').getByRole('button', { name: 'Apply filters' }).click();
      await t.settle();
      assert.match(t.hash(), /province=punjab/);
      await page.locator(`#incidents-table tr[data-incident-id="${inc.id}"]`).waitFor();
      const st = (await t.api('GET', '/api/v1/incidents/stats?province=punjab')).body;
      assert.equal(norm(await t.text('#incident-counts')), `${st.total} incident${st.total === 1 ? '' : 's'}, ${st.open} open, ${st.overdue} overdue match these filters.`);
      const rows = await page.locator('#incidents-table tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.incidentId));
      const list = (await t.api('GET', '/api/v1/incidents?province=punjab&limit=25')).body.items.map((x) => x.id);
      assert.deepEqual(rows, list, 'the rows are the API’s for the same filter');
    },
  },
  {
    name: 'incidents: the incident page offers exactly the status moves, Acknowledge and Escalate the API allows each role (handler analyst and admin, reporter, a CERT above, an org that may not read it)',
    viewport: DESKTOP,
    async fn(t, page) {
      t.allowHttp(404);
      const inc = await report(t, REPORTER, { title: `Fake invoices sent in our name ${Date.now()}`, rsit_type: 'masquerade', severity: 'low' });
      const check = async (email, stage) => {
        await signInAs(t, email);
        await t.settle(); // the home and its panels first: then the incident page is what renders
        const api = await t.api('GET', `/api/v1/incidents/${inc.id}`);
        await t.goto(`/incidents/${inc.id}`);
        // a change of the address alone is no reload: wait for the incident page itself
        await page.waitForFunction(() => !!document.querySelector('#incident-title')
          || /does not exist/.test((document.querySelector('#main') || {}).innerText || ''));
        await t.settle();
        if (api.status === 404) {
          assert.match(norm(await t.text('#main')), /does not exist, or it is outside what your organisation may see/, `${email} (${stage})`);
          assert.deepEqual(await offered(page), { statuses: [], ack: false, escalate: false });
        } else {
          const you = api.body.you;
          // Escalate only where there is a CERT above (the API's may_escalate is false at the National CERT)
          const up = you.may_escalate && api.body.handling_org_name !== 'National CERT';
          assert.deepEqual(await offered(page), { statuses: [...you.next_statuses].sort(), ack: you.may_acknowledge, escalate: up }, `${email} (${stage})`);
          if (!you.next_statuses.length && !you.may_acknowledge) assert.ok(await page.locator('#no-actions').isVisible());
        }
        await apiSignOut(t);
        return api.body && api.body.you;
      };
      const who = [ANALYST, PUNJAB_ADMIN, REPORTER, NATIONAL_ANALYST, AUDITOR, FINANCE_REPORTER];
      const seen = {};
      for (const email of who) seen[email] = await check(email, 'new');
      assert.deepEqual(seen[ANALYST].next_statuses.sort(), ['rejected', 'triaged']);
      assert.deepEqual(seen[REPORTER].next_statuses, []);
      await apiAs(t, ANALYST, 'POST', `/api/v1/incidents/${inc.id}/acknowledge`, {});
      for (const email of who) seen[email] = await check(email, 'triaged');
      assert.deepEqual(seen[REPORTER].next_statuses, ['contained'], 'the affected org may mark it contained');
      // the reporter marks it contained from its page, with a comment
      await signInAs(t, REPORTER);
      await t.visit(`/incidents/${inc.id}`);
      await page.locator('#incident-actions button[data-status="contained"]').click();
      const dlg = page.locator('dialog[data-dialog="status"]');
      await dlg.getByLabel('Comment (optional)').fill('Mail filter rule added');
      await dlg.getByRole('button', { name: 'Mark contained' }).click();
      await page.locator('#incident-badges [data-status="contained"]').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#timeline')), /Mail filter rule added/);
      const after = (await t.api('GET', `/api/v1/incidents/${inc.id}`)).body;
      assert.deepEqual(await offered(page), { statuses: [...after.you.next_statuses].sort(), ack: false, escalate: false });
    },
  },
  {
    name: 'incidents: the responsiveness dashboard shows the API’s numbers for the same period (overall, per CERT, per province), says what each bar rests on, and its CSV link works',
    viewport: DESKTOP,
    async fn(t, page) {
      const inc = await report(t, REPORTER, { title: `Outage of the appointments site ${Date.now()}`, rsit_class: 'availability', rsit_type: 'outage' });
      await t.signIn(ANALYST); // Punjab CERT reads the incidents it handles (the National CERT only those escalated or shared)
      await t.api('POST', `/api/v1/incidents/${inc.id}/acknowledge`, {});
      for (const days of [30, 365]) {
        await t.visit(`/responsiveness?days=${days}`);
        const overall = page.locator('#resp-overall');
        await overall.waitFor();
        const since = await overall.getAttribute('data-since');
        const sinceDay = new Date(Date.now() - days * 86400000).toISOString().slice(0, 10);
        assert.equal(since.slice(0, 10), sinceDay);
        const r = (await t.api('GET', `/api/v1/responsiveness?since=${sinceDay}`)).body;
        const judged = (a) => a.in_time + a.late + a.missed;
        assert.equal(Number(await overall.getAttribute('data-in-time')), r.overall.acknowledgement.in_time);
        assert.equal(Number(await overall.getAttribute('data-judged')), judged(r.overall.acknowledgement));
        assert.equal(Number(await overall.getAttribute('data-incidents')), r.overall.incidents);
        assert.match(norm(await t.text('#resp-summary')), new RegExp(`^${r.overall.incidents} incidents? reported in the period`));
        for (const [kind, groups] of [['cert', r.by_cert], ['province', r.by_province]]) {
          const want = groups.filter((g) => g.incidents > 0 || g.acknowledgement.periods > 0);
          const rows = await page.locator(`#resp-${kind} tbody tr`).evaluateAll((rs) => rs.map((x) => ({ key: x.dataset.key, inTime: Number(x.dataset.inTime), judged: Number(x.dataset.judged), text: x.textContent })));
          assert.deepEqual(rows.map((x) => [x.key, x.inTime, x.judged]), want.map((g) => [g.key || 'none', g.acknowledgement.in_time, judged(g.acknowledgement)]), `${kind} rows (${days} days)`);
          for (const [i, g] of want.entries()) {
            const n = judged(g.acknowledgement);
            if (n) assert.match(rows[i].text, new RegExp(`${g.acknowledgement.in_time} of ${n} in time`));
          }
          const punjab = want.find((g) => g.name === 'Punjab CERT' || g.key === 'punjab');
          assert.ok(punjab, `Punjab is among the ${kind} rows`);
          const bar = page.locator(`[data-chart="in-time-${kind}"] li[data-key="${punjab.key}"]`);
          assert.match(norm(await bar.textContent()), /\d+ of \d+ in time/);
        }
        assert.match(norm(await t.text('#resp-note')), /Only the incidents your organisation may read are counted/);
        const href = await page.locator('#resp-csv').getAttribute('href');
        assert.match(href, new RegExp(`since=${sinceDay}`));
        assert.match(href, /format=csv/);
        const res = await page.request.get(`${t.base}${href}`);
        assert.equal(res.status(), 200);
        assert.match(res.headers()['content-type'], /text\/csv/);
        const csv = await res.text();
        assert.match(csv.split('\n')[0], /^by,key,name,incidents/);
        assert.match(csv, new RegExp(`^all,"","All",${r.overall.incidents},`, 'm'));
      }
      await t.visit('/responsiveness?days=90');
      await t.screenshot('incidents-responsiveness-wide');
    },
  },
  {
    name: 'incidents: the list’s filters live in the address, the counts follow them, "Load more" fetches the next page by cursor, and the CSV link carries the filters',
    viewport: DESKTOP,
    async fn(t, page) {
      const word = `zqbatch${Date.now().toString(36)}`;
      await apiSignIn(t, REPORTER);
      for (let i = 0; i < 30; i++) {
        const r = await t.api('POST', '/api/v1/incidents', {
          title: `${word} scan number ${i}`, rsit_class: 'information-gathering', rsit_type: 'scanner', severity: i < 10 ? 'low' : 'baseline',
        });
        assert.equal(r.status, 201);
      }
      await apiSignOut(t);
      await t.openAs(ANALYST, `/incidents?q=${word}`);
      const rows = page.locator('#incidents-table tbody tr');
      assert.equal(await rows.count(), 25);
      assert.equal(norm(await t.text('#incident-counts')), '30 incidents, 30 open, 0 overdue match these filters.');
      assert.ok(await page.locator('#incidents-more').isVisible());
      const first = await rows.first().getAttribute('data-reference');
      await page.locator('#incidents-more').click();
      await page.waitForFunction(() => document.querySelectorAll('#incidents-table tbody tr').length === 30);
      await t.settle();
      assert.equal(await page.locator('#incidents-more').isVisible(), false);
      assert.equal(await rows.first().getAttribute('data-reference'), first, 'Load more adds below');
      const refs = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.reference));
      assert.equal(new Set(refs).size, 30, 'no row twice');
      // narrow to the low ones
      await page.locator('#incident-filters').getByLabel('Severity').selectOption('low');
      await page.locator('#incident-filters').getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForFunction(() => document.querySelectorAll('#incidents-table tbody tr').length === 10);
      await t.settle();
      assert.match(t.hash(), /severity=low/);
      assert.match(t.hash(), new RegExp(`q=${word}`));
      assert.equal(norm(await t.text('#incident-counts')), '10 incidents, 10 open, 0 overdue match these filters.');
      const href = await page.locator('#incidents-export').getAttribute('href');
      assert.match(href, /^\/api\/v1\/incidents\/export\?/);
      assert.match(href, /severity=low/);
      const res = await page.request.get(`${t.base}${href}`);
      assert.equal(res.status(), 200);
      const lines = (await res.text()).trim().split('\n');
      assert.equal(lines.length, 11, 'a heading and the 10 rows');
      // the address alone gives the same view (a reload)
      await page.reload();
      await page.locator('body.ready').waitFor();
      await t.settle();
      assert.equal(await rows.count(), 10);
      assert.equal(await page.locator('#incident-filters select[name="severity"]').inputValue(), 'low');
      assert.equal(await page.locator('#incident-filters input[name="q"]').inputValue(), word);
      // overdue only: none of these
      await page.locator('#incident-filters').getByLabel('Overdue only').check();
      await page.locator('#incident-filters').getByRole('button', { name: 'Apply filters' }).click();
      await page.locator('#incidents-state .state-empty').waitFor();
      assert.match(norm(await t.text('#incidents-state')), /No incident matches these filters/);
      await page.locator('#incidents-clear').click();
      await t.settle();
      assert.equal(t.hash(), '#/incidents');
    },
  },
  {
    name: 'incidents: bad input in the report form is refused by the server, shown in plain words at its field, and nothing is created',
    viewport: DESKTOP,
    async fn(t, page) {
      t.allowHttp(422);
      await t.signIn(REPORTER);
      const before = (await t.api('GET', '/api/v1/incidents/stats')).body.total;
      await t.visit('/incidents/new');
      const f = page.locator('form.incident-form');
      const submit = f.getByRole('button', { name: 'Report the incident' });
      const errorOf = async (name) => {
        const id = await f.locator(`[name="${name}"]`).getAttribute('id');
        return norm(await t.text(`#${id}-error`));
      };
      // no kind chosen
      await f.getByLabel('Title').fill('Defaced home page');
      await f.getByLabel('Severity').selectOption('medium');
      await submit.click();
      await page.locator('[data-error-for="rsit_class"]:not([hidden])').waitFor();
      assert.equal(await errorOf('rsit_class'), 'Choose the kind of incident and then its type.');
      // a title too short
      await f.getByLabel('Title').fill('ab');
      await f.getByLabel('Kind of incident').selectOption('abusive-content');
      await f.getByLabel('Type').selectOption('spam');
      await submit.click();
      await page.locator('[data-error-for="title"]:not([hidden])').waitFor();
      assert.equal(await errorOf('title'), 'Say in a few words what happened (at least 3 characters).');
      assert.equal(await f.locator('[name="title"]').getAttribute('aria-invalid'), 'true');
      assert.equal((await focused(page)).name, 'title', 'the field at fault has the focus');
      // detected in the future
      await f.getByLabel('Title').fill('Spam sent from our mail server');
      await f.getByLabel('When it was detected').fill('2099-01-01T10:00');
      await submit.click();
      await page.locator('[data-error-for="detected_at"]:not([hidden])').waitFor();
      assert.equal(await errorOf('detected_at'), 'The time it was detected is in the future: choose now or an earlier time.');
      assert.equal(await f.locator('[data-error-for="title"]').isHidden(), true, 'the earlier error is gone');
      const text = norm(await f.textContent());
      assert.doesNotMatch(text, /detected_at|rsit_|"title"/, 'no raw field names');
      assert.equal((await t.api('GET', '/api/v1/incidents/stats')).body.total, before, 'nothing was created');
      assert.equal(t.hash(), '#/incidents/new');
      await t.screenshot('incidents-report-refused-wide');
    },
  },
  {
    name: 'incidents: the reporter attaches a file (listed with size and SHA-256, downloadable, too large refused before sending) and links an incident of another province, which escalates both',
    viewport: DESKTOP,
    async fn(t, page) {
      const here = await report(t, REPORTER, { title: `Mail server sends spam ${Date.now()}`, rsit_class: 'abusive-content', rsit_type: 'spam' });
      const there = await report(t, 'reporter@sd-health.rabta.test', { title: `Spam from the Sindh health mail server ${Date.now()}`, rsit_class: 'abusive-content', rsit_type: 'spam' });
      assert.equal(there.province, 'sindh');
      await t.openAs(REPORTER, `/incidents/${here.id}`);
      const files = page.locator('#files-panel');
      const body = Buffer.from('Received: from mail.example\nSubject: win a prize\n');
      await files.getByLabel('Attach a file').setInputFiles({ name: 'headers.txt', mimeType: 'text/plain', buffer: body });
      await page.locator('#upload-btn').click();
      const li = page.locator('#files-list li').filter({ hasText: 'headers.txt' });
      await li.waitFor();
      const sha = (await import('node:crypto')).createHash('sha256').update(body).digest('hex');
      assert.equal(await li.getAttribute('data-sha256'), sha);
      assert.match(norm(await li.textContent()), new RegExp(`${body.length} bytes.*SHA-256 ${sha}`));
      const href = await li.locator('a').getAttribute('href');
      const dl = await page.request.get(`${t.base}${href}`);
      assert.equal(dl.status(), 200);
      assert.equal(await dl.text(), body.toString());
      await files.getByLabel('Attach a file').setInputFiles({ name: 'disk.img', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
      await page.locator('#upload-btn').click();
      assert.match(norm(await t.text('#files-panel .field-error')), /disk\.img is 10\.0 MiB: a file may be at most 10 MiB\./);
      assert.equal((await t.api('GET', `/api/v1/incidents/${here.id}/attachments`)).body.items.length, 1, 'the large file was not sent');
      // a link to the Sindh incident: the reporter may not read it, so it is refused in words
      t.allowHttp(422);
      const links = page.locator('#links-panel');
      await links.locator('input[name="incident_id"]').fill(there.reference);
      await links.getByRole('button', { name: 'Link' }).click();
      await links.locator('[data-error-for="incident_id"]:not([hidden])').waitFor();
      assert.match(norm(await t.text('#links-panel [data-error-for="incident_id"]')), new RegExp(`No incident ${there.reference} that you may read`));
      // the National CERT reads both once Sindh's is escalated to it; its analyst links them
      await apiAs(t, 'analyst@sindh-cert.rabta.test', 'POST', `/api/v1/incidents/${there.id}/escalate`, { reason: 'spam campaign across provinces' });
      await apiAs(t, ANALYST, 'POST', `/api/v1/incidents/${here.id}/escalate`, { reason: 'spam campaign across provinces' });
      await signInAs(t, NATIONAL_ANALYST);
      await t.visit(`/incidents/${here.id}`);
      assert.match(await t.text('#link-note'), /another province escalates both/);
      assert.equal(await page.locator('#escalate-btn').count(), 0, 'no Escalate at the National CERT: there is no CERT above');
      await page.locator('#links-panel').locator('input[name="incident_id"]').fill(there.reference);
      await page.locator('#links-panel').getByLabel('How they are related').fill('same spam run');
      await page.locator('#links-panel').getByRole('button', { name: 'Link' }).click();
      await page.locator(`#links-list li[data-incident-id="${there.id}"]`).waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), new RegExp(`linked to ${there.reference} in Sindh`));
      assert.match(norm(await t.text('#links-list')), /same spam run/);
    },
  },
  {
    name: 'incidents: the reporting policy reads in words for everyone; a National CERT admin changes a deadline and open incidents follow it',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.openAs(ANALYST, '/reporting-policy');
      const cell = '[data-tier="provincial_cert"] tr[data-severity="low"] td[data-col="acknowledge_minutes"]';
      const pol = (await t.api('GET', '/api/v1/reporting-policy')).body.rules.find((r) => r.tier === 'provincial_cert' && r.severity === 'low');
      assert.equal(norm(await t.text(cell)), pol.acknowledge_minutes === 4320 ? '3 days' : norm(await t.text(cell)));
      assert.equal(await page.locator('form.policy-form').count(), 0, 'an analyst only reads');
      assert.match(await t.text('#policy-note'), /Only the National CERT’s administrators change these deadlines/);
      const inc = await report(t, REPORTER, { title: `Low-level scan ${Date.now()}`, rsit_class: 'information-gathering', rsit_type: 'scanner', severity: 'low' });
      await signInAs(t, 'admin@ncert.rabta.test');
      await t.visit('/reporting-policy');
      const edit = page.locator(`${cell} .dl-edit`);
      await edit.locator('input').fill('2');
      await edit.locator('select').selectOption('days');
      await page.getByRole('button', { name: 'Save the deadlines' }).click();
      await page.locator('#banner-host .banner').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), /One rule changed; every open incident follows the new deadlines/);
      const after = (await t.api('GET', '/api/v1/reporting-policy')).body.rules.find((r) => r.tier === 'provincial_cert' && r.severity === 'low');
      assert.equal(after.acknowledge_minutes, 2880);
      assert.equal(await page.locator(`${cell} .dl-edit input`).inputValue(), '2');
      await apiSignOut(t);
      await apiSignIn(t, REPORTER); // the National CERT may not read it: it was not escalated
      const got = (await t.api('GET', `/api/v1/incidents/${inc.id}`)).body;
      await apiSignOut(t);
      await apiSignIn(t, 'admin@ncert.rabta.test');
      const ack = got.clocks.find((c) => c.clock === 'acknowledge');
      assert.equal(new Date(ack.due).getTime() - new Date(got.handling_since).getTime(), 2880 * 60000, 'the open incident follows');
      // back as it was
      assert.equal((await t.api('PUT', '/api/v1/reporting-policy', { rules: [{ tier: 'provincial_cert', severity: 'low', acknowledge_minutes: pol.acknowledge_minutes }] })).status, 200);
    },
  },
  {
    name: 'incidents: the handling CERT merges a duplicate into another incident (by its reference, after a dialog) and lands on the one that stays',
    viewport: DESKTOP,
    async fn(t, page) {
      const stays = await report(t, REPORTER, { title: `Website defaced ${Date.now()}`, rsit_class: 'intrusions', rsit_type: 'application-compromise' });
      const dup = await report(t, REPORTER, { title: `Home page shows a hacker message ${Date.now()}`, rsit_class: 'intrusions', rsit_type: 'application-compromise' });
      await t.openAs(REPORTER, `/incidents/${dup.id}`);
      assert.equal(await page.locator('#merge-panel').count(), 0, 'only the handling CERT merges');
      await signInAs(t, ANALYST);
      await t.visit(`/incidents/${dup.id}`);
      await page.locator('#merge-panel > summary').click();
      await page.locator('#merge-panel').getByLabel('The incident it duplicates').fill(stays.reference);
      await page.locator('#merge-panel').getByLabel('Why').fill('the same defacement');
      await page.locator('#merge-panel').getByRole('button', { name: 'Merge' }).click();
      const dlg = page.locator('dialog[data-dialog="merge"]');
      await dlg.waitFor();
      assert.match(norm(await dlg.textContent()), new RegExp(`Merge ${dup.reference} into ${stays.reference}\\?`));
      await dlg.getByRole('button', { name: 'Merge' }).click();
      await page.waitForFunction((id) => location.hash === `#/incidents/${id}`, stays.id);
      await page.locator('#incident-title').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), new RegExp(`${dup.reference} is merged into ${stays.reference}`));
      assert.equal((await t.api('GET', `/api/v1/incidents/${dup.id}`)).body.status, 'merged');
      await page.locator(`#links-list li[data-incident-id="${dup.id}"]`).waitFor();
    },
  },
];
