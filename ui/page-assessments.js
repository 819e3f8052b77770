// Assessments: an organisation's own self-assessments (to fill, or filled), and for CERT analysts the
// submitted assessments of the organisations directly below them that wait for their review.
import { h, fmtDate, replace, pageHead } from './dom.js';
import { listAll } from './api.js';
import { state, can, isCert } from './state.js';
import { append, canFill, editable, fmtScore, statusTag, today, cardTable, loadWithRetry } from './guidelines.js';

const OPEN_FIRST = { returned: 0, not_started: 1, draft: 2, submitted: 3, accepted: 4 };

export function sortTasks(items) {
  return items.slice().sort((a, b) => (OPEN_FIRST[a.status] ?? 9) - (OPEN_FIRST[b.status] ?? 9)
    || (a.due_date || '').localeCompare(b.due_date || '') || a.campaign_title.localeCompare(b.campaign_title));
}

// What to do with an assessment, as a verb for its link.
export function actionLabel(a) {
  if (!canFill(a)) return 'Open';
  if (a.status === 'returned') return 'Revise';
  if (a.status === 'not_started') return 'Start';
  if (a.status === 'draft') return 'Continue';
  return 'View';
}

function table(id, caption, items, { showOrg }) {
  const now = today();
  const review = id === 'review-table';
  return cardTable({
    id, caption,
    cols: [
      { label: 'Campaign', main: !showOrg },
      showOrg ? { label: 'Organisation', main: true } : null,
      { label: 'Status' }, { label: 'Due' }, { label: 'Answered', cls: 'num' }, { label: 'Score', cls: 'num' },
      { label: 'Actions', action: true },
    ].filter(Boolean),
    rows: items.map((a) => {
      const late = editable(a.status) && a.due_date && a.due_date < now;
      return {
        attrs: { dataset: { assessmentId: a.id, campaign: a.campaign_title, status: a.status } },
        cells: [
          a.campaign_title,
          showOrg ? a.org_name : null,
          statusTag(a.status),
          [h('span', { class: ['nowrap', late ? 'overdue' : null] }, fmtDate(a.due_date)), late ? h('span', { class: 'tag tag-warn' }, 'overdue') : null],
          `${a.answered} of ${a.total}`,
          fmtScore(a.score),
          review
            ? h('a', { class: 'btn btn-small btn-primary', href: `#/assessments/${a.id}/review`, 'aria-label': `Review ${a.org_name}` }, 'Review')
            : h('a', { class: ['btn', 'btn-small', editable(a.status) && canFill(a) ? 'btn-primary' : null], href: `#/assessments/${a.id}`, 'aria-label': `${actionLabel(a)}: ${a.campaign_title}` }, actionLabel(a)),
        ].filter((x, i) => showOrg || i !== 1),
      };
    }),
  });
}

export async function render(section) {
  document.title = 'Assessments · rabta';
  const me = state.me;
  const cert = isCert(me.org);
  append(section, pageHead({
    eyebrow: 'Preparedness',
    title: 'Assessments',
    lede: cert
      ? 'Assessments waiting for your review, and your own organisation’s self-assessments.'
      : `Self-assessments of ${me.org.name} against the guidelines your CERT asked for. Save drafts as you go; submit when every control is answered.`,
  }));

  const reviewer = cert && can('triage');
  const got = await loadWithRetry(section, 'assessments', () => Promise.all([
    listAll('/api/v1/assessments', { mine: 1 }),
    // the review queue: submitted assessments of the organisations directly below the caller's CERT
    reviewer ? listAll('/api/v1/assessments', { review: 1, status: 'submitted' }) : Promise.resolve([]),
  ]), () => { replace(section); render(section); });
  if (!got || !section.isConnected) return;
  const [mine, submitted] = got;

  if (reviewer) {
    const waiting = submitted.slice().sort((x, y) => (x.submitted_at || '').localeCompare(y.submitted_at || '') || x.org_name.localeCompare(y.org_name));
    append(section, h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-review' },
      h('h2', { id: 'h-review', class: 'panel-title' }, `Waiting for your review (${waiting.length})`),
      waiting.length ? table('review-table', 'Assessments waiting for review', waiting, { showOrg: true })
        : h('p', { class: 'empty' }, 'Nothing waits for review. Submitted assessments of the organisations directly below you appear here.')));
  }
  if (!cert || mine.length) {
    append(section, h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-mine' },
      h('h2', { id: 'h-mine', class: 'panel-title' }, cert ? `Your organisation’s assessments (${mine.length})` : `Your assessments (${mine.length})`),
      mine.length ? table('my-assessments', 'Your assessments', sortTasks(mine), { showOrg: false })
        : h('p', { class: 'empty' }, 'No assessment has been assigned to your organisation yet.')));
  }
  if (cert) {
    append(section, h('p', { class: 'muted' }, 'Every assessment of a campaign, with scores, is on the campaign’s dashboard under ',
      h('a', { href: '#/campaigns' }, 'Preparedness'), '.'));
  }
}
