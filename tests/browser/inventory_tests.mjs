// inventory_tests.mjs - an org's inventory page (#/orgs/{id}/inventory) as its people use it: the
// Punjab Health focal person opens it from the home page, adds a product (told at the field what
// is wrong with its CPE name first), changes its version, imports a CSV file (a refused one first,
// with the line and the column said in words, then a good one with a row already there), sees
// the counts, searches, removes a product and downloads the CSV; the Punjab CERT analyst reads it
// from the org page at a phone's width with no write buttons; a sibling institution's focal person
// gets "not found" for it and finds the empty state of their own; an advisory that names one of
// its products says so on the focal person's record, with a link to the inventory.
import assert from 'node:assert/strict';
import {
  PHONE, DESKTOP, apiSignIn, apiSignOut, orgId, noSidewaysScroll, norm,
} from './harness.mjs';
import {
  REPORTER, ANALYST, FINANCE_REPORTER, NATIONAL_ANALYST, PB_HEALTH,
} from './demo.mjs';

const csv = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
const plural = (n, one, many) => `${n} ${n === 1 ? one : (many || `${one}s`)}`;

export const tests = [
  {
    name: 'inventory (1366 px): the Punjab Health focal person adds a product (a bad CPE name refused at its field first), changes its version, imports a CSV (a refused file said by line and column, then a good one with a duplicate), sees the counts, searches, removes one and downloads the CSV',
    viewport: DESKTOP,
    async fn(t, page) {
      t.allowHttp(422);
      const stamp = Date.now();
      const product = `Example VPN Gateway ${stamp}`;
      await t.signIn(REPORTER);
      await t.settle();
      const pb = await orgId(t, PB_HEALTH);
      await t.follow('#home-inventory-link', '#inventory-title', `#/orgs/${pb}/inventory`);
      assert.match(await t.text('#inventory-why'), /likely affected/);
      const start = (await t.apiAll(`/api/v1/orgs/${pb}/inventory`)).length;
      assert.ok(start > 0, 'the demo gives Punjab Health an inventory');
      assert.equal(await page.locator('#inventory-table tbody tr').count(), start);
      assert.equal(await t.text('#inventory-count'), `${plural(start, 'product')} in the inventory.`);
      assert.equal(await page.locator('#inventory-readonly').count(), 0);

      // add, with a bad CPE name first
      await page.locator('#add-item-btn').click();
      const f = page.locator('form.inventory-form');
      assert.equal(await f.getByLabel('Vendor').evaluate((el) => el === document.activeElement), true);
      await f.getByLabel('Vendor').fill('Example Networks');
      await f.getByLabel('Product').fill(product);
      await f.getByLabel('Version').fill('9.3.1');
      await f.getByLabel('CPE name').fill('cpe:vpn gateway');
      await f.getByRole('button', { name: 'Add product' }).click();
      await f.locator('[data-error-for="cpe"]:not([hidden])').waitFor();
      assert.match(norm(await f.locator('[data-error-for="cpe"]').textContent()), /^The CPE name must be a CPE 2\.3 name/);
      assert.equal(await f.getByLabel('CPE name').getAttribute('aria-invalid'), 'true');
      await f.getByLabel('CPE name').fill('cpe:2.3:a:example:vpn_gateway:9.3.1:*:*:*:*:*:*:*');
      await f.getByRole('button', { name: 'Add product' }).click();
      const row = page.locator('#inventory-table tbody tr', { hasText: product });
      await row.waitFor();
      await t.settle();
      assert.match(await t.text('#inventory-status'), new RegExp(`^Example Networks ${product} 9\\.3\\.1 is added\\.`));
      assert.equal(await t.text('#inventory-count'), `${plural(start + 1, 'product')} in the inventory.`);
      assert.equal(norm(await row.locator('.inv-ids').textContent()), 'cpe:2.3:a:example:vpn_gateway:9.3.1:*:*:*:*:*:*:*');
      const item = (await t.apiAll(`/api/v1/orgs/${pb}/inventory`)).find((x) => x.product === product);
      assert.ok(item, 'the product is stored');

      // change its version
      await row.getByRole('button', { name: `Edit Example Networks ${product} 9.3.1` }).click();
      await page.locator('#h-item-form', { hasText: `Change Example Networks ${product} 9.3.1` }).waitFor();
      assert.equal(await f.getByLabel('Version').inputValue(), '9.3.1');
      await f.getByLabel('Version').fill('9.4.2');
      await f.getByRole('button', { name: 'Save changes' }).click();
      await page.locator(`#inventory-table tr[data-item-id="${item.id}"] .inv-version`, { hasText: '9.4.2' }).waitFor();
      assert.equal(await t.text('#h-item-form'), 'Add a product');
      const after = (await t.api('GET', `/api/v1/orgs/${pb}/inventory?q=${encodeURIComponent(product)}`)).body.items[0];
      assert.equal(after.version, '9.4.2');
      assert.equal(after.cpe, item.cpe, 'only the version was sent');

      // a refused file: the line, the field and its column, how many rows are bad; nothing stored
      const imp = page.locator('#inventory-import');
      await imp.getByLabel('CSV file').setInputFiles(csv('bad.csv', 'vendor,product,version,cpe\nAcme,Widget,1.0,\nAcme,Gadget,2.0,cpe:not valid\n'));
      await page.locator('#import-btn').click();
      await page.locator('#import-result.notice-error').waitFor();
      assert.equal(await t.text('#csv-refusal-where'), 'Line 3, field 4 (cpe):');
      assert.match(await t.text('#csv-refusal-text'), /^Line 3, field 4 \(cpe\): The CPE name must be/);
      assert.equal(await t.text('#csv-refusal-count'), '1 of the file’s 2 rows is bad.');
      assert.match(await t.text('#import-result'), /^bad\.csv was not imported: nothing in the inventory changed\./);
      assert.equal((await t.apiAll(`/api/v1/orgs/${pb}/inventory`)).length, start + 1);
      await t.screenshot('inventory-refused-wide');

      // a good file, one row of it already in the inventory
      await imp.getByLabel('CSV file').setInputFiles(csv('good.csv',
        `vendor,product,version,cpe,purl\nAcme ${stamp},Widget,1.0,,\nAcme ${stamp},Gadget,2.0,,pkg:generic/acme/gadget@2.0\nExample Networks,${product},9.4.2,,\n`));
      await page.locator('#import-btn').click();
      await page.locator('#import-result.notice-ok').waitFor();
      await t.settle();
      assert.equal(await t.text('#import-counts'), 'good.csv is imported: 3 rows read, 2 added, 1 already in the inventory (skipped).');
      assert.equal(await t.text('#import-total'), `The inventory now holds ${plural(start + 3, 'product')}.`);
      assert.equal(await t.text('#inventory-count'), `${plural(start + 3, 'product')} in the inventory.`);
      assert.equal(await page.locator('#inventory-table tbody tr').count(), start + 3);

      // search
      await page.getByLabel('Search by vendor or product').fill(`Acme ${stamp}`);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.locator('#inventory-status', { hasText: `2 products match “Acme ${stamp}”.` }).waitFor();
      assert.equal(await page.locator('#inventory-table tbody tr').count(), 2);
      assert.equal(t.hash(), `#/orgs/${pb}/inventory?q=${encodeURIComponent(`Acme ${stamp}`).replace(/%20/g, '+')}`);
      assert.equal(await t.text('#inventory-count'), `${plural(start + 3, 'product')} in the inventory; 2 matches for “Acme ${stamp}”.`);

      // remove one, confirmed
      const gadget = page.locator('#inventory-table tbody tr', { hasText: 'Gadget' });
      await gadget.getByRole('button', { name: `Remove Acme ${stamp} Gadget 2.0` }).click();
      const dlg = page.locator('dialog[data-dialog="remove-item"]');
      await dlg.waitFor();
      assert.match(norm(await dlg.textContent()), /no longer flag Punjab Health Services Directorate “likely affected”/);
      await dlg.locator('[data-confirm="ok"]').click();
      await gadget.waitFor({ state: 'detached' });
      assert.match(await t.text('#inventory-status'), new RegExp(`^Acme ${stamp} Gadget 2\\.0 is removed\\. 1 product matches`));
      assert.equal((await t.apiAll(`/api/v1/orgs/${pb}/inventory`)).length, start + 2);

      // the download
      const href = await page.locator('#inventory-export').getAttribute('href');
      assert.equal(href, `/api/v1/orgs/${pb}/inventory/export`);
      const res = await page.request.get(`${t.base}${href}`);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'], /^text\/csv/);
      const body = await res.text();
      assert.match(body, /^vendor,product,version,cpe,purl\r?\n/);
      assert.ok(body.includes(`Acme ${stamp},Widget,1.0,,`), 'the export holds the imported row');
      assert.ok(!body.includes('Gadget'), 'the removed row is gone');

      await page.getByLabel('Search by vendor or product').fill('');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.locator('#inventory-status', { hasText: `${plural(start + 2, 'product')} in the inventory.` }).waitFor();
      await t.settle();
      await t.screenshot('inventory-reporter-wide');
      await t.setViewport(PHONE);
      await t.settle();
      await noSidewaysScroll(t, 'the inventory with its forms');
      await t.screenshot('inventory-reporter-phone');
    },
  },
  {
    name: 'inventory (390 px): the Punjab CERT analyst opens Punjab Health’s inventory from its org page and reads it as cards, with no write buttons',
    viewport: PHONE,
    async fn(t, page) {
      await t.signIn(ANALYST);
      const pb = await orgId(t, PB_HEALTH);
      await t.goto(`/orgs/${pb}`);
      await t.follow('#org-inventory-link', '#inventory-title', `#/orgs/${pb}/inventory`);
      const items = await t.apiAll(`/api/v1/orgs/${pb}/inventory`);
      assert.equal(await page.locator('#inventory-table tbody tr').count(), items.length);
      assert.match(await t.text('#inventory-readonly'), /Punjab Health Services Directorate’s own declaration/);
      for (const sel of ['#add-item-btn', '.edit-btn', '.remove-btn', '#inventory-import', 'form.inventory-form']) {
        assert.equal(await page.locator(sel).count(), 0, `${sel} is not offered to a CERT above`);
      }
      assert.equal(await page.locator('#inventory-export').isVisible(), true);
      // cards at 390 px: each row labelled with its column
      const first = page.locator('#inventory-table tbody tr').first();
      assert.equal(await first.locator('td.inv-vendor').getAttribute('data-label'), 'Vendor');
      await noSidewaysScroll(t, 'the inventory');
      await t.screenshot('inventory-analyst-phone');
      await t.setViewport(DESKTOP);
      await t.settle();
      await t.screenshot('inventory-analyst-wide');
    },
  },
  {
    name: 'inventory: a sibling institution’s focal person gets “not found” for Punjab Health’s inventory, and their own page says what an empty inventory means',
    viewport: PHONE,
    async fn(t, page) {
      t.allowHttp(404);
      // Punjab Health's id, as someone above it would give it in a link
      await apiSignIn(t, ANALYST);
      const pb = await orgId(t, PB_HEALTH);
      await apiSignOut(t);
      await t.signIn(FINANCE_REPORTER);
      const me = (await t.api('GET', '/api/v1/me')).body;
      assert.notEqual(me.org.id, pb);
      assert.equal((await t.api('GET', `/api/v1/orgs/${pb}/inventory`)).status, 404);
      await t.gotoHeading(`/orgs/${pb}/inventory`, 'Inventory not found');
      assert.match(await t.text('.notice'), /outside what your organisation may see/);
      await t.goto(`/orgs/${me.org.id}/inventory`);
      await page.locator('#inventory-title').waitFor();
      await t.settle();
      const own = await t.apiAll(`/api/v1/orgs/${me.org.id}/inventory`);
      if (!own.length) assert.match(await t.text('#inventory-state'), /The inventory is empty: no advisory can flag your organisation “likely affected” yet/);
      assert.equal(await page.locator('#add-item-btn').count(), 1);
      await noSidewaysScroll(t, 'the own inventory');
    },
  },
  {
    name: 'inventory (390 px): an advisory naming a product of Punjab Health’s inventory says “likely affected, from your inventory” on the focal person’s record, and its link opens the inventory',
    viewport: PHONE,
    async fn(t, page) {
      const stamp = Date.now();
      const product = `Example Mail Filter ${stamp}`;
      await apiSignIn(t, REPORTER);
      const me = (await t.api('GET', '/api/v1/me')).body;
      const added = await t.api('POST', `/api/v1/orgs/${me.org.id}/inventory`, { vendor: 'Example Networks', product, version: '3.1.0' });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      await apiSignOut(t);
      await apiSignIn(t, NATIONAL_ANALYST);
      const adv = await t.api('POST', '/api/v1/advisories', {
        title: `Flaw in Example Mail Filter ${stamp}`,
        summary: 'Attackers bypass the filter on Example Mail Filter before 3.2.0. Update now.',
        severity: 'high',
        products: [{ vendor: 'Example Networks', product, version_range: 'vers:generic/<3.2.0' }],
        vulnerabilities: [{ title: 'Filter bypass' }],
      });
      assert.equal(adv.status, 201, JSON.stringify(adv.body));
      const pub = await t.api('POST', `/api/v1/advisories/${adv.body.id}/publish`, { scope: 'subtree' });
      assert.equal(pub.status, 200, JSON.stringify(pub.body));
      await apiSignOut(t);
      await t.signIn(REPORTER);
      await t.goto(`/advisories/${adv.body.id}`);
      await page.locator('#record-matched').waitFor();
      await t.settle();
      assert.match(await t.text('#record-matched'), new RegExp(`^Likely affected, from your inventory: .*${product}`));
      await page.locator('#record-inventory-link').click();
      await page.locator('#inventory-title').waitFor();
      assert.equal(t.hash(), `#/orgs/${me.org.id}/inventory`);
      await page.locator('#inventory-table tbody tr', { hasText: product }).waitFor();
    },
  },
];
