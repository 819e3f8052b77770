// Launch a campaign (CERT analysts and admins): a profile, a title, a due date and an optional
// narrowing by kind, province or sector; one assessment is made per applicable org of the subtree.
import { h, replace, plural, pageHead } from './dom.js';
import { get, post, listAll } from './api.js';
import { field, form, fieldError } from './forms.js';
import { state, kindLabel, sectorLabel, KIND_LABELS } from './state.js';
import { append, today, loadWithRetry, plainError } from './guidelines.js';
import { appliesText } from './page-catalogs.js';

export async function render(section, ctx) {
  document.title = 'Launch a campaign · rabta';
  const me = state.me;
  append(section,
    pageHead({
      path: [['#/campaigns', 'Preparedness']], here: 'Launch a campaign',
      eyebrow: 'Preparedness',
      title: 'Launch a campaign',
      lede: `Every organisation below ${me.org.name} that the profile applies to gets an assessment to fill by the due date.`,
    }));

  const profiles = await loadWithRetry(section, 'profiles', () => listAll('/api/v1/profiles'), () => render(section, ctx));
  if (!profiles || !section.isConnected) return;
  if (!profiles.length) {
    append(section, h('p', { class: 'notice' }, 'There is no profile to assess yet. ',
      h('a', { href: '#/catalogs' }, 'Open a catalog'), ' and tick controls to make one.'));
    return;
  }
  const wanted = ctx.query.get('profile');
  const meta = state.meta || { provinces: [], sectors: [] };
  const any = { value: '', label: '— any —' };

  const fProfile = field({
    name: 'profile_id', label: 'Profile', type: 'select', required: true,
    value: profiles.some((p) => p.id === wanted) ? wanted : profiles[0].id,
    options: profiles.map((p) => ({ value: p.id, label: `${p.title} (${plural(p.controls, 'control')})` })),
  });
  const profileNote = h('p', { class: 'hint', id: 'profile-note' });
  const syncNote = () => {
    const p = profiles.find((x) => x.id === fProfile.control.value);
    replace(profileNote, p ? [`${p.catalog_title || 'Catalog'} · applies to: ${appliesText(p.applies_to)} · `,
      h('a', { href: `#/profiles/${p.id}`, id: 'profile-open' }, 'open the profile')] : '');
  };
  fProfile.control.addEventListener('change', syncNote);
  fProfile.append(profileNote);
  syncNote();

  const result = h('div', { id: 'launch-result', role: 'status' });
  // How many organisations this launch would assess, asked again as the choices change.
  const reach = h('div', { class: 'reach', id: 'reach', 'aria-live': 'polite' });
  let reachSeq = 0;
  let reachOk = true;
  async function checkReach(el) {
    const my = ++reachSeq;
    const v = { profile_id: el.elements.profile_id.value, kind: el.elements.kind.value, province: el.elements.province.value, sector: el.elements.sector.value };
    replace(reach, h('p', { class: 'muted reach-line' }, 'Counting the organisations this launch would reach…'));
    reach.dataset.state = 'loading';
    try {
      const r = await get(`/api/v1/profiles/${encodeURIComponent(v.profile_id)}/reach`, { kind: v.kind, province: v.province, sector: v.sector });
      if (my !== reachSeq || !reach.isConnected) return;
      reachOk = !!r.launchable;
      reach.dataset.state = r.launchable ? 'ok' : 'refused';
      reach.dataset.orgs = String(r.orgs);
      replace(reach, r.launchable
        ? h('p', { class: 'notice notice-ok reach-line', id: 'reach-count' }, h('strong', null, `${plural(r.orgs, 'organisation')} will get an assessment`), ` to fill by the due date${v.kind || v.province || v.sector ? ' (with the narrowing chosen below)' : ''}.`)
        : h('p', { class: 'notice notice-error reach-line', id: 'reach-refused' }, h('strong', null, 'This launch would be refused: '), plainError({ message: r.reason || 'no organisation qualifies.' }),
          ' Change the profile or the narrowing.'));
      el.submitEl.disabled = !reachOk;
      el.submitEl.setAttribute('aria-describedby', 'reach');
    } catch (err) {
      if (my !== reachSeq || !reach.isConnected) return;
      reachOk = true; // the launch itself will say why, if it is refused
      reach.dataset.state = 'unknown';
      el.submitEl.disabled = false;
      replace(reach, h('p', { class: 'muted reach-line' }, `How many organisations this reaches could not be counted (${plainError(err)}).`));
    }
  }
  const f = form({
    class: 'launch-form',
    ariaLabel: 'Launch a campaign',
    submitLabel: 'Launch campaign',
    onSubmit: async (v, el) => {
      replace(result);
      if (v.title.trim().length < 2) { fieldError(el, 'title', 'Give the campaign a title (at least 2 characters).'); return; }
      if (!v.due_date) { fieldError(el, 'due_date', 'Choose the date assessments are due.'); return; }
      if (v.due_date < today()) { fieldError(el, 'due_date', 'The due date is in the past: choose today or a later day.'); return; }
      const body = { profile_id: v.profile_id, title: v.title.trim(), due_date: v.due_date };
      if (v.kind) body.kind = v.kind;
      if (v.province) body.province = v.province;
      if (v.sector) body.sector = v.sector;
      let c;
      try {
        c = await post('/api/v1/campaigns', body);
      } catch (e) {
        e.message = plainError(e); // plain words next to the field (forms.js shows the message as it is)
        throw e;
      }
      el.elements.title.value = '';
      replace(result, h('div', { class: 'notice notice-ok launch-done' },
        h('p', null, h('strong', null, `“${c.title}” launched: `),
          h('span', { id: 'launch-count' }, plural(c.assessments, 'assessment')), ' created, due ', c.due_date, '.'),
        h('p', null, h('a', { href: `#/campaigns/${c.id}`, class: 'btn btn-primary', id: 'open-dashboard' }, 'Open the dashboard'))));
      result.querySelector('a').focus();
    },
  },
  fProfile,
  h('div', { class: 'row-2' },
    field({ name: 'title', label: 'Campaign title', required: true, hint: 'e.g. “Backup readiness, first half 2027”.' }),
    field({ name: 'due_date', label: 'Due date', type: 'date', required: true, min: today(), hint: 'Not in the past.' })),
  h('fieldset', { class: 'fieldset' }, h('legend', null, 'Narrow the campaign (optional)'),
    h('div', { class: 'row-3' },
      field({ name: 'kind', label: 'Kind', type: 'select', value: '', options: [any, ...Object.keys(KIND_LABELS).filter((k) => k !== 'national_cert').map((k) => ({ value: k, label: kindLabel(k) }))] }),
      field({ name: 'province', label: 'Province', type: 'select', value: '', options: [any, ...meta.provinces.map((p) => ({ value: p.code, label: p.name }))] }),
      field({ name: 'sector', label: 'Sector', type: 'select', value: '', options: [any, ...meta.sectors.map((x) => ({ value: x, label: sectorLabel(x) }))] }))));

  // the count goes right above the Launch button
  f.querySelector('.form-actions').before(reach);
  f.addEventListener('change', (ev) => {
    if (['profile_id', 'kind', 'province', 'sector'].includes(ev.target.name)) checkReach(f);
  });
  append(section, h('section', { class: 'panel' }, f, result));
  checkReach(f);
}
