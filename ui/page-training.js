// One training session (#/trainings/{id}): when and where, how it is held, its topics, the
// organisations invited with their people registered and attended by mode, the people (the
// organiser records each one's attendance: in the room or online, as the session's mode allows),
// feedback (1 to 5 with a comment, from the attendee's organisation), materials (links and files)
// and the session as a calendar file. What is offered follows the API: the organiser (the owning
// CERT's analysts and admins) schedules a draft, cancels, invites and records attendance; an
// invited organisation registers its people and gives their feedback.
import {
  h, replace, plural, fmtTime, loadInto, loadFirst, banner, confirmDialog, confirmedClick, plainError, dataTable, uid, pageHead,
} from './dom.js';
import {
  get, post, patch, upload, listAll,
} from './api.js';
import { field, form, fieldError } from './forms.js';
import {
  state, can, loadOrgs, orgIndex, descendants, kindLabel,
} from './state.js';
import {
  modeTag, statusTag, whenWords, whereWords, attendanceWords, JOIN_LABELS, MODES, RATING_WORDS, staffField,
} from './trainings.js';
import { tlpBadge } from './incidents.js';
import { localToRfc } from './page-training-new.js';

const MAX_FILE = 20 * 1024 * 1024;

function panel(key, title, ...body) {
  return h('section', { class: 'panel', 'aria-labelledby': `h-${key}`, id: `${key}-panel` },
    h('div', { class: 'panel-h' }, h('h2', { id: `h-${key}` }, title)), ...body);
}

// "2026-03-12T04:00:00Z" -> "2026-03-12T09:00" (Pakistan time, for a datetime-local field)
function rfcToLocal(iso) {
  const d = new Date(new Date(iso).getTime() + 5 * 3600000);
  return d.toISOString().slice(0, 16);
}

// The organising staff, lead first, each a mailto link: whom an invited organisation asks.
function staffWords(staff) {
  if (!staff || !staff.length) return '—';
  const out = [];
  staff.forEach((p, i) => {
    if (i) out.push(', ');
    out.push(h('a', { href: `mailto:${p.email}`, dataset: { userId: p.id } }, p.name));
    if (i === 0 && staff.length > 1) out.push(' (lead)');
  });
  return out;
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  const me = state.me;
  const t = await loadFirst(section, 'the session', () => get(`/api/v1/trainings/${id}`), { title: 'Training session', titleOf: (x) => `${x.title} · Training` });
  if (!t) return;
  const organiser = t.you.organiser && can('publish');
  const open = t.status === 'scheduled' && !t.held;
  const started = t.starts_at <= new Date().toISOString();
  const mayRegister = open && t.you.invited && can('report');
  const reload = () => ctx.navigate(`#/trainings/${id}`);

  // ---------- head ----------
  const places = t.capacity ? `${t.registered} of ${t.capacity} places taken${t.full ? ' — full' : ''}` : `${plural(t.registered, 'person', 'people')} registered (no limit)`;
  section.append(...pageHead({
    path: [['#/trainings', 'Training sessions']], here: t.title,
    eyebrow: `Organised by ${t.owner_org_name}`, title: t.title, titleId: 'training-title',
  },
  h('p', { class: 'training-badges', id: 'training-badges' }, statusTag(t), ' ', modeTag(t.mode), ' ', tlpBadge(t.tlp)),
  h('p', { class: 'lede', id: 'training-when' }, whenWords(t), ' · ', whereWords(t)),
  h('dl', { class: 'facts facts-inline', id: 'training-facts' },
    h('dt', null, 'Organisers'), h('dd', { dataset: { field: 'staff' }, id: 'training-staff' }, staffWords(t.staff)),
    h('dt', null, 'Invited'), h('dd', { dataset: { field: 'invited' } }, plural(t.invited, 'organisation')),
    h('dt', null, 'Places'), h('dd', { dataset: { field: 'places' } }, places),
    h('dt', null, 'Attendance'), h('dd', { dataset: { field: 'attendance' }, id: 'attendance-words' }, attendanceWords(t)),
    h('dt', null, 'Feedback'), h('dd', { dataset: { field: 'feedback' } }, t.feedback_count ? `mean ${t.feedback_mean} of 5, from ${plural(t.feedback_count, 'attendee')}` : 'none yet'))));

  // ---------- actions ----------
  const actions = h('div', { class: 'action-buttons', id: 'training-actions' },
    h('a', { class: 'btn', href: `/api/v1/trainings/${id}.ics`, download: 'training.ics', id: 'ics-link' }, 'Add to my calendar (.ics)'));
  if (organiser && t.status === 'draft') {
    const b = h('button', { type: 'button', class: 'btn btn-primary', id: 'schedule-btn' }, 'Schedule and send invitations');
    confirmedClick(b, {
      ask: () => ({ title: `Schedule “${t.title}”?`, body: `The ${plural(t.invited, 'invited organisation')} find the invitation in their inbox and may register their people.`, confirm: 'Schedule', name: 'schedule' }),
      act: async () => { await patch(`/api/v1/trainings/${id}`, { status: 'scheduled' }); banner(`“${t.title}” is scheduled; the invitations are sent.`, { tone: 'ok', next: true }); reload(); },
      failed: (err) => banner(plainError(err), { tone: 'error' }),
    });
    actions.append(b);
  }
  if (organiser && t.status === 'scheduled' && !t.held) {
    const b = h('button', { type: 'button', class: 'btn btn-danger-quiet', id: 'cancel-btn' }, 'Cancel the session');
    confirmedClick(b, {
      ask: () => ({ title: `Cancel “${t.title}”?`, body: 'Every invited organisation is told in its inbox. A cancelled session cannot be changed again.', confirm: 'Cancel the session', cancel: 'Keep it', danger: true, name: 'cancel' }),
      act: async () => { await patch(`/api/v1/trainings/${id}`, { status: 'cancelled' }); banner(`“${t.title}” is cancelled.`, { tone: 'ok', next: true }); reload(); },
      failed: (err) => banner(plainError(err), { tone: 'error' }),
    });
    actions.append(b);
  }
  section.append(actions);

  if (t.meeting_url) {
    section.append(h('p', { class: 'notice', id: 'meeting-link' }, 'Join online: ', h('a', { href: t.meeting_url, rel: 'noopener noreferrer', target: '_blank' }, t.meeting_url)));
  }
  if (t.description) section.append(h('p', { class: 'training-desc', id: 'training-desc' }, t.description));

  // ---------- edit (organiser, before the session is over) ----------
  if (organiser && t.status !== 'cancelled' && !t.held) {
    const colleagues = await listAll('/api/v1/me/colleagues');
    const staff = staffField(colleagues, t.staff.map((p) => p.id));
    const f = form({
      class: 'training-edit', ariaLabel: 'Change the session', submitLabel: 'Save changes',
      async onSubmit(v, el) {
        const body = {
          title: v.title.trim(), mode: v.mode, starts_at: localToRfc(v.starts_at), ends_at: localToRfc(v.ends_at),
          venue: v.venue.trim(), meeting_url: v.meeting_url.trim(), description: v.description,
          capacity: v.capacity ? Number(v.capacity) : null,
          staff_user_ids: staff.chosen(v),
        };
        if (!body.staff_user_ids.length) { fieldError(el, 'staff_user_ids', 'Check at least one organiser.'); return; }
        await patch(`/api/v1/trainings/${id}`, body);
        banner('The session is changed; calendars that subscribe get the new version.', { tone: 'ok', next: true });
        reload();
      },
    },
    h('div', { class: 'grid-2' }, field({ name: 'title', label: 'Title', required: true, value: t.title, maxlength: 500 }),
      field({ name: 'mode', label: 'How it is held', type: 'select', value: t.mode, options: MODES.map(([value, label]) => ({ value, label })) })),
    field({ name: 'description', label: 'What it covers', type: 'textarea', rows: 3, value: t.description || '', maxlength: 4000 }),
    h('div', { class: 'grid-2' }, field({ name: 'starts_at', label: 'Starts (Pakistan time)', type: 'datetime-local', value: rfcToLocal(t.starts_at) }),
      field({ name: 'ends_at', label: 'Ends (Pakistan time)', type: 'datetime-local', value: rfcToLocal(t.ends_at) })),
    h('div', { class: 'grid-2' }, field({ name: 'venue', label: 'Venue', value: t.venue || '', maxlength: 500 }),
      field({ name: 'meeting_url', label: 'Meeting link', type: 'url', value: t.meeting_url || '', maxlength: 2000 })),
    field({ name: 'capacity', label: 'Places', type: 'number', min: 1, max: 10000, value: t.capacity || '', hint: 'Empty: no limit.' }),
    staff);
    const d = h('details', { class: 'panel details-panel', id: 'edit-panel', open: t.status === 'draft' },
      h('summary', null, h('h2', { id: 'h-edit' }, t.status === 'draft' ? 'Complete the draft' : 'Change the session')), f);
    section.append(d);
  }

  // ---------- topics ----------
  section.append(panel('topics', 'Topics', t.topics.length
    ? h('ul', { class: 'chips', id: 'topic-list' }, t.topics.map((x) => h('li', { class: 'chip chip-plain', dataset: { topic: x.id } }, x.kind === 'control' ? `${x.label || x.id} · ${x.title}` : x.title)))
    : h('p', { class: 'muted' }, 'No guideline domain named.')));

  // ---------- invited organisations ----------
  const invBox = h('div', { class: 'state-box' });
  const invPanel = panel('invites', 'Invited organisations', invBox);
  section.append(invPanel);
  const invites = await loadInto(invBox, {
    what: 'the invited organisations',
    load: () => listAll(`/api/v1/trainings/${id}/invites`),
    isEmpty: (items) => !items.length,
    empty: organiser ? 'No organisation is invited yet: invite them below.' : 'No organisation is invited yet.',
    render: (items) => dataTable({
      id: 'invites-table', compact: true, caption: 'Invited organisations',
      cols: ['Organisation', 'Registered', 'In the room', 'Online'],
      body: items.map((i) => h('tr', { dataset: { orgId: i.org_id } },
        h('td', { class: 'card-title' }, i.org_name, h('span', { class: 'cell-sub' }, kindLabel(i.org_kind))),
        h('td', null, String(i.registered)), h('td', null, String(i.in_person)), h('td', null, String(i.virtual)))),
    }),
  }) || [];
  if (organiser && t.status !== 'cancelled') {
    const orgs = await loadOrgs().catch(() => []);
    const invited = new Set(invites.map((i) => i.org_id));
    const choices = descendants(orgIndex(orgs).kids, me.org.id).filter((o) => !invited.has(o.id));
    if (choices.length) {
      const sel = field({ name: 'org_id', label: 'Organisation', type: 'select', options: choices.map((o) => ({ value: o.id, label: `${o.name} (${kindLabel(o.kind)})` })) });
      invPanel.append(form({
        class: 'inline-form', ariaLabel: 'Invite an organisation', submitLabel: 'Invite',
        async onSubmit(v) {
          await post(`/api/v1/trainings/${id}/invites`, { org_ids: [v.org_id] });
          banner(t.status === 'draft' ? 'Invited; the invitation goes out when the session is scheduled.' : 'Invited; the invitation is in their inbox.', { tone: 'ok', next: true });
          reload();
        },
      }, sel));
    }
  }

  // ---------- people ----------
  const peopleBox = h('div', { class: 'state-box' });
  const peoplePanel = panel('people', organiser ? 'People and attendance' : 'Your people', peopleBox);
  section.append(peoplePanel);
  const joinModes = t.mode === 'hybrid' ? ['in_person', 'virtual'] : [t.mode];
  const counts = section.querySelector('#attendance-words');

  async function refreshCounts() {
    try {
      const fresh = await get(`/api/v1/trainings/${id}`);
      if (counts.isConnected) counts.textContent = attendanceWords(fresh);
    } catch (e) { /* the page's counts stay as they were */ }
  }

  function attendCell(p) {
    const cell = h('td', { class: 'attend-cell', dataset: { attended: p.attended_mode || 'none' } });
    const say = h('span', { class: 'attend-now' }, p.attended_mode ? JOIN_LABELS[p.attended_mode] : (started ? 'Not recorded' : 'Not started yet'));
    cell.append(say);
    if (organiser && t.status === 'scheduled' && started) {
      const group = h('span', { class: 'attend-buttons', role: 'group', 'aria-label': `Attendance of ${p.name}` });
      for (const m of [...joinModes, null]) {
        const label = m ? JOIN_LABELS[m] : 'Absent';
        const b = h('button', {
          type: 'button', class: ['btn', 'btn-small', (p.attended_mode || null) === m ? 'is-chosen' : null],
          dataset: { attend: m || 'absent' }, 'aria-pressed': (p.attended_mode || null) === m ? 'true' : 'false',
          'aria-label': `${p.name}: ${label}`,
        }, label);
        b.addEventListener('click', async () => {
          for (const x of group.querySelectorAll('button')) x.disabled = true;
          try {
            const after = await post(`/api/v1/trainings/${id}/attendance`, { person_id: p.id, mode: m });
            cell.replaceWith(attendCell(after));
            refreshCounts();
          } catch (err) {
            for (const x of group.querySelectorAll('button')) x.disabled = false;
            banner(plainError(err), { tone: 'error' });
          }
        });
        group.append(b);
      }
      cell.append(group);
    }
    return cell;
  }

  function feedbackCell(p) {
    const cell = h('td', { class: 'feedback-cell' }, p.rating ? `${p.rating} of 5${p.comment ? ` — “${p.comment}”` : ''}` : '—');
    const mine = p.org_id === me.org.id && can('report');
    if (p.attended_mode && (mine || organiser)) {
      const b = h('button', { type: 'button', class: 'btn btn-small', dataset: { feedback: p.id } }, p.rating ? 'Change feedback' : 'Give feedback');
      b.addEventListener('click', async () => {
        const rid = uid('rating');
        const cid = uid('comment');
        const rating = h('select', { id: rid }, [5, 4, 3, 2, 1].map((n) => h('option', { value: n, selected: p.rating === n ? true : null }, RATING_WORDS[n])));
        const comment = h('textarea', { id: cid, rows: 3, maxlength: 4000 });
        comment.value = p.comment || '';
        const ok = await confirmDialog({
          title: `Feedback from ${p.name}`,
          body: [h('div', { class: 'field' }, h('label', { for: rid }, 'Rating'), rating),
            h('div', { class: 'field' }, h('label', { for: cid }, 'Comment (optional)'), comment)],
          confirm: 'Save feedback', name: 'feedback',
        });
        if (!ok) return;
        try {
          const body = { person_id: p.id, rating: Number(rating.value) };
          if (comment.value.trim()) body.comment = comment.value.trim();
          const after = await post(`/api/v1/trainings/${id}/feedback`, body);
          cell.replaceWith(feedbackCell(after));
          banner(`Thank you: ${p.name}’s feedback is saved.`, { tone: 'ok' });
        } catch (err) { banner(plainError(err), { tone: 'error' }); }
      });
      cell.append(' ', b);
    }
    return cell;
  }

  async function loadPeople() {
    await loadInto(peopleBox, {
      what: 'the people',
      load: () => listAll(`/api/v1/trainings/${id}/people`),
      isEmpty: (items) => !items.length,
      empty: organiser ? 'No one is registered yet.' : (t.you.invited ? 'Your organisation has registered no one yet.' : 'Your organisation is not invited to this session.'),
      render: (items) => dataTable({
        id: 'people-table', compact: true, caption: 'People registered',
        cols: ['Name', 'Organisation', 'Attendance', 'Feedback'],
        body: items.map((p) => h('tr', { dataset: { personId: p.id, name: p.name } },
          h('td', { class: 'card-title' }, p.name, p.email ? h('span', { class: 'cell-sub' }, p.email) : null),
          h('td', null, p.org_name),
          attendCell(p),
          feedbackCell(p))),
      }),
    });
  }
  await loadPeople();
  if (mayRegister || (organiser && open && invites.length)) {
    const fields = [field({ name: 'name', label: 'Name', required: true, maxlength: 200 }), field({ name: 'email', label: 'E-mail (optional)', type: 'email', maxlength: 254 })];
    if (organiser) fields.unshift(field({ name: 'org_id', label: 'Organisation', type: 'select', options: invites.map((i) => ({ value: i.org_id, label: i.org_name })) }));
    const f = form({
      class: 'register-form', ariaLabel: 'Register a person', submitLabel: 'Register',
      async onSubmit(v, el) {
        const body = { name: v.name.trim() };
        if (v.email && v.email.trim()) body.email = v.email.trim();
        if (organiser && v.org_id) body.org_id = v.org_id;
        const p = await post(`/api/v1/trainings/${id}/people`, body);
        el.reset();
        banner(`${p.name} is registered.`, { tone: 'ok' });
        await loadPeople();
        refreshCounts();
      },
    }, h('div', { class: 'grid-2' }, ...fields));
    peoplePanel.append(h('h3', { class: 'sub-h' }, 'Register a person'), t.full ? h('p', { class: 'notice' }, 'The session is full: every place is taken.') : f);
  }

  // ---------- materials ----------
  const matBox = h('div', { class: 'state-box' });
  const matPanel = panel('materials', 'Materials', matBox);
  section.append(matPanel);
  const loadMaterials = () => loadInto(matBox, {
    what: 'the materials',
    load: () => Promise.all([listAll(`/api/v1/trainings/${id}/links`), listAll(`/api/v1/trainings/${id}/files`)]),
    isEmpty: ([links, files]) => !links.length && !files.length,
    empty: 'No material yet.',
    render: ([links, files]) => h('ul', { class: 'materials', id: 'material-list' },
      links.map((l) => h('li', { dataset: { link: l.id } }, h('a', { href: l.url, rel: 'noopener noreferrer', target: '_blank' }, l.title), h('span', { class: 'muted' }, ` · link added ${fmtTime(l.added_at)}`))),
      files.map((f) => h('li', { dataset: { file: f.id } }, h('a', { href: `/api/v1/trainings/${id}/files/${f.id}`, download: f.filename }, f.filename), h('span', { class: 'muted' }, ` · ${Math.max(1, Math.round(f.size / 1024))} KiB`)))),
  });
  await loadMaterials();
  if (organiser && t.status !== 'cancelled') {
    const linkForm = form({
      class: 'inline-form', ariaLabel: 'Add a link', submitLabel: 'Add the link',
      async onSubmit(v, el) {
        await post(`/api/v1/trainings/${id}/links`, { title: v.title.trim(), url: v.url.trim() });
        el.reset();
        await loadMaterials();
      },
    }, h('div', { class: 'grid-2' }, field({ name: 'title', label: 'What it is', maxlength: 500 }), field({ name: 'url', label: 'Address', type: 'url', maxlength: 2000 })));
    const fileId = uid('file');
    const fileInput = h('input', { type: 'file', id: fileId });
    const fileStatus = h('p', { class: 'muted', role: 'status' });
    fileInput.addEventListener('change', async () => {
      const file = fileInput.files[0];
      if (!file) return;
      if (file.size > MAX_FILE) { fileStatus.textContent = 'The file is larger than 20 MiB.'; return; }
      fileStatus.textContent = `Uploading ${file.name}…`;
      try {
        await upload(`/api/v1/trainings/${id}/files`, { filename: file.name }, file);
        fileStatus.textContent = `${file.name} is added.`;
        fileInput.value = '';
        await loadMaterials();
      } catch (err) { fileStatus.textContent = plainError(err); }
    });
    matPanel.append(h('h3', { class: 'sub-h' }, 'Add a link'), linkForm,
      h('div', { class: 'field' }, h('label', { for: fileId }, 'Add a file (slides, handouts; at most 20 MiB)'), fileInput), fileStatus);
  }
  replace(section.querySelector('#training-badges'), statusTag(t), ' ', modeTag(t.mode), ' ', tlpBadge(t.tlp));
}
