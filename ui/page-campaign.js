// A campaign's preparedness dashboard: the counts in words, score histogram, mean score by province /
// sector / domain, trend across campaigns of the same profile, who has not submitted, every
// assessment (with review links for the parent CERT) and the gap report (weakest controls and
// domains, also as CSV). ?root=ORG narrows everything to a CERT's subtree.
//
// Every number says what it rests on: each bar shows "n of m" (n organisations submitted of the m
// assessed in that group), groups resting on fewer than THIN_BASE submissions are marked thin, and a
// campaign still open is marked partial. Scores have one decimal everywhere (fmtScore).
import { h, fmtDate, plural, confirmedClick, pageHead } from './dom.js';
import { get, post, listAll, withQuery } from './api.js';
import { state, can, loadOrgs, orgIndex, descendants, isCert, kindLabel, provinceLabel, sectorLabel } from './state.js';
import { barChart, histogram, trendChart } from './chart.js';
import {
  append, fmtScore, statusTag, tlpBadge, HIST_LABELS, THIN_BASE, THIN_TEXT, cardTable, controlLabel,
  labelMap, loadWithRetry, loadOrMissing, plainError, countPhrase,
} from './guidelines.js';

const GAP_LIMIT = 10;
const TREND_MAX = 8; // campaigns shown in the trend (the latest ones)

function panel(id, title, ...body) {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), body);
}

function statCard(key, value, label, detail, extraClass) {
  return h('div', { class: ['stat', extraClass], role: 'listitem', dataset: { stat: key } },
    h('span', { class: 'stat-value' }, String(value)),
    h('span', { class: 'stat-label' }, label),
    detail ? h('span', { class: 'stat-detail', dataset: { statDetail: key } }, detail) : null);
}

export function campaignStatusTag(status) {
  return h('span', { class: ['tag', status === 'open' ? 'tag-info' : 'tag-off'], dataset: { campaignStatus: status } },
    status === 'open' ? 'Open' : 'Closed');
}

// The part of each title that tells the campaigns apart: the common leading words are dropped
// ("National baseline self-assessment, June 2026" / "…, December 2026" -> "June 2026" / "December 2026").
export function distinctTitles(titles) {
  if (titles.length < 2) return titles.slice();
  const words = titles.map((t) => t.split(/\s+/));
  let k = 0;
  while (words.every((w) => w.length > k + 1 && w[k] === words[0][k])) k += 1;
  return titles.map((t, i) => {
    const rest = words[i].slice(k).join(' ').replace(/^[,;:–-]\s*/, '');
    return rest || t;
  });
}

// [[18, 'accepted'], [6, 'awaiting review']] -> "18 accepted, 6 awaiting review" (zeros left out)
function partsText(parts) {
  return parts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}`).join(', ');
}

// "not submitted" broken down by status: [[8, 'in draft'], [6, 'not started'], [1, 'returned for revision']]
function pendingParts(pending) {
  const n = (st) => pending.filter((p) => p.status === st).length;
  return [[n('draft'), 'in draft'], [n('not_started'), 'not started'], [n('returned'), 'returned for revision']];
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  const me = state.me;
  const again = () => render(section, ctx);

  const got = await loadOrMissing(section, 'campaign', () => Promise.all([
    get(`/api/v1/campaigns/${encodeURIComponent(id)}`), loadOrgs()]), again,
  { kind: 'Campaign', back: ['#/campaigns', 'Back to the campaigns'], title: 'Campaign', titleOf: ([c]) => c.title });
  if (!got || !section.isConnected) return;
  const [campaign, orgs] = got;
  const { byId, kids } = orgIndex(orgs);

  // the subtree filter: one's own org, or a CERT below it
  const certsBelow = descendants(kids, me.org.id).filter(isCert).sort((a, b) => a.name.localeCompare(b.name));
  let root = ctx.query.get('root') || '';
  if (root && root !== me.org.id && !certsBelow.some((o) => o.id === root)) root = '';
  const rootOrg = root ? byId.get(root) : null;
  const q = { root: root || null };

  const loaded = await loadWithRetry(section, 'dashboard', () => Promise.all([
    get(`/api/v1/campaigns/${id}/rollup`, q),
    get(`/api/v1/campaigns/${id}/gaps`, { ...q, limit: GAP_LIMIT }),
    get(`/api/v1/profiles/${campaign.profile_id}/trend`, q).catch((e) => (e.status === 404 ? null : Promise.reject(e))),
    listAll('/api/v1/assessments', { campaign_id: id }),
    listAll('/api/v1/campaigns', { profile_id: campaign.profile_id }).catch(() => []),
    listAll(`/api/v1/catalogs/${campaign.catalog_id}/controls`).catch(() => []),
  ]), again);
  if (!loaded || !section.isConnected) return;
  const [rollup, gaps, trend, all, siblings, catalogControls] = loaded;
  const labels = labelMap(catalogControls);

  // the assessment list is not root-filtered by the API: keep the subtree here
  const inScope = (() => {
    if (!root) return all;
    const ids = new Set(descendants(kids, root).map((o) => o.id));
    return all.filter((a) => ids.has(a.org_id));
  })();

  // the trend's other campaigns: their own roll-up (same subtree) says how many each rests on
  const trendCampaigns = trend ? trend.campaigns.slice(-TREND_MAX) : [];
  const others = await Promise.all(trendCampaigns.filter((c) => c.campaign_id !== id).map((c) => get(`/api/v1/campaigns/${c.campaign_id}/rollup`, q)
    .then((r) => [c.campaign_id, r]).catch(() => [c.campaign_id, null])));
  if (!section.isConnected) return;
  const rollupOf = new Map(others);
  rollupOf.set(id, rollup);
  const statusOf = new Map(siblings.map((c) => [c.id, c.status]));
  statusOf.set(id, campaign.status);

  // ---------- head ----------
  let picker = null;
  if (certsBelow.length) {
    const sel = h('select', { id: 'root-filter', name: 'root' },
      h('option', { value: '' }, `${me.org.name} (whole constituency)`),
      certsBelow.map((o) => h('option', { value: o.id, selected: o.id === root ? true : null }, `${o.name} — ${kindLabel(o.kind)}`)));
    sel.addEventListener('change', () => ctx.navigate(withQuery(`#/campaigns/${id}`, { root: sel.value })));
    picker = h('div', { class: 'field field-inline root-picker' },
      h('label', { for: 'root-filter' }, 'Constituency'), sel);
  }
  const scope = rootOrg ? rootOrg.name : 'your constituency';
  const open = campaign.status === 'open';
  append(section,
    pageHead({
      path: [['#/campaigns', 'Preparedness']], here: campaign.title,
      eyebrow: 'Preparedness dashboard',
      title: campaign.title,
      titleId: 'campaign-title',
      lede: ['Profile ', h('a', { href: `#/profiles/${campaign.profile_id}`, id: 'profile-link' }, `“${campaign.profile_title}”`),
        ` · launched by ${campaign.owner_name} · due ${fmtDate(campaign.due_date)} · `,
        campaignStatusTag(campaign.status), ' ', tlpBadge(campaign.tlp)],
    }),
    picker ? h('div', { class: 'toolbar' }, picker,
      rootOrg ? h('p', { class: 'muted', id: 'root-note' }, `Showing ${rootOrg.name} and the organisations below it.`) : null) : null);

  const pending = rollup.not_submitted_orgs || [];
  const awaiting = rollup.submitted - rollup.accepted;
  if (open) {
    append(section, h('p', { class: 'notice notice-warn', id: 'partial-notice' },
      h('strong', null, 'Open campaign: partial figures. '),
      `${rollup.submitted} of ${plural(rollup.assessments, 'organisation')} in ${scope} have submitted so far; `,
      'every score below rests on those submissions only and will change as more come in.'));
  }

  // ---------- closing (the launching CERT's analysts and admins) ----------
  if (open && campaign.owner_org === me.org.id && can('publish')) {
    const msg = h('p', { class: 'form-error', role: 'alert', id: 'close-error' });
    const closeBtn = h('button', { type: 'button', class: 'btn', id: 'close-campaign' }, 'Close campaign');
    confirmedClick(closeBtn, {
      async ask() {
        msg.textContent = '';
        const whole = root ? null : rollup; // the consequence is said for the whole campaign
        const r = whole || await get(`/api/v1/campaigns/${id}/rollup`).catch(() => rollup);
        const left = r.not_submitted_orgs || [];
        return {
          id: 'close-dialog',
          title: `Close “${campaign.title}”?`,
          body: [
            h('p', { id: 'close-consequence' }, r.not_submitted
              ? `${countPhrase(r.not_submitted, `of ${r.assessments} organisations have not submitted`, pendingParts(left))}. `
                + 'They will not be able to submit any more.'
              : `Every one of the ${r.assessments} organisations has submitted.`),
            h('p', null, `Closing freezes every assessment as it stands: nothing can be saved, submitted or reviewed any more${r.submitted - r.accepted > 0 ? ` (${r.submitted - r.accepted} submitted assessments are still waiting for review)` : ''}. The dashboard keeps the ${r.submitted} submitted.`),
          ],
          confirm: 'Close the campaign',
          danger: true,
        };
      },
      async act() {
        await post(`/api/v1/campaigns/${id}/close`);
        ctx.navigate(location.hash);
      },
      failed: (err) => { msg.textContent = plainError(err, 'The campaign could not be closed.'); },
    });
    append(section, h('div', { class: 'toolbar close-bar' }, closeBtn, msg));
  }

  // ---------- the counts, in words ----------
  const sc = rollup.score || { n: 0, histogram: [] };
  const notParts = pendingParts(pending);
  append(section,
    h('p', { class: 'count-sentence', id: 'count-sentence' },
      `${plural(rollup.assessments, 'organisation')} assessed in ${scope}: `,
      h('strong', null, `${rollup.submitted} submitted`),
      rollup.submitted ? ` (${partsText([[rollup.accepted, 'accepted'], [awaiting, 'awaiting review']])})` : '',
      ' and ', h('strong', null, `${rollup.not_submitted} not submitted`),
      rollup.not_submitted ? ` (${partsText(notParts)})` : '',
      rollup.overdue ? `, ${rollup.overdue} of them overdue.` : '.'),
    h('div', { class: 'stats g-stats', role: 'list', 'aria-label': 'Campaign in numbers', id: 'campaign-stats' },
      statCard('assessments', rollup.assessments, 'organisations assessed'),
      statCard('submitted', rollup.submitted, 'submitted',
        partsText([[rollup.accepted, 'accepted'], [awaiting, 'awaiting review']]) || 'none yet'),
      statCard('not_submitted', rollup.not_submitted, 'not submitted',
        partsText(notParts) || 'everyone has submitted', rollup.not_submitted ? 'stat-warn' : null),
      statCard('overdue', rollup.overdue, 'overdue', rollup.overdue ? `of the ${rollup.not_submitted} not submitted, past ${fmtDate(campaign.due_date)}` : `due ${fmtDate(campaign.due_date)}`,
        rollup.overdue ? 'stat-danger' : null),
      statCard('mean', fmtScore(sc.n ? sc.mean : null), 'mean score',
        sc.n ? `of the ${plural(sc.n, 'submitted assessment')}${sc.n < THIN_BASE ? ' (thin)' : ''}` : 'nothing submitted yet', 'stat-score'),
      statCard('median', fmtScore(sc.n ? sc.median : null), 'median score',
        sc.n ? `half score below, half above · lowest ${fmtScore(sc.min)}, highest ${fmtScore(sc.max)}` : null, 'stat-score')));

  // ---------- charts ----------
  const orgOf = (a) => byId.get(a.org_id);
  const countIn = (keyFn) => {
    const m = new Map();
    for (const a of inScope) {
      const k = keyFn(orgOf(a)) || null;
      m.set(k, (m.get(k) || 0) + 1);
    }
    return m;
  };
  const provTotals = countIn((o) => (o ? o.province : null));
  const sectorTotals = countIn((o) => (o ? o.sector : null));
  const base = (n, of) => ({ n, of, thin: n > 0 && n < THIN_BASE });
  const partialWord = open ? ' so far (open campaign)' : '';
  const thinNote = `Thin: ${THIN_TEXT} submitted; drawn lighter, read with care.`;
  const baseCaption = (what) => `Each bar is the mean score of the submitted assessments in its ${what}; “n of m” beside it: n of the m organisations assessed there have submitted${partialWord}. ${thinNote}`;

  // every group that has assessments gets a row, with or without a score yet
  const groupRows = (byKey, totals, labelOf, order) => {
    const scored = new Map(byKey.map((r) => [r.key || null, r]));
    const keys = [...new Set([...totals.keys(), ...scored.keys()])];
    keys.sort(order);
    return keys.map((k) => {
      const r = scored.get(k);
      const n = r ? r.n : 0;
      return { key: k || 'none', label: labelOf(k), value: r ? r.mean : null, base: base(n, totals.get(k) || n) };
    });
  };
  const provOrder = (state.meta ? state.meta.provinces.map((p) => p.code) : []);
  const provRank = (k) => (k ? (provOrder.indexOf(k) + 1 || 99) : 100);
  const provRows = groupRows(rollup.by_province, provTotals, (k) => (k ? provinceLabel(k) : 'No province (sector-wide)'),
    (x, y) => provRank(x) - provRank(y));
  const sectorRows = groupRows(rollup.by_sector, sectorTotals, (k) => (k ? sectorLabel(k) : 'No sector'),
    (x, y) => sectorLabel(x).localeCompare(sectorLabel(y)));
  const minDomain = rollup.by_domain.length ? Math.min(...rollup.by_domain.map((r) => r.mean)) : null;
  const domainRows = rollup.by_domain.map((r) => ({
    key: r.key, label: r.title || r.key, value: r.mean, base: base(r.n, rollup.assessments), highlight: r.mean === minDomain,
  }));
  const scoreChart = (name, title, rows, caption, labelWidth) => barChart({
    name, title, rows, max: 100, format: fmtScore, valueHeading: 'Mean score', caption, labelWidth,
    baseHeading: 'Submitted', baseNoun: '', narrowNoun: 'submitted', axisLabel: 'Mean score (0–100)',
  });

  const points = trendCampaigns.map((c, i, arr) => {
    const r = rollupOf.get(c.campaign_id);
    const st = statusOf.get(c.campaign_id);
    const short = distinctTitles(arr.map((x) => x.title))[i];
    const of = r ? r.assessments : null;
    return {
      key: c.campaign_id, label: short, value: c.submitted ? c.mean : null, current: c.campaign_id === id,
      sub: `launched ${fmtDate(c.created_at)}`,
      base: { n: c.submitted, of, thin: c.submitted > 0 && c.submitted < THIN_BASE },
      partial: st === 'open', partialText: st === 'open' ? 'open: partial' : null,
    };
  });
  const trendList = trendCampaigns.length > 1 ? h('ul', { class: 'trend-list', id: 'trend-list' }, trendCampaigns.map((c, i) => {
    const p = points[i];
    const st = statusOf.get(c.campaign_id);
    return h('li', { dataset: { campaignId: c.campaign_id } },
      c.campaign_id === id ? h('strong', null, c.title) : h('a', { href: withQuery(`#/campaigns/${c.campaign_id}`, q) }, c.title),
      ` (launched ${fmtDate(c.created_at)}${st === 'open' ? ', open' : st === 'closed' ? ', closed' : ''}): `,
      p.value === null ? 'no score yet' : `mean ${fmtScore(p.value)}`,
      `, ${c.submitted}${p.base.of !== null ? ` of ${p.base.of}` : ''} submitted`,
      st === 'open' ? ' — partial' : '', p.base.thin ? ' — thin' : '');
  })) : null;

  append(section, h('div', { class: 'grid-2' },
    panel('h-hist', 'Spread of scores',
      histogram({
        name: 'score-histogram', title: `Distribution of scores in ${scope}`, bins: sc.histogram || [], labels: HIST_LABELS,
        axisLabel: 'Score range (0–100)',
        caption: sc.n
          ? `Each bar counts the submitted assessments whose score falls in its range: ${plural(sc.n, 'submitted assessment')} of ${rollup.assessments}${partialWord}. Lowest ${fmtScore(sc.min)}, middle half ${fmtScore(sc.q1)}–${fmtScore(sc.q3)}, highest ${fmtScore(sc.max)}.`
          : 'No assessment has been submitted yet.',
      })),
    panel('h-trend', 'Trend across campaigns of this profile',
      trendChart({
        name: 'trend', title: `Mean score per campaign of “${campaign.profile_title}”`, points, format: fmtScore,
        caption: points.length > 1
          ? `Mean score of the submitted assessments of each campaign in ${scope}, oldest first; under each point, how many of the assessed organisations it rests on. The larger dot is this campaign; a hollow dot is a campaign still open (partial). ${points.some((p) => p.base.thin) ? thinNote : ''}`
          : 'This is the first campaign of this profile: later ones will show the trend.',
      }),
      trendList)));

  append(section,
    h('div', { class: 'grid-2' },
      panel('h-prov', 'Mean score by province', scoreChart('by-province', `Mean score by province in ${scope}`, provRows, baseCaption('province'))),
      panel('h-sector', 'Mean score by sector', scoreChart('by-sector', `Mean score by sector in ${scope}`, sectorRows, baseCaption('sector')))),
    panel('h-domain', 'Mean score by domain',
      scoreChart('by-domain', `Mean score by domain in ${scope}`, domainRows,
        domainRows.length ? `Each bar is the mean of the domain's score over the submitted assessments (controls answered “Not applicable” left out); “n of m”: n of the ${rollup.assessments} organisations assessed${partialWord}. The weakest domain is highlighted. ${domainRows.some((r) => r.base.thin) ? thinNote : ''}` : null, 250)));

  // ---------- not submitted ----------
  append(section, h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-pending' },
    h('h2', { id: 'h-pending', class: 'panel-title' }, `Not submitted (${pending.length})`),
    pending.length
      ? cardTable({
        id: 'pending-table', caption: 'Organisations that have not submitted', compact: true,
        cols: [{ label: 'Organisation', main: true }, { label: 'Province' }, { label: 'Status' }, { label: 'Due' }],
        rows: pending.map((p) => ({
          attrs: { dataset: { orgId: p.org_id, assessmentId: p.assessment_id, overdue: p.overdue ? 'true' : 'false' } },
          cells: [
            h('a', { href: `#/assessments/${p.assessment_id}`, class: 'strong-link' }, p.org_name),
            provinceLabel(p.province),
            statusTag(p.status),
            [h('span', { class: p.overdue ? 'overdue' : null }, fmtDate(campaign.due_date)), p.overdue ? h('span', { class: 'tag tag-warn' }, 'overdue') : null],
          ],
        })),
      })
      : h('p', { class: 'empty' }, rollup.assessments ? 'Every organisation has submitted.' : `No organisation in ${scope} is assessed in this campaign.`)));

  // ---------- every assessment ----------
  const reviewer = isCert(me.org) && can('triage');
  append(section, h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-all' },
    h('h2', { id: 'h-all', class: 'panel-title' }, `Assessments (${inScope.length})`),
    inScope.length ? cardTable({
      id: 'assessment-table', caption: 'Assessments of this campaign', compact: true,
      cols: [{ label: 'Organisation', main: true }, { label: 'Status' }, { label: 'Answered', cls: 'num' }, { label: 'Score', cls: 'num score-cell' }, { label: 'Actions', action: true }],
      rows: inScope.slice().sort((a, b) => a.org_name.localeCompare(b.org_name)).map((a) => {
        const org = byId.get(a.org_id);
        const mayReview = reviewer && open && a.status === 'submitted' && org && org.parent_id === me.org.id;
        return {
          attrs: { dataset: { assessmentId: a.id, org: a.org_name, status: a.status } },
          cells: [
            a.org_name,
            statusTag(a.status),
            `${a.answered} of ${a.total}`,
            fmtScore(a.score),
            mayReview
              ? h('a', { class: 'btn btn-small btn-primary', href: `#/assessments/${a.id}/review`, 'aria-label': `Review ${a.org_name}` }, 'Review')
              : h('a', { class: 'btn btn-small', href: `#/assessments/${a.id}`, 'aria-label': `Open the assessment of ${a.org_name}` }, 'Open'),
          ],
        };
      }),
    }) : h('p', { class: 'empty' }, `No organisation in ${scope} is assessed in this campaign.`)));

  // ---------- gap report ----------
  const csvHref = withQuery(`/api/v1/campaigns/${id}/gaps`, { root: root || null, format: 'csv', limit: 500 });
  append(section, h('section', { class: 'panel', 'aria-labelledby': 'h-gaps', id: 'gap-report' },
    h('div', { class: 'panel-head' },
      h('h2', { id: 'h-gaps' }, 'Gap report'),
      h('a', { href: csvHref, class: 'btn btn-small', id: 'gaps-csv', download: `gaps-${campaign.title.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.csv` }, 'Download CSV')),
    h('p', { class: 'muted' }, `Weakest first, over the ${plural(rollup.submitted, 'submitted assessment')}${partialWord}. A control scores its mean maturity × 20 (0–100); “Not applicable” answers are left out.`),
    h('div', { class: 'grid-2' },
      gapTable('gap-controls', 'Weakest controls', ['Control', 'Not implemented or planned'], gaps.controls, (c) => ({
        attrs: { dataset: { controlId: c.id } },
        cells: [
          [h('a', { href: `#/catalogs/${campaign.catalog_id}/controls/${encodeURIComponent(c.id)}` },
            h('span', { class: 'control-label' }, c.label || controlLabel(c.id, labels)), ' ', c.title),
          h('span', { class: 'cell-sub' }, c.domain)],
          fmtScore(c.mean_score),
          `${c.not_implemented} of ${c.assessments}`,
        ],
      })),
      gapTable('gap-domains', 'Weakest domains', ['Domain', 'Submitted assessments'], gaps.domains, (d) => ({
        attrs: { dataset: { domainId: d.id } },
        cells: [d.title, fmtScore(d.mean_score), String(d.assessments)],
      })))));
}

// One of the gap report's two tables, weakest first: what is scored, its mean score and what that
// rests on (`cols`: the first and last headings); `row(item)` -> {attrs, cells}.
function gapTable(id, title, [what, base], items, row) {
  return h('div', null,
    h('h3', { class: 'sub-h' }, title),
    items.length
      ? cardTable({
        id, caption: title, compact: true,
        cols: [{ label: what, main: true }, { label: 'Mean score', cls: 'num' }, { label: base, cls: 'num' }],
        rows: items.map(row),
      })
      : h('p', { class: 'muted' }, 'Nothing scored yet.'));
}
