// The assessment form: controls grouped by domain (collapsible), each with a status (radio group),
// a maturity 0-5 and an evidence note; a completion bar; "Save draft" sends only what changed,
// "Submit" scores it (the API refuses an incomplete one with a message shown here). Read-only once
// submitted or accepted, and for anyone but the assessed organisation; returned controls are
// highlighted with the reviewer's comment, accepted ones are locked. The history panel lists every step.
// Each control lists its evidence files (downloads); while it can be edited, a file can be attached
// (uploaded as the raw body, at most 5 MiB and 10 files per control) without losing unsaved answers.
// Once reviewed, the gaps (partial, planned, not implemented) get a plan of action: the org says who
// owns each, by when and what will be done; everyone who reads the assessment can download the POA&M.
import { h, replace, fmtTime, fmtDate, plural, pageHead } from './dom.js';
import { get, api, post, upload } from './api.js';
import { state, can, isCert, loadOrgs, orgIndex } from './state.js';
import { progressBar } from './chart.js';
import {
  append, ANSWER_STATUSES, ANSWER_LABELS, MATURITY_LEVELS, canFill, editable, fmtScore, fmtSize, statusTag, tlpBadge,
  loadOrMissing, ASSESSMENT_MISSING, plainError, statusLabel as statusLabelOf, controlLabel, labelMap,
  byDomain,
} from './guidelines.js';

const JUMP_MAX = 10; // controls named in a jump list before "and N more"

// A status and a maturity that contradict each other, in words; null when they agree.
export function contradiction(status, maturity) {
  if (maturity === '' || maturity === null || maturity === undefined) return null;
  const m = Number(maturity);
  const lvl = MATURITY_LEVELS.find(([v]) => v === m);
  const said = `maturity ${m}${lvl ? ` (${lvl[1]})` : ''}`;
  if (status === 'not_implemented' && m >= 2) return `“Not implemented” with ${said} contradicts itself: a control that is not in place cannot be at that level. Check the status, or lower the maturity (0 or 1).`;
  if (status === 'planned' && m >= 3) return `“Planned” with ${said} contradicts itself: a control that is only planned is not yet defined or managed. Check the status, or lower the maturity (2 at most).`;
  if (status === 'implemented' && m === 0) return `“Implemented” with ${said} contradicts itself: an implemented control is at least at level 1. Check the status, or raise the maturity.`;
  if (status === 'partial' && m === 5) return `“Partially implemented” with ${said} contradicts itself: an optimised control is fully implemented. Check the status, or lower the maturity.`;
  return null;
}

// Moves the focus to a control of the form: its domain unfolds, its chosen status (or the first) gets focus.
function jumpTo(cid) {
  const card = document.getElementById(`ctl-${cid}`);
  if (!card) return;
  const det = card.closest('details');
  if (det && !det.open) det.open = true;
  const target = card.querySelector('input[type="radio"]:checked') || card.querySelector('input, select, textarea, a, [tabindex]');
  card.scrollIntoView({ block: 'center' });
  if (target) target.focus({ preventScroll: true });
  else { card.setAttribute('tabindex', '-1'); card.focus({ preventScroll: true }); }
}

// "BR-2 Offline or Isolated Backup Copy" links that jump to the control (the address keeps ?control=).
function jumpLinks(assessmentId, controls, max = JUMP_MAX) {
  const shown = controls.slice(0, max);
  const out = [];
  shown.forEach((c, i) => {
    const a = h('a', { href: `#/assessments/${assessmentId}?control=${encodeURIComponent(c.id)}`, class: 'jump-link', dataset: { control: c.id } },
      h('span', { class: 'control-label' }, c.label || c.id), ' ', c.title);
    a.addEventListener('click', (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      history.replaceState(null, '', a.getAttribute('href'));
      jumpTo(c.id);
    });
    out.push(h('li', null, a));
    if (i === shown.length - 1 && controls.length > max) out.push(h('li', { class: 'muted' }, `and ${controls.length - max} more`));
  });
  return out;
}

const collapsed = new Map(); // assessment id -> Set(domain id) the user folded away

const HISTORY_LABELS = {
  saved: 'Draft saved',
  submitted: 'Submitted',
  'control accepted': 'Control accepted',
  'control returned': 'Control returned',
  accepted: 'Assessment accepted',
  returned: 'Assessment returned',
  'evidence attached': 'Evidence attached',
  'plan set': 'Remediation planned',
  'plan cleared': 'Remediation plan cleared',
};

// The answers a plan of action is for (the API's gaps, docs/api.md).
const GAP_STATUSES = new Set(['partial', 'planned', 'not_implemented']);

// The API's limits for evidence files (docs/api.md): checked here too, to say so before uploading.
const FILE_MAX_BYTES = 5 * 1024 * 1024;
const FILES_PER_CONTROL = 10;

// The server refuses quotes and control characters in a file name: send a close, safe one.
function safeFileName(name) {
  // eslint-disable-next-line no-control-regex
  return (name || '').replace(/"/g, "'").replace(/[\x00-\x1f\x7f]/g, '').trim() || 'evidence';
}

// The server stores maturity 0 for a "not applicable" answer given without one: show that as unchosen.
function savedMaturity(ans) {
  if (!ans || ans.maturity === null || ans.maturity === undefined) return '';
  return ans.status === 'not_applicable' && !ans.maturity ? '' : String(ans.maturity);
}

function answerText(ans) {
  if (!ans) return h('p', { class: 'muted answer-summary' }, 'Not answered.');
  const m = MATURITY_LEVELS.find(([v]) => v === ans.maturity);
  return h('div', { class: 'answer-summary' },
    h('p', null,
      h('span', { class: ['answer-status', `as-${ans.status}`] }, ANSWER_LABELS[ans.status] || ans.status),
      ans.status !== 'not_applicable' || ans.maturity ? h('span', { class: 'answer-maturity' }, ` · maturity ${ans.maturity}${m ? ` (${m[1]})` : ''}`) : null),
    ans.evidence ? h('p', { class: 'answer-evidence' }, h('span', { class: 'sr-only' }, 'Evidence: '), ans.evidence)
      : h('p', { class: 'muted answer-evidence' }, 'No evidence note.'));
}

function reviewNote(ans, fillMode) {
  if (!ans || !ans.review) return null;
  if (ans.review === 'accepted') {
    return h('p', { class: 'review-note review-accepted' }, h('span', { class: 'tag tag-ok' }, 'Accepted'),
      fillMode ? ' Locked: the reviewer accepted this answer.' : ' The reviewer accepted this answer.');
  }
  return h('div', { class: 'review-note review-returned', role: fillMode ? 'note' : null },
    h('span', { class: 'tag tag-warn-solid' }, 'Returned'), ' ',
    h('span', { class: 'review-label' }, 'Reviewer’s comment: '),
    h('q', { class: 'review-comment' }, ans.review_comment || ''));
}

export async function render(section, ctx, message) {
  const id = ctx.params[0];
  const got = await loadOrMissing(section, 'assessment', () => Promise.all([
    get(`/api/v1/assessments/${encodeURIComponent(id)}`),
    get(`/api/v1/assessments/${encodeURIComponent(id)}/history`, { limit: 500 }),
    get(`/api/v1/assessments/${encodeURIComponent(id)}/attachments`),
    loadOrgs().catch(() => []),
  ]), () => render(section, ctx, message), {
    ...ASSESSMENT_MISSING, title: 'Assessment', titleOf: ([d]) => `${d.assessment.campaign_title} · ${d.assessment.org_name}`,
  });
  if (!got || !section.isConnected) return;
  const [data, history, files, orgs] = got;
  const { byId } = orgIndex(orgs);
  const o = byId.get(data.assessment.org_id);
  const parent = o && o.parent_id ? byId.get(o.parent_id) : null;
  const who = { parentId: o ? o.parent_id : null, parentName: parent ? parent.name : 'the CERT above' };
  build(section, ctx, data, history.items || [], files.items || [], who, message);
  const want = ctx.query.get('control');
  if (want && !message) jumpTo(want);
}

function build(section, ctx, data, historyItems, fileItems, who, message) {
  const parentId = who.parentId;
  const a = data.assessment;
  const me = state.me;
  const fill = canFill(a) && editable(a.status) && a.campaign_status !== 'closed';
  if (!collapsed.has(a.id)) collapsed.set(a.id, new Set());
  const folded = collapsed.get(a.id);

  const labels = labelMap(data.controls);
  // saved answers, to send only what changed
  const saved = new Map(data.controls.map((c) => [c.id, c.answer]));
  const cards = new Map(); // control id -> {status radios, maturity, evidence, err, locked}
  const filesOf = new Map(data.controls.map((c) => [c.id, []])); // control id -> attachments
  for (const f of fileItems) if (filesOf.has(f.control_id)) filesOf.get(f.control_id).push(f);

  const returnedCount = data.controls.filter((c) => c.answer && c.answer.review === 'returned').length;
  const notices = [];
  const own = a.org_id === me.org.id; // the reader belongs to the assessed organisation
  // One banner per event: a save reports in the action bar's status line; a submit (which changes
  // the page) in a notice that takes the place of the state's notice.
  const eventMessage = message && !message.startsWith('Draft saved');
  if (eventMessage) notices.push(h('p', { class: 'notice notice-ok', role: 'status', id: 'assessment-message', tabindex: '-1' }, message));
  if (a.campaign_status === 'closed') {
    notices.push(h('p', { class: 'notice', id: 'closed-notice' },
      `The campaign “${a.campaign_title}” is closed: this assessment is kept as it stood (${statusLabelOf(a.status)}).`));
  } else if (eventMessage) {
    // the message says it
  } else if (a.status === 'returned') {
    notices.push(h('p', { class: 'notice notice-warn', id: 'returned-notice' }, own
      ? `Your CERT (${who.parentName}) returned ${plural(returnedCount, 'control')}. ${fill ? 'They are listed just below and highlighted with the reviewer’s comment: revise them and submit again. Accepted controls are locked.' : 'Your organisation’s reporters revise them and submit again.'}`
      : `${parentId === me.org.id ? `You (${who.parentName})` : who.parentName} returned ${plural(returnedCount, 'control')} to ${a.org_name}; it is with them to revise and submit again.`));
  } else if (a.status === 'submitted') {
    const mayReview = parentId && parentId === me.org.id;
    notices.push(h('p', { class: 'notice' }, `Submitted ${fmtTime(a.submitted_at)}. `,
      mayReview ? h('a', { href: `#/assessments/${a.id}/review`, id: 'review-link' }, 'Review this assessment')
        : 'It waits for review by the CERT above the organisation; it cannot be changed meanwhile.'));
  } else if (a.status === 'accepted') {
    notices.push(h('p', { class: 'notice notice-ok' }, `Accepted ${fmtTime(a.reviewed_at)}. The assessment is locked.`));
  } else if (!canFill(a)) {
    notices.push(h('p', { class: 'notice' }, own ? 'Read only: your role does not fill assessments; your organisation’s reporters do.' : `Read only: ${a.org_name} fills this assessment.`));
  }

  // ---------- the form ----------
  const bar = progressBar('Completion', 'completion');
  const alert = h('div', { class: 'form-alert', role: 'alert', id: 'assessment-alert', hidden: true });
  const status = h('p', { class: 'form-status-line', role: 'status', id: 'assessment-status' });
  const saveBtn = h('button', { type: 'button', class: 'btn', id: 'save-draft' }, 'Save draft');
  const submitBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'submit-assessment' }, a.status === 'returned' ? 'Submit again' : 'Submit');

  function current(cid) {
    const c = cards.get(cid);
    const checked = c.radios.find((r) => r.checked);
    return { status: checked ? checked.value : '', maturity: c.maturity.value, evidence: c.evidence.value };
  }
  function isAnswered(cid) {
    const c = cards.get(cid);
    if (!c || c.locked) return !!saved.get(cid);
    const v = current(cid);
    return !!v.status && (v.status === 'not_applicable' || v.maturity !== '');
  }
  function isChanged(cid) {
    const c = cards.get(cid);
    if (!c || c.locked) return false;
    const v = current(cid);
    const s = saved.get(cid);
    if (!s) return !!v.status || v.maturity !== '' || v.evidence.trim() !== '';
    return v.status !== s.status || v.maturity !== savedMaturity(s) || v.evidence !== (s.evidence || '');
  }
  const domainCounters = new Map(); // domain id -> {el, ids}
  const attachers = new Map(); // control id -> {input, attach(), clear(), control}: the file pickers
  // files chosen in a picker but not attached yet
  const chosenFiles = () => [...attachers.values()].filter((x) => x.input.files && x.input.files.length)
    .map((x) => ({ ...x, file: x.input.files[0] }));
  const attention = h('nav', { class: 'panel attention', id: 'attention', 'aria-label': 'Controls that need you', hidden: true });
  let attentionKey = '';
  function drawAttention() {
    if (!fill) return;
    const returned = data.controls.filter((c) => c.answer && c.answer.review === 'returned' && cards.get(c.id) && !cards.get(c.id).locked);
    const unanswered = data.controls.filter((c) => !isAnswered(c.id));
    const odd = data.controls.filter((c) => cards.get(c.id) && !cards.get(c.id).locked && contradiction(current(c.id).status, current(c.id).maturity));
    const files = chosenFiles();
    const key = [returned, unanswered, odd, files.map((f) => f.control)].map((l) => l.map((c) => c.id).join(',')).join('|');
    if (key === attentionKey) return;
    attentionKey = key;
    const groups = [];
    if (returned.length) groups.push(['returned', `Returned by your CERT (${returned.length})`, returned]);
    if (files.length) groups.push(['files', `File chosen but not attached yet (${files.length})`, files.map((f) => f.control)]);
    if (odd.length) groups.push(['contradictions', `Status and maturity contradict each other (${odd.length})`, odd]);
    if (unanswered.length) groups.push(['unanswered', `Not answered yet (${unanswered.length} of ${data.controls.length})`, unanswered]);
    attention.hidden = !groups.length;
    const max = window.matchMedia && window.matchMedia('(max-width: 640px)').matches ? 5 : JUMP_MAX;
    replace(attention,
      h('h2', { class: 'attention-title' }, 'Go straight to'),
      groups.map(([k, title, list]) => h('div', { class: 'attention-group', dataset: { group: k } },
        h('h3', { class: 'sub-h' }, title),
        h('ul', { class: 'jump-list', id: `jump-${k}` }, jumpLinks(a.id, list, max)),
        k === 'unanswered' && list.length > 1 ? nextBtn : null)));
  }
  // "Next unanswered": the first unanswered control after the one the user is in (or the first).
  const nextBtn = h('button', { type: 'button', class: 'btn btn-small', id: 'next-unanswered' }, 'Next unanswered control');
  nextBtn.addEventListener('click', () => {
    const ids = data.controls.map((c) => c.id);
    const here = lastCard ? ids.indexOf(lastCard) : -1;
    const todo = data.controls.filter((c) => !isAnswered(c.id)).map((c) => c.id);
    if (!todo.length) return;
    const next = todo.find((cid) => ids.indexOf(cid) > here) || todo[0];
    jumpTo(next);
  });
  let lastCard = null; // the control the user last worked in
  section.addEventListener('focusin', (ev) => {
    const card = ev.target.closest && ev.target.closest('.control-card');
    if (card && card.dataset.controlId) lastCard = card.dataset.controlId;
  });
  function refresh() {
    let done = 0;
    for (const c of data.controls) if (isAnswered(c.id)) done += 1;
    bar.update(done, data.controls.length);
    for (const { el, ids } of domainCounters.values()) {
      const n = ids.filter(isAnswered).length;
      el.textContent = `${n} / ${ids.length} answered`;
      el.classList.toggle('is-complete', n === ids.length);
    }
    if (fill) {
      drawAttention();
      const changed = data.controls.filter((c) => isChanged(c.id)).length;
      for (const [cid, c] of cards) c.card.classList.toggle('is-changed', isChanged(cid));
      status.textContent = changed ? `${plural(changed, 'unsaved change')}.` : (status.dataset.saved || '');
    }
  }

  function controlCard(c) {
    const ans = c.answer;
    const locked = !fill || (ans && ans.review === 'accepted');
    const returned = ans && ans.review === 'returned';
    const cardId = `ctl-${c.id}`;
    const errId = `${cardId}-error`;
    const guidance = c.guidance ? h('details', { class: 'guidance' }, h('summary', null, 'Guidance'), h('p', { class: 'prose' }, c.guidance)) : null;
    const head = [
      h('legend', { class: 'control-legend' }, h('span', { class: 'control-label' }, c.label || c.id), ' ', h('span', { class: 'control-name' }, c.title)),
      c.statement ? h('p', { class: 'control-statement' }, c.statement) : null,
      guidance,
      reviewNote(ans, fill),
    ];
    if (locked) {
      const card = h('fieldset', { class: ['control-card', 'is-locked', returned ? 'is-returned' : null, ans && ans.review === 'accepted' ? 'is-accepted' : null], id: cardId, dataset: { controlId: c.id } },
        head, answerText(ans), evidenceFiles(c, false));
      cards.set(c.id, { card, locked: true, radios: [] });
      return card;
    }
    const name = `status-${c.id}`;
    const radios = ANSWER_STATUSES.map(([v]) => h('input', { type: 'radio', name, value: v, id: `${cardId}-${v}`, checked: ans ? ans.status === v : false }));
    const statusGroup = h('fieldset', { class: 'status-group', 'aria-describedby': errId },
      h('legend', null, 'Status'),
      h('div', { class: 'radio-row' }, ANSWER_STATUSES.map(([v, label], i) => h('span', { class: 'radio-item' }, radios[i], h('label', { for: radios[i].id }, label)))));
    const matId = `${cardId}-maturity`;
    const maturity = h('select', { id: matId, name: `maturity-${c.id}`, 'aria-describedby': `${matId}-hint ${errId}` },
      h('option', { value: '' }, '— choose —'),
      MATURITY_LEVELS.map(([v, label]) => h('option', { value: String(v), selected: savedMaturity(ans) === String(v) ? true : null }, `${v} — ${label}`)));
    const evId = `${cardId}-evidence`;
    const evidence = h('textarea', { id: evId, name: `evidence-${c.id}`, rows: 2, maxlength: 4000, 'aria-describedby': errId, placeholder: 'What shows this? e.g. the policy document, a report, a screenshot reference' });
    evidence.value = (ans && ans.evidence) || '';
    const err = h('p', { class: 'field-error', id: errId, hidden: true });
    const warn = h('p', { class: 'field-warn', id: `${cardId}-warn`, hidden: true });
    maturity.setAttribute('aria-describedby', `${matId}-hint ${errId} ${cardId}-warn`);
    const card = h('fieldset', { class: ['control-card', returned ? 'is-returned' : null], id: cardId, dataset: { controlId: c.id } },
      head,
      statusGroup,
      h('div', { class: 'row-answer' },
        h('div', { class: 'field field-maturity' },
          h('label', { for: matId }, 'Maturity (0–5)'), maturity,
          h('p', { class: 'hint', id: `${matId}-hint` }, 'Not needed for “Not applicable”.')),
        h('div', { class: 'field field-evidence' }, h('label', { for: evId }, 'Evidence'), evidence)),
      warn,
      err,
      evidenceFiles(c, true));
    const checkOdd = () => {
      const checked = radios.find((r) => r.checked);
      const text = contradiction(checked ? checked.value : '', maturity.value);
      warn.textContent = text || '';
      warn.hidden = !text;
      card.classList.toggle('is-odd', !!text);
    };
    const sync = () => {
      const na = radios.some((r) => r.checked && r.value === 'not_applicable');
      maturity.required = !na;
      err.hidden = true;
      maturity.removeAttribute('aria-invalid');
      checkOdd();
      refresh();
    };
    checkOdd();
    for (const r of radios) r.addEventListener('change', sync);
    maturity.addEventListener('change', sync);
    evidence.addEventListener('input', refresh);
    cards.set(c.id, { card, locked: false, radios, maturity, evidence, err });
    return card;
  }

  // ---------- evidence files ----------
  function fileItem(f) {
    const href = `/api/v1/assessments/${encodeURIComponent(a.id)}/attachments/${encodeURIComponent(f.id)}`;
    return h('li', { class: 'attachment-item', dataset: { attachmentId: f.id, size: f.size } },
      h('a', { href, download: f.filename, class: 'attachment-link' }, h('span', { class: 'sr-only' }, 'Download '), f.filename),
      h('span', { class: 'attachment-size' }, fmtSize(f.size)),
      h('span', { class: 'attachment-meta' }, `${f.created_by || '—'} · ${fmtTime(f.created_at)}`));
  }
  function fileList(cid, list) {
    return list.length
      ? h('ul', { class: 'attachment-list', id: `ctl-${cid}-files` }, list.map(fileItem))
      : h('p', { class: 'muted attachment-empty', id: `ctl-${cid}-files` }, 'No files attached.');
  }
  // The files of one control; canAttach adds a file input and an "Attach" button.
  function evidenceFiles(c, canAttach) {
    const list = filesOf.get(c.id);
    if (!canAttach && !list.length) return null;
    const base = `ctl-${c.id}-file`;
    const titleId = `${base}s-title`;
    let listEl = fileList(c.id, list);
    const box = h('div', { class: 'attachments', role: 'group', 'aria-labelledby': titleId },
      h('p', { class: 'attachments-title', id: titleId }, 'Evidence files', list.length ? h('span', { class: 'attachment-count' }, ` (${list.length})`) : null),
      listEl);
    if (!canAttach) return box;

    const input = h('input', { type: 'file', id: base, class: 'attachment-input', 'aria-describedby': `${base}-hint ${base}-error` });
    const btn = h('button', { type: 'button', class: 'btn btn-small', id: `${base}-attach` }, 'Attach', h('span', { class: 'sr-only' }, ` to ${c.label || c.id}`));
    const err = h('p', { class: 'field-error', id: `${base}-error`, hidden: true });
    const note = h('p', { class: 'attachment-status', role: 'status', id: `${base}-status` });
    const fail = (text) => { err.textContent = text; err.hidden = !text; if (text) note.textContent = ''; };
    const count = box.querySelector('.attachments-title');
    const redraw = () => {
      const fresh = fileList(c.id, list);
      listEl.replaceWith(fresh);
      listEl = fresh;
      replace(count, 'Evidence files', list.length ? h('span', { class: 'attachment-count' }, ` (${list.length})`) : null);
      btn.disabled = list.length >= FILES_PER_CONTROL;
      input.disabled = list.length >= FILES_PER_CONTROL;
    };
    input.addEventListener('change', () => { fail(''); refresh(); });
    // Uploads the chosen file; true when it was attached. Focus stays where the user was (the
    // button is disabled while uploading, which would otherwise drop the focus to the page).
    const attach = async () => {
      const file = input.files && input.files[0];
      const hadFocus = document.activeElement === btn || document.activeElement === input;
      if (!file) { fail('Choose a file first.'); input.focus(); return false; }
      if (file.size === 0) { fail('The file is empty: choose another one.'); if (hadFocus) input.focus(); return false; }
      if (file.size > FILE_MAX_BYTES) { fail(`The file is ${fmtSize(file.size)}; a file may be at most ${fmtSize(FILE_MAX_BYTES)}.`); if (hadFocus) input.focus(); return false; }
      fail('');
      btn.disabled = true;
      btn.setAttribute('aria-busy', 'true');
      note.textContent = `Uploading ${file.name}…`;
      let ok = false;
      try {
        const meta = await upload(`/api/v1/assessments/${encodeURIComponent(a.id)}/attachments`,
          { control_id: c.id, filename: safeFileName(file.name) }, file);
        list.push(meta);
        input.value = '';
        redraw();
        note.textContent = `Attached ${meta.filename} (${fmtSize(meta.size)}).`;
        refreshHistory();
        ok = true;
      } catch (e) {
        note.textContent = '';
        fail(plainError(e, 'The file could not be attached.'));
        if (e.status === 409 || e.status === 404) status.textContent = 'Reload the page to see the current state.';
      } finally {
        btn.removeAttribute('aria-busy');
        btn.disabled = list.length >= FILES_PER_CONTROL;
        const lost = !document.activeElement || document.activeElement === document.body;
        if (hadFocus && lost && btn.isConnected) (btn.disabled ? input : btn).focus();
        refresh();
      }
      return ok;
    };
    btn.addEventListener('click', () => { attach(); });
    attachers.set(c.id, { input, attach, control: c, clear: () => { input.value = ''; fail(''); refresh(); } });
    redraw();
    append(box,
      h('div', { class: 'attach-row' },
        h('label', { for: base, class: 'attach-label' }, 'Attach a file', h('span', { class: 'sr-only' }, ` to ${c.label || c.id}`)), input, btn),
      h('p', { class: 'hint', id: `${base}-hint` }, `Any file up to ${fmtSize(FILE_MAX_BYTES)}; at most ${FILES_PER_CONTROL} per control.`),
      err, note);
    return box;
  }

  // group by domain, in the order the controls come
  const domains = byDomain(data.controls);
  const sections = domains.map((d) => {
    const counter = h('span', { class: 'domain-progress' });
    domainCounters.set(d.id, { el: counter, ids: d.controls.map((c) => c.id) });
    const nReturned = d.controls.filter((c) => c.answer && c.answer.review === 'returned').length;
    const det = h('details', { class: 'domain-section', open: folded.has(d.id) ? null : true, dataset: { domain: d.id } },
      h('summary', null,
        h('span', { class: 'domain-title' }, d.title),
        nReturned ? h('span', { class: 'tag tag-warn-solid' }, `${nReturned} returned`) : null,
        counter),
      h('div', { class: 'domain-body' }, d.controls.map(controlCard)));
    det.addEventListener('toggle', () => { if (det.open) folded.delete(d.id); else folded.add(d.id); });
    return det;
  });

  // ---------- saving and submitting ----------
  function showAlert(...content) {
    replace(alert, ...content.filter((x) => x !== null && x !== undefined && x !== ''));
    alert.hidden = !alert.childNodes.length;
  }
  function collect() {
    const answers = [];
    const incomplete = [];
    for (const c of data.controls) {
      if (!isChanged(c.id)) continue;
      const v = current(c.id);
      const card = cards.get(c.id);
      if (!v.status || (v.status !== 'not_applicable' && v.maturity === '')) {
        incomplete.push(c);
        card.err.textContent = !v.status ? 'Choose a status to save this answer.' : 'Choose a maturity level (0–5) to save this answer.';
        card.err.hidden = false;
        if (v.status) card.maturity.setAttribute('aria-invalid', 'true');
        continue;
      }
      const ans = { control_id: c.id, status: v.status, evidence: v.evidence };
      if (v.maturity !== '') ans.maturity = Number(v.maturity);
      answers.push(ans);
    }
    return { answers, incomplete };
  }
  // Rebuilds the page from the server. The focus goes back to the element that had it (by id, at
  // the same place on the screen), else to focusId.
  async function reload(msg, focusId, after) {
    const active = document.activeElement;
    const keepId = active && active.id && section.contains(active) ? active.id : null;
    const top = keepId ? active.getBoundingClientRect().top : null;
    const [fresh, hist, att] = await Promise.all([
      get(`/api/v1/assessments/${a.id}`), get(`/api/v1/assessments/${a.id}/history`, { limit: 500 }),
      get(`/api/v1/assessments/${a.id}/attachments`)]);
    if (!section.isConnected) return;
    replace(section);
    build(section, ctx, fresh, hist.items || [], att.items || [], who, msg);
    if (after) after();
    const back = (keepId && document.getElementById(keepId)) || (focusId && document.getElementById(focusId));
    if (back) {
      back.focus({ preventScroll: true });
      if (keepId && back.id === keepId && top !== null) window.scrollBy(0, back.getBoundingClientRect().top - top);
      else back.scrollIntoView({ block: 'nearest' });
    }
  }
  // Saves the changed answers; returns false when nothing could be saved because of errors.
  async function saveDraft() {
    const { answers, incomplete } = collect();
    if (!answers.length) {
      if (incomplete.length) {
        showAlert(`${plural(incomplete.length, 'answer')} could not be saved: see the message at the control.`,
          h('ul', { class: 'jump-list' }, jumpLinks(a.id, incomplete)));
        cards.get(incomplete[0].id).card.scrollIntoView({ block: 'center' });
        return false;
      }
      return true;
    }
    await api('PUT', `/api/v1/assessments/${a.id}/answers`, { answers });
    if (incomplete.length) {
      // keep the user's unsaved work on screen: update what was saved, flag the rest
      for (const x of answers) saved.set(x.control_id, { ...(saved.get(x.control_id) || {}), status: x.status, maturity: x.maturity ?? 0, evidence: x.evidence });
      showAlert(`${plural(answers.length, 'answer')} saved; ${plural(incomplete.length, 'answer')} could not be saved: see the message at the control.`,
        h('ul', { class: 'jump-list' }, jumpLinks(a.id, incomplete)));
      refresh();
      return false;
    }
    return answers.length;
  }
  // A file chosen but not attached would be lost silently by a save: say so, and offer both ways.
  // Resolves true to go on saving, false to stop.
  function checkChosenFiles() {
    const chosen = chosenFiles();
    if (!chosen.length) return Promise.resolve(true);
    return new Promise((resolve) => {
      const attachBtn = h('button', { type: 'button', class: 'btn btn-small btn-primary', id: 'attach-then-save' },
        chosen.length === 1 ? 'Attach it, then save' : 'Attach them, then save');
      const skipBtn = h('button', { type: 'button', class: 'btn btn-small', id: 'save-without-files' },
        chosen.length === 1 ? 'Save without it' : 'Save without them');
      showAlert(h('p', null, chosen.length === 1
        ? `You chose the file “${chosen[0].file.name}” for ${chosen[0].control.label || chosen[0].control.id} but did not attach it. Saving does not attach it.`
        : `You chose ${chosen.length} files but did not attach them; saving does not attach them:`),
      chosen.length > 1 ? h('ul', null, chosen.map((x) => h('li', null, `“${x.file.name}” for ${x.control.label || x.control.id}`))) : null,
      h('p', { class: 'form-actions' }, attachBtn, skipBtn));
      attachBtn.focus();
      attachBtn.addEventListener('click', async () => {
        attachBtn.disabled = true;
        skipBtn.disabled = true;
        let ok = true;
        for (const x of chosen) ok = (await x.attach()) && ok;
        if (!ok) {
          showAlert('A file could not be attached: see the message at its control. Nothing was saved yet.');
          resolve(false);
          return;
        }
        showAlert('');
        resolve(true);
      });
      skipBtn.addEventListener('click', () => {
        for (const x of chosen) x.clear();
        showAlert('');
        resolve(true);
      });
    });
  }
  async function busy(btn, fn) {
    saveBtn.disabled = true;
    submitBtn.disabled = true;
    const hadFocus = document.activeElement === btn;
    btn.setAttribute('aria-busy', 'true');
    try {
      await fn();
    } catch (e) {
      showAlert(plainError(e));
      if (e.status === 409 || e.status === 404) status.textContent = 'Reload the page to see the current state.';
    } finally {
      if (saveBtn.isConnected) {
        saveBtn.disabled = false;
        submitBtn.disabled = false;
        btn.removeAttribute('aria-busy');
        if (hadFocus && (!document.activeElement || document.activeElement === document.body)) btn.focus();
      }
    }
  }
  // An incomplete assessment: which controls are missing, in words, with links to them.
  function missingAlert(el, missing) {
    const list = missing.map((c) => data.controls.find((x) => x.id === c.id) || c);
    replace(el,
      h('p', null, `${list.length === 1 ? '1 control is' : `${list.length} controls are`} not answered yet, so the assessment cannot be submitted: `,
        list.slice(0, JUMP_MAX).map((c) => `${c.label || c.id} ${c.title}`).join('; '),
        list.length > JUMP_MAX ? `; and ${list.length - JUMP_MAX} more` : '', '.'),
      h('p', null, 'Answer each one (choose “Not applicable” where a control does not apply to your organisation), then submit.'),
      h('ul', { class: 'jump-list', id: 'missing-list' }, jumpLinks(a.id, list)));
    el.hidden = false;
  }
  const doSave = (fromKeyboard) => busy(saveBtn, async () => {
    showAlert('');
    const keep = fromKeyboard ? document.activeElement : null;
    if (!(await checkChosenFiles())) return;
    if (keep && keep.isConnected && document.activeElement !== keep) keep.focus({ preventScroll: true });
    const n = await saveDraft();
    if (n === false) return;
    if (n === true) { status.dataset.saved = 'Nothing to save: no answer changed.'; refresh(); return; }
    await reload(`Draft saved: ${plural(n, 'answer')}.`, 'save-draft');
  });
  saveBtn.addEventListener('click', () => doSave(false));
  submitBtn.addEventListener('click', () => busy(submitBtn, async () => {
    showAlert('');
    if (!(await checkChosenFiles())) return;
    const n = await saveDraft();
    if (n === false) return;
    const missing = data.controls.filter((c) => !isAnswered(c.id));
    if (missing.length) {
      const show = () => { const al = document.getElementById('assessment-alert'); if (al) missingAlert(al, missing); };
      if (typeof n === 'number') await reload(`Draft saved: ${plural(n, 'answer')}.`, 'submit-assessment', show);
      else show();
      return;
    }
    try {
      await post(`/api/v1/assessments/${a.id}/submit`);
    } catch (e) {
      if (typeof n === 'number') {
        // the draft was saved even though submitting failed: show the saved state and the reason
        await reload(`Draft saved: ${plural(n, 'answer')}.`, null, () => {
          const al = document.getElementById('assessment-alert');
          if (al) { al.textContent = plainError(e); al.hidden = false; }
        });
        return;
      }
      throw e;
    }
    await reload(`Submitted. ${who.parentName === 'the CERT above' ? 'Your CERT' : who.parentName} will review it; you will see its decision here.`, 'assessment-message');
  }));

  // ---------- history ----------
  const historyBody = (items) => (items.length
    ? h('ol', { class: 'history-list', id: 'history-list', reversed: true }, items.slice().reverse().map((e) => h('li', { class: 'history-item', dataset: { action: e.action } },
      h('span', { class: 'history-what' }, HISTORY_LABELS[e.action] || e.action, e.control_id ? h('span', { class: 'control-label' }, controlLabel(e.control_id, labels)) : null),
      e.comment ? h('span', { class: 'history-comment' }, e.comment) : null,
      h('span', { class: 'history-meta' }, `${e.actor || '—'} · ${fmtTime(e.at)}`))))
    : h('p', { class: 'muted' }, 'Nothing has happened yet.'));
  const historyPanel = h('section', { class: 'panel history', 'aria-labelledby': 'h-history' },
    h('h2', { id: 'h-history' }, 'History'), historyBody(historyItems));
  // After an upload: the new step, without rebuilding the form (unsaved answers stay).
  async function refreshHistory() {
    try {
      const hist = await get(`/api/v1/assessments/${a.id}/history`, { limit: 500 });
      if (historyPanel.isConnected) replace(historyPanel, h('h2', { id: 'h-history' }, 'History'), historyBody(hist.items || []));
    } catch (ignored) { /* the history shows on the next load */ }
  }

  // ---------- plan of action and milestones ----------
  const reviewed = a.status === 'accepted' || a.status === 'returned';
  const gaps = reviewed ? data.controls.filter((c) => c.answer && GAP_STATUSES.has(c.answer.status)) : [];
  const plans = new Map((data.poam || []).map((p) => [p.control_id, p]));
  const mayPlan = canFill(a);
  function gapRow(c) {
    const plan = plans.get(c.id) || {};
    const base = `poam-${c.id}`;
    const head = h('h3', { class: 'sub-h' }, h('span', { class: 'control-label' }, c.label || c.id), ' ', c.title,
      ' ', h('span', { class: ['answer-status', `as-${c.answer.status}`] }, ANSWER_LABELS[c.answer.status] || c.answer.status));
    if (!mayPlan) {
      return h('li', { class: 'poam-item', dataset: { controlId: c.id } }, head,
        plan.owner || plan.due_date || plan.weakness
          ? h('dl', { class: 'facts facts-inline' },
            h('dt', null, 'Owner'), h('dd', null, plan.owner || '—'),
            h('dt', null, 'Due'), h('dd', null, plan.due_date ? fmtDate(plan.due_date) : '—'),
            h('dt', null, 'What will be done'), h('dd', null, plan.weakness || '—'))
          : h('p', { class: 'muted' }, 'Not planned yet.'));
    }
    const owner = h('input', { type: 'text', id: `${base}-owner`, maxlength: 200, value: plan.owner || '', autocomplete: 'off' });
    const due = h('input', { type: 'date', id: `${base}-due`, value: plan.due_date || '' });
    const weakness = h('textarea', { id: `${base}-weakness`, rows: 2, maxlength: 4000, placeholder: 'What is missing, and what will be done about it' });
    weakness.value = plan.weakness || '';
    const save = h('button', { type: 'button', class: 'btn btn-small', id: `${base}-save` }, 'Save plan', h('span', { class: 'sr-only' }, ` for ${c.label || c.id}`));
    const note = h('p', { class: 'form-status-line', role: 'status', id: `${base}-status` });
    const err = h('p', { class: 'field-error', id: `${base}-error`, hidden: true });
    save.addEventListener('click', async () => {
      err.hidden = true;
      note.textContent = '';
      save.disabled = true;
      const v = (el) => (el.value.trim() ? el.value.trim() : null);
      try {
        await api('PUT', `/api/v1/assessments/${encodeURIComponent(a.id)}/poam/${encodeURIComponent(c.id)}`,
          { owner: v(owner), due_date: v(due), weakness: v(weakness) });
        note.textContent = v(owner) || v(due) || v(weakness) ? 'Plan saved.' : 'Plan cleared.';
        refreshHistory();
      } catch (e) {
        err.textContent = plainError(e, 'The plan could not be saved.');
        err.hidden = false;
      } finally {
        save.disabled = false;
      }
    });
    return h('li', { class: 'poam-item', dataset: { controlId: c.id } }, head,
      h('div', { class: 'poam-fields' },
        h('div', { class: 'field' }, h('label', { for: owner.id }, 'Owner (a person or a role)'), owner),
        h('div', { class: 'field' }, h('label', { for: due.id }, 'Due date'), due)),
      h('div', { class: 'field' }, h('label', { for: weakness.id }, 'What will be done'), weakness),
      h('p', { class: 'form-actions' }, save), note, err);
  }
  const poam = gaps.length ? h('section', { class: 'panel poam', id: 'poam-panel', 'aria-labelledby': 'h-poam' },
    h('h2', { id: 'h-poam' }, 'Plan of action and milestones'),
    h('p', null, `${plural(gaps.length, 'control')} not fully in place. `,
      mayPlan ? 'Say who owns each gap, by when, and what will be done.' : `${a.org_name} plans what will be done about each.`),
    h('p', null, h('a', { href: `/api/v1/assessments/${encodeURIComponent(a.id)}/poam`, download: `poam-${a.id}.json`, id: 'poam-download', class: 'btn btn-small' }, 'Download POA&M (OSCAL)')),
    h('ol', { class: 'poam-list', id: 'poam-list' }, gaps.map(gapRow))) : null;

  // ---------- page ----------
  const facts = h('dl', { class: 'facts facts-inline', id: 'assessment-facts' },
    h('dt', null, 'Status'), h('dd', { dataset: { field: 'status' } }, statusTag(a.status)),
    h('dt', null, 'Due'), h('dd', { dataset: { field: 'due' } }, fmtDate(a.due_date)),
    h('dt', null, 'Score'), h('dd', { dataset: { field: 'score' } }, fmtScore(a.score)),
    h('dt', null, 'Sharing'), h('dd', null, tlpBadge(a.tlp)));
  const actions = fill ? h('div', { class: 'action-bar', role: 'region', 'aria-label': 'Completion and actions' },
    bar,
    h('div', { class: 'action-buttons' }, saveBtn, submitBtn),
    status)
    : h('div', { class: 'action-bar action-bar-ro' }, bar);
  append(section,
    pageHead({
      path: [['#/assessments', 'Assessments']], here: a.campaign_title,
      eyebrow: `Self-assessment · ${a.org_name}`, title: a.campaign_title, titleId: 'assessment-title',
    }, facts),
    notices,
    alert,
    actions,
    attention,
    poam,
    h('div', { class: 'assessment-layout' },
      h('form', { class: 'assessment-form', id: 'assessment-form', 'aria-label': `Assessment of ${a.org_name}`, novalidate: true }, sections),
      historyPanel),
    fill ? h('p', { class: 'hint' }, 'Keyboard: Tab moves between controls; arrow keys choose a status; Enter on a domain heading folds it; Ctrl+S saves the draft.') : null);

  const formEl = section.querySelector('#assessment-form');
  formEl.addEventListener('submit', (ev) => ev.preventDefault());
  if (fill) {
    formEl.addEventListener('keydown', (ev) => {
      if ((ev.ctrlKey || ev.metaKey) && (ev.key === 's' || ev.key === 'S')) {
        ev.preventDefault();
        if (!saveBtn.disabled) doSave(true);
      }
    });
  }
  if (message) status.dataset.saved = message;
  refresh();
}
