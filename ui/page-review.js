// Review of a submitted assessment by the parent CERT: per control accept, or return with a comment.
// Controls accepted in an earlier round stay accepted and are not asked again.
//
// The controls come grouped by domain (foldable); a sticky bar keeps "N of M decided", a filter and
// the Send button in view. Each control shows the answer, its evidence files (links that download
// them), the comments it was returned with in earlier rounds and whether the answer changed since the
// last round. "Accept all undecided" fills only controls without a decision: one marked Return keeps it.
import { h, replace, fmtTime, fmtDate, plural, pageHead } from './dom.js';
import { get, post } from './api.js';
import { state, loadOrgs, orgIndex } from './state.js';
import {
  append, ANSWER_LABELS, MATURITY_LEVELS, fmtScore, fmtSize, statusTag, tlpBadge, loadOrMissing, ASSESSMENT_MISSING, plainError, byDomain,
} from './guidelines.js';

const folded = new Map(); // assessment id -> Set(domain id) folded away by the reviewer

function answerBlock(ans) {
  if (!ans) return h('p', { class: 'muted rv-answer' }, 'Not answered.');
  const m = MATURITY_LEVELS.find(([v]) => v === ans.maturity);
  const na = ans.status === 'not_applicable' && !ans.maturity;
  return h('div', { class: 'rv-answer-block' },
    h('p', { class: 'rv-answer' },
      h('span', { class: ['answer-status', `as-${ans.status}`], dataset: { field: 'status' } }, ANSWER_LABELS[ans.status] || ans.status),
      na ? null : [' · maturity ', h('span', { class: 'answer-maturity', dataset: { field: 'maturity' } }, `${ans.maturity}${m ? ` (${m[1]})` : ''}`)]),
    h('p', { class: 'rv-evidence' }, h('span', { class: 'rv-k' }, 'Evidence note: '),
      h('span', { class: ans.evidence ? 'prose' : 'muted', dataset: { field: 'evidence' } }, ans.evidence || 'none')));
}

// The review rounds: comments each control was returned with before the latest submission.
function earlierReturns(historyItems) {
  let lastSubmit = -1;
  historyItems.forEach((e, i) => { if (e.action === 'submitted') lastSubmit = i; });
  const out = new Map();
  historyItems.forEach((e, i) => {
    if (i < lastSubmit && e.action === 'control returned' && e.control_id) {
      if (!out.has(e.control_id)) out.set(e.control_id, []);
      out.get(e.control_id).push(e);
    }
  });
  const rounds = historyItems.filter((e) => e.action === 'submitted').length;
  return { byControl: out, rounds };
}

export async function render(section, ctx, message) {
  const id = ctx.params[0];
  const again = () => render(section, ctx, message);
  const got = await loadOrMissing(section, 'assessment', () => Promise.all([
    get(`/api/v1/assessments/${encodeURIComponent(id)}`),
    get(`/api/v1/assessments/${encodeURIComponent(id)}/history`, { limit: 500 }),
    get(`/api/v1/assessments/${encodeURIComponent(id)}/attachments`),
    loadOrgs(),
  ]), again, { ...ASSESSMENT_MISSING, title: 'Review', titleOf: ([d]) => `Review ${d.assessment.org_name}` });
  if (!got || !section.isConnected) return;
  const [data, hist, att, orgs] = got;
  const a = data.assessment;
  const org = orgIndex(orgs).byId.get(a.org_id);
  const isParent = !!org && org.parent_id === state.me.org.id;
  const { byControl: returnedBefore, rounds } = earlierReturns(hist.items || []);
  const filesOf = new Map();
  for (const f of att.items || []) {
    if (!filesOf.has(f.control_id)) filesOf.set(f.control_id, []);
    filesOf.get(f.control_id).push(f);
  }

  append(section,
    pageHead({
      path: [['#/assessments', 'Assessments'], [`#/campaigns/${a.campaign_id}`, a.campaign_title]], here: `Review: ${a.org_name}`,
      eyebrow: `Review · ${a.campaign_title}`,
      title: a.org_name,
      titleId: 'review-title',
    },
      h('dl', { class: 'facts facts-inline', id: 'review-facts' },
        h('dt', null, 'Status'), h('dd', { dataset: { field: 'status' }, id: 'review-status' }, statusTag(a.status)),
        h('dt', null, 'Score'), h('dd', { dataset: { field: 'score' } }, fmtScore(a.score)),
        h('dt', null, 'Submitted'), h('dd', null, fmtTime(a.submitted_at)),
        rounds > 1 ? [h('dt', null, 'Round'), h('dd', { id: 'review-round' }, `${rounds} (last reviewed ${fmtDate(a.reviewed_at)})`)] : null,
        h('dt', null, 'Sharing'), h('dd', null, tlpBadge(a.tlp)))));

  const links = () => [h('a', { href: `#/assessments/${a.id}` }, 'See the assessment'), ' · ',
    h('a', { href: `#/campaigns/${a.campaign_id}` }, 'Campaign dashboard'), '.'];
  // one banner per event: the outcome just sent, else the state the assessment is in
  if (message) {
    append(section, h('div', { class: 'notice notice-ok', role: 'status', id: 'review-message', tabindex: '-1' },
      h('p', null, message), a.status !== 'submitted' ? h('p', null, links()) : null));
  }
  if (!isParent) {
    append(section, h('p', { class: 'notice' }, `Only analysts of the CERT directly above ${a.org_name} review its assessments. `,
      h('a', { href: `#/assessments/${a.id}` }, 'See the assessment'), '.'));
    return;
  }
  if (a.status !== 'submitted' || a.campaign_status === 'closed') {
    if (!message) {
      append(section, h('p', { class: 'notice', id: 'review-closed' },
        a.campaign_status === 'closed' ? 'The campaign is closed: its assessments no longer change.'
          : a.status === 'accepted' ? 'Every control is accepted: the assessment is locked.'
            : a.status === 'returned' ? `Returned to ${a.org_name}; it comes back here when they submit again.`
              : `${a.org_name} has not submitted it yet.`, ' ', links()));
    }
    return;
  }

  const pending = data.controls.filter((c) => !c.answer || c.answer.review !== 'accepted');
  const acceptedBefore = data.controls.length - pending.length;
  const reviewedAt = a.reviewed_at;
  // changed since the last round: its answer, or an evidence file attached to it since then
  const changed = (c) => !!(reviewedAt && ((c.answer && c.answer.updated_at && c.answer.updated_at >= reviewedAt)
    || (filesOf.get(c.id) || []).some((f) => f.created_at && f.created_at >= reviewedAt)));
  const rows = new Map(); // control id -> {accept, ret, comment, err, el, control}
  if (!folded.has(a.id)) folded.set(a.id, new Set());
  const foldedHere = folded.get(a.id);

  const decision = (r) => (r.accept.checked ? 'accept' : r.ret.checked ? 'return' : '');

  // ---------- one control ----------
  function card(c) {
    const ans = c.answer;
    const base = `rv-${c.id}`;
    const name = `decision-${c.id}`;
    // a return sent earlier in this round (decisions may come in several sends) is kept
    const prev = ans && ans.review === 'returned' ? 'return' : '';
    const accept = h('input', { type: 'radio', name, value: 'accept', id: `${base}-accept`, checked: false });
    const ret = h('input', { type: 'radio', name, value: 'return', id: `${base}-return`, checked: prev === 'return' });
    const comment = h('textarea', { id: `${base}-comment`, rows: 2, maxlength: 4000, 'aria-describedby': `${base}-error` });
    comment.value = (ans && ans.review_comment) || '';
    const commentField = h('div', { class: 'field review-comment-field', hidden: prev !== 'return' },
      h('label', { for: comment.id, class: 'is-required' }, 'Why is it returned?'), comment);
    const err = h('p', { class: 'field-error', id: `${base}-error`, hidden: true });
    const files = filesOf.get(c.id) || [];
    const before = returnedBefore.get(c.id) || [];
    const isChanged = changed(c);
    const el = h('fieldset', {
      class: ['control-card', 'review-card', prev === 'return' ? 'is-returned' : null],
      id: base, dataset: { controlId: c.id, changed: isChanged ? 'true' : 'false', returnedBefore: before.length ? 'true' : 'false' },
    },
    h('legend', { class: 'control-legend' }, h('span', { class: 'control-label' }, c.label || c.id), ' ', h('span', { class: 'control-name' }, c.title)),
    h('p', { class: 'rv-flags' },
      isChanged ? h('span', { class: 'tag tag-info rv-changed' }, 'Changed since last round') : null,
      reviewedAt && !isChanged && before.length ? h('span', { class: 'tag tag-off' }, 'Not changed since it was returned') : null),
    c.statement ? h('details', { class: 'guidance rv-statement' }, h('summary', null, 'What the control asks'), h('p', { class: 'prose' }, c.statement)) : null,
    h('div', { class: 'rv-body' }, h('div', { class: 'rv-main' },
    answerBlock(ans),
    h('div', { class: ['rv-files', files.length ? null : 'is-empty'], id: `${base}-files` },
      h('p', { class: 'attachments-title' }, files.length ? `Evidence files (${files.length})` : h('span', { class: 'muted' }, 'No evidence files')),
      files.length ? h('ul', { class: 'attachment-list' }, files.map((f) => h('li', { class: 'attachment-item', dataset: { attachmentId: f.id } },
        h('a', {
          class: 'attachment-link', href: `/api/v1/assessments/${encodeURIComponent(a.id)}/attachments/${encodeURIComponent(f.id)}`, download: f.filename,
        }, h('span', { class: 'sr-only' }, 'Download '), f.filename),
        h('span', { class: 'attachment-size' }, fmtSize(f.size)),
        h('span', { class: 'attachment-meta' }, `${f.created_by || '—'} · ${fmtTime(f.created_at)}`)))) : null),
    before.length ? h('div', { class: 'rv-earlier', id: `${base}-earlier` },
      h('p', { class: 'attachments-title' }, before.length === 1 ? 'Returned in an earlier round' : `Returned in ${before.length} earlier rounds`),
      h('ul', { class: 'rv-earlier-list' }, before.map((e) => h('li', null,
        h('q', { class: 'review-comment' }, e.comment || ''), ' ',
        h('span', { class: 'history-meta' }, `${e.actor || '—'} · ${fmtTime(e.at)}`))))) : null),
    h('div', { class: 'decision', role: 'radiogroup', 'aria-label': `Decision on ${c.label || c.id}` },
      h('span', { class: 'radio-item' }, accept, h('label', { for: accept.id }, 'Accept')),
      h('span', { class: 'radio-item' }, ret, h('label', { for: ret.id }, 'Return with a comment')))),
    commentField, err);
    const sync = () => {
      commentField.hidden = !ret.checked;
      el.classList.toggle('is-returned', ret.checked);
      el.classList.toggle('is-accepted', accept.checked);
      el.dataset.decision = decision(rows.get(c.id));
      err.hidden = true;
      refresh();
    };
    accept.addEventListener('change', sync);
    ret.addEventListener('change', () => { sync(); if (ret.checked && !comment.value) comment.focus(); });
    comment.addEventListener('input', () => { err.hidden = true; });
    rows.set(c.id, { accept, ret, comment, err, el, control: c, sync });
    el.dataset.decision = prev;
    return el;
  }

  // ---------- domains ----------
  const domains = byDomain(pending);
  const counters = [];
  const sections = domains.map((d) => {
    const counter = h('span', { class: 'domain-progress' });
    const det = h('details', { class: 'domain-section rv-domain', open: foldedHere.has(d.id) ? null : true, dataset: { domain: d.id } },
      h('summary', null, h('span', { class: 'domain-title' }, d.title), counter),
      h('div', { class: 'domain-body' }, d.controls.map(card)));
    det.addEventListener('toggle', () => { if (det.open) foldedHere.delete(d.id); else foldedHere.add(d.id); });
    counters.push({ d, counter, det });
    return det;
  });

  // ---------- the sticky bar: progress, filter, accept all, send ----------
  const progress = h('p', { class: 'rv-progress', id: 'review-progress', role: 'status' });
  const nChanged = pending.filter(changed).length;
  const nBefore = pending.filter((c) => returnedBefore.has(c.id)).length;
  const filter = h('select', { id: 'review-filter', name: 'filter' },
    h('option', { value: 'all' }, `All controls to decide (${pending.length})`),
    h('option', { value: 'undecided' }, 'Undecided'),
    h('option', { value: 'changed', disabled: reviewedAt ? null : true }, reviewedAt ? `Changed since last round (${nChanged})` : 'Changed since last round (first round: none)'),
    h('option', { value: 'earlier', disabled: nBefore ? null : true }, `Returned in an earlier round (${nBefore})`),
    h('option', { value: 'return' }, 'Marked Return'));
  const want = ctx.query.get('show');
  if (want && [...filter.options].some((o) => o.value === want && !o.disabled)) filter.value = want;
  const filterNote = h('p', { class: 'muted rv-filter-note', id: 'review-filter-note', 'aria-live': 'polite' });
  const acceptAll = h('button', { type: 'button', class: 'btn', id: 'accept-all' }, 'Accept all undecided');
  const send = h('button', { type: 'submit', class: 'btn btn-primary', id: 'send-review' }, 'Send decisions');
  const alert = h('div', { class: 'form-alert', role: 'alert', id: 'review-alert', hidden: true });
  const note = h('p', { class: 'form-status-line', role: 'status', id: 'review-note' });

  const visible = (r) => {
    const v = filter.value;
    if (v === 'undecided') return !decision(r) || r.el.classList.contains('is-pinned');
    if (v === 'changed') return changed(r.control);
    if (v === 'earlier') return returnedBefore.has(r.control.id);
    if (v === 'return') return r.ret.checked;
    return true;
  };
  function applyFilter() {
    let shown = 0;
    for (const r of rows.values()) {
      const on = visible(r);
      r.el.hidden = !on;
      if (on) shown += 1;
    }
    for (const { d, det } of counters) {
      det.hidden = !d.controls.some((c) => !rows.get(c.id).el.hidden);
    }
    filterNote.textContent = filter.value === 'all' ? '' : `Showing ${plural(shown, 'control')} of ${pending.length}.`;
    const undecidedShown = [...rows.values()].filter((r) => !r.el.hidden && !decision(r)).length;
    acceptAll.textContent = filter.value === 'all' ? `Accept all undecided (${undecidedShown})` : `Accept the undecided shown (${undecidedShown})`;
    acceptAll.disabled = undecidedShown === 0;
  }
  function refresh() {
    let acc = 0;
    let ret = 0;
    for (const r of rows.values()) { if (r.accept.checked) acc += 1; else if (r.ret.checked) ret += 1; }
    const done = acc + ret;
    progress.textContent = `${done} of ${pending.length} decided`;
    progress.dataset.decided = String(done);
    progress.append(h('span', { class: 'rv-progress-detail' },
      done ? ` (${[[acc, 'accepted'], [ret, 'to return']].filter(([n]) => n).map(([n, w]) => `${n} ${w}`).join(', ')})` : ''));
    send.textContent = done ? `Send decisions (${done})` : 'Send decisions';
    for (const { d, counter } of counters) {
      const n = d.controls.filter((c) => decision(rows.get(c.id))).length;
      counter.textContent = `${n} of ${d.controls.length} decided`;
      counter.classList.toggle('is-complete', n === d.controls.length);
    }
    // a control that just got its decision stays in view under "Undecided" until the filter changes
    applyFilter();
  }
  filter.addEventListener('change', () => {
    for (const r of rows.values()) r.el.classList.remove('is-pinned');
    applyFilter();
    const target = withShow(filter.value);
    if (location.hash !== target) history.replaceState(null, '', target);
  });
  function withShow(v) {
    return v === 'all' ? `#/assessments/${a.id}/review` : `#/assessments/${a.id}/review?show=${encodeURIComponent(v)}`;
  }
  acceptAll.addEventListener('click', () => {
    let n = 0;
    let kept = 0;
    for (const r of rows.values()) {
      if (r.el.hidden) continue;
      if (r.ret.checked) { kept += 1; continue; }
      if (r.accept.checked) continue;
      r.accept.checked = true;
      r.el.classList.add('is-pinned');
      r.el.classList.add('is-accepted');
      r.el.dataset.decision = 'accept';
      n += 1;
    }
    refresh();
    note.textContent = `${plural(n, 'control')} marked Accept${kept ? `; ${plural(kept, 'control')} marked Return ${kept === 1 ? 'keeps its' : 'keep their'} decision` : ''}. Nothing is sent until you press Send.`;
  });
  // mark a control that gets its decision by hand so that the "Undecided" view does not jump away
  section.addEventListener('change', (ev) => {
    const r = ev.target && ev.target.name && rows.get(ev.target.name.replace(/^decision-/, ''));
    if (r && filter.value === 'undecided') { r.el.classList.add('is-pinned'); applyFilter(); }
  });

  const bar = h('div', { class: 'action-bar rv-bar', role: 'region', 'aria-label': 'Review progress and actions', id: 'review-bar' },
    progress,
    h('div', { class: 'action-buttons' }, acceptAll, send),
    note);
  const foldAll = h('button', { type: 'button', class: 'btn btn-small btn-quiet', id: 'fold-all', 'aria-controls': 'review-domains' });
  const syncFold = () => { foldAll.textContent = counters.every(({ det }) => !det.open) ? 'Unfold every domain' : 'Fold every domain'; };
  foldAll.addEventListener('click', () => {
    const open = counters.every(({ det }) => !det.open);
    for (const { det } of counters) det.open = open;
    syncFold();
  });
  for (const { det } of counters) det.addEventListener('toggle', syncFold);
  syncFold();
  const tools = h('div', { class: 'toolbar rv-tools' },
    h('div', { class: 'field field-inline rv-filter' }, h('label', { for: 'review-filter' }, 'Show'), filter),
    domains.length > 1 ? foldAll : null,
    filterNote);

  const form = h('form', { class: 'review-form', novalidate: true, 'aria-label': `Review of ${a.org_name}` },
    h('p', { class: 'muted', id: 'review-intro' },
      `${plural(pending.length, 'control')} to decide in ${plural(domains.length, 'domain')}`,
      acceptedBefore ? `; ${plural(acceptedBefore, 'control')} accepted in an earlier round stay accepted` : '',
      reviewedAt ? `; ${nChanged} changed since the last round (${fmtDate(reviewedAt)})` : '',
      '. Accept a control, or return it with a comment saying what is missing.'),
    tools, bar, alert, h('div', { id: 'review-domains' }, sections));

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
          if (!first) first = r;
          continue;
        }
        decisions.push({ control_id: cid, decision: 'return', comment: r.comment.value.trim() });
      } else missing += 1;
    }
    if (first) {
      if (first.el.hidden) { filter.value = 'all'; applyFilter(); }
      const det = first.el.closest('details');
      if (det) det.open = true;
      first.comment.focus();
      alert.textContent = 'A returned control needs a comment saying why.';
      alert.hidden = false;
      return;
    }
    if (!decisions.length) {
      alert.textContent = 'Choose Accept or Return for at least one control.';
      alert.hidden = false;
      return;
    }
    send.disabled = true;
    send.setAttribute('aria-busy', 'true');
    try {
      const res = await post(`/api/v1/assessments/${a.id}/review`, { decisions });
      const st = res.assessment.status;
      const nRet = decisions.filter((d) => d.decision === 'return').length;
      const msg = st === 'accepted' ? `Accepted: ${a.org_name}'s assessment is now locked (score ${fmtScore(res.assessment.score)}).`
        : st === 'returned' ? `Returned to ${a.org_name} with ${plural(nRet, 'control')} to revise.`
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
        r.err.textContent = plainError(e);
        r.err.hidden = false;
      } else {
        alert.textContent = plainError(e);
        alert.hidden = false;
      }
    } finally {
      if (send.isConnected) { send.disabled = false; send.removeAttribute('aria-busy'); }
    }
  });
  append(section, form);
  refresh();
}
