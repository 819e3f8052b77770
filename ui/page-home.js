// Home: panels of the signed-in person's work, chosen by role and tier.
//
// THE PATTERN (docs/ui.md, "Home panels"). The home page is nothing but the PANELS below, each one
// a plain object:
//
//   {
//     id: 'review',                       // data-panel="review", heading id "h-review"
//     title: (me) => 'Waiting for your review',
//     show: (me) => isCert(me.org) && can('triage'),  // whose home it belongs on
//     order: (me) => 10,                  // smaller first; the person's most urgent work first
//     wide: false,                        // true: spans the whole row
//     link: (me) => ({ href: '#/assessments', label: 'All assessments' }),   // optional
//     what: 'the review queue',           // for the loading and failure words
//     load: (me, ctx) => Promise<data>,   // its own API calls; a failure stays inside the panel
//     isEmpty: (data) => bool,            // optional, with
//     empty: (me) => 'No assessment waits for your review.',  // a sentence, never "coming soon"
//     render: (data, me, ctx) => nodes,
//   }
//
// Every panel loads on its own with a loading state, an empty state and a "Try again" on failure
// (loadInto in dom.js). A new capability (incidents, advisories, risks, trainings) adds its panel
// object to PANELS (or imports it from its own module), says whose home it belongs on with show(),
// and where with order(). Counts are written as sentences that need no arithmetic
// ("24 submitted: 18 accepted, 6 awaiting review").
import {
  h, fmtDate, fmtTime, fmtPercent, plural, loadInto, barList, meterBar, daysBetween, dataTable, pageHead,
} from './dom.js';
import { get, listAll } from './api.js';
import {
  canLaunch, fmtScore, statusTag, THIN_BASE, THIN_TEXT,
} from './guidelines.js';
import {
  state, can, loadOrgs, orgIndex, descendants, isCert, kindLabel, provinceLabel, sectorLabel, roleLabel,
  actionLabel, objectHref, tierPanel,
} from './state.js';
import { INCIDENT_PANELS } from './home-incidents.js';
import { ADVISORY_PANELS } from './home-advisories.js';
import { RISK_PANELS } from './home-risks.js';
import { TRAINING_PANELS } from './home-trainings.js';

const LONG_WAIT_DAYS = 14; // a review waiting longer than this is shown in red

function todayIso() {
  return new Date().toISOString().slice(0, 10);
}

// "in 30 days", "today", "3 days ago"
function dueWords(due) {
  if (!due) return 'no due date';
  const d = daysBetween(new Date(), due);
  if (d > 1) return `due ${fmtDate(due)}, in ${d} days`;
  if (d === 1) return `due ${fmtDate(due)}, tomorrow`;
  if (d === 0) return `due today (${fmtDate(due)})`;
  return `was due ${fmtDate(due)}, ${plural(-d, 'day')} ago`;
}

function waitDays(iso) {
  return Math.max(0, daysBetween(iso, new Date()));
}

function waitWords(iso) {
  const d = waitDays(iso);
  return d === 0 ? 'since today' : `for ${plural(d, 'day')}`;
}

function figure(value, label, key, extra) {
  return h('div', { class: ['figure', extra], dataset: { figure: key } },
    h('span', { class: 'figure-value' }, String(value)),
    h('span', { class: 'figure-label' }, label));
}

// "A, B and C"
function listWords(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const NOT_SUBMITTED_WORDS = [
  ['returned', 'returned for changes'],
  ['draft', 'in draft'],
  ['not_started', 'not started'],
];

/* ---------- preparedness: open campaigns with their roll-up ---------- */

function campaignBlock(c, r, me) {
  const national = me.org.kind === 'national_cert';
  const where = national ? 'national' : 'constituency';
  const awaiting = r.submitted - r.accepted;
  const ns = r.not_submitted_orgs || [];
  const byStatus = NOT_SUBMITTED_WORDS
    .map(([st, words]) => [ns.filter((o) => o.status === st).length, words])
    .filter(([n]) => n > 0)
    .map(([n, words]) => `${n} ${words}`);
  const overdueOrgs = ns.filter((o) => o.overdue);

  const provRows = [];
  if (r.by_province && r.by_province.length > 1) {
    const order = state.meta ? state.meta.provinces.map((p) => p.code) : [];
    const rank = (k) => (k === null ? 999 : (order.indexOf(k) < 0 ? 998 : order.indexOf(k)));
    for (const p of r.by_province.slice().sort((a, b) => rank(a.key) - rank(b.key))) {
      const notYet = ns.filter((o) => (o.province || null) === p.key).length;
      provRows.push({
        key: p.key || 'none',
        label: p.key ? provinceLabel(p.key) : 'No province (sector-wide)',
        value: p.mean,
        note: `mean of ${p.n} scored of ${p.n + notYet} assessed`,
        thin: p.n < THIN_BASE,
      });
    }
  }

  const head = [
    h('h3', { class: 'campaign-title' }, h('a', { href: `#/campaigns/${c.id}` }, c.title)),
    h('p', { class: 'campaign-due' }, `Launched by ${c.owner_name} · ${dueWords(c.due_date)}`),
  ];
  if (r.assessments === 0) {
    return h('section', { class: 'campaign-block', dataset: { campaignId: c.id }, 'aria-label': c.title },
      head, h('p', { class: 'say' }, 'None of this campaign’s assessments is in your constituency.'));
  }
  const main = h('div', { class: 'campaign-main' },
    head,
    h('div', { class: 'figures' },
      figure(r.score && r.score.n ? fmtScore(r.score.mean) : '—',
        r.score && r.score.n ? `${where} score (mean of ${r.score.n})` : `${where} score: none scored yet`, 'score'),
      figure(r.assessments ? fmtPercent(r.submitted, r.assessments) : '0%', `submitted (${r.submitted} of ${r.assessments})`, 'rate'),
      figure(r.overdue, 'overdue', 'overdue', r.overdue ? 'figure-warn' : null)),
    meterBar(r.submitted, r.assessments, `${r.submitted} of ${r.assessments} assessments submitted`),
    h('p', { class: 'say', dataset: { say: 'assessments' } },
      `${plural(r.assessments, 'assessment')}: `,
      r.not_submitted
        ? [h('strong', null, `${r.submitted} submitted`), ', ', h('strong', null, `${r.not_submitted} not submitted yet`), ` (${r.overdue} overdue)`]
        : h('strong', null, r.assessments === 1 ? 'submitted' : `all ${r.submitted} submitted`),
      '.'),
    r.submitted ? h('p', { class: 'say', dataset: { say: 'submitted' } },
      `${r.submitted} submitted: ${r.accepted} accepted, ${awaiting} awaiting review.`) : null,
    byStatus.length ? h('p', { class: 'say', dataset: { say: 'not-submitted' } },
      `${r.not_submitted} not submitted yet: ${listWords(byStatus)}.`) : null,
    overdueOrgs.length ? h('p', { class: 'say overdue-list', dataset: { say: 'overdue' } },
      'Overdue: ',
      overdueOrgs.slice(0, 5).map((o, i) => [i ? ', ' : '', h('a', { href: `#/orgs/${o.org_id}` }, o.org_name)]),
      overdueOrgs.length > 5 ? ` and ${overdueOrgs.length - 5} more` : '', '.') : null);
  const side = provRows.length ? h('div', { class: 'campaign-side' }, barList({
    name: `province-scores-${c.id}`,
    title: 'Mean score by province (0–100)',
    rows: provRows, max: 100, format: fmtScore, axisLabel: 'Mean score (0–100)',
    caption: `Each bar is the mean score of the scored assessments of that province you may read.${provRows.some((x) => x.thin) ? ` Thin: ${THIN_TEXT} scored; drawn lighter, read with care.` : ''}`,
  })) : null;
  const block = h('section', { class: ['campaign-block', side ? 'has-side' : null], dataset: { campaignId: c.id }, 'aria-label': c.title }, main, side);
  return block;
}

const preparedness = {
  id: 'preparedness',
  title: () => 'Preparedness',
  show: (me) => isCert(me.org),
  order: (me) => (me.org.kind === 'national_cert' ? 10 : 20),
  wide: true,
  what: 'the open campaigns',
  link: () => ({ href: '#/campaigns', label: 'All campaigns' }),
  async load() {
    const all = await listAll('/api/v1/campaigns');
    const open = all.filter((c) => c.status === 'open');
    const rollups = await Promise.all(open.map((c) => get(`/api/v1/campaigns/${c.id}/rollup`)));
    return open.map((c, i) => ({ c, r: rollups[i] }));
  },
  isEmpty: (data) => !data.length,
  empty: () => h('p', null, 'No preparedness campaign is open. ',
    canLaunch() ? [h('a', { href: '#/campaigns/new' }, 'Launch a campaign'), ' over your constituency.'] : 'Campaigns your CERT or the CERTs above it launch appear here.'),
  render: (data, me) => h('div', { class: 'campaign-grid' }, data.map(({ c, r }) => campaignBlock(c, r, me))),
};

/* ---------- review queue ---------- */

const review = {
  id: 'review',
  title: () => 'Waiting for your review',
  show: (me) => isCert(me.org) && can('triage'),
  order: (me) => (me.org.kind === 'national_cert' ? 20 : 10),
  what: 'the review queue',
  link: () => ({ href: '#/assessments', label: 'All assessments' }),
  async load() {
    const items = await listAll('/api/v1/assessments', { review: 1, status: 'submitted' });
    return items.slice().sort((a, b) => (a.submitted_at || '').localeCompare(b.submitted_at || ''));
  },
  isEmpty: (items) => !items.length,
  empty: () => 'No assessment waits for your review. Submitted self-assessments of the organisations directly below you appear here.',
  render(items) {
    const oldest = items[0];
    const longest = waitDays(oldest.submitted_at);
    return [
      h('p', { class: 'say', id: 'review-summary', dataset: { count: items.length, longest } },
        h('strong', null, items.length === 1 ? '1 assessment waits' : `${items.length} assessments wait`),
        ' for your review. ',
        items.length === 1 ? 'It has waited ' : 'The oldest has waited ',
        h('strong', null, plural(longest, 'day')), ` (submitted ${fmtDate(oldest.submitted_at)}).`),
      h('ul', { class: 'queue', id: 'review-queue' }, items.slice(0, 8).map((a) => {
        const d = waitDays(a.submitted_at);
        return h('li', { class: 'queue-item', dataset: { assessmentId: a.id, waitDays: d } },
          h('div', { class: 'queue-main' },
            h('span', { class: 'queue-org' }, a.org_name),
            h('span', { class: 'queue-meta' }, `${a.campaign_title} · submitted ${fmtDate(a.submitted_at)} · score ${fmtScore(a.score)}`)),
          h('span', { class: ['queue-wait', d > LONG_WAIT_DAYS ? 'is-long' : null] }, `waiting ${waitWords(a.submitted_at)}`),
          h('a', {
            class: 'btn btn-small btn-primary', href: `#/assessments/${a.id}/review`, 'aria-label': `Review the assessment of ${a.org_name}`,
          }, 'Review'));
      })),
      items.length > 8 ? h('p', { class: 'say' }, `And ${items.length - 8} more on the `, h('a', { href: '#/assessments' }, 'Assessments'), ' page.') : null,
    ];
  },
};

/* ---------- an institution's self-assessments ---------- */

const ACTION_WORDS = {
  not_started: 'Start the self-assessment',
  draft: 'Continue the self-assessment',
  returned: 'Revise the returned controls',
  submitted: 'View what you submitted',
  accepted: 'View',
};

function selfAssessmentItem(a, parentName) {
  const open = a.campaign_status !== 'closed' && a.status !== 'accepted';
  const late = open && a.status !== 'submitted' && a.due_date && a.due_date < todayIso();
  let meta;
  if (a.status === 'submitted') meta = `Submitted ${fmtDate(a.submitted_at)}; waiting for review by ${parentName}.`;
  else if (a.status === 'accepted') meta = `Accepted ${fmtDate(a.reviewed_at)} · score ${fmtScore(a.score)}.`;
  else if (a.campaign_status === 'closed') meta = 'The campaign is closed; the assessment is kept as it stood.';
  else if (a.status === 'returned') meta = `${parentName} returned some controls: revise them and submit again. ${dueWords(a.due_date)}.`;
  else meta = `${dueWords(a.due_date).replace(/^./, (x) => x.toUpperCase())}.`;
  const primary = open && a.status !== 'submitted';
  // .task-assessment: the guideline tests find the assessment tasks by it
  return h('li', { class: ['todo-item', 'task-assessment', late ? 'is-late' : null], dataset: { assessmentId: a.id, status: a.status } },
    h('div', { class: 'todo-main' },
      h('span', { class: 'todo-title' }, a.campaign_title, ' ', statusTag(a.status)),
      h('span', { class: ['todo-meta', late ? 'overdue' : null] }, meta),
      open ? h('div', { class: 'todo-progress' },
        meterBar(a.answered, a.total, `${a.answered} of ${a.total} controls answered`, a.answered === a.total ? 'is-done' : null),
        h('span', { class: 'todo-count' }, `${a.answered} of ${a.total} controls answered`)) : null),
    h('a', {
      class: ['btn', 'btn-small', 'todo-action', primary ? 'btn-primary' : null], href: `#/assessments/${a.id}`,
      'aria-label': `${ACTION_WORDS[a.status] || 'Open'}: ${a.campaign_title}`,
    }, ACTION_WORDS[a.status] || 'Open'));
}

const selfAssessment = tierPanel('institution', 'self-assessment', 10, 'Your self-assessment', {
  what: 'your self-assessments',
  link: () => ({ href: '#/assessments', label: 'All your assessments' }),
  async load() {
    const [items, orgs] = await Promise.all([listAll('/api/v1/assessments', { mine: 1 }), loadOrgs()]);
    return { items, orgs };
  },
  isEmpty: ({ items }) => !items.length,
  empty: () => 'No self-assessment has been asked of your organisation yet. When your CERT launches a campaign, it appears here with its due date.',
  render({ items, orgs }, me) {
    const { byId } = orgIndex(orgs);
    const parent = me.org.parent_id ? byId.get(me.org.parent_id) : null;
    const parentName = parent ? parent.name : 'your CERT';
    const rank = { returned: 0, not_started: 1, draft: 2, submitted: 3, accepted: 4 };
    const isOpen = (a) => a.campaign_status !== 'closed' && a.status !== 'accepted';
    const open = items.filter(isOpen).sort((a, b) => (rank[a.status] - rank[b.status]) || (a.due_date || '').localeCompare(b.due_date || ''));
    const done = items.filter((a) => !isOpen(a));
    const toFill = open.filter((a) => a.status !== 'submitted');
    return [
      h('p', { class: 'say', id: 'self-summary' }, toFill.length
        ? `${plural(toFill.length, 'self-assessment')} to fill for ${parentName}.`
        : open.length ? `Nothing to fill: ${open.length === 1 ? 'your self-assessment is' : 'your self-assessments are'} with ${parentName} for review.`
          : 'Nothing to fill: no campaign is open for your organisation.'),
      open.length ? h('ul', { class: 'todo', id: 'task-list' }, open.map((a) => selfAssessmentItem(a, parentName))) : null,
      done.length ? [
        h('h3', { class: 'sub-h' }, 'Earlier'),
        h('ul', { class: 'todo todo-done', id: 'done-list' }, done.slice(0, 3).map((a) => selfAssessmentItem(a, parentName))),
      ] : null,
    ];
  },
});

/* ---------- an institution's card ---------- */

const orgCard = tierPanel('institution', 'org', 20, 'Your organisation', {
  what: 'your organisation',
  load: () => loadOrgs(),
  render(orgs, me) {
    const { byId } = orgIndex(orgs);
    const org = me.org;
    const parent = org.parent_id ? byId.get(org.parent_id) : null;
    const rows = [
      ['Kind', kindLabel(org.kind)],
      ['Constituency CERT', parent ? h('a', { href: `#/orgs/${parent.id}` }, parent.name) : '—'],
      ['Province', provinceLabel(org.province)],
      ['Sector', sectorLabel(org.sector)],
      ['CII', org.cii ? `Designated, grade ${org.cii_grade || '—'} (review ${fmtDate(org.cii_review_date)})` : 'Not designated'],
      ['Your role', roleLabel(me.user.role)],
    ];
    return [
      h('dl', { class: 'facts org-card' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
      h('p', { class: 'say' }, h('a', { href: `#/orgs/${org.id}` }, 'Your organisation’s page'), ' lists its assessments and scores.'),
      h('p', { class: 'say' }, h('a', { href: `#/orgs/${org.id}/inventory`, id: 'home-inventory-link' }, 'Your inventory'), ' lists the products you run: an advisory that names one flags you “likely affected”.'),
    ];
  },
});

/* ---------- a CERT's constituency ---------- */

function stat(label, value, key) {
  return h('div', { class: 'stat', role: 'listitem', dataset: { stat: key } },
    h('span', { class: 'stat-value' }, String(value)),
    h('span', { class: 'stat-label' }, label));
}

const constituency = tierPanel('cert', 'constituency', 50, 'Your constituency', {
  what: 'your constituency',
  link: () => ({ href: '#/orgs', label: 'Org tree' }),
  load: () => loadOrgs(),
  render(orgs, me) {
    const { kids } = orgIndex(orgs);
    const below = descendants(kids, me.org.id);
    const certs = below.filter(isCert);
    const insts = below.filter((o) => o.kind === 'institution');
    const cii = insts.filter((o) => o.cii);
    const counts = new Map();
    for (const o of below) if (o.province) counts.set(o.province, (counts.get(o.province) || 0) + 1);
    const order = state.meta ? state.meta.provinces.map((p) => p.code) : [...counts.keys()].sort();
    const rows = order.filter((c) => counts.has(c)).map((c) => ({ key: c, label: provinceLabel(c), value: counts.get(c) }));
    const noProvince = below.filter((o) => !o.province).length;
    return [
      h('div', { class: 'stats', role: 'list', 'aria-label': 'Constituency in numbers' },
        stat('organisations below', below.length, 'orgs'),
        stat('CERTs', certs.length, 'certs'),
        stat('institutions', insts.length, 'institutions'),
        stat('CII institutions', cii.length, 'cii')),
      rows.length > 1 ? barList({
        name: 'by-province', title: 'Organisations by province', rows, unit: 'organisations', axisLabel: 'Number of organisations',
        caption: noProvince ? `${plural(noProvince, 'organisation')} without a province (sector-wide) are not shown.` : null,
      }) : null,
    ];
  },
});

/* ---------- CII designation reviews ---------- */

const ciiReviews = tierPanel('cert', 'cii', 40, 'CII designation reviews', {
  what: 'the CII designations',
  load: () => loadOrgs(),
  isEmpty: (orgs) => !descendants(orgIndex(orgs).kids, state.me.org.id).some((o) => o.cii),
  empty: () => 'No critical information infrastructure is designated in your constituency yet.',
  render(orgs, me) {
    const now = todayIso();
    const cii = descendants(orgIndex(orgs).kids, me.org.id).filter((o) => o.cii)
      .sort((a, b) => (a.cii_review_date || '9999').localeCompare(b.cii_review_date || '9999') || a.name.localeCompare(b.name));
    const overdue = cii.filter((o) => o.cii_review_date && o.cii_review_date < now).length;
    const table = dataTable({
      id: 'cii-table', compact: true, caption: 'CII institutions by designation review date',
      cols: ['Institution', 'Grade', 'Review due'],
      body: cii.map((o) => h('tr', null,
        h('td', { class: 'card-title' }, h('a', { href: `#/orgs/${o.id}` }, o.name)),
        h('td', null, o.cii_grade ? `Grade ${o.cii_grade}` : '—'),
        h('td', { class: o.cii_review_date && o.cii_review_date < now ? 'overdue' : null },
          fmtDate(o.cii_review_date),
          o.cii_review_date && o.cii_review_date < now ? h('span', { class: 'tag tag-warn' }, 'overdue') : null))),
    });
    return [
      h('p', { class: 'say' }, `${plural(cii.length, 'CII institution')}: `,
        overdue ? h('strong', { class: 'overdue' }, `${overdue} ${overdue === 1 ? 'review is' : 'reviews are'} overdue`) : 'no review is overdue', '.'),
      h('div', { class: 'table-wrap' }, table),
    ];
  },
});

/* ---------- recent changes (auditors, admins) ---------- */

const changes = {
  id: 'changes',
  title: () => 'Recent changes',
  show: () => can('audit_read'),
  order: (me) => (me.user.role === 'auditor' ? 5 : 90),
  what: 'the recent changes',
  link: () => ({ href: '#/audit?changes=1', label: 'Open the audit trail' }),
  load: () => get('/api/v1/audit', { changes: 1, limit: 10 }),
  isEmpty: (page) => !page.items.length,
  empty: () => 'Nothing has changed in your organisation or below it yet.',
  render(page, me, ctx) {
    return [
      h('p', { class: 'panel-lede' }, 'The latest writes in your organisation and below it (sign-ins left out).'),
      h('ul', { class: 'changes', id: 'recent-changes' }, page.items.map((e) => {
        const href = objectHref(e, ctx.hasRoute);
        return h('li', { class: 'change-item', dataset: { seq: e.seq, action: e.action } },
          h('div', { class: 'change-main' },
            h('span', null, h('span', { class: 'change-what' }, actionLabel(e.action)),
              e.object_name ? [': ', href ? h('a', { href, class: 'obj-name' }, e.object_name) : h('span', { class: 'obj-name' }, e.object_name)] : null),
            h('span', { class: 'change-meta' }, `by ${e.actor || '—'} · ${fmtTime(e.at)}${e.org_name ? ` · ${e.org_name}` : ''}`)));
      })),
    ];
  },
};

// The panels of today; each later capability adds its own here.
export const PANELS = [...INCIDENT_PANELS, ...ADVISORY_PANELS, ...RISK_PANELS, ...TRAINING_PANELS, selfAssessment, orgCard, review, preparedness, ciiReviews, constituency, changes];

function panelShell(p, me, ctx) {
  const headingId = `h-${p.id}`;
  const link = p.link ? p.link(me) : null;
  const body = h('div', { class: 'state-box panel-body' });
  const el = h('section', { class: ['panel', p.wide ? 'panel-wide' : null], dataset: { panel: p.id }, 'aria-labelledby': headingId },
    h('div', { class: 'panel-h' },
      h('h2', { id: headingId }, p.title(me)),
      link ? h('a', { class: 'panel-link', href: link.href }, link.label) : null),
    body);
  const run = () => loadInto(body, {
    what: p.what,
    load: () => p.load(me, ctx),
    isEmpty: p.isEmpty,
    empty: p.empty ? p.empty(me) : null,
    render: (data) => p.render(data, me, ctx),
  });
  return { el, run };
}

export async function render(section, ctx) {
  const me = state.me;
  document.title = 'Home · rabta';
  const org = me.org;
  section.append(...pageHead({
    eyebrow: isCert(org) ? `${kindLabel(org.kind)}${org.province ? ` · ${provinceLabel(org.province)}` : ''}` : kindLabel(org.kind),
    title: org.name,
    titleId: 'home-title',
  }));
  const shown = PANELS.filter((p) => p.show(me)).sort((a, b) => a.order(me) - b.order(me));
  const shells = shown.map((p) => panelShell(p, me, ctx));
  section.append(h('div', { class: 'panels', id: 'home-panels' }, shells.map((x) => x.el)));
  await Promise.all(shells.map((x) => x.run()));
}
