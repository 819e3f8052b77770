// Assessments: an organisation's own self-assessments (to fill, or filled), and for CERT analysts the
// submitted assessments of the organisations directly below them that wait for their review.
import { h, fmtDate } from './dom.js';
import { listAll } from './api.js';
import { state, can, isCert, loadOrgs, orgIndex } from './state.js';
import { append, canFill, editable, fmtScore, statusTag, today } from './guidelines.js';

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
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', id },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Campaign'),
      showOrg ? h('th', { scope: 'col' }, 'Organisation') : null,
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Due'),
      h('th', { scope: 'col' }, 'Answered'),
      h('th', { scope: 'col' }, 'Score'),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    h('tbody', null, items.map((a) => {
      const late = editable(a.status) && a.due_date && a.due_date < now;
      const review = id === 'review-table';
      return h('tr', { dataset: { assessmentId: a.id, campaign: a.campaign_title, status: a.status } },
        h('td', null, a.campaign_title),
        showOrg ? h('td', null, a.org_name) : null,
        h('td', null, statusTag(a.status)),
        h('td', { class: ['nowrap', late ? 'overdue' : null] }, fmtDate(a.due_date), late ? h('span', { class: 'tag tag-warn' }, 'overdue') : null),
        h('td', { class: 'num' }, `${a.answered} / ${a.total}`),
        h('td', { class: 'num' }, fmtScore(a.score)),
        h('td', { class: 'actions' }, review
          ? h('a', { class: 'btn btn-small btn-primary', href: `#/assessments/${a.id}/review`, 'aria-label': `Review ${a.org_name}` }, 'Review')
          : h('a', { class: ['btn', 'btn-small', editable(a.status) && canFill(a) ? 'btn-primary' : null], href: `#/assessments/${a.id}`, 'aria-label': `${actionLabel(a)}: ${a.campaign_title}` }, actionLabel(a))));
    }))));
}

export async function render(section) {
  document.title = 'Assessments · rabta';
  const me = state.me;
  const cert = isCert(me.org);
  append(section, h('div', { class: 'page-head' },
    h('p', { class: 'eyebrow' }, 'Preparedness'),
    h('h1', { tabindex: '-1' }, 'Assessments'),
    h('p', { class: 'lede' }, cert
      ? 'Assessments waiting for your review, and your own organisation’s self-assessments.'
      : `Self-assessments of ${me.org.name} against the guidelines your CERT asked for. Save drafts as you go; submit when every control is answered.`)));

  const reviewer = cert && can('triage');
  const [mine, submitted, orgs] = await Promise.all([
    listAll('/api/v1/assessments', { mine: 1 }),
    reviewer ? listAll('/api/v1/assessments', { status: 'submitted' }) : Promise.resolve([]),
    reviewer ? loadOrgs() : Promise.resolve([]),
  ]);
  if (!section.isConnected) return;

  if (reviewer) {
    const { byId } = orgIndex(orgs);
    const waiting = submitted.filter((a) => { const o = byId.get(a.org_id); return o && o.parent_id === me.org.id; });
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
