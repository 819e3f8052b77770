// risks_tests.mjs - the risk pages as their users live in them: the Punjab Health focal person adds
// a risk and sees the heat map's cell and the figures change at once (at both widths), sorts and
// filters the register and is refused likelihood it cannot choose; the directorate's admin
// accepts a risk with a reason; the Punjab CERT analyst reads its constituency's heat map, which
// agrees with the API, and a risk of an institution it may not change; the National CERT's home
// shows the national heat map.
import assert from 'node:assert/strict';
import {
  PHONE, DESKTOP, apiSignIn, apiSignOut, norm,
} from './harness.mjs';
import {
  REPORTER, ANALYST, NATIONAL_ADMIN,
} from './demo.mjs';

const PB_HEALTH_ADMIN = 'admin@pb-health.rabta.test';

// The count of the heat map's cell (likelihood, impact), as the page shows it.
async function cellCount(page, grid, l, i) {
  const cell = page.locator(`#${grid} td[data-likelihood="${l}"][data-impact="${i}"]`);
  return Number(await cell.getAttribute('data-count'));
}

async function figureValue(page, key) {
  return Number(norm(await page.locator(`#risk-heatmap-box [data-figure="${key}"] .figure-value`).textContent()));
}

// Add a risk through the page's form, and see the heat map follow.
const addRiskStory = (viewport, label) => ({
  name: `risks (${label}): the Punjab Health focal person records a risk and the heat map's cell and figures change at once`,
  viewport,
  async fn(t, page) {
    await t.openAs(REPORTER, '/risks');
    await page.locator('#risk-heatmap-grid').waitFor();
    // the residual cell 4 x 5 before, and the total
    const before = await cellCount(page, 'risk-heatmap-grid', 4, 5);
    const total = await figureValue(page, 'total');
    const critical = await figureValue(page, 'critical');
    await page.locator('#risk-add').click();
    const title = `Records server without offline backup ${label} ${Date.now()}`;
    const f = page.locator('#risk-new form');
    await f.getByLabel('What could go wrong').fill(title);
    await f.getByLabel('Category').selectOption('technical');
    await f.getByLabel('Likelihood', { exact: true }).selectOption('4');
    await f.getByLabel('Impact', { exact: true }).selectOption('5');
    await f.getByLabel('Owner').fill('IT head');
    await f.getByLabel('Linked guideline controls').fill('br-1 br-3');
    await f.getByRole('button', { name: 'Record the risk' }).click();
    await page.getByText(`Recorded: ${title}`).waitFor();
    await t.settle();
    assert.equal(await cellCount(page, 'risk-heatmap-grid', 4, 5), before + 1, 'the cell 4 x 5 counts the new risk');
    assert.equal(await figureValue(page, 'total'), total + 1);
    assert.equal(await figureValue(page, 'critical'), critical + 1, '20 is critical on the default matrix');
    // the register lists it, with its level
    const row = page.locator('#risks-table tbody tr', { hasText: title });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-level'), 'critical');
    await t.screenshot(`risks-register-${label}`);
    // and the home page's panel has it among the top risks
    await t.visit('/home');
    await page.locator('#my-risks').waitFor();
    assert.match(norm(await page.locator('#my-risks-summary').textContent()), /open risks?/);
    // its page: levels, controls and the timeline
    await t.visit('/risks');
    await page.locator('#risks-table tbody tr', { hasText: title }).getByRole('link', { name: `Open the risk ${title}` }).click();
    await page.locator('#risk-title').waitFor();
    await t.settle();
    assert.match(norm(await page.locator('#risk-facts [data-field="inherent"]').textContent()), /Critical · 20/);
    assert.equal(await page.locator('#risk-controls li').count(), 2);
    assert.match(norm(await page.locator('#risk-timeline').textContent()), /Recorded by reporter@pb-health/);
    assert.equal(await page.locator('#risk-place-grid td.is-inherent[data-likelihood="4"][data-impact="5"]').count(), 1);
    await t.screenshot(`risk-page-${label}`);
  },
});

export const tests = [
  addRiskStory(PHONE, 'phone'),
  addRiskStory(DESKTOP, 'desktop'),
  {
    name: 'risks: the register sorts by any column and filters by level; a likelihood outside the matrix is refused at its field',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.openAs(REPORTER, '/risks');
      const scores = async () => page.$$eval('#risks-table tbody tr td:nth-child(3) [data-level]', (els) => els.map((e) => Number(e.textContent.split('·')[1])));
      const s1 = await scores();
      assert.ok(s1.length >= 2, `the register has risks (${s1.length})`);
      assert.deepEqual(s1, [...s1].sort((a, b) => b - a), 'residual, highest first');
      await page.locator('#risks-table th[data-col="residual"] .sort-btn').click();
      const s2 = await scores();
      assert.deepEqual(s2, [...s2].sort((a, b) => a - b), 'residual, lowest first');
      assert.equal(await page.locator('#risks-table th[data-col="residual"]').getAttribute('aria-sort'), 'ascending');
      await page.locator('#risks-table th[data-col="title"] .sort-btn').click();
      const titles = await page.$$eval('#risks-table tbody tr .risk-title', (els) => els.map((e) => e.textContent.toLowerCase()));
      assert.deepEqual(titles, [...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      // filter: critical only, as the API counts them
      const f = page.locator('#risk-filters form');
      await f.getByLabel('Residual level').selectOption('critical');
      await f.getByRole('button', { name: 'Apply filters' }).click();
      await t.settle();
      const levels = await page.$$eval('#risks-table tbody tr', (els) => els.map((e) => e.dataset.level));
      const api = await t.apiAll('/api/v1/risks?level=critical');
      assert.equal(levels.length, api.length);
      assert.ok(levels.every((l) => l === 'critical'));
      assert.match(t.hash(), /level=critical/);
      // the API refuses likelihood 9 (the page offers 1 to 5 only); its words are plain
      const r = await t.api('POST', '/api/v1/risks', { title: 'x', likelihood: 9, impact: 1 });
      assert.equal(r.status, 422);
      assert.equal(r.body.error.field, 'likelihood');
      const offered = await page.$$eval('#risk-new select[name="likelihood"] option', (els) => els.map((e) => e.value).filter(Boolean));
      assert.deepEqual(offered, ['1', '2', '3', '4', '5']);
      t.allowHttp(422);
      // the form without a likelihood says so at the field, and records nothing
      const n = (await t.apiAll('/api/v1/risks')).length;
      await page.locator('#risk-add').click();
      const form = page.locator('#risk-new form');
      await form.getByLabel('What could go wrong').fill('Half a risk');
      await form.getByRole('button', { name: 'Record the risk' }).click();
      await page.locator('#risk-new [data-error-for="likelihood"]:not([hidden])').waitFor();
      assert.equal((await t.apiAll('/api/v1/risks')).length, n);
    },
  },
  {
    name: 'risks: the directorate\'s admin accepts a risk with a reason; the focal person is not offered it',
    viewport: DESKTOP,
    async fn(t, page) {
      await apiSignIn(t, REPORTER);
      const r = await t.api('POST', '/api/v1/risks', { title: `Old lift controller ${Date.now()}`, likelihood: 2, impact: 3 });
      assert.equal(r.status, 201);
      await t.visit(`/risks/${r.body.id}`);
      assert.equal(await page.locator('#risk-accept').count(), 0, 'a reporter may not accept');
      assert.equal(await page.locator('#risk-edit').count(), 1, 'but changes the risk');
      await apiSignOut(t);
      await page.goto('about:blank');
      await t.openAs(PB_HEALTH_ADMIN, `/risks/${r.body.id}`);
      const acc = page.locator('#risk-accept form');
      await acc.getByRole('button', { name: 'Accept the risk' }).click();
      await page.locator('#risk-accept [data-error-for="reason"]:not([hidden])').waitFor();
      await acc.getByLabel('Why the organisation accepts it').fill('The lift is replaced in March; until then the risk is small.');
      await acc.getByRole('button', { name: 'Accept the risk' }).click();
      await page.getByText('Accepted:').waitFor();
      await t.settle();
      assert.match(norm(await page.locator('#risk-badges').textContent()), /Accepted/);
      assert.match(norm(await page.locator('#risk-facts [data-field="acceptance"]').textContent()), /admin@pb-health.rabta.test.*lift is replaced/);
      assert.match(norm(await page.locator('#risk-timeline').textContent()), /Accepted by admin@pb-health/);
      assert.equal(await page.locator('#risk-accept').count(), 0);
    },
  },
  {
    name: 'risks: the Punjab CERT analyst\'s heat map agrees with the API, names only what it may read, and an institution\'s risk is read-only to it',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.openAs(ANALYST, '/risks');
      const hm = (await t.api('GET', '/api/v1/risks/heatmap')).body;
      for (let l = 1; l <= 5; l++) {
        for (let i = 1; i <= 5; i++) assert.equal(await cellCount(page, 'risk-heatmap-grid', l, i), hm.counts[l - 1][i - 1], `cell ${l} x ${i}`);
      }
      assert.equal(await figureValue(page, 'total'), hm.total);
      assert.equal(await figureValue(page, 'overdue-treatments'), hm.overdue_treatments);
      assert.match(norm(await page.locator('#risk-heatmap-box .chart-caption').first().textContent()), new RegExp(`${hm.total} open risks? of ${hm.orgs_with_risks} of ${hm.orgs} organisations`));
      const top = await page.$$eval('#risk-heatmap-top li', (els) => els.map((e) => e.dataset.readable));
      assert.deepEqual(top, hm.top.map((x) => (x.readable ? '1' : '0')));
      // a risk of Punjab Health: read, never changed
      const me = (await t.api('GET', '/api/v1/me')).body;
      const theirs = (await t.apiAll('/api/v1/risks')).find((x) => x.org_id !== me.org.id);
      assert.ok(theirs, 'the analyst reads an institution\'s risk');
      await t.visit(`/risks/${theirs.id}`);
      assert.equal(await page.locator('#risk-edit').count(), 0);
      assert.equal(await page.locator('#risk-accept').count(), 0);
      await page.locator('#risk-readonly').waitFor();
      await t.screenshot('risk-page-cert');
    },
  },
  {
    name: 'risks: the National CERT\'s home shows the national heat map with the risks by province',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.openAs(NATIONAL_ADMIN, '/home');
      await page.locator('#home-risk-heatmap-grid').waitFor();
      const hm = (await t.api('GET', '/api/v1/risks/heatmap')).body;
      let sum = 0;
      for (const c of await page.$$eval('#home-risk-heatmap-grid td[data-count]', (els) => els.map((e) => Number(e.dataset.count)))) sum += c;
      assert.equal(sum, hm.total);
      assert.ok(hm.by_province.length >= 5, 'risks across the provinces');
      await page.locator('[data-chart="home-risk-heatmap-by-province"]').first().waitFor();
      await t.screenshot('home-national-risks');
    },
  },
  {
    name: 'risks: the National CERT admin moves the high band to 12 on the matrix page; the cells are levelled again, and the banner says how many risks changed level',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.signIn(NATIONAL_ADMIN);
      const before = (await t.api('GET', '/api/v1/risk-matrix')).body;
      const first = Object.fromEntries(before.bands.map((b) => [b.level, b.min_score]));
      try {
        await t.visit('/risks?matrix=1');
        const cell = (l, i) => page.locator(`#risk-matrix-cells-grid td[data-likelihood="${l}"][data-impact="${i}"]`);
        assert.equal(await cell(2, 5).getAttribute('data-level'), first.high <= 10 ? 'high' : 'medium');
        await page.locator('#matrix-edit summary').click();
        await page.locator('.matrix-form input[name=high]').fill('12');
        await page.locator('.matrix-form').getByRole('button', { name: 'Save the matrix' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Change the matrix' }).click();
        await page.locator('.banner').filter({ hasText: 'The risk matrix is changed' }).waitFor();
        assert.match(norm(await page.locator('.banner').first().textContent()), /The risk matrix is changed: \d+ risks? changed level\./);
        await t.settle();
        const after = (await t.api('GET', '/api/v1/risk-matrix')).body;
        assert.deepEqual(after.bands.map((b) => [b.level, b.min_score]), [['low', 1], ['medium', first.medium], ['high', 12], ['critical', first.critical]]);
        assert.equal(await cell(2, 5).getAttribute('data-level'), 'medium'); // 10 is medium now
        assert.equal(await cell(3, 4).getAttribute('data-level'), 'high'); // 12
        assert.match(norm(await t.text('#risk-matrix')), /Set by admin@ncert\.rabta\.test on /);
        await t.screenshot('risk-matrix-changed');
      } finally { // the other tests read levels by the bands they started with
        await t.api('PUT', '/api/v1/risk-matrix', { size: before.size, bands: { medium: first.medium, high: first.high, critical: first.critical } });
      }
    },
  },
];
