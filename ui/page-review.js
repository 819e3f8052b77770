// Review of a submitted assessment by the parent CERT: per control accept, or return with a comment.
// Controls accepted in an earlier round stay accepted and are not asked again.
import { h, replace, fmtTime, plural } from './dom.js';
import { get, post } from './api.js';
import { state, loadOrgs, orgIndex } from './state.js';
import { append, ANSWER_LABELS, MATURITY_LEVELS, fmtScore, statusTag, tlpBadge } from './guidelines.js';

function answerBlock(ans) {
  if (!ans) return h('p', { class: 'muted' }, 'Not answered.');
  const m = MATURITY_LEVELS.find(([v]) => v === ans.maturity);
  return h('dl', { class: 'facts answer-facts' },
    h('dt', null, 'Status'), h('dd', { dataset: { field: 'status' } }, h('span', { class: ['answer-status', `as-${ans.status}`] }, ANSWER_LABELS[ans.status] || ans.status)),
    h('dt', null, 'Maturity'), h('dd', { dataset: { field: 'maturity' } }, ans.status === 'not_applicable' && !ans.maturity ? '—' : `${ans.maturity}${m ? ` (${m[1]})` : ''}`),
    h('dt', null, 'Evidence'), h('dd', { dataset: { field: 'evidence' }, class: 'prose' }, ans.evidence || '—'));
}

export async function render(section, ctx, message) {
  const id = ctx.params[0];
  document.title = 'Review · rabta';
  let data;
  try {
    data = await get(`/api/v1/assessments/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err.status === 404) {
      append(section, h('h1', { tabindex: '-1' }, 'Assessment not found'),
        h('p', { class: 'notice' }, 'It does not exist, or your organisation may not see it. ', h('a', { href: '#/assessments' }, 'Back to the assessments'), '.'));
      return;
    }
    throw err;
  }
  const orgs = await loadOrgs();
  if (!section.isConnected) return;
  const a = data.assessment;
  const org = orgIndex(orgs).byId.get(a.org_id);
  document.title = `Review ${a.org_name} · rabta`;
  const isParent = !!org && org.parent_id === state.me.org.id;

  append(section,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Path' },
      h('ol', null,
        h('li', null, h('a', { href: '#/assessments' }, 'Assessments')),
        h('li', null, h('a', { href: `#/campaigns/${a.campaign_id}` }, a.campaign_title)),
        h('li', { 'aria-current': 'page' }, `Review: ${a.org_name}`))),
    h('div', { class: 'page-head' },
      h('p', { class: 'eyebrow' }, `Review · ${a.campaign_title}`),
      h('h1', { tabindex: '-1', id: 'review-title' }, a.org_name),
      h('dl', { class: 'facts facts-inline', id: 'review-facts' },
        h('dt', null, 'Status'), h('dd', { dataset: { field: 'status' }, id: 'review-status' }, statusTag(a.status)),
        h('dt', null, 'Score'), h('dd', { dataset: { field: 'score' } }, fmtScore(a.score)),
        h('dt', null, 'Submitted'), h('dd', null, fmtTime(a.submitted_at)),
        h('dt', null, 'Sharing'), h('dd', null, tlpBadge(a.tlp)))));
  if (message) append(section, h('p', { class: 'notice notice-ok', role: 'status', id: 'review-message', tabindex: '-1' }, message));

  if (!isParent) {
    append(section, h('p', { class: 'notice' }, `Only analysts of the CERT directly above ${a.org_name} review its assessments. `,
      h('a', { href: `#/assessments/${a.id}` }, 'See the assessment'), '.'));
    return;
  }
  if (a.status !== 'submitted' || a.campaign_status === 'closed') {
    append(section, h('p', { class: 'notice', id: 'review-closed' },
      a.campaign_status === 'closed' ? 'The campaign is closed: its assessments no longer change.'
      : a.status === 'accepted' ? 'Every control is accepted: the assessment is locked.'
        : a.status === 'returned' ? `Returned to ${a.org_name}; it comes back here when they submit again.`
          : `${a.org_name} has not submitted it yet.`, ' ',
      h('a', { href: `#/assessments/${a.id}` }, 'See the assessment'), ' · ',
      h('a', { href: `#/campaigns/${a.campaign_id}` }, 'Campaign dashboard'), '.'));
    return;
  }

  const pending = data.controls.filter((c) => !c.answer || c.answer.review !== 'accepted');
  const done = data.controls.length - pending.length;
  const rows = new Map(); // control id -> {accept, ret, comment, err}

  function card(c) {
    const ans = c.answer;
    const base = `rv-${c.id}`;
    const name = `decision-${c.id}`;
    const prev = ans && ans.review === 'returned' ? 'return' : '';
    const accept = h('input', { type: 'radio', name, value: 'accept', id: `${base}-accept`, checked: false });
    const ret = h('input', { type: 'radio', name, value: 'return', id: `${base}-return`, checked: prev === 'return' });
    const comment = h('textarea', { id: `${base}-comment`, rows: 2, maxlength: 2000, 'aria-describedby': `${base}-error` });
    comment.value = (ans && ans.review_comment) || '';
    const commentField = h('div', { class: 'field review-comment-field', hidden: prev !== 'return' },
      h('label', { for: comment.id, class: 'is-required' }, 'Why is it returned?'), comment);
    const err = h('p', { class: 'field-error', id: `${base}-error`, hidden: true });
    const sync = () => {
      commentField.hidden = !ret.checked;
      el.classList.toggle('is-returned', ret.checked);
      el.classList.toggle('is-accepted', accept.checked);
      err.hidden = true;
    };
    accept.addEventListener('change', sync);
    comment.addEventListener('input', () => { err.hidden = true; });
    ret.addEventListener('change', sync);
    const el = h('fieldset', { class: ['control-card', 'review-card', prev === 'return' ? 'is-returned' : null], id: base, dataset: { controlId: c.id } },
      h('legend', { class: 'control-legend' }, h('span', { class: 'control-label' }, c.label || c.id), ' ', h('span', { class: 'control-name' }, c.title)),
      c.statement ? h('p', { class: 'control-statement' }, c.statement) : null,
      answerBlock(ans),
      h('div', { class: 'decision', role: 'radiogroup', 'aria-label': `Decision on ${c.label || c.id}` },
        h('span', { class: 'radio-item' }, accept, h('label', { for: accept.id }, 'Accept')),
        h('span', { class: 'radio-item' }, ret, h('label', { for: ret.id }, 'Return with a comment'))),
      commentField, err);
    rows.set(c.id, { accept, ret, comment, err, el });
    return el;
  }

  const alert = h('div', { class: 'form-alert', role: 'alert', id: 'review-alert', hidden: true });
  const acceptAll = h('button', { type: 'button', class: 'btn', id: 'accept-all' }, 'Mark all as accepted');
  acceptAll.addEventListener('click', () => {
    for (const r of rows.values()) { r.accept.checked = true; r.accept.dispatchEvent(new Event('change')); }
  });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', id: 'send-review' }, 'Send decisions');
  const form = h('form', { class: 'review-form', novalidate: true, 'aria-label': `Review of ${a.org_name}` },
    h('p', { class: 'muted' }, done
      ? `${plural(done, 'control')} accepted earlier stay accepted. Decide on the ${plural(pending.length, 'control')} below.`
      : `Decide on each of the ${plural(pending.length, 'control')}: accept it, or return it with a comment saying what is missing.`),
    alert,
    pending.map(card),
    h('div', { class: 'form-actions' }, send, acceptAll));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    alert.hidden = true;
    const decisions = [];
    let missing = 0;
    let first = null;
    for (const [cid, r] of rows) {
      r.err.hidden = true;
      if (r.accept.checked) decisions.push({ control_id: cid, decision: 'accept' });
      else if (r.ret.checked) {
        if (!r.comment.value.trim()) {
          r.err.textContent = 'Say why it is returned.';
          r.err.hidden = false;
          first = first || r.comment;
          continue;
        }
        decisions.push({ control_id: cid, decision: 'return', comment: r.comment.value.trim() });
      } else missing += 1;
    }
    if (first) { first.focus(); return; }
    if (!decisions.length) {
      alert.textContent = 'Choose accept or return for at least one control.';
      alert.hidden = false;
      return;
    }
    send.disabled = true;
    try {
      const res = await post(`/api/v1/assessments/${a.id}/review`, { decisions });
      const st = res.assessment.status;
      const msg = st === 'accepted' ? `Accepted: ${a.org_name}'s assessment is now locked (score ${fmtScore(res.assessment.score)}).`
        : st === 'returned' ? `Returned to ${a.org_name} with ${plural(decisions.filter((d) => d.decision === 'return').length, 'control')} to revise.`
          : `Decisions saved; ${plural(missing, 'control')} still ${missing === 1 ? 'needs' : 'need'} a decision.`;
      replace(section);
      await render(section, ctx, msg);
      const m = document.getElementById('review-message');
      if (m) m.focus();
    } catch (e) {
      const m = /^decisions\[(\d+)\]/.exec(e.field || '');
      const d = m ? decisions[Number(m[1])] : null;
      if (d && rows.has(d.control_id)) {
        const r = rows.get(d.control_id);
        r.err.textContent = e.message;
        r.err.hidden = false;
      } else {
        alert.textContent = e.message;
        alert.hidden = false;
      }
    } finally {
      if (send.isConnected) send.disabled = false;
    }
  });
  append(section, h('p', null, h('a', { href: `#/assessments/${a.id}` }, 'See the assessment with its history')), form);
}
