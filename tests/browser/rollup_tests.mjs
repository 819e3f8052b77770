// rollup_tests.mjs - the roll-ups a CERT reads, checked against the API's numbers: the National
// CERT analyst's home shows this quarter's sessions by province as GET /api/v1/trainings/rollup
// counts them; the Punjab CERT analyst's home shows its constituency's heat map and training
// quarter as the API does; on the risks page the National CERT analyst picks Punjab CERT's subtree
// (?root=) and the cells, figures and bars by sector follow the API, at both widths; and the
// National CERT analyst invites an organisation to a session it organises from the session page.
import assert from 'node:assert/strict';
import {
  PHONE, DESKTOP, atBothWidths, apiSignIn, apiSignOut, norm, noSidewaysScroll,
} from './harness.mjs';
import { NATIONAL_ANALYST, ANALYST } from './demo.mjs';

const at = (hours) => new Date(Date.now() + hours * 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z');

// The bars of the chart `name` as {key: [value, base, of]} (base and of null when not drawn).
async function bars(page, name) {
  return page.$$eval(`svg[data-chart="${name}"] rect.bar`, (els) => Object.fromEntries(els.map((e) => [
    e.dataset.key, [Number(e.dataset.value), e.dataset.base === undefined ? null : Number(e.dataset.base),
      e.dataset.of === undefined ? null : Number(e.dataset.of)]])));
}

// The counts of the heat map grid `grid` as counts[l-1][i-1], as the API gives them.
async function cells(page, grid) {
  const all = await page.$$eval(`#${grid} td[data-count]`, (els) => els.map((e) => [Number(e.dataset.likelihood), Number(e.dataset.impact), Number(e.dataset.count)]));
  const size = Math.max(...all.map(([l]) => l));
  const out = Array.from({ length: size }, () => Array(size).fill(0));
  for (const [l, i, n] of all) out[l - 1][i - 1] = n;
  return out;
}

// The four figures above a heat map inside `scope`.
async function figures(page, scope) {
  const out = {};
  for (const key of ['total', 'critical', 'overdue-treatments', 'overdue-reviews']) {
    out[key] = Number(norm(await page.locator(`${scope} [data-figure="${key}"] .figure-value`).textContent()));
  }
  return out;
}
const apiFigures = (hm) => ({
  total: hm.total, critical: hm.by_level.critical, 'overdue-treatments': hm.overdue_treatments, 'overdue-reviews': hm.overdue_reviews,
});

// What the roll-up's groups (by_province or by_sector) should draw: {key: [total, orgs, null]}.
const groupBars = (groups, key) => Object.fromEntries(groups.map((g) => [g[key] || 'none', [g.total, g.orgs, null]]));

// The training-quarter panel of the home page against GET /api/v1/trainings/rollup over the same
// quarter for the signed-in person's org.
async function checkQuarterPanel(t, orgId) {
  const { page } = t;
  const panel = page.locator('section[data-panel="training-quarter"]');
  const sum = panel.locator('#training-quarter-summary');
  await sum.waitFor();
  const d = await sum.evaluate((el) => ({ ...el.dataset }));
  const ru = (await t.api('GET', `/api/v1/trainings/rollup?root=${orgId}&since=${d.since}&until=${d.until}`)).body;
  assert.deepEqual(
    [d.held, d.upcoming, d.reached, d.registered, d.attended, d.inPerson, d.virtual].map(Number),
    [ru.sessions_held, ru.sessions_upcoming, ru.orgs_reached, ru.registered, ru.attended, ru.in_person, ru.virtual],
    'the summary\'s figures are the roll-up\'s',
  );
  // the demo's sessions are held 5 to 40 days ago: in a quarter's first days none may be yet
  if (!ru.sessions_held) console.log(`# no session held yet from ${d.since} to ${d.until}: the bars are checked empty`);
  const text = norm(await sum.textContent());
  assert.match(text, new RegExp(`^${ru.sessions_held} sessions? held in Q\\d \\d{4} reached ${ru.orgs_reached} organisations?: ${ru.attended} of ${ru.registered} people registered attended`));
  const want = Object.fromEntries(ru.by_province.map((p) => [p.key || 'none', [p.sessions, p.attended, p.registered]]));
  assert.deepEqual(await bars(page, 'training-by-province'), want, 'a bar per province: its sessions, attended of registered');
}

// The risks page as the National CERT analyst: the national heat map by sector, then Punjab
// CERT's subtree picked in "Constituency of".
const pickRootStory = (viewport, label) => ({
  name: `rollup (${label}): the National CERT analyst picks Punjab CERT in the risks page's "Constituency of"; the cells, figures and the bars by sector are the API's for ?root=, and the address keeps it`,
  viewport,
  async fn(t, page) {
    await t.openAs(NATIONAL_ANALYST, '/risks');
    await page.locator('#risk-heatmap-grid').waitFor();
    // the nation first: by province and by sector, as the API counts them
    const nation = (await t.api('GET', '/api/v1/risks/heatmap')).body;
    assert.deepEqual(await cells(page, 'risk-heatmap-grid'), nation.counts);
    assert.ok(nation.by_sector.length > 1, 'the demo has risks in several sectors');
    assert.deepEqual(await bars(page, 'risk-heatmap-by-sector'), groupBars(nation.by_sector, 'sector'));
    assert.deepEqual(await bars(page, 'risk-heatmap-by-province'), groupBars(nation.by_province, 'province'));
    const orange = await page.$$eval('svg[data-chart="risk-heatmap-by-sector"] rect.bar.bar-weak', (els) => els.map((e) => e.dataset.key).sort());
    assert.deepEqual(orange, nation.by_sector.filter((g) => g.by_level.critical > 0).map((g) => g.sector || 'none').sort(), 'orange where some are critical');
    if (viewport === PHONE) await noSidewaysScroll(t, 'the risks page of the nation');
    await t.screenshot(`rollup-risks-nation-${label}`);

    // the picker offers the CERTs below, not the institutions
    const sel = page.getByLabel('Constituency of');
    const offered = await sel.locator('option').allTextContents();
    assert.equal(offered[0], 'National CERT (yours)');
    assert.ok(offered.includes('Punjab CERT') && offered.includes('Sindh CERT'), offered.join(', '));
    assert.ok(!offered.includes('Punjab Health Services Directorate'), 'no institution is offered');
    const pb = (await t.apiAll('/api/v1/orgs')).find((o) => o.name === 'Punjab CERT');
    await sel.selectOption({ label: 'Punjab CERT' });
    await page.getByRole('heading', { name: 'Heat map of Punjab CERT’s constituency' }).waitFor();
    await t.settle();
    assert.match(t.hash(), new RegExp(`[?&]root=${pb.id}`));
    const sub = (await t.api('GET', `/api/v1/risks/heatmap?root=${pb.id}`)).body;
    assert.equal(sub.root.name, 'Punjab CERT');
    assert.ok(sub.total > 0 && sub.total < nation.total, `Punjab's ${sub.total} of the nation's ${nation.total}`);
    const check = async () => {
      assert.deepEqual(await cells(page, 'risk-heatmap-grid'), sub.counts, 'the cells are the subtree\'s');
      assert.deepEqual(await figures(page, '#risk-heatmap-box'), apiFigures(sub));
      assert.deepEqual(await bars(page, 'risk-heatmap-by-sector'), groupBars(sub.by_sector, 'sector'));
      assert.equal(await page.locator('svg[data-chart="risk-heatmap-by-province"]').count(), sub.by_province.length > 1 ? 1 : 0);
      assert.match(norm(await page.locator('#risk-heatmap-box .chart-caption').first().textContent()),
        new RegExp(`^Counts of ${sub.total} open risks? of ${sub.orgs_with_risks} of ${sub.orgs} organisations under Punjab CERT`));
      const top = await page.$$eval('#risk-heatmap-top li', (els) => els.map((e) => [Number(e.dataset.score), e.dataset.readable]));
      assert.deepEqual(top, sub.top.map((x) => [x.score, x.readable ? '1' : '0']));
    };
    await check();
    if (viewport === PHONE) await noSidewaysScroll(t, 'the risks page with Punjab CERT picked');
    await t.screenshot(`rollup-risks-punjab-${label}`);
    // inherent: the same root, the other pair counted
    await page.getByLabel('Count by').selectOption('inherent');
    await page.locator('#risk-heatmap-box .chart-title', { hasText: 'Risks by inherent likelihood and impact' }).waitFor();
    await t.settle();
    assert.match(t.hash(), /basis=inherent/);
    const inh = (await t.api('GET', `/api/v1/risks/heatmap?root=${pb.id}&basis=inherent`)).body;
    assert.deepEqual(await cells(page, 'risk-heatmap-grid'), inh.counts);
    await page.getByLabel('Count by').selectOption('residual');
    await page.locator('#risk-heatmap-box .chart-title', { hasText: 'Risks by residual likelihood and impact' }).waitFor();
    await t.settle();
    // a reload keeps the root
    await page.reload();
    await page.locator('body.ready').waitFor();
    await t.settle();
    await page.locator('#risk-heatmap-grid').waitFor();
    assert.equal(await page.getByLabel('Constituency of').inputValue(), pb.id);
    await check();
    // and back to the whole nation
    await page.getByLabel('Constituency of').selectOption('');
    await page.getByRole('heading', { name: 'Heat map of your constituency' }).waitFor();
    await t.settle();
    assert.doesNotMatch(t.hash(), /root=/);
    assert.deepEqual(await figures(page, '#risk-heatmap-box'), apiFigures((await t.api('GET', '/api/v1/risks/heatmap')).body));
    // two choices in a row: the map is the last one's, whichever answer comes first
    const sindh = (await t.apiAll('/api/v1/orgs')).find((o) => o.name === 'Sindh CERT');
    await page.getByLabel('Constituency of').selectOption(pb.id);
    await page.getByLabel('Constituency of').selectOption(sindh.id);
    await page.getByRole('heading', { name: 'Heat map of Sindh CERT’s constituency' }).waitFor();
    await t.settle();
    const sd = (await t.api('GET', `/api/v1/risks/heatmap?root=${sindh.id}`)).body;
    assert.deepEqual(await cells(page, 'risk-heatmap-grid'), sd.counts);
    assert.deepEqual(await figures(page, '#risk-heatmap-box'), apiFigures(sd));
    assert.equal(norm(await t.text('#h-risk-map')), 'Heat map of Sindh CERT’s constituency');
  },
});

export const tests = [
  {
    name: 'rollup (1366 px): the National CERT\'s home shows this quarter\'s sessions by province as the training roll-up counts them',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.openAs(NATIONAL_ANALYST, '/home');
      const me = (await t.api('GET', '/api/v1/me')).body;
      await checkQuarterPanel(t, me.org.id);
      // the national heat map beside it, cell by cell
      const hm = (await t.api('GET', '/api/v1/risks/heatmap')).body;
      assert.deepEqual(await cells(page, 'home-risk-heatmap-grid'), hm.counts);
      assert.deepEqual(await figures(page, 'section[data-panel="national-risks"]'), apiFigures(hm));
      assert.deepEqual(await bars(page, 'home-risk-heatmap-by-province'), groupBars(hm.by_province, 'province'));
      await t.screenshot('rollup-home-national');
    },
  },
  {
    name: 'rollup (1366 px): the Punjab CERT analyst\'s home shows its constituency\'s heat map and this quarter\'s training as the API counts them',
    viewport: DESKTOP,
    async fn(t, page) {
      await t.openAs(ANALYST, '/home');
      const me = (await t.api('GET', '/api/v1/me')).body;
      assert.equal(me.org.name, 'Punjab CERT');
      const panel = 'section[data-panel="constituency-risks"]';
      await page.locator(`${panel} #home-risk-heatmap-grid`).waitFor();
      assert.equal(norm(await page.locator(`${panel} h2`).textContent()), 'Risks of your constituency');
      const hm = (await t.api('GET', '/api/v1/risks/heatmap')).body;
      assert.equal(hm.root.id, me.org.id);
      assert.deepEqual(await cells(page, 'home-risk-heatmap-grid'), hm.counts);
      assert.deepEqual(await figures(page, panel), apiFigures(hm));
      assert.equal(await page.locator(`${panel} #home-risk-heatmap-top`).count(), 0, 'the highest risks are on the register');
      assert.equal(await page.locator('section[data-panel="national-risks"]').count(), 0);
      assert.equal(norm(await page.locator('section[data-panel="training-quarter"] h2').textContent()), 'Training in your constituency this quarter');
      await checkQuarterPanel(t, me.org.id);
      await t.screenshot('rollup-home-punjab');
    },
  },
  ...atBothWidths(pickRootStory, DESKTOP),
  {
    name: 'rollup (1366 px): the National CERT analyst invites Punjab CERT to a session it organises from the session page; the invitation shows and the API agrees',
    viewport: DESKTOP,
    async fn(t, page) {
      await apiSignIn(t, NATIONAL_ANALYST);
      const orgs = await t.apiAll('/api/v1/orgs');
      const kp = orgs.find((o) => o.name === 'Khyber Pakhtunkhwa CERT').id;
      const pb = orgs.find((o) => o.name === 'Punjab CERT').id;
      const title = `Log retention clinic ${Date.now()}`;
      const r = await t.api('POST', '/api/v1/trainings', {
        title, mode: 'virtual', meeting_url: 'https://meet.rabta.test/logs', starts_at: at(48), ends_at: at(50), invited_org_ids: [kp], topics: ['ir'],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const s = r.body;
      if (s.status === 'draft') assert.equal((await t.api('POST', `/api/v1/trainings/${s.id}/schedule`, {})).status, 200);
      await apiSignOut(t);
      await t.openAs(NATIONAL_ANALYST, `/trainings/${s.id}`);
      assert.equal(norm(await t.text('#training-title')), title);
      const rows = () => page.$$eval('#invites-table tbody tr', (els) => els.map((e) => e.dataset.orgId).sort());
      await page.locator(`#invites-table tr[data-org-id="${kp}"]`).waitFor(); // the table loads after the title
      assert.deepEqual(await rows(), [kp]);
      const form = page.getByRole('form', { name: 'Invite an organisation' });
      const choice = form.getByLabel('Organisation');
      const offered = await choice.locator('option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(offered.includes(pb), 'Punjab CERT is offered');
      assert.ok(!offered.includes(kp), 'an invited org is not offered again');
      await choice.selectOption(pb);
      await form.getByRole('button', { name: 'Invite' }).click();
      await page.getByText('Invited; the invitation is in their inbox.').waitFor();
      await t.settle();
      await page.locator(`#invites-table tr[data-org-id="${pb}"]`).waitFor();
      assert.deepEqual(await rows(), [kp, pb].sort());
      assert.match(norm(await page.locator(`#invites-table tr[data-org-id="${pb}"]`).textContent()), /^Punjab CERT\s*Provincial CERT\s*0\s*0\s*0$/);
      assert.equal(norm(await page.locator('[data-field="invited"]').textContent()), '2 organisations');
      assert.ok(!(await page.getByRole('form', { name: 'Invite an organisation' }).getByLabel('Organisation').locator('option').evaluateAll((os) => os.map((o) => o.value))).includes(pb),
        'Punjab CERT is not offered twice');
      await t.screenshot('rollup-training-invited');
      // the API: the invite, and Punjab CERT's analyst sees itself invited
      const inv = await t.apiAll(`/api/v1/trainings/${s.id}/invites`);
      assert.deepEqual(inv.map((i) => i.org_id).sort(), [kp, pb].sort());
      await apiSignOut(t);
      await apiSignIn(t, ANALYST);
      const theirs = (await t.api('GET', `/api/v1/trainings/${s.id}`)).body;
      assert.equal(theirs.you.invited, true);
      assert.equal(theirs.invited, 2);
    },
  },
];
