// The risk panels of the home page (docs/ui.md, "Home panels"), imported into PANELS of
// page-home.js:
//   national CERT  — Risks across the nation: the heat map of every open risk, by province, and
//                    the highest ones (titles where the National CERT may read them)
//   other CERTs    — Risks of your constituency: the heat map over the CERT's subtree
//   institutions   — Your top risks: the register's highest residual risks, what is late
import { h, plural } from './dom.js';
import { get } from './api.js';
import { tierPanel } from './state.js';
import { heatmapView } from './page-risks.js';
import { levelBadge, statusBadge, lateTags, weakTag } from './risks.js';

// The heat map of the open risks a CERT reads: the nation's, with the provinces and the highest
// risks; or its constituency's, the heat map and its figures (the highest are on the register).
function heatmapPanel(tier, id, order, title, { what, linkLabel, empty, national }) {
  return tierPanel(tier, id, order, title, {
    wide: true,
    what,
    link: () => ({ href: '#/risks', label: linkLabel }),
    load: () => get('/api/v1/risks/heatmap'),
    isEmpty: (hm) => !hm.total,
    empty: () => empty,
    render: (hm) => heatmapView(hm, { name: 'home-risk-heatmap', provinces: national, top: national }),
  });
}

const nationalRisks = heatmapPanel('national', 'national-risks', 18, 'Risks across the nation', {
  what: 'the national heat map',
  linkLabel: 'All risks',
  empty: 'No organisation has recorded an open risk yet.',
  national: true,
});

// 15: after the review queue (10), before preparedness (20)
const constituencyRisks = heatmapPanel('cert-below', 'constituency-risks', 15, 'Risks of your constituency', {
  what: 'the heat map of your constituency',
  linkLabel: 'The risks',
  empty: 'No organisation of your constituency has recorded an open risk yet.',
  national: false,
});

const myRisks = tierPanel('institution', 'my-risks', 7, 'Your top risks', {
  what: 'your risks',
  link: () => ({ href: '#/risks', label: 'The register' }),
  load: (me) => Promise.all([
    get('/api/v1/risks', { org_id: me.org.id, limit: 5 }),
    get('/api/v1/risks/heatmap'),
  ]),
  isEmpty: ([page]) => !page.items.length,
  empty: () => h('p', null, 'Your register is empty. ', h('a', { href: '#/risks' }, 'Record the risks'), ' your organisation runs: your CERT reads them.'),
  render([page, hm]) {
    const late = hm.overdue_treatments + hm.overdue_reviews;
    return [
      h('p', { class: 'say', id: 'my-risks-summary' }, h('strong', null, plural(hm.total, 'open risk')), `, ${hm.by_level.critical} critical; `,
        late ? h('strong', { class: 'overdue' }, `${hm.overdue_treatments} treatments and ${hm.overdue_reviews} reviews overdue`) : 'nothing overdue', '.'),
      h('ul', { class: 'todo', id: 'my-risks' }, page.items.map((r) => h('li', { class: ['todo-item', r.overdue_treatment || r.overdue_review ? 'is-late' : null], dataset: { riskId: r.id } },
        h('div', { class: 'todo-main' },
          h('span', { class: 'todo-title' }, h('a', { href: `#/risks/${r.id}` }, r.title)),
          h('span', { class: 'todo-meta' }, levelBadge(r.residual_level, r.residual_score), ' ', statusBadge(r.status), ' ', weakTag(r), lateTags(r)))))),
    ];
  },
});

export const RISK_PANELS = [nationalRisks, constituencyRisks, myRisks];
