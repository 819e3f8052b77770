// risks.js - what every risk page shares: the words of levels, statuses, treatments and
// categories, their badges, the heat map, and the risk form (record and change a risk).
//
//   heatMap({name, title, matrix, counts, caption, cellHref(l, i)})
//       -> <figure class="chart heatmap">: a grid, likelihood up the side (highest on top) and
//          impact along the foot, each cell coloured by its level on the matrix and showing its
//          count (td data-likelihood data-impact data-count data-level), a legend of the bands, the
//          caption saying what the counts rest on. It is a table, so screen readers read every cell
//          with its row and column; at 390 px its 5x5 cells still fit.
//   riskForm({risk, matrix, onSaved(risk), submitLabel}) -> a form for POST /api/v1/risks (no risk)
//          or PATCH /api/v1/risks/{id} (only the members that changed are sent).
import { h, fmtDate, plural, labelOf } from './dom.js';
import { post, patch } from './api.js';
import { field, form, fieldError } from './forms.js';

export const LEVELS = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
  { value: 'critical', label: 'Critical' },
];
export const STATUSES = [
  ['open', 'Open'],
  ['in_progress', 'Being treated'],
  ['done', 'Treated'],
  ['accepted', 'Accepted'],
  ['closed', 'Closed'],
];
export const TREATMENTS = [
  ['mitigate', 'Mitigate', 'lower it with controls'],
  ['transfer', 'Transfer', 'insure it or contract it out'],
  ['avoid', 'Avoid', 'stop what causes it'],
  ['accept', 'Accept', 'live with it (an admin accepts it, with a reason)'],
];
export const CATEGORIES = [
  ['operational', 'Operational'],
  ['technical', 'Technical'],
  ['people', 'People'],
  ['third_party', 'Third parties'],
  ['compliance', 'Compliance'],
  ['physical', 'Physical'],
  ['strategic', 'Strategic'],
];

const word = (list, v) => (list.find((x) => x[0] === v) || [v, v])[1];
export const levelLabel = (v) => labelOf(LEVELS, v);
export const statusLabel = (v) => word(STATUSES, v);
export const treatmentLabel = (v) => word(TREATMENTS, v);
export const categoryLabel = (v) => word(CATEGORIES, v);

export function levelBadge(level, score) {
  return h('span', { class: ['tag', 'risk-level', `level-${level}`], dataset: { level } },
    score !== undefined && score !== null ? `${levelLabel(level)} · ${score}` : levelLabel(level));
}

export function statusBadge(status) {
  return h('span', { class: ['tag', 'risk-status', `risk-status-${status}`], dataset: { status } }, statusLabel(status));
}

// What is late about a risk, as tags.
export function lateTags(r) {
  return [
    r.overdue_treatment ? h('span', { class: 'tag tag-overdue', dataset: { late: 'treatment' } }, 'Treatment overdue') : null,
    r.overdue_review ? h('span', { class: 'tag tag-overdue', dataset: { late: 'review' } }, 'Review overdue') : null,
  ];
}

export function weakTag(r) {
  if (r.weak_controls === null || r.weak_controls === undefined || !r.weak_controls) return null;
  return h('span', { class: 'tag tag-warn-solid', dataset: { weak: r.weak_controls } },
    `${plural(r.weak_controls, 'weak control')}`);
}

// The level of cell (l, i) on the matrix: its `cells` (likelihood rows, impact columns).
export function cellLevel(matrix, l, i) {
  return matrix.cells[l - 1][i - 1];
}

export function heatMap({
  name, title, matrix, counts, caption, cellHref,
}) {
  const n = matrix.size;
  const rows = [];
  for (let l = n; l >= 1; l -= 1) {
    rows.push(h('tr', null,
      h('th', { scope: 'row', class: 'heat-axis' }, String(l)),
      Array.from({ length: n }, (_, k) => {
        const i = k + 1;
        const count = counts ? counts[l - 1][i - 1] : 0;
        const level = cellLevel(matrix, l, i);
        const label = `Likelihood ${l}, impact ${i}: ${plural(count, 'risk')} (${levelLabel(level)})`;
        const inner = cellHref && count
          ? h('a', { href: cellHref(l, i), class: 'heat-link', 'aria-label': label }, String(count))
          : h('span', { 'aria-label': label }, count ? String(count) : '·');
        return h('td', {
          class: ['heat-cell', `level-${level}`, count ? null : 'is-zero'],
          dataset: { likelihood: l, impact: i, count, level },
          title: label,
        }, inner);
      })));
  }
  const legend = h('ul', { class: 'heat-legend', 'aria-label': 'Levels' },
    matrix.bands.map((b) => h('li', { class: 'heat-legend-item', dataset: { level: b.level } },
      h('span', { class: ['heat-swatch', `level-${b.level}`], 'aria-hidden': 'true' }),
      `${levelLabel(b.level)} ${b.min_score === b.max_score ? b.min_score : `${b.min_score}–${b.max_score}`}`)));
  return h('figure', { class: 'chart heatmap', dataset: { chart: name } },
    h('figcaption', { class: 'chart-title' }, title),
    h('div', { class: 'heat-wrap' },
      h('span', { class: 'heat-y', 'aria-hidden': 'true' }, 'Likelihood'),
      h('table', { class: 'heat-grid', id: `${name}-grid` },
        h('caption', { class: 'sr-only' }, `${title}: number of risks by likelihood (rows, ${n} highest) and impact (columns)`),
        h('tbody', null, rows),
        h('tfoot', null, h('tr', null, h('td', { class: 'heat-corner' }),
          Array.from({ length: n }, (_, k) => h('th', { scope: 'col', class: 'heat-axis' }, String(k + 1))))))),
    h('p', { class: 'heat-x', 'aria-hidden': 'true' }, 'Impact'),
    legend,
    caption ? h('p', { class: 'chart-caption' }, caption) : null);
}

function steps(matrix, label) {
  return [{ value: '', label }, ...Array.from({ length: matrix.size }, (_, k) => ({ value: String(k + 1), label: String(k + 1) }))];
}

// The form of a risk: record one (risk null) or change one (only changed members are sent).
export function riskForm({
  risk, matrix, onSaved, submitLabel,
}) {
  const r = risk || {};
  const fTitle = field({ name: 'title', label: 'What could go wrong', required: true, value: r.title || '', maxlength: 500, hint: 'In a few words: “Ransomware encrypts the file servers”.' });
  const fCat = field({ name: 'category', label: 'Category', type: 'select', value: r.category || 'operational', options: CATEGORIES.map(([v, l]) => ({ value: v, label: l })) });
  const fL = field({ name: 'likelihood', label: 'Likelihood', type: 'select', required: true, value: r.likelihood ? String(r.likelihood) : '', options: steps(matrix, 'Choose…'), hint: `1 (rare) to ${matrix.size} (almost certain).` });
  const fI = field({ name: 'impact', label: 'Impact', type: 'select', required: true, value: r.impact ? String(r.impact) : '', options: steps(matrix, 'Choose…'), hint: `1 (minor) to ${matrix.size} (severe).` });
  const fRL = field({ name: 'residual_likelihood', label: 'Likelihood once treated', type: 'select', value: risk ? String(r.residual_likelihood) : '', options: steps(matrix, 'As now') });
  const fRI = field({ name: 'residual_impact', label: 'Impact once treated', type: 'select', value: risk ? String(r.residual_impact) : '', options: steps(matrix, 'As now') });
  const treatments = TREATMENTS.filter(([v]) => v !== 'accept' || r.treatment === 'accept');
  const fTreat = field({ name: 'treatment', label: 'Treatment', type: 'select', value: r.treatment || 'mitigate', options: treatments.map(([v, l, what]) => ({ value: v, label: `${l}: ${what}` })), hint: 'To accept a risk, an administrator of your organisation accepts it on its page, with a reason.' });
  const fOwner = field({ name: 'owner', label: 'Owner', value: r.owner || '', maxlength: 200, hint: 'Who treats it (a person or a post).' });
  const fDue = field({ name: 'due_date', label: 'Treatment due', type: 'date', value: r.due_date || '' });
  const fReview = field({ name: 'review_date', label: 'Next review', type: 'date', value: r.review_date || '', hint: risk ? null : 'A year from today unless you choose a date.' });
  const fControls = field({ name: 'control_ids', label: 'Linked guideline controls', value: (r.control_ids || []).join(' '), hint: 'Control ids of the national guideline, separated by spaces (“br-1 iam-3”).' });
  const fDesc = field({ name: 'description', label: 'Description', type: 'textarea', rows: 3, value: r.description || '', maxlength: 65536 });
  const fStatus = risk ? field({
    name: 'status', label: 'Status', type: 'select', value: r.status,
    options: STATUSES.filter(([v]) => v !== 'accepted' || r.status === 'accepted').map(([v, l]) => ({ value: v, label: l })),
  }) : null;
  const fComment = risk ? field({ name: 'comment', label: 'Note for the timeline', type: 'textarea', rows: 2, maxlength: 4000 }) : null;
  return form({
    class: 'risk-form',
    ariaLabel: risk ? 'Change the risk' : 'Record a risk',
    submitLabel: submitLabel || (risk ? 'Save changes' : 'Record the risk'),
    async onSubmit(v, el) {
      const num = (x) => (x === '' || x === undefined ? undefined : Number(x));
      const body = {
        title: v.title.trim(),
        category: v.category,
        likelihood: num(v.likelihood),
        impact: num(v.impact),
        residual_likelihood: num(v.residual_likelihood),
        residual_impact: num(v.residual_impact),
        treatment: v.treatment,
        owner: v.owner.trim(),
        due_date: v.due_date,
        review_date: v.review_date,
        description: v.description,
        control_ids: v.control_ids.split(/[\s,;]+/).filter(Boolean),
      };
      if (!body.title) { fieldError(el, 'title', 'Say in a few words what could go wrong.'); return; }
      if (!risk && !body.likelihood) { fieldError(el, 'likelihood', 'Choose how likely it is.'); return; }
      if (!risk && !body.impact) { fieldError(el, 'impact', 'Choose how bad it would be.'); return; }
      let saved;
      if (!risk) {
        for (const k of Object.keys(body)) {
          if (body[k] === undefined || body[k] === '' || (Array.isArray(body[k]) && !body[k].length)) delete body[k];
        }
        saved = await post('/api/v1/risks', body);
      } else {
        const was = {
          ...r, control_ids: (r.control_ids || []).join(' '), owner: r.owner || '', due_date: r.due_date || '', review_date: r.review_date || '', description: r.description || '',
        };
        const change = {};
        for (const k of Object.keys(body)) {
          const now = Array.isArray(body[k]) ? body[k].join(' ') : body[k];
          if (now === undefined) continue;
          if (String(now) !== String(was[k] === null || was[k] === undefined ? '' : was[k])) change[k] = body[k];
        }
        if (v.status && v.status !== r.status) change.status = v.status;
        if (v.comment && v.comment.trim()) change.comment = v.comment.trim();
        for (const k of ['owner', 'due_date', 'review_date']) if (change[k] === '') change[k] = null;
        if (!Object.keys(change).length) { el.statusEl.textContent = 'Nothing changed.'; return; }
        saved = await patch(`/api/v1/risks/${r.id}`, change);
      }
      el.reset();
      await onSaved(saved);
    },
  },
  h('div', { class: 'risk-form-grid' }, fTitle, fCat, fL, fI, fRL, fRI, fTreat, fOwner, fDue, fReview, fStatus, fControls),
  fDesc, fComment);
}

// "due 12 Jan 2027" / "no due date"
export function dueWords(r) {
  return r.due_date ? `due ${fmtDate(r.due_date)}` : 'no due date';
}
