// A campaign's preparedness dashboard: stat cards, score histogram, by province / sector / domain,
// trend across campaigns of the same profile, who has not submitted, every assessment (with review
// links for the parent CERT) and the gap report (weakest controls and domains, also as CSV).
// ?root=ORG narrows everything to a CERT's subtree.
import { h, fmtDate, plural } from './dom.js';
import { get, post, listAll, withQuery } from './api.js';
import { state, can, loadOrgs, orgIndex, descendants, isCert, kindLabel, provinceLabel, sectorLabel } from './state.js';
import { barChart, histogram, trendChart } from './chart.js';
import { append, fmtScore, stat, statusTag, tlpBadge, HIST_LABELS } from './guidelines.js';

const GAP_LIMIT = 10;

function panel(id, title, ...body) {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), body);
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  document.title = 'Campaign · rabta';
  const me = state.me;
  let campaign;
  try {
    campaign = await get(`/api/v1/campaigns/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err.status === 404) {
      append(section, h('h1', { tabindex: '-1' }, 'Campaign not found'),
        h('p', { class: 'notice' }, 'It does not exist, or your organisation may not read it. ', h('a', { href: '#/campaigns' }, 'Back to the campaigns'), '.'));
      return;
    }
    throw err;
  }
  const orgs = await loadOrgs();
  if (!section.isConnected) return;
  document.title = `${campaign.title} · rabta`;
  const { byId, kids } = orgIndex(orgs);

  // the subtree filter: one's own org, or a CERT below it
  const certsBelow = descendants(kids, me.org.id).filter(isCert).sort((a, b) => a.name.localeCompare(b.name));
  let root = ctx.query.get('root') || '';
  if (root && root !== me.org.id && !certsBelow.some((o) => o.id === root)) root = '';
  const rootOrg = root ? byId.get(root) : null;
  const q = { root: root || null };

  const [rollup, gaps, trend, all] = await Promise.all([
    get(`/api/v1/campaigns/${id}/rollup`, q),
    get(`/api/v1/campaigns/${id}/gaps`, { ...q, limit: GAP_LIMIT }),
    get(`/api/v1/profiles/${campaign.profile_id}/trend`, q).catch((e) => (e.status === 404 ? null : Promise.reject(e))),
    listAll('/api/v1/assessments', { campaign_id: id }),
  ]);
  if (!section.isConnected) return;
  // the assessment list is not root-filtered by the API: keep the subtree here
  const inScope = (() => {
    if (!root) return all;
    const ids = new Set(descendants(kids, root).map((o) => o.id));
    return all.filter((a) => ids.has(a.org_id));
  })();

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
  append(section,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Path' },
      h('ol', null, h('li', null, h('a', { href: '#/campaigns' }, 'Preparedness')), h('li', { 'aria-current': 'page' }, campaign.title))),
    h('div', { class: 'page-head' },
      h('p', { class: 'eyebrow' }, 'Preparedness dashboard'),
      h('h1', { tabindex: '-1', id: 'campaign-title' }, campaign.title),
      h('p', { class: 'lede' },
        `Profile “${campaign.profile_title}” · launched by ${campaign.owner_name} · due ${fmtDate(campaign.due_date)} · `,
        h('span', { class: ['tag', campaign.status === 'open' ? 'tag-info' : 'tag-off'] }, campaign.status), ' ', tlpBadge(campaign.tlp))),
    picker ? h('div', { class: 'toolbar' }, picker,
      rootOrg ? h('p', { class: 'muted', id: 'root-note' }, `Showing ${rootOrg.name} and the organisations below it.`) : null) : null);

  // ---------- closing (the launching CERT's analysts and admins) ----------
  if (campaign.status === 'open' && campaign.owner_org === me.org.id && can('publish')) {
    const msg = h('p', { class: 'form-error', role: 'alert', id: 'close-error' });
    const confirmBtn = h('button', { type: 'button', class: 'btn btn-danger', id: 'close-confirm', hidden: true },
      'Yes, close it');
    const closeBtn = h('button', { type: 'button', class: 'btn', id: 'close-campaign' }, 'Close campaign');
    closeBtn.addEventListener('click', () => {
      confirmBtn.hidden = false;
      msg.textContent = 'Closing freezes every assessment of this campaign as it stands.';
      confirmBtn.focus();
    });
    confirmBtn.addEventListener('click', async () => {
      confirmBtn.disabled = true;
      try {
        await post(`/api/v1/campaigns/${id}/close`);
        ctx.navigate(location.hash);
      } catch (err) {
        msg.textContent = err.message || 'The campaign could not be closed.';
        confirmBtn.disabled = false;
      }
    });
    append(section, h('div', { class: 'toolbar close-bar' }, closeBtn, confirmBtn, msg));
  }

  // ---------- stat cards ----------
  const sc = rollup.score || { n: 0, histogram: [] };
  append(section, h('div', { class: 'stats stats-7', role: 'list', 'aria-label': 'Campaign in numbers', id: 'campaign-stats' },
    stat('assessments', rollup.assessments, 'assessments'),
    stat('submitted', rollup.submitted, 'submitted'),
    stat('accepted', rollup.accepted, 'accepted'),
    stat('not submitted', rollup.not_submitted, 'not_submitted', rollup.not_submitted ? 'stat-warn' : null),
    stat('overdue', rollup.overdue, 'overdue', rollup.overdue ? 'stat-danger' : null),
    stat('mean score', fmtScore(sc.n ? sc.mean : null), 'mean', 'stat-score'),
    stat('median score', fmtScore(sc.n ? sc.median : null), 'median', 'stat-score')));

  // ---------- charts ----------
  const spread = sc.n ? `Lowest ${fmtScore(sc.min)}, quartiles ${fmtScore(sc.q1)} – ${fmtScore(sc.q3)}, highest ${fmtScore(sc.max)}.` : 'No assessment has been submitted yet.';
  const points = trend ? trend.campaigns.map((c) => ({
    key: c.campaign_id, label: c.title, value: c.submitted ? c.mean : null, current: c.campaign_id === id,
    sub: fmtDate(c.created_at), note: plural(c.submitted, 'submission'),
  })) : [];
  append(section, h('div', { class: 'grid-2' },
    panel('h-hist', 'Scores (0–100)',
      histogram({
        name: 'score-histogram', title: `Distribution of scores in ${scope}`, bins: sc.histogram || [], labels: HIST_LABELS,
        caption: `${plural(sc.n || 0, 'scored assessment')}. ${spread}`,
      })),
    panel('h-trend', 'Trend across campaigns of this profile',
      trendChart({
        name: 'trend', title: `Mean score per campaign of “${campaign.profile_title}”`, points, format: fmtScore,
        caption: points.length > 1 ? 'Mean score of the submitted assessments of each campaign, oldest first; the larger dot is this campaign.'
          : 'This is the first campaign of this profile: later ones will show the trend.',
      }))));

  const provOrder = (state.meta ? state.meta.provinces.map((p) => p.code) : []);
  const provRank = (k) => (k ? (provOrder.indexOf(k) + 1 || 99) : 100);
  const provRows = rollup.by_province.slice().sort((x, y) => provRank(x.key) - provRank(y.key))
    .map((r) => ({ key: r.key || 'none', label: r.key ? provinceLabel(r.key) : 'No province (sector-wide)', value: r.mean, note: plural(r.n, 'assessment') }));
  const sectorRows = rollup.by_sector.map((r) => ({ key: r.key, label: sectorLabel(r.key), value: r.mean, note: plural(r.n, 'assessment') }));
  const minDomain = rollup.by_domain.length ? Math.min(...rollup.by_domain.map((r) => r.mean)) : null;
  const domainRows = rollup.by_domain.map((r) => ({
    key: r.key, label: r.title || r.key, value: r.mean, note: plural(r.n, 'assessment'), highlight: r.mean === minDomain,
  }));
  const scoreChart = (name, title, rows, caption, labelWidth) => barChart({ name, title, rows, max: 100, format: fmtScore, valueHeading: 'Mean score', caption, labelWidth });
  append(section,
    h('div', { class: 'grid-2' },
      panel('h-prov', 'Mean score by province', scoreChart('by-province', `Mean score by province in ${scope}`, provRows)),
      panel('h-sector', 'Mean score by sector', scoreChart('by-sector', `Mean score by sector in ${scope}`, sectorRows))),
    panel('h-domain', 'Mean score by domain',
      scoreChart('by-domain', `Mean score by domain in ${scope}`, domainRows,
        domainRows.length ? 'The weakest domain is highlighted.' : null, 250)));

  // ---------- not submitted ----------
  const pending = rollup.not_submitted_orgs || [];
  append(section, panel('h-pending', `Not submitted (${pending.length})`,
    pending.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', id: 'pending-table' },
        h('caption', { class: 'sr-only' }, 'Organisations that have not submitted'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Organisation'),
          h('th', { scope: 'col' }, 'Province'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Due'))),
        h('tbody', null, pending.map((p) => h('tr', { dataset: { orgId: p.org_id, assessmentId: p.assessment_id, overdue: p.overdue ? 'true' : 'false' } },
          h('td', null, h('a', { href: `#/assessments/${p.assessment_id}` }, p.org_name)),
          h('td', null, provinceLabel(p.province)),
          h('td', null, statusTag(p.status)),
          h('td', { class: p.overdue ? 'overdue' : null }, fmtDate(campaign.due_date),
            p.overdue ? h('span', { class: 'tag tag-warn' }, 'overdue') : null))))))
      : h('p', { class: 'muted' }, rollup.assessments ? 'Every organisation has submitted.' : `No organisation in ${scope} is assessed in this campaign.`)));

  // ---------- every assessment ----------
  const reviewer = isCert(me.org) && can('triage');
  append(section, h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-all' },
    h('h2', { id: 'h-all', class: 'panel-title' }, `Assessments (${inScope.length})`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table table-compact', id: 'assessment-table' },
      h('caption', { class: 'sr-only' }, 'Assessments of this campaign'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Organisation'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Answered'),
        h('th', { scope: 'col' }, 'Score'),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
      h('tbody', null, inScope.slice().sort((a, b) => a.org_name.localeCompare(b.org_name)).map((a) => {
        const org = byId.get(a.org_id);
        const mayReview = reviewer && campaign.status === 'open' && a.status === 'submitted' && org && org.parent_id === me.org.id;
        return h('tr', { dataset: { assessmentId: a.id, org: a.org_name, status: a.status } },
          h('td', null, a.org_name),
          h('td', null, statusTag(a.status)),
          h('td', { class: 'num' }, `${a.answered} / ${a.total}`),
          h('td', { class: 'num score-cell' }, fmtScore(a.score)),
          h('td', { class: 'actions' }, mayReview
            ? h('a', { class: 'btn btn-small btn-primary', href: `#/assessments/${a.id}/review`, 'aria-label': `Review ${a.org_name}` }, 'Review')
            : h('a', { class: 'btn btn-small', href: `#/assessments/${a.id}`, 'aria-label': `Open the assessment of ${a.org_name}` }, 'Open')));
      }))))));

  // ---------- gap report ----------
  const csvHref = withQuery(`/api/v1/campaigns/${id}/gaps`, { root: root || null, format: 'csv', limit: 500 });
  append(section, h('section', { class: 'panel', 'aria-labelledby': 'h-gaps', id: 'gap-report' },
    h('div', { class: 'panel-head' },
      h('h2', { id: 'h-gaps' }, 'Gap report'),
      h('a', { href: csvHref, class: 'btn btn-small', id: 'gaps-csv', download: `gaps-${campaign.title.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.csv` }, 'Download CSV')),
    h('p', { class: 'muted' }, 'Weakest first. A control scores its mean maturity × 20 over the scored assessments; “not applicable” answers are left out.'),
    h('div', { class: 'grid-2' },
      h('div', null,
        h('h3', { class: 'sub-h' }, 'Weakest controls'),
        gaps.controls.length
          ? h('table', { class: 'table table-compact', id: 'gap-controls' },
            h('caption', { class: 'sr-only' }, 'Weakest controls'),
            h('thead', null, h('tr', null,
              h('th', { scope: 'col' }, 'Control'),
              h('th', { scope: 'col' }, 'Mean'),
              h('th', { scope: 'col' }, 'Not implemented'))),
            h('tbody', null, gaps.controls.map((c) => h('tr', { dataset: { controlId: c.id } },
              h('td', null, h('a', { href: `#/catalogs/${campaign.catalog_id}/controls/${encodeURIComponent(c.id)}` }, h('span', { class: 'control-label' }, c.id), ' ', c.title),
                h('span', { class: 'cell-sub' }, c.domain)),
              h('td', { class: 'num' }, fmtScore(c.mean_score)),
              h('td', { class: 'num' }, `${c.not_implemented} of ${c.assessments}`)))))
          : h('p', { class: 'muted' }, 'Nothing scored yet.')),
      h('div', null,
        h('h3', { class: 'sub-h' }, 'Weakest domains'),
        gaps.domains.length
          ? h('table', { class: 'table table-compact', id: 'gap-domains' },
            h('caption', { class: 'sr-only' }, 'Weakest domains'),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Domain'), h('th', { scope: 'col' }, 'Mean'), h('th', { scope: 'col' }, 'Assessments'))),
            h('tbody', null, gaps.domains.map((d) => h('tr', { dataset: { domainId: d.id } },
              h('td', null, d.title), h('td', { class: 'num' }, fmtScore(d.mean_score)), h('td', { class: 'num' }, String(d.assessments))))))
          : h('p', { class: 'muted' }, 'Nothing scored yet.')))));
}
