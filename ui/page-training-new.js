// Organise a session (#/trainings/new): the title, what it is about (the domains of the national
// baseline, checked), how it is held (in person, online, both) with its venue and link, when,
// the places, who of the caller's CERT organises it (the caller first, checked), and the
// organisations of the caller's constituency to invite. "Save as a draft"
// keeps it to the organiser; "Schedule" sends the invitations. A CERT's analysts and admins.
import {
  h, pageHead, loadInto, loadFirst, banner, plural,
} from './dom.js';
import { get, post, listAll } from './api.js';
import { field, form, fieldError } from './forms.js';
import {
  state, loadOrgs, orgIndex, descendants, kindLabel,
} from './state.js';
import { MODES, staffField } from './trainings.js';

// The national baseline: the first catalog of the National CERT the caller may read (as the
// server's default, decision 66), and its domains.
export async function baselineDomains(catalogId) {
  let id = catalogId;
  if (!id) {
    const [cats, orgs] = await Promise.all([listAll('/api/v1/catalogs'), loadOrgs()]);
    const root = orgs.find((o) => !o.parent_id);
    const own = cats.filter((c) => root && c.owner_org === root.id).sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
    id = own.length ? own[0].id : (cats[0] && cats[0].id);
  }
  if (!id) return { catalog: null, domains: [] };
  const data = await get(`/api/v1/catalogs/${encodeURIComponent(id)}`);
  return { catalog: data.catalog, domains: (data.groups || []).filter((g) => g.depth === 0) };
}

// "2026-03-12T09:00" (a datetime-local field, read as Pakistan time) -> RFC 3339 with +05:00
export function localToRfc(v) {
  if (!v) return '';
  return `${v.length === 16 ? `${v}:00` : v}+05:00`;
}

// "Or name controls": the catalog's controls by domain, read when first opened; a checked one is
// a topic of its own (topic:<control id>), beside or instead of its whole domain.
function controlTopics(catalogId) {
  const box = h('div', { class: 'state-box' });
  const d = h('details', { class: 'control-topics', id: 'control-topics' },
    h('summary', null, 'Or name specific controls'), box);
  let loaded = false;
  d.addEventListener('toggle', () => {
    if (!d.open || loaded) return;
    loaded = true;
    loadInto(box, {
      what: 'the controls',
      load: () => listAll(`/api/v1/catalogs/${encodeURIComponent(catalogId)}/controls`),
      render(controls) {
        const byDomain = new Map();
        for (const c of controls) {
          if (!byDomain.has(c.domain_id)) byDomain.set(c.domain_id, { title: c.domain_title, controls: [] });
          byDomain.get(c.domain_id).controls.push(c);
        }
        return [...byDomain.values()].map((g) => h('div', { class: 'control-group' },
          h('p', { class: 'control-group-h' }, g.title),
          h('ul', { class: 'check-list check-list-cols' }, g.controls.map((c) => h('li', null,
            h('input', { type: 'checkbox', id: `topic-${c.id}`, name: `topic:${c.id}`, value: c.id }),
            h('label', { for: `topic-${c.id}` }, h('span', { class: 'mono' }, c.label || c.id), ` ${c.title}`))))));
      },
    });
  });
  return d;
}

function inDays(days, hour) {
  const d = new Date(Date.now() + days * 86400000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

export async function render(section, ctx) {
  document.title = 'Organise a session · rabta';
  section.append(...pageHead({
    path: [['#/trainings', 'Training sessions']], here: 'Organise a session',
    eyebrow: 'Capacity building', title: 'Organise a session',
    lede: 'Times are Pakistan time. Invited organisations find the invitation in their inbox once the session is scheduled; a draft stays with your organisation.',
  }));
  const data = await loadFirst(section, 'the domains and your constituency', async () => {
    const [base, orgs, colleagues] = await Promise.all([baselineDomains(), loadOrgs(), listAll('/api/v1/me/colleagues')]);
    return { base, below: descendants(orgIndex(orgs).kids, state.me.org.id), colleagues };
  });
  if (!data) return;
  const { base, below, colleagues } = data;

  const fTitle = field({ name: 'title', label: 'Title', required: true, maxlength: 500 });
  const fDesc = field({ name: 'description', label: 'What it covers', type: 'textarea', rows: 3, maxlength: 4000 });
  const fMode = field({ name: 'mode', label: 'How it is held', type: 'select', value: 'hybrid', options: MODES.map(([value, label]) => ({ value, label })) });
  const fStart = field({ name: 'starts_at', label: 'Starts', type: 'datetime-local', required: true, value: inDays(14, 9) });
  const fEnd = field({ name: 'ends_at', label: 'Ends', type: 'datetime-local', required: true, value: inDays(14, 13) });
  const fVenue = field({ name: 'venue', label: 'Venue', hint: 'Where people come, for a session held in person.', maxlength: 500 });
  const fUrl = field({ name: 'meeting_url', label: 'Meeting link', hint: 'An https:// address, for a session joined online.', type: 'url', maxlength: 2000 });
  const fCap = field({ name: 'capacity', label: 'Places', type: 'number', min: 1, max: 10000, hint: 'The most people who may register; leave empty for no limit.' });
  const topics = h('fieldset', { class: 'fieldset topics-field', id: 'topics' },
    h('legend', null, base.catalog ? `Domains of “${base.catalog.title}”` : 'Domains'),
    base.domains.length ? h('ul', { class: 'check-list' }, base.domains.map((d) => h('li', null,
      h('input', { type: 'checkbox', id: `topic-${d.id}`, name: `topic:${d.id}`, value: d.id }),
      h('label', { for: `topic-${d.id}` }, d.title)))) : h('p', { class: 'muted' }, 'No guideline catalog to take topics from.'),
    base.catalog ? controlTopics(base.catalog.id) : null);
  const invite = h('fieldset', { class: 'fieldset invite-field', id: 'invitees' },
    h('legend', null, 'Invite'),
    below.length ? h('ul', { class: 'check-list check-list-cols' }, below.map((o) => h('li', null,
      h('input', { type: 'checkbox', id: `inv-${o.id}`, name: `org:${o.id}`, value: o.id }),
      h('label', { for: `inv-${o.id}` }, o.name, h('span', { class: 'muted' }, ` · ${kindLabel(o.kind)}`))))) : h('p', { class: 'muted' }, 'Your organisation has no organisations below it.'));
  const staff = staffField(colleagues, [state.me.user.id]);
  const draftBtn = h('button', { type: 'button', class: 'btn', id: 'save-draft' }, 'Save as a draft');

  let asDraft = false;
  const f = form({
    class: 'training-form', ariaLabel: 'Organise a session', submitLabel: 'Schedule and invite', extraActions: draftBtn,
    async onSubmit(v, el) {
      const body = {
        title: v.title.trim(), mode: v.mode, starts_at: localToRfc(v.starts_at), ends_at: localToRfc(v.ends_at),
        status: asDraft ? 'draft' : 'scheduled',
        topics: Object.keys(v).filter((k) => k.startsWith('topic:') && v[k]).map((k) => k.slice(6)),
        invited_org_ids: Object.keys(v).filter((k) => k.startsWith('org:') && v[k]).map((k) => k.slice(4)),
        staff_user_ids: staff.chosen(v),
      };
      asDraft = false;
      if (base.catalog && body.topics.length) body.catalog_id = base.catalog.id;
      if (v.description.trim()) body.description = v.description.trim();
      if (v.venue.trim()) body.venue = v.venue.trim();
      if (v.meeting_url.trim()) body.meeting_url = v.meeting_url.trim();
      if (v.capacity) body.capacity = Number(v.capacity);
      if (!body.title) { fieldError(el, 'title', 'Give the session a title.'); return; }
      if (!body.staff_user_ids.length) { fieldError(el, 'staff_user_ids', 'Check at least one organiser.'); return; }
      const t = await post('/api/v1/trainings', body);
      banner(t.status === 'draft' ? `“${t.title}” is saved as a draft.` : `“${t.title}” is scheduled; ${plural(t.invited, 'organisation is', 'organisations are')} invited.`, { tone: 'ok', next: true });
      ctx.navigate(`#/trainings/${t.id}`);
    },
  }, h('div', { class: 'grid-2' }, fTitle, fMode), fDesc, h('div', { class: 'grid-2' }, fStart, fEnd), h('div', { class: 'grid-2' }, fVenue, fUrl), fCap, topics, staff, invite);
  draftBtn.addEventListener('click', () => { asDraft = true; f.requestSubmit(); });
  section.append(h('section', { class: 'panel' }, f));
}
