// One incident (#/incidents/{id}): its clocks as a strip (what is due next and when, what is
// overdue, what was met and whether late), the actions the caller may take — exactly the statuses of
// `you.next_statuses`, Acknowledge when `you.may_acknowledge`, Escalate (asking the reason) when
// `you.may_escalate`, merge for the handling CERT —, the details with the TLP badge, the handling
// history, the timeline with a comment box, tasks, links, files and the notification / final report.
import {
  h, replace, plural, fmtTime, fmtDate, loadInto, loadFirst, banner, confirmDialog, plainError, dataTable, uid, pageHead,
} from './dom.js';
import {
  get, post, patch, upload, listAll,
} from './api.js';
import { field, form, fieldError } from './forms.js';
import { state, can, provinceLabel } from './state.js';
import {
  severityTag, statusBadge, tlpBadge, statusAction, statusLabel, clockStrip, severityLabel, SEVERITIES, tlpMeaning,
  HANDLING_RULES, partyOf, OPEN_STATUSES, untilWords, overdueTag,
} from './incidents.js';

const MAX_FILE = 10 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bytesWords(n) {
  if (n < 1024) return plural(n, 'byte');
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// Another incident from what a person types: its id, its reference (INC-000042 or 42), or words
// that match exactly one incident's title. -> {id, reference, title} or throws an Error with words.
export async function findIncident(text) {
  const t = String(text || '').trim();
  if (!t) throw Object.assign(new Error('Give the other incident’s reference, like INC-000042.'), { plain: true });
  if (UUID.test(t)) return get(`/api/v1/incidents/${t.toLowerCase()}`);
  const m = /^(?:inc-?)?0*(\d+)$/i.exec(t);
  if (m) {
    const want = Number(m[1]);
    // The list's q finds the incident a reference names (INC-000042).
    const page = await get('/api/v1/incidents', { q: `INC-${want}`, limit: 1 });
    if (page.items.length === 1) return page.items[0];
    throw Object.assign(new Error(`No incident ${`INC-${String(want).padStart(6, '0')}`} that you may read.`), { plain: true });
  }
  const page = await get('/api/v1/incidents', { q: t, limit: 5 });
  if (page.items.length === 1) return page.items[0];
  throw Object.assign(new Error(page.items.length
    ? `${page.items.length}${page.next_cursor ? ' or more' : ''} incidents match these words; give the reference (like ${page.items[0].reference}).`
    : 'No incident you may read matches; give its reference, like INC-000042.'), { plain: true });
}

function factsList(rows, id) {
  return h('dl', { class: 'facts incident-facts', id }, rows.filter(Boolean).map(([k, v, key]) => [h('dt', null, k), h('dd', { dataset: { field: key } }, v)]));
}

function handlingItem(p, inc) {
  const ackLate = p.acknowledged_at && p.ack_due && p.acknowledged_at > p.ack_due;
  let ack;
  if (p.acknowledged_at) ack = `Acknowledged ${fmtTime(p.acknowledged_at)}${p.acknowledged_by ? ` by ${p.acknowledged_by}` : ''}${ackLate ? ' (late)' : ' (in time)'}.`;
  else if (p.until) ack = 'Handed on before it was acknowledged.';
  else if (!p.ack_due) ack = 'No acknowledgement deadline.';
  else ack = `Not acknowledged yet; due ${fmtTime(p.ack_due)} (${untilWords(p.ack_due)}).`;
  const why = p.rule === 'reported' ? `${p.reason ? p.reason.replace(/^./, (x) => x.toUpperCase()).replace(/ org$/, ' organisation') : 'Reported'}.`
    : `${(HANDLING_RULES[p.rule] || p.rule).replace(/^./, (x) => x.toUpperCase())}${p.reason ? `: “${p.reason}”` : ''}.`;
  return h('li', { class: ['handling-item', p.until ? null : 'is-current'], dataset: { org: p.org_name, rule: p.rule } },
    h('span', { class: 'handling-org' }, p.org_name, p.until ? null : h('span', { class: 'tag tag-info' }, 'now')),
    h('span', { class: 'handling-when' }, p.until ? `From ${fmtTime(p.since)} to ${fmtTime(p.until)}` : `Since ${fmtTime(p.since)}`),
    h('span', { class: 'handling-why' }, why),
    h('span', { class: ['handling-ack', !p.acknowledged_at && !p.until && inc.overdue ? 'overdue' : null] }, ack));
}

const TIMELINE_WORDS = {
  reported: 'Reported', acknowledged: 'Acknowledged', escalated: 'Escalated', status: 'Status changed', comment: 'Comment',
  updated: 'Changed', merged: 'Merged', link: 'Linked', linked: 'Linked', task_added: 'Task added', task_done: 'Task done',
  task: 'Task', attached: 'File attached', report: 'Report filed', report_stage: 'Report filed', tlp: 'TLP changed', shared: 'Shared',
};
function timelineWhat(e) {
  const w = TIMELINE_WORDS[e.action] || `${e.action.charAt(0).toUpperCase()}${e.action.slice(1).replace(/_/g, ' ')}`;
  return e.part ? `${w}: ${String(e.part).replace(/_/g, ' ')}` : w;
}

// findIncident for a form's field: what it cannot find is said at the field. -> the incident or null.
async function findIncidentAt(formEl, name, text) {
  try {
    return await findIncident(text);
  } catch (err) {
    if (!err.plain) throw err;
    fieldError(formEl, name, err.message);
    return null;
  }
}

// A panel listing what the incident has (its timeline, tasks, links, files): the heading and a box
// with the loading, empty and failure states (loadInto). `path` is read whole (listAll).
// -> [the section, load()] (load() again after a change).
function listPanel(key, title, {
  what, path, empty, render,
}) {
  const box = h('div', { class: 'state-box' });
  const panel = h('section', { class: 'panel', 'aria-labelledby': `h-${key}`, id: `${key}-panel` },
    h('div', { class: 'panel-h' }, h('h2', { id: `h-${key}` }, title)), box);
  const load = () => loadInto(box, {
    what, load: () => listAll(path), isEmpty: (items) => !items.length, empty, render,
  });
  return [panel, load];
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  const me = state.me;
  const inc = await loadFirst(section, 'the incident', () => get(`/api/v1/incidents/${id}`), { title: 'Incident', titleOf: (i) => `${i.reference} · Incidents` });
  if (!inc) return;
  const you = inc.you || {};
  const party = partyOf(inc);
  const reload = () => ctx.navigate(`#/incidents/${id}`);
  const open = OPEN_STATUSES.includes(inc.status);

  // ---------- head ----------
  section.append(
    ...pageHead({
      path: [['#/incidents', 'Incidents']], here: inc.reference, className: 'incident-head',
      eyebrow: [inc.reference, ' · ', inc.rsit_class_label, ' / ', inc.rsit_type_label],
      title: inc.title,
      titleId: 'incident-title',
    },
      h('p', { class: 'incident-badges', id: 'incident-badges' },
        severityTag(inc.severity), statusBadge(inc.status), tlpBadge(inc.tlp),
        inc.cii_involved ? h('span', { class: 'tag badge-cii' }, 'CII involved') : null,
        inc.overdue ? overdueTag() : null),
      h('p', { class: 'lede', id: 'handled-by' },
        inc.status === 'merged' && inc.merged_into
          ? ['Merged into ', h('a', { href: `#/incidents/${inc.merged_into}` }, 'another incident'), '; follow it there.']
          : [h('strong', null, inc.handling_org_name), ` handles it${inc.handling_since ? ` since ${fmtTime(inc.handling_since)}` : ''}`,
            inc.acknowledged_at ? `; acknowledged ${fmtTime(inc.acknowledged_at)}.` : (open ? '; not acknowledged yet.' : '.')])));

  // ---------- actions ----------
  const actions = h('div', { class: 'action-buttons', id: 'incident-actions' });
  if (you.may_acknowledge) {
    const b = h('button', { type: 'button', class: 'btn btn-primary', id: 'ack-btn' }, 'Acknowledge');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await post(`/api/v1/incidents/${id}/acknowledge`, {});
        banner(`${inc.reference} is acknowledged by ${me.org.name}${inc.status === 'new' ? ' and now triaged' : ''}.`, { tone: 'ok', next: true });
        reload();
      } catch (err) { b.disabled = false; banner(plainError(err), { tone: 'error' }); }
    });
    actions.append(b);
  }
  for (const to of you.next_statuses || []) {
    const label = statusAction(inc.status, to);
    const b = h('button', { type: 'button', class: ['btn', to === 'rejected' ? 'btn-danger-quiet' : null], dataset: { status: to } }, label);
    b.addEventListener('click', async () => {
      const noteId = uid('status-note');
      const note = h('textarea', { id: noteId, rows: 3, maxlength: 4000 });
      const ok = await confirmDialog({
        title: `${label}: ${inc.reference}?`,
        body: [
          `The incident becomes “${statusLabel(to)}”. Everyone who may read it sees the change in its timeline.`,
          h('div', { class: 'field' }, h('label', { for: noteId }, 'Comment (optional)'), note),
        ],
        confirm: label, danger: to === 'rejected', name: 'status',
      });
      if (!ok) return;
      try {
        const body = { status: to };
        if (note.value.trim()) body.comment = note.value.trim();
        await patch(`/api/v1/incidents/${id}`, body);
        banner(`${inc.reference} is now ${statusLabel(to).toLowerCase()}.`, { tone: 'ok', next: true });
        reload();
      } catch (err) { banner(plainError(err), { tone: 'error' }); }
    });
    actions.append(b);
  }
  // The server's may_escalate is false at the National CERT, which has no CERT above; the checks
  // here keep the button away there and from TLP:AMBER+STRICT and RED incidents, never escalated.
  const mayEscalate = you.may_escalate && !!me.org.parent_id && !['AMBER+STRICT', 'RED'].includes(inc.tlp);
  if (mayEscalate) {
    const b = h('button', { type: 'button', class: 'btn', id: 'escalate-btn' }, 'Escalate');
    b.addEventListener('click', async () => {
      const rid = uid('reason');
      const reason = h('textarea', { id: rid, rows: 3, maxlength: 4000, required: true });
      const ok = await confirmDialog({
        title: `Escalate ${inc.reference}?`,
        body: [
          'The CERT above yours gets it in its inbox and handles it from now on; its acknowledgement clock starts. Your CERT keeps reading it.',
          h('div', { class: 'field' }, h('label', { for: rid, class: 'is-required' }, 'Why it is escalated'), reason),
        ],
        confirm: 'Escalate', name: 'escalate',
      });
      if (!ok) return;
      try {
        const after = await post(`/api/v1/incidents/${id}/escalate`, { reason: reason.value.trim() });
        banner(`${inc.reference} is escalated: ${after.handling_org_name} handles it now.`, { tone: 'ok', next: true });
        reload();
      } catch (err) { banner(plainError(err), { tone: 'error' }); }
    });
    actions.append(b);
  }
  if (!actions.children.length) {
    actions.append(h('p', { class: 'muted', id: 'no-actions' }, open
      ? `${inc.handling_org_name} moves this incident on; ${party ? 'you can comment, add tasks, files and reports below.' : 'you can follow it here.'}`
      : `This incident is ${statusLabel(inc.status).toLowerCase()}.`));
  }

  // ---------- clocks ----------
  const clocks = h('section', { class: 'panel', 'aria-labelledby': 'h-clocks', id: 'clocks-panel' },
    h('div', { class: 'panel-h' }, h('h2', { id: 'h-clocks' }, 'Deadlines')),
    h('p', { class: 'say', id: 'clock-summary' }, inc.overdue
      ? h('strong', { class: 'overdue' }, 'Something is overdue. ')
      : null,
    inc.next_due ? `Next: ${clockWordsShort(inc.next_due)}.` : 'Nothing is due.'),
    clockStrip(inc),
    h('p', { class: 'hint' }, `From the reporting policy for a ${severityLabel(inc.severity).toLowerCase()} incident handled by this CERT; `, h('a', { href: '#/reporting-policy' }, 'see the deadlines'), '.'));

  // ---------- details ----------
  const sev = SEVERITIES.find((x) => x.value === inc.severity);
  const details = h('section', { class: 'panel', 'aria-labelledby': 'h-details' },
    h('div', { class: 'panel-h' }, h('h2', { id: 'h-details' }, 'Details')),
    factsList([
      ['Kind', `${inc.rsit_class_label} / ${inc.rsit_type_label}`, 'rsit'],
      ['Severity', [severityTag(inc.severity), sev ? ` ${sev.meaning}` : ''], 'severity'],
      ['Affected', [h('a', { href: `#/orgs/${inc.org_id}` }, inc.org_name), inc.province ? ` · ${provinceLabel(inc.province)}` : ''], 'org'],
      ['Reported by', `${inc.owner_name}${inc.reported_by ? ` (${inc.reported_by})` : ''}`, 'owner'],
      ['Detected', fmtTime(inc.detected_at), 'detected_at'],
      ['Reported', fmtTime(inc.reported_at), 'reported_at'],
      ['CII involved', inc.cii_involved ? 'Yes' : 'No', 'cii'],
      ['Affected services', inc.affected_services || '—', 'services'],
      ['Who may see it', [tlpBadge(inc.tlp), ` ${tlpMeaning(inc.tlp)}`], 'tlp'],
      inc.escalations ? ['Escalations', String(inc.escalations), 'escalations'] : null,
    ], 'incident-facts'),
    inc.description ? [h('h3', { class: 'sub-h' }, 'What happened'), h('p', { class: 'prose incident-desc' }, inc.description)] : null);

  // ---------- handling history ----------
  const history = h('section', { class: 'panel', 'aria-labelledby': 'h-handling' },
    h('div', { class: 'panel-h' }, h('h2', { id: 'h-handling' }, 'Who handled it')),
    h('ol', { class: 'handling-list', id: 'handling-history' }, (inc.handling_history || []).map((p) => handlingItem(p, inc))));

  // ---------- reports ----------
  let reports = null;
  if (party && inc.status !== 'merged') {
    const byClock = Object.fromEntries((inc.clocks || []).map((c) => [c.clock, c]));
    const done = (k) => byClock[k] && (byClock[k].state === 'met' || byClock[k].state === 'met_late');
    const fStage = field({
      name: 'stage', label: 'Report', type: 'select', value: done('notification') ? 'final_report' : 'notification',
      options: [
        { value: 'notification', label: `Incident notification${done('notification') ? ' (filed; send an update)' : ''}` },
        { value: 'final_report', label: `Final report${done('final_report') ? ' (filed; send an update)' : ''}` },
      ],
    });
    const fText = field({ name: 'text', label: 'Text', type: 'textarea', rows: 4, required: true, hint: 'What is known now: impact, cause, what was done. The first filing meets the deadline.' });
    reports = h('section', { class: 'panel', 'aria-labelledby': 'h-reports', id: 'reports-panel' },
      h('div', { class: 'panel-h' }, h('h2', { id: 'h-reports' }, 'File a report')),
      form({
        ariaLabel: 'File a report', submitLabel: 'File the report',
        async onSubmit(v) {
          await post(`/api/v1/incidents/${id}/reports`, { stage: v.stage, text: v.text });
          banner(`The ${v.stage === 'notification' ? 'incident notification' : 'final report'} of ${inc.reference} is filed.`, { tone: 'ok', next: true });
          reload();
        },
      }, fStage, fText));
  }

  // ---------- timeline ----------
  const [timeline, loadTimeline] = listPanel('timeline', 'Timeline', {
    what: 'the timeline',
    path: `/api/v1/incidents/${id}/timeline`,
    empty: 'Nothing has happened to this incident yet.',
    render: (items) => h('ol', { class: 'history-list timeline', id: 'timeline' }, items.map((e) => h('li', { class: 'history-item', dataset: { action: e.action, seq: e.seq } },
      h('span', { class: 'history-what' }, timelineWhat(e)),
      e.comment ? h('span', { class: 'history-comment' }, e.comment) : null,
      h('span', { class: 'history-meta' }, `${e.actor || '—'} · ${fmtTime(e.at)}`)))),
  });
  if (can('report')) {
    const fComment = field({ name: 'text', label: 'Add a comment', type: 'textarea', rows: 3, maxlength: 4000 });
    timeline.append(form({
      class: 'comment-form', ariaLabel: 'Add a comment', submitLabel: 'Add comment',
      async onSubmit(v, el) {
        await post(`/api/v1/incidents/${id}/comments`, { text: v.text });
        el.reset();
        el.statusEl.textContent = 'Your comment is in the timeline.';
        loadTimeline();
      },
    }, fComment));
  }

  // ---------- tasks ----------
  const [tasks, loadTasks] = listPanel('tasks', 'Tasks', {
    what: 'the tasks',
    path: `/api/v1/incidents/${id}/tasks`,
    empty: party ? 'No task yet. Add one below for an organisation that may read the incident.' : 'No task yet.',
    render(items) {
      const table = dataTable({
        id: 'tasks-table', compact: true, caption: 'Tasks of this incident', cols: ['Task', 'For', 'Due', 'Done'],
        body: items.map((tk) => {
          const mayMark = can('report') && (party || tk.assignee_org_id === me.org.id);
          let cell = tk.done ? `Done ${fmtDate(tk.done_at)}${tk.done_by ? ` by ${tk.done_by}` : ''}` : 'Open';
          if (mayMark) {
            const b = h('button', { type: 'button', class: ['btn', 'btn-small', tk.done ? null : 'btn-primary'], 'aria-label': `${tk.done ? 'Reopen' : 'Mark done'}: ${tk.title}` }, tk.done ? 'Reopen' : 'Mark done');
            b.addEventListener('click', async () => {
              b.disabled = true;
              try {
                await patch(`/api/v1/incidents/${id}/tasks/${tk.id}`, { done: !tk.done });
                loadTasks();
              } catch (err) { b.disabled = false; banner(plainError(err), { tone: 'error' }); }
            });
            cell = [tk.done ? h('span', { class: 'cell-sub' }, cell) : null, b];
          }
          return h('tr', { dataset: { taskId: tk.id, done: tk.done ? 'true' : 'false' } },
            h('td', { class: 'card-title' }, tk.title),
            h('td', null, tk.assignee_org_name || '—'),
            h('td', { class: tk.overdue ? 'overdue' : null }, tk.due_date ? fmtDate(tk.due_date) : '—', tk.overdue ? [' ', overdueTag()] : null),
            h('td', { class: mayMark ? 'actions' : null }, cell));
        }),
      });
      return h('div', { class: 'table-wrap' }, table);
    },
  });
  if (party && open) {
    const assignees = new Map();
    const add = (oid, name) => { if (oid && name && !assignees.has(oid)) assignees.set(oid, name); };
    add(inc.handling_org_id, inc.handling_org_name);
    add(inc.org_id, inc.org_name);
    add(inc.owner_org, inc.owner_name);
    const fTitle = field({ name: 'title', label: 'What is to be done', required: true, maxlength: 500, autocomplete: 'off' });
    const fWho = field({ name: 'assignee_org_id', label: 'For', type: 'select', value: inc.org_id, options: [] });
    const fDue = field({ name: 'due_date', label: 'Due', type: 'date' });
    const fillWho = () => replace(fWho.control, [...assignees].map(([oid, name]) => h('option', { value: oid, selected: oid === inc.org_id ? true : null }, name)));
    fillWho();
    get(`/api/v1/incidents/${id}/grants`).then((g) => {
      for (const x of g.items || []) add(x.org_id, x.org_name);
      if (fWho.control.isConnected) { const v = fWho.control.value; fillWho(); fWho.control.value = v; }
    }).catch(() => {});
    tasks.append(h('h3', { class: 'sub-h' }, 'Add a task'), form({
      class: 'task-form', ariaLabel: 'Add a task', submitLabel: 'Add task',
      async onSubmit(v, el) {
        const body = { title: v.title.trim(), assignee_org_id: v.assignee_org_id || undefined };
        if (v.due_date) body.due_date = v.due_date;
        const tk = await post(`/api/v1/incidents/${id}/tasks`, body);
        el.reset();
        el.statusEl.textContent = `Task added for ${tk.assignee_org_name || 'no one yet'}; it is in their inbox.`;
        loadTasks();
      },
    }, fTitle, h('div', { class: 'row-2' }, fWho, fDue),
    h('p', { class: 'hint' }, 'Only organisations that may read this incident can be given a task.')));
  }

  // ---------- links ----------
  const [links, loadLinks] = listPanel('links', 'Related incidents', {
    what: 'the related incidents',
    path: `/api/v1/incidents/${id}/links`,
    empty: 'No related incident is linked.',
    render: (items) => h('ul', { class: 'link-list', id: 'links-list' }, items.map((l) => h('li', { dataset: { incidentId: l.incident_id } },
      h('a', { href: `#/incidents/${l.incident_id}` }, `${l.reference}: ${l.title}`),
      severityTag(l.severity), statusBadge(l.status),
      h('span', { class: 'muted' }, `${provinceLabel(l.province)}${l.reason ? ` · ${l.reason}` : ''}`)))),
  });
  if (can('report') && inc.status !== 'merged') {
    const fOther = field({ name: 'incident_id', label: 'Related incident', required: true, autocomplete: 'off', hint: 'Its reference (like INC-000042) or id.' });
    const fReason = field({ name: 'reason', label: 'How they are related', maxlength: 4000, autocomplete: 'off' });
    links.append(h('h3', { class: 'sub-h' }, 'Link an incident'), form({
      class: 'link-form', ariaLabel: 'Link a related incident', submitLabel: 'Link',
      async onSubmit(v, el) {
        const other = await findIncidentAt(el, 'incident_id', v.incident_id);
        if (!other) return;
        const cross = other.province && inc.province && other.province !== inc.province;
        await post(`/api/v1/incidents/${id}/links`, { incident_id: other.id, reason: v.reason.trim() || undefined });
        if (cross) {
          const now = await get(`/api/v1/incidents/${id}`).catch(() => null);
          const moved = now && now.handling_org_id !== inc.handling_org_id;
          banner(`${inc.reference} is linked to ${other.reference} in ${provinceLabel(other.province)}${moved
            ? `: incidents across provinces go up, so ${now.handling_org_name} handles it now.`
            : '. Both were already with the CERT that coordinates across provinces.'}`, { tone: 'ok', next: true });
          reload();
          return;
        }
        el.reset();
        el.statusEl.textContent = `Linked to ${other.reference}.`;
        loadLinks();
      },
    }, h('div', { class: 'row-2' }, fOther, fReason),
    h('p', { class: 'hint', id: 'link-note' }, 'Linking to an incident in another province escalates both to the CERT above (the National CERT, for provinces).')));
  }

  // ---------- attachments ----------
  const [files, loadFiles] = listPanel('files', 'Files', {
    what: 'the files',
    path: `/api/v1/incidents/${id}/attachments`,
    empty: 'No file is attached.',
    render: (items) => h('ul', { class: 'link-list file-list', id: 'files-list' }, items.map((f) => h('li', { dataset: { fileId: f.id, sha256: f.sha256 } },
      h('a', { href: `/api/v1/incidents/${id}/attachments/${f.id}`, download: f.filename }, f.filename),
      h('span', { class: 'muted' }, `${bytesWords(f.size)} · ${f.created_by || '—'} · ${fmtTime(f.created_at)}`),
      h('span', { class: 'hash-full file-hash' }, `SHA-256 ${f.sha256}`)))),
  });
  if (can('report') && inc.status !== 'merged') {
    const inputId = uid('file');
    const input = h('input', { type: 'file', id: inputId, name: 'file', 'aria-describedby': `${inputId}-hint ${inputId}-error` });
    const hint = h('p', { class: 'hint', id: `${inputId}-hint` }, 'At most 10 MiB per file and 50 files per incident. Everyone who may read the incident may download it.');
    const err = h('p', { class: 'field-error', id: `${inputId}-error`, hidden: true });
    const up = h('button', { type: 'button', class: 'btn', id: 'upload-btn' }, 'Attach');
    const out = h('p', { class: 'form-status', role: 'status' });
    up.addEventListener('click', async () => {
      err.hidden = true;
      out.textContent = '';
      const file = input.files && input.files[0];
      if (!file) { err.textContent = 'Choose a file first.'; err.hidden = false; input.focus(); return; }
      if (file.size > MAX_FILE) { err.textContent = `${file.name} is ${bytesWords(file.size)}: a file may be at most 10 MiB.`; err.hidden = false; input.focus(); return; }
      up.disabled = true;
      try {
        const meta = await upload(`/api/v1/incidents/${id}/attachments`, { filename: file.name }, file);
        input.value = '';
        out.textContent = `${meta.filename} is attached (${bytesWords(meta.size)}).`;
        loadFiles();
      } catch (e) {
        err.textContent = e && e.status === 413 ? `${file.name} is too large: a file may be at most 10 MiB.` : plainError(e);
        err.hidden = false;
      } finally { up.disabled = false; }
    });
    files.append(h('div', { class: 'field upload-field' }, h('label', { for: inputId }, 'Attach a file'), input, hint, err), h('div', { class: 'form-actions' }, up), out);
  }

  // ---------- merge ----------
  let merge = null;
  if (you.handling && can('triage') && open) {
    const fInto = field({ name: 'into', label: 'The incident it duplicates', required: true, autocomplete: 'off', hint: 'Its reference (like INC-000042) or id; it must be open.' });
    const fWhy = field({ name: 'reason', label: 'Why', maxlength: 4000, autocomplete: 'off' });
    merge = h('details', { class: 'panel merge-panel', id: 'merge-panel' },
      h('summary', null, h('h2', { class: 'inline-h' }, 'Merge into another incident')),
      h('p', { class: 'hint' }, 'When this is a duplicate: it becomes “Merged”, both timelines say so and the two are linked.'),
      form({
        class: 'merge-form', ariaLabel: 'Merge into another incident', submitLabel: 'Merge',
        async onSubmit(v, el) {
          const other = await findIncidentAt(el, 'into', v.into);
          if (!other) return;
          const ok = await confirmDialog({
            title: `Merge ${inc.reference} into ${other.reference}?`,
            body: `${inc.reference} becomes “Merged” and is followed in ${other.reference} (“${other.title}”). This cannot be undone.`,
            confirm: 'Merge', danger: true, name: 'merge',
          });
          if (!ok) return;
          await post(`/api/v1/incidents/${id}/merge`, { into: other.id, reason: v.reason.trim() || undefined });
          banner(`${inc.reference} is merged into ${other.reference}.`, { tone: 'ok', next: true });
          ctx.navigate(`#/incidents/${other.id}`);
        },
      }, h('div', { class: 'row-2' }, fInto, fWhy)));
  }

  section.append(
    h('div', { class: 'action-bar incident-bar' }, actions),
    h('div', { class: 'incident-layout' },
      h('div', { class: 'incident-main' }, clocks, details, tasks, reports, timeline),
      h('div', { class: 'incident-side' }, history, links, files, merge)));
  await Promise.all([loadTimeline(), loadTasks(), loadLinks(), loadFiles()]);
}

function clockWordsShort(c) {
  const name = {
    acknowledge: 'acknowledgement by the handling CERT', early_warning: 'the early warning', notification: 'the incident notification', final_report: 'the final report',
  }[c.clock] || c.clock;
  return `${name}, due ${untilWords(c.due)} (${fmtTime(c.due)})`;
}

