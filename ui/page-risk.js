// One risk (#/risks/{id}): its levels on the matrix (inherent and residual, with the cell it sits
// in), its treatment, owner, dates and what is late, the linked guideline controls with their
// answers in the organisation's latest accepted assessment (the weak ones marked, and what the
// answers rest on), the change form for the organisation's own writers, "Accept the risk" for its
// administrators (with a reason), who it is shared with, and its timeline.
import {
  h, replace, fmtTime, fmtDate, loadInto, banner, pageHead, plural,
} from './dom.js';
import { get, post, listAll } from './api.js';
import { field, form, fieldError } from './forms.js';
import { state, can } from './state.js';
import { tlpBadge } from './incidents.js';
import {
  levelBadge, statusBadge, lateTags, weakTag, riskForm, treatmentLabel, categoryLabel, heatMap,
} from './risks.js';

function factsList(rows, id) {
  return h('dl', { class: 'facts risk-facts', id }, rows.filter(Boolean).map(([k, v, key]) => [h('dt', null, k), h('dd', { dataset: { field: key } }, v)]));
}

// A grid with one risk in its cells: the inherent one outlined, the residual one filled.
function placeOf(risk, matrix) {
  const counts = matrix.cells.map((row) => row.map(() => 0));
  counts[risk.residual_likelihood - 1][risk.residual_impact - 1] = 1;
  const fig = heatMap({
    name: 'risk-place', title: 'Where it sits on the matrix (after treatment)', matrix, counts,
    caption: `Before treatment: likelihood ${risk.likelihood}, impact ${risk.impact} (${risk.inherent_level}, ${risk.inherent_score}); after: likelihood ${risk.residual_likelihood}, impact ${risk.residual_impact} (${risk.residual_level}, ${risk.residual_score}).`,
  });
  const cell = fig.querySelector(`td[data-likelihood="${risk.likelihood}"][data-impact="${risk.impact}"]`);
  if (cell) cell.classList.add('is-inherent');
  return fig;
}

function controlsPanel(risk) {
  const list = risk.controls || [];
  if (!list.length) {
    return h('p', { class: 'muted', id: 'risk-controls-none' }, 'No guideline control is linked to this risk.');
  }
  const a = risk.controls_assessment;
  const basis = a
    ? h('p', { class: 'say', id: 'risk-controls-basis' }, 'Answers from the accepted self-assessment ', h('a', { href: `#/assessments/${a.assessment_id}` }, a.campaign_title), a.reviewed_at ? ` (reviewed ${fmtDate(a.reviewed_at)})` : '', '. ',
      risk.weak_controls ? h('strong', { class: 'overdue' }, `${plural(risk.weak_controls, 'linked control')} scored low (maturity 2 or less)`) : 'None of the linked controls scored low.', risk.weak_controls ? ': the risk may be higher than it looks.' : '')
    : h('p', { class: 'muted', id: 'risk-controls-basis' }, 'No accepted self-assessment that you may read covers these controls yet, so their strength is not known.');
  return [basis,
    h('ul', { class: 'todo', id: 'risk-controls' }, list.map((c) => h('li', { class: ['todo-item', c.weak ? 'is-late' : null], dataset: { controlId: c.control_id, weak: c.weak ? '1' : '0' } },
      h('div', { class: 'todo-main' },
        h('span', { class: 'todo-title' }, `${c.control_id.toUpperCase()}${c.title ? `: ${c.title}` : ''}`),
        h('span', { class: 'todo-meta' }, c.assessed
          ? [`Maturity ${c.maturity} of 5 · ${String(c.status).replace(/_/g, ' ')}`, c.weak ? [' ', h('span', { class: 'tag tag-overdue' }, 'Weak')] : null]
          : 'Not in that assessment'))))),
  ];
}

function acceptPanel(risk, rerender) {
  const fReason = field({ name: 'reason', label: 'Why the organisation accepts it', type: 'textarea', rows: 3, required: true, maxlength: 4000, hint: 'Recorded in the timeline and the audit trail.' });
  const fReview = field({ name: 'review_date', label: 'Review it again by', type: 'date', value: risk.review_date || '' });
  return h('section', { class: 'panel', id: 'risk-accept', 'aria-labelledby': 'h-risk-accept' },
    h('h2', { id: 'h-risk-accept' }, 'Accept the risk'),
    h('p', { class: 'muted' }, 'Accepting says the organisation will live with this risk as it is, without treating it. Only an administrator of the organisation may accept a risk.'),
    form({
      ariaLabel: 'Accept the risk', submitLabel: 'Accept the risk',
      async onSubmit(v, el) {
        if (!v.reason.trim()) { fieldError(el, 'reason', 'Say why the organisation accepts the risk.'); return; }
        const body = { reason: v.reason.trim() };
        if (v.review_date) body.review_date = v.review_date;
        const saved = await post(`/api/v1/risks/${risk.id}/accept`, body);
        banner(`Accepted: ${saved.title}.`, { tone: 'ok' });
        await rerender();
      },
    }, fReason, fReview));
}

function timelinePanel(id) {
  const box = h('div', { class: 'state-box', id: 'risk-timeline-box' });
  loadInto(box, {
    what: 'the timeline',
    load: () => listAll(`/api/v1/risks/${id}/timeline`),
    isEmpty: (items) => !items.length,
    empty: 'Nothing has happened yet.',
    render: (items) => h('ol', { class: 'timeline', id: 'risk-timeline' }, items.map((e) => h('li', { class: 'timeline-item', dataset: { action: e.action } },
      h('span', { class: 'timeline-when' }, fmtTime(e.at)),
      h('span', { class: 'timeline-what' }, h('strong', null, e.action.charAt(0).toUpperCase() + e.action.slice(1)), ` by ${e.actor}`),
      e.comment ? h('span', { class: 'timeline-comment' }, e.comment) : null))),
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'h-risk-timeline' }, h('h2', { id: 'h-risk-timeline' }, 'Timeline'), box);
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  document.title = 'Risk · rabta';
  let risk;
  let matrix;
  try {
    [risk, matrix] = await Promise.all([get(`/api/v1/risks/${id}`), get('/api/v1/risk-matrix')]);
  } catch (err) {
    if (err.status === 404) {
      section.append(...pageHead({ path: [['#/risks', 'Risks']], here: 'Not found', title: 'Risk not found' }),
        h('p', null, 'There is no such risk, or it is outside what your organisation may read. ', h('a', { href: '#/risks' }, 'Back to the risks'), '.'));
      return;
    }
    throw err;
  }
  if (!section.isConnected) return;
  document.title = `${risk.title} · rabta`;
  const me = state.me;
  const own = risk.org_id === me.org.id;
  const rerender = async () => { replace(section); await render(section, ctx); };

  section.append(...pageHead({
    path: [['#/risks', 'Risks']], here: risk.title, eyebrow: `Risk of ${risk.org_name}`, title: risk.title, titleId: 'risk-title',
  }, h('p', { class: 'risk-badges', id: 'risk-badges' }, levelBadge(risk.residual_level, risk.residual_score), ' ', statusBadge(risk.status), ' ', tlpBadge(risk.tlp), ' ', weakTag(risk), lateTags(risk))));

  const facts = factsList([
    ['Before treatment', [levelBadge(risk.inherent_level, risk.inherent_score), ` likelihood ${risk.likelihood} × impact ${risk.impact}`], 'inherent'],
    ['After treatment', [levelBadge(risk.residual_level, risk.residual_score), ` likelihood ${risk.residual_likelihood} × impact ${risk.residual_impact}`], 'residual'],
    ['Category', categoryLabel(risk.category), 'category'],
    ['Treatment', treatmentLabel(risk.treatment), 'treatment'],
    ['Owner', risk.owner || '—', 'owner'],
    ['Treatment due', [risk.due_date ? fmtDate(risk.due_date) : 'No due date', risk.overdue_treatment ? [' ', h('span', { class: 'tag tag-overdue' }, 'Overdue')] : null], 'due_date'],
    ['Next review', [risk.review_date ? fmtDate(risk.review_date) : '—', risk.overdue_review ? [' ', h('span', { class: 'tag tag-overdue' }, 'Overdue')] : null], 'review_date'],
    risk.status === 'accepted' ? ['Accepted', `by ${risk.accepted_by} on ${fmtDate(risk.accepted_at)}: ${risk.acceptance_reason}`, 'acceptance'] : null,
    ['Recorded', `${fmtTime(risk.created_at)} by ${risk.created_by}`, 'created'],
  ], 'risk-facts');

  const writer = own && can('report');
  const editBox = writer ? h('section', { class: 'panel', id: 'risk-edit', 'aria-labelledby': 'h-risk-edit' },
    h('h2', { id: 'h-risk-edit' }, 'Change the risk'),
    riskForm({
      risk: { ...risk, control_ids: (risk.controls || []).map((c) => c.control_id) },
      matrix,
      async onSaved(saved) {
        banner(`Saved: ${saved.title} (${saved.residual_level}, ${saved.residual_score}).`, { tone: 'ok', next: false });
        await rerender();
      },
    })) : null;
  const acceptBox = own && can('risk_accept') && risk.status !== 'accepted' ? acceptPanel(risk, rerender) : null;

  const grantsBox = h('div', { class: 'state-box', id: 'risk-grants-box' });
  loadInto(grantsBox, {
    what: 'who it is shared with',
    load: () => get(`/api/v1/risks/${id}/grants`),
    isEmpty: (g) => !g.items.length,
    empty: `Only ${risk.org_name} reads it.`,
    render: (g) => h('p', { id: 'risk-grants' }, `${risk.org_name} and `, g.items.map((x, i) => [i ? ', ' : '', h('strong', null, x.org_name)]), ' read it.'),
  });

  section.append(
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-risk-facts' }, h('h2', { id: 'h-risk-facts' }, 'The risk'), facts,
        risk.description ? h('p', { class: 'risk-description', id: 'risk-description' }, risk.description) : null,
        h('h3', { class: 'subhead' }, 'Shared with'), grantsBox),
      h('section', { class: 'panel', 'aria-labelledby': 'h-risk-place' }, h('h2', { id: 'h-risk-place' }, 'On the matrix'), placeOf(risk, matrix))),
    h('section', { class: 'panel', 'aria-labelledby': 'h-risk-controls' }, h('h2', { id: 'h-risk-controls' }, 'Linked guideline controls'), controlsPanel(risk)),
    ...[editBox, acceptBox].filter(Boolean),
    timelinePanel(id));
  if (!writer && !own) {
    section.append(h('p', { class: 'muted', id: 'risk-readonly' }, `This is ${risk.org_name}’s own register: only its people change it.`));
  }
}
