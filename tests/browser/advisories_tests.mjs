// advisories_tests.mjs - the advisory pages as their users live in them: the National CERT analyst
// writing an advisory in the form (a refusal at its row first) and publishing it to the
// constituency; the Punjab Health focal person on a phone acknowledging it from the home panel and
// then saying Affected, Mitigating and Mitigated with a note; the Punjab CERT relaying an AMBER
// advisory sent to it by name and reading the counts of its status dashboard against the API; a
// CSAF import refused with the reason and where, then accepted; the advisory deadlines (the
// National CERT admin changes one, the Punjab admin only reads them). Every advisory these tests
// need is made here (the demo may have none).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PHONE, DESKTOP, apiSignIn, apiSignOut, apiAs, orgId, noSidewaysScroll, signInAs, norm, landedOn,
} from './harness.mjs';
import {
  REPORTER, ANALYST, NATIONAL_ANALYST, NATIONAL_ADMIN, PUNJAB_ADMIN, FINANCE_REPORTER, PB_HEALTH,
} from './demo.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, '..', 'api', 'fixtures', 'csaf', 'rabta-test-2026-0001.json');

// An advisory written and published through the API by the National CERT analyst; returns it.
async function published(t, over = {}, publish = { scope: 'subtree' }) {
  await apiSignIn(t, NATIONAL_ANALYST);
  const stamp = Date.now();
  const r = await t.api('POST', '/api/v1/advisories', {
    title: `Flaw in Example Mail Relay ${stamp}`,
    summary: 'Attackers run code on Example Mail Relay before 4.2. Update now.',
    severity: 'high',
    products: [{ vendor: 'Example', product: 'Mail Relay', version_range: 'vers:generic/<4.2' }],
    vulnerabilities: [{ cve: `CVE-2026-${String(stamp).slice(-5)}`, title: 'Remote code execution in the SMTP parser' }],
    remediations: [{ category: 'vendor_fix', details: 'Update to 4.2.' }],
    ...over,
  });
  assert.equal(r.status, 201, `write: ${JSON.stringify(r.body)}`);
  const p = await t.api('POST', `/api/v1/advisories/${r.body.id}/publish`, publish);
  assert.equal(p.status, 200, `publish: ${JSON.stringify(p.body)}`);
  await apiSignOut(t);
  return p.body;
}

export const tests = [
  {
    name: 'advisories (1366 px): the National CERT analyst writes an advisory in the form (two products, a vulnerability with its vector, a remediation, a reference), is told at the row what is missing, publishes it to the constituency and finds it in the list by its CVE',
    viewport: DESKTOP,
    async fn(t, page) {
      t.allowHttp(422);
      const title = `Actively exploited flaw in Example VPN Gateway ${Date.now()}`;
      const cve = `CVE-2026-${String(Date.now()).slice(-6)}`;
      await t.signIn(NATIONAL_ANALYST);
      await t.settle();
      await t.nav('Advisories');
      await page.locator('#advisories-table, #advisories-state .state-empty').first().waitFor();
      await t.follow('#write-link', 'form.advisory-form', '#/advisories/new');
      const f = page.locator('form.advisory-form');
      await f.locator('input[name="title"]').fill(title);
      await f.locator('textarea[name="summary"]').fill('Unauthenticated attackers read files on Example VPN Gateway before 9.4.2. Patch now.');
      await f.getByLabel('Severity').selectOption('critical');
      assert.match(await t.text('#adv-severity-note'), /^Critical: /);
      assert.equal(await f.getByLabel('Who may see it (TLP)').inputValue(), 'AMBER');
      const p1 = page.locator('#products-rows > li').nth(0);
      await p1.getByLabel('Vendor', { exact: true }).fill('Example Networks');
      await p1.getByLabel('Product', { exact: true }).fill('Example VPN Gateway');
      await p1.getByLabel('Version or range', { exact: true }).fill('<9.4.2');
      await p1.getByLabel('CPE or package URL', { exact: true }).fill('cpe:2.3:a:example:vpn_gateway:*:*:*:*:*:*:*:*');
      await page.locator('button[data-add="products"]').click();
      const p2 = page.locator('#products-rows > li').nth(1);
      assert.equal(await p2.locator('.row-h').textContent(), 'Product 2');
      await p2.getByLabel('Vendor', { exact: true }).fill('Example Networks');
      const v1 = page.locator('#vulnerabilities-rows > li').nth(0);
      await v1.getByLabel('CVE', { exact: true }).fill(cve);
      await v1.getByLabel('Title', { exact: true }).fill('Path traversal in the web portal');
      await v1.getByLabel('CVSS v3.1 vector', { exact: true }).fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
      await v1.getByLabel('CWE id', { exact: true }).fill('CWE-22');
      await v1.getByLabel('CWE name', { exact: true }).fill('Path Traversal');
      const r1 = page.locator('#remediations-rows > li').nth(0);
      await r1.getByLabel('Kind', { exact: true }).selectOption('vendor_fix');
      await r1.getByLabel('What to do', { exact: true }).fill('Update to 9.4.2 or later.');
      await page.locator('button[data-add="references"]').click();
      const ref = page.locator('#references-rows > li').nth(0);
      await ref.getByLabel('Address', { exact: true }).fill('https://example.net/psirt/EXN-2026-0001');
      await ref.getByLabel('What it is', { exact: true }).fill('Vendor notice');
      const before = (await t.api('GET', '/api/v1/advisories?status=draft&limit=200')).body.items.length;
      await f.getByRole('button', { name: 'Save the draft' }).click();
      // the second product has no name: said at that row's field, nothing written
      const err = p2.locator('.field-error:not([hidden])');
      await err.waitFor();
      assert.equal(norm(await err.textContent()), 'Product 2: give the vendor and the product.');
      assert.equal(await p2.getByLabel('Product', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.equal((await t.api('GET', '/api/v1/advisories?status=draft&limit=200')).body.items.length, before, 'nothing is written');
      await t.screenshot('advisories-form-refused-wide');
      await p2.getByLabel('Product', { exact: true }).fill('Example VPN Manager');
      await f.getByRole('button', { name: 'Save the draft' }).click();
      await page.locator('#advisory-title').waitFor();
      const id = await landedOn(t, 'advisories');
      const adv = (await t.api('GET', `/api/v1/advisories/${id}`)).body;
      assert.equal(adv.title, title);
      assert.equal(adv.status, 'draft');
      assert.equal(adv.severity, 'critical');
      assert.match(norm(await t.text('#banner-host')), new RegExp(`${adv.tracking_id} is saved as a draft`));
      const doc = (await t.api('GET', `/api/v1/advisories/${id}/csaf`)).body;
      assert.equal(doc.vulnerabilities[0].cve, cve);
      assert.equal(doc.document.references[0].url, 'https://example.net/psirt/EXN-2026-0001');
      assert.deepEqual(await page.locator('#products-table tbody tr td.card-title').allTextContents(), ['Example VPN Gateway', 'Example VPN Manager']);
      assert.match(norm(await t.text('#products-table tbody tr')), /< 9\.4\.2/);
      assert.match(norm(await t.text('#remedy-list')), /Vendor fix\s*Update to 9\.4\.2 or later\./);
      assert.match(norm(await t.text('#revision-list')), /Version 1\s*Initial version\./);
      // publish: the dialog says who gets it; the constituency by default
      await page.locator('#publish-btn').click();
      const dlg = page.locator('dialog[data-dialog="publish"]');
      await dlg.waitFor();
      assert.equal(await dlg.locator('input[value="subtree"]').isChecked(), true);
      assert.equal(await dlg.locator('#org-picker').isHidden(), true);
      await dlg.locator('input[value="orgs"]').check();
      await dlg.getByRole('button', { name: 'Publish' }).click();
      assert.match(norm(await dlg.locator('.dialog-error').textContent()), /Tick at least one organisation/);
      await dlg.locator('input[value="subtree"]').check();
      await t.screenshot('advisories-publish-dialog-wide');
      await dlg.getByRole('button', { name: 'Publish' }).click();
      await page.locator('#status-summary').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), /is published to your constituency/);
      const st = (await t.api('GET', `/api/v1/advisories/${id}/acks/stats`)).body;
      const orgs = await t.apiAll('/api/v1/orgs');
      assert.equal(st.total, orgs.length - 1, 'every organisation but the National CERT has a record');
      assert.match(norm(await t.text('#status-summary')), new RegExp(`^0 of ${st.total} organisations acknowledged`));
      await t.screenshot('advisories-advisory-owner-wide');
      // the list: found by its CVE
      await t.visit('/advisories');
      await page.locator('#advisory-filters').getByLabel('CVE').fill(cve);
      await page.locator('#advisory-filters').getByRole('button', { name: 'Apply filters' }).click();
      await t.settle();
      assert.match(t.hash(), new RegExp(`cve=${cve}`));
      const rows = await page.locator('#advisories-table tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.advisoryId));
      assert.deepEqual(rows, [id]);
      await t.screenshot('advisories-list-wide');
    },
  },
  {
    name: 'advisories (390 px): the Punjab Health focal person acknowledges from the home panel in one click, then on the advisory page says Affected (with a note), Mitigating and Mitigated; the page and the API show each step',
    viewport: PHONE,
    async fn(t, page) {
      const adv = await published(t);
      await t.signIn(REPORTER);
      await t.settle();
      const item = page.locator(`#to-ack-list li[data-advisory-id="${adv.id}"]`);
      await item.waitFor();
      assert.match(norm(await item.textContent()), new RegExp(`${adv.title}.*Not acknowledged.*Acknowledge by`));
      await noSidewaysScroll(t, 'the home page');
      await item.locator('button.home-ack').click();
      await page.locator(`#to-ack-list li[data-advisory-id="${adv.id}"][data-status="acknowledged"]`).waitFor();
      assert.match(norm(await item.textContent()), /Acknowledged\. Now say whether you are affected\./);
      await t.follow(item.getByRole('link', { name: /Say whether you are affected/ }), '#my-record', `#/advisories/${adv.id}`);
      assert.equal(await page.locator('#my-record').getAttribute('data-status'), 'acknowledged');
      // a recipient without actions gets no stray text where the action bar would be
      assert.doesNotMatch(await page.locator('main').innerText(), /\bnull\b|\bundefined\b/);
      const offered = async () => (await page.locator('#record-actions button').evaluateAll((bs) => bs.map((b) => b.dataset.status))).sort();
      assert.deepEqual(await offered(), ['affected', 'not_affected']);
      await page.getByLabel('Note (optional)').fill('Two gateways run 9.3');
      await t.screenshot('advisories-record-phone');
      await page.locator('#record-actions button[data-status="affected"]').click();
      await page.locator('#my-record[data-status="affected"]').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), /answer is now “Affected”\. Mitigate by/);
      assert.match(norm(await t.text('#record-due')), /^Mitigate by/);
      assert.match(norm(await t.text('#record-note')), /Two gateways run 9\.3/);
      assert.deepEqual(await offered(), ['mitigated', 'mitigating', 'not_affected']);
      await page.locator('#record-actions button[data-status="mitigating"]').click();
      await page.locator('#my-record[data-status="mitigating"]').waitFor();
      await t.settle();
      await page.getByLabel('Note (optional)').fill('Updated to 9.4.2');
      await page.locator('#record-actions button[data-status="mitigated"]').click();
      await page.locator('#my-record[data-status="mitigated"]').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#my-record')), /Mitigated/);
      assert.match(norm(await t.text('#record-note')), /Updated to 9\.4\.2/);
      assert.deepEqual(await offered(), ['affected'], 'only “affected again” is left');
      await noSidewaysScroll(t, 'the advisory page');
      await t.screenshot('advisories-mitigated-phone');
      const mine = (await t.api('GET', `/api/v1/advisories/${adv.id}/acks`)).body.items;
      assert.equal(mine.length, 1);
      assert.equal(mine[0].org_name, PB_HEALTH);
      assert.equal(mine[0].status, 'mitigated');
      assert.equal(mine[0].note, 'Updated to 9.4.2');
      // the list says where the record stands
      await t.visit('/advisories');
      const row = page.locator(`#advisories-table tr[data-advisory-id="${adv.id}"]`);
      assert.match(norm(await row.textContent()), /Mitigated.*Nothing due/);
      await noSidewaysScroll(t, 'the advisory list');
    },
  },
  {
    name: 'advisories (1366 px): the Punjab CERT analyst relays an AMBER advisory sent to it by name, then its status dashboard shows the API’s counts (by status, by province, the likely affected) with the overdue and not acknowledged records first',
    viewport: DESKTOP,
    async fn(t, page) {
      await apiSignIn(t, NATIONAL_ANALYST);
      const punjab = await orgId(t, 'Punjab CERT');
      await apiSignOut(t);
      const adv = await published(t, {}, { scope: 'orgs', org_ids: [punjab] });
      await t.signIn(ANALYST);
      await t.settle();
      await t.visit(`/advisories/${adv.id}`);
      await page.locator('#relay-btn').click();
      const dlg = page.locator('dialog[data-dialog="relay"]');
      await dlg.getByRole('button', { name: 'Relay' }).click();
      await page.locator('#relayed').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), /is relayed: every organisation below Punjab CERT/);
      // two institutions answer
      await apiSignOut(t);
      for (const [email, status] of [[REPORTER, 'affected'], [FINANCE_REPORTER, 'not_affected']]) {
        await apiAs(t, email, 'POST', `/api/v1/advisories/${adv.id}/acks`, { status });
      }
      await signInAs(t, ANALYST);
      await t.visit(`/advisories/${adv.id}`);
      await t.follow('#status-link', '#status-figures', `#/advisories/${adv.id}/status`);
      const st = (await t.api('GET', `/api/v1/advisories/${adv.id}/acks/stats`)).body;
      assert.equal(st.total, 7, 'the Punjab CERT and its six institutions');
      const fig = async (k) => Number(await page.locator(`#status-figures [data-figure="${k}"]`).getAttribute('data-value'));
      assert.equal(await fig('total'), st.total);
      assert.equal(await fig('answered'), st.total - st.by_status.delivered);
      assert.equal(await fig('affected'), st.by_status.affected + st.by_status.mitigating);
      assert.equal(await fig('overdue'), st.overdue);
      assert.match(norm(await t.text('#status-sentence')), new RegExp(`^2 of 7 organisations acknowledged \\(29%\\); 2 said whether they are affected: 1 not affected, 1 affected`));
      for (const s of Object.keys(st.by_status)) {
        assert.equal(Number(await page.locator(`[data-chart="by-status"] rect.bar[data-key="${s}"]`).getAttribute('data-value')), st.by_status[s], `the bar of ${s}`);
      }
      const pb = st.provinces.find((x) => x.key === 'punjab');
      const bar = page.locator('[data-chart="by-province"] rect.bar[data-key="punjab"]');
      assert.equal(Number(await bar.getAttribute('data-base')), pb.total - pb.by_status.delivered);
      assert.equal(Number(await bar.getAttribute('data-of')), pb.total);
      assert.equal(Number(await page.locator('[data-chart="likely-affected"] rect.bar[data-key="likely"]').getAttribute('data-value')), st.likely_affected);
      // the records: every one, those not acknowledged before those that answered
      const rows = await page.locator('#records-table tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.status));
      assert.equal(rows.length, 7);
      const firstAnswered = rows.findIndex((s) => s !== 'delivered');
      assert.ok(rows.slice(firstAnswered).every((s) => s !== 'delivered'), `not acknowledged first: ${rows}`);
      await page.locator('#record-filters').getByLabel('Status').selectOption('affected');
      assert.deepEqual(await page.locator('#records-table tbody tr td.card-title a').allTextContents(), [PB_HEALTH]);
      await t.screenshot('advisories-status-wide');
    },
  },
  {
    name: 'advisories (1366 px): the National CERT analyst revises a published advisory (the summary and a second product, material): version 2 is in the revision history and Punjab Health must acknowledge it again',
    viewport: DESKTOP,
    async fn(t, page) {
      const adv = await published(t);
      await apiSignIn(t, REPORTER);
      assert.equal((await t.api('POST', `/api/v1/advisories/${adv.id}/acks`, { status: 'not_affected' })).status, 200);
      await signInAs(t, NATIONAL_ANALYST);
      await t.visit(`/advisories/${adv.id}`);
      await t.follow('#revise-link', 'form.advisory-form', `#/advisories/${adv.id}/revise`);
      const f = page.locator('form.advisory-form');
      assert.equal(await f.locator('input[name="title"]').inputValue(), adv.title, 'the form holds the advisory as it is');
      assert.equal(await page.locator('#products-rows > li').nth(0).getByLabel('Version or range', { exact: true }).inputValue(), '<4.2');
      await f.locator('textarea[name="summary"]').fill('Also affects Mail Relay Cloud: update both.');
      await page.locator('button[data-add="products"]').click();
      const p2 = page.locator('#products-rows > li').nth(1);
      await p2.getByLabel('Vendor', { exact: true }).fill('Example');
      await p2.getByLabel('Product', { exact: true }).fill('Mail Relay Cloud');
      await f.getByLabel('What changed').fill('Mail Relay Cloud is affected too.');
      await f.getByLabel('The organisations must acknowledge it again').check();
      await t.screenshot('advisories-revise-wide');
      await f.getByRole('button', { name: 'Save the revision' }).click();
      await page.locator('#advisory-title').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), /is revised: version 2; every organisation must acknowledge it again/);
      const revs = await page.locator('#revision-list li').evaluateAll((ls) => ls.map((l) => [l.dataset.revision, l.dataset.material]));
      assert.deepEqual(revs, [['2', 'true'], ['1', 'false']]);
      assert.match(norm(await t.text('#revision-list li')), /Version 2\s*acknowledge again\s*Mail Relay Cloud is affected too\./);
      assert.deepEqual(await page.locator('#products-table tbody td.card-title').allTextContents(), ['Mail Relay', 'Mail Relay Cloud']);
      const doc = (await t.api('GET', `/api/v1/advisories/${adv.id}/csaf`)).body;
      assert.equal(doc.vulnerabilities[0].cve, adv.cves, 'the vulnerabilities, not changed, are kept');
      await signInAs(t, REPORTER);
      await t.visit(`/advisories/${adv.id}`);
      assert.equal(await page.locator('#my-record').getAttribute('data-status'), 'delivered', 'acknowledge again');
    },
  },
  {
    name: 'advisories: a CSAF file without a tracking id is refused with the reason and where in the document (nothing imported); the valid file becomes a draft whose page shows its score',
    viewport: DESKTOP,
    async fn(t, page) {
      t.allowHttp(422);
      const raw = fs.readFileSync(FIXTURE, 'utf8');
      const doc = JSON.parse(raw);
      doc.document.tracking.id = `BRW-${Date.now()}`;
      const bad = JSON.parse(JSON.stringify(doc));
      delete bad.document.tracking.id;
      await t.openAs(NATIONAL_ANALYST, '/advisories');
      await page.locator('#import-link').click();
      await page.locator('#import-btn').waitFor();
      const before = (await t.api('GET', '/api/v1/advisories?status=draft&limit=200')).body.items.length;
      await page.getByLabel('CSAF file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
      await page.locator('#import-btn').click();
      await page.locator('#import-refusal:not([hidden])').waitFor();
      assert.match(norm(await t.text('#import-refusal')), /not a CSAF 2\.0 document rabta can take\. Nothing was imported\./);
      assert.match(norm(await t.text('#csaf-refusal-text')), /id/);
      assert.equal(norm(await t.text('#csaf-refusal-where')), 'document.tracking.id');
      assert.equal((await t.api('GET', '/api/v1/advisories?status=draft&limit=200')).body.items.length, before, 'nothing is imported');
      await page.getByLabel('CSAF file').setInputFiles({ name: 'not.json', mimeType: 'application/json', buffer: Buffer.from('{not json') });
      await page.locator('#import-btn').click();
      await page.locator('.upload-field .field-error:not([hidden])').waitFor();
      assert.match(norm(await t.text('.upload-field .field-error')), /not\.json is not JSON/);
      await t.screenshot('advisories-import-refused-wide');
      await page.getByLabel('CSAF file').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
      await page.getByLabel('Who may see it (TLP)').selectOption('AMBER');
      await page.locator('#import-btn').click();
      await page.locator('#advisory-title').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), new RegExp(`${doc.document.tracking.id} is imported as a draft`));
      assert.match(norm(await t.text('#advisory-badges')), /TLP:AMBER/);
      assert.equal(await page.locator('#vuln-list [data-cve="CVE-2026-40001"] .vuln-score').getAttribute('data-score'), '7.5');
      assert.match(norm(await t.text('#vuln-list')), /7\.5 High \(CVSS 3\.1\)/);
      assert.equal(await page.locator('#revise-link').count(), 0, 'an imported advisory is revised by importing its next version');
    },
  },
  {
    name: 'advisories: the National CERT admin changes the deadline to acknowledge a low advisory; the Punjab CERT admin reads the deadlines without inputs',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.openAs(NATIONAL_ADMIN, '/advisory-policy');
      const input = page.locator('#adv-policy-table tr[data-severity="low"] input[data-col="ack_hours"]');
      const was = Number(await input.inputValue());
      await input.fill(String(was + 24));
      await page.getByRole('button', { name: 'Save the deadlines' }).click();
      await page.locator('#banner-host .banner').waitFor();
      await t.settle();
      assert.match(norm(await t.text('#banner-host')), /deadlines of 1 severity are changed/);
      const rules = (await t.api('GET', '/api/v1/advisory-policy')).body.rules;
      assert.equal(rules.find((r) => r.severity === 'low').ack_hours, was + 24);
      assert.equal(Number(await page.locator('#adv-policy-table tr[data-severity="low"] input[data-col="ack_hours"]').inputValue()), was + 24);
      // put it back for the tests after this one
      assert.equal((await t.api('PUT', '/api/v1/advisory-policy', { severity: 'low', ack_hours: was, mitigate_days: rules.find((r) => r.severity === 'low').mitigate_days })).status, 200);
      await signInAs(t, PUNJAB_ADMIN);
      await t.visit('/advisory-policy');
      assert.equal(await page.locator('#adv-policy-table input').count(), 0);
      assert.match(norm(await t.text('#adv-policy-table tr[data-severity="critical"]')), /hours/);
      assert.match(norm(await t.text('#adv-policy-note')), /Only the National CERT’s administrators change these deadlines/);
    },
  },
];
