// Catalog browser: domains in a sidebar, controls with search (?q=) and a domain filter (?domain=),
// "Load more" pages. CERT analysts and admins can tick controls (one by one or a whole domain) and
// make a profile of them (POST /api/v1/profiles).
import { h, replace, plural, uid, pageHead } from './dom.js';
import { get, post, listAll, withQuery } from './api.js';
import { field, form, fieldError } from './forms.js';
import { state, kindLabel, sectorLabel, KIND_LABELS } from './state.js';
import { append, canLaunch, tlpBadge, controlLabel, loadOrMissing } from './guidelines.js';

const PAGE = 25;

// Ticked controls survive moving between the catalog and a control's page: catalog id -> Map(control id -> domain id)
const selections = new Map();
// Builder mode on/off per catalog (so coming back from a control keeps the checkboxes shown)
const building = new Set();

function selectionOf(catalogId) {
  if (!selections.has(catalogId)) selections.set(catalogId, new Map());
  return selections.get(catalogId);
}

// "Offline backup copy", "backup" -> ["Offline ", <mark>backup</mark>, " copy"]
function highlight(text, q) {
  if (!q || !text) return text;
  const out = [];
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  let from = 0;
  for (let i = lower.indexOf(needle); i >= 0 && out.length < 40; i = lower.indexOf(needle, from)) {
    out.push(text.slice(from, i), h('mark', null, text.slice(i, i + needle.length)));
    from = i + needle.length;
  }
  out.push(text.slice(from));
  return out;
}

function checkboxGroup({ name, legend, hint, options, checked }) {
  const id = uid(`fs-${name}`);
  const boxes = options.map((o) => {
    const cid = uid(`${name}-${o.value}`);
    return h('span', { class: 'check-item' },
      h('input', { type: 'checkbox', id: cid, value: o.value, checked: checked.includes(o.value), dataset: { group: name } }),
      h('label', { for: cid }, o.label));
  });
  const fs = h('fieldset', { class: 'fieldset check-group', name, id, 'aria-describedby': `${id}-hint ${id}-error` },
    h('legend', null, legend),
    h('div', { class: 'check-items' }, boxes),
    h('p', { class: 'hint', id: `${id}-hint` }, hint),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
  fs.values = () => [...fs.querySelectorAll('input[type="checkbox"]')].filter((c) => c.checked).map((c) => c.value);
  return fs;
}

export async function render(section, ctx) {
  const catalogId = ctx.params[0];
  const got = await loadOrMissing(section, 'catalog', () => Promise.all([
    get(`/api/v1/catalogs/${encodeURIComponent(catalogId)}`),
    listAll('/api/v1/profiles').catch(() => []),
  ]), () => render(section, ctx), { kind: 'Catalog', back: ['#/catalogs', 'Back to the guidelines'], title: 'Catalog', titleOf: ([d]) => d.catalog.title });
  if (!got || !section.isConnected) return;
  const [data, profiles] = got;
  const cat = data.catalog;
  const groups = data.groups || [];
  const groupTitle = new Map(groups.map((g) => [g.id, g.title]));

  const mayBuild = canLaunch();
  const selected = selectionOf(catalogId);
  const domainCache = new Map(); // domain id -> [control ids] (every control of the domain)
  const seenLabels = new Map(); // control id -> the catalog's label, for the chips
  let q = (ctx.query.get('q') || '').trim();
  let domain = ctx.query.get('domain') || '';
  if (domain && !groupTitle.has(domain)) domain = '';
  let cursor = null;
  let shown = 0;
  let seq = 0;

  // ---------- header ----------
  append(section,
    pageHead({
      path: [['#/catalogs', 'Guidelines']], here: cat.title,
      eyebrow: 'Catalog',
      title: cat.title,
      titleId: 'catalog-title',
      lede: [cat.version ? `Version ${cat.version} · ` : '',
        `${plural(cat.groups, 'domain')}, ${plural(cat.controls, 'control')}`,
        cat.enhancements ? `, ${plural(cat.enhancements, 'enhancement')}` : '', ' ', tlpBadge(cat.tlp)],
    }));
  const mine = profiles.filter((p) => p.catalog_id === catalogId);
  append(section, h('p', { class: 'profile-links', id: 'catalog-profiles' },
    mine.length ? [h('span', { class: 'muted' }, `${mine.length === 1 ? 'Profile' : 'Profiles'} made from this catalog: `),
      mine.map((p, i) => [i ? ', ' : '', h('a', { href: `#/profiles/${p.id}`, dataset: { profileId: p.id } }, p.title),
        h('span', { class: 'muted' }, ` (${plural(p.controls, 'control')})`)])]
      : h('span', { class: 'muted' }, 'No profile has been made from this catalog yet.')));

  // ---------- sidebar: domains ----------
  const domainLinks = new Map(); // id ('' = all) -> <a>
  const domainBoxes = new Map(); // id -> checkbox (builder)
  function domainHref(id) {
    return withQuery(`#/catalogs/${catalogId}`, { q, domain: id });
  }
  function domainItem(id, title, count, depth) {
    const a = h('a', { href: domainHref(id), class: 'domain-link', dataset: { domain: id } },
      h('span', { class: 'domain-name' }, title),
      count !== null ? h('span', { class: 'domain-count' }, String(count)) : null);
    a.addEventListener('click', (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      domain = id;
      reload();
      results.focus();
    });
    domainLinks.set(id, a);
    let box = null;
    if (id && mayBuild) {
      box = h('input', {
        type: 'checkbox', class: 'domain-check', id: `domain-check-${id}`,
        'aria-label': `Select every control in ${title}`, dataset: { domain: id },
      });
      box.addEventListener('change', () => toggleDomain(id, box.checked).catch((e) => { status.textContent = e.message; }));
      domainBoxes.set(id, box);
    }
    return h('li', { class: ['domain-item', depth ? `depth-${Math.min(depth, 3)}` : null] }, box, a);
  }
  const sidebar = h('nav', { class: 'domain-nav panel', 'aria-label': 'Domains' },
    h('h2', { class: 'domain-heading' }, 'Domains'),
    h('ul', { class: 'domain-list', id: 'domain-list' },
      domainItem('', 'All domains', null, 0),
      groups.map((g) => domainItem(g.id, g.title, g.controls, g.depth))));

  // ---------- search and results ----------
  const search = h('input', { type: 'search', id: 'control-search', name: 'q', autocomplete: 'off', value: q, placeholder: 'e.g. backup, MFA, AC-2', 'aria-controls': 'control-list' });
  const searchForm = h('form', { class: 'search-form', role: 'search', 'aria-label': 'Search controls' },
    h('label', { for: 'control-search' }, 'Search controls'),
    h('div', { class: 'search-row' }, search, h('button', { type: 'submit', class: 'btn' }, 'Search')));
  let debounce = null;
  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(debounce);
    q = search.value.trim();
    reload();
  });
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      if (search.value.trim() === q) return;
      q = search.value.trim();
      reload();
    }, 250);
  });

  const filterNote = h('p', { class: 'filter-note', id: 'filter-note' });
  const status = h('p', { class: 'muted', role: 'status', id: 'control-status' });
  const list = h('ul', { class: 'control-list', id: 'control-list', 'aria-label': 'Controls' });
  const results = h('div', { class: 'results', tabindex: '-1' }, filterNote, list);
  const more = h('button', { type: 'button', class: 'btn', id: 'controls-more', hidden: true }, 'Load more');
  more.addEventListener('click', () => load(false).catch((e) => { status.textContent = e.message; more.disabled = false; }));

  // ---------- builder ----------
  const buildToggle = mayBuild
    ? h('button', { type: 'button', class: 'btn', id: 'build-toggle', 'aria-pressed': building.has(catalogId) ? 'true' : 'false', 'aria-controls': 'profile-builder' }, 'Make a profile')
    : null;
  const selCount = h('p', { class: 'sel-count', id: 'selected-count', 'aria-live': 'polite' });
  const selChips = h('ul', { class: 'chips', id: 'selected-chips', 'aria-label': 'Ticked controls' });
  let builderPanel = null;
  let builderForm = null;
  if (mayBuild) {
    const clearBtn = h('button', { type: 'button', class: 'btn btn-small btn-quiet' }, 'Clear selection');
    clearBtn.addEventListener('click', () => { selected.clear(); syncSelection(); });
    const selId = uid('fs-control_ids');
    const selSet = h('fieldset', { class: 'fieldset sel-set', name: 'control_ids', id: selId, 'aria-describedby': `${selId}-error` },
      h('legend', null, 'Controls'),
      h('div', { class: 'sel-head' }, selCount, clearBtn),
      selChips,
      h('p', { class: 'field-error', id: `${selId}-error`, hidden: true }));
    const kinds = checkboxGroup({
      name: 'applies_kinds', legend: 'Applies to kinds',
      hint: 'None ticked: every kind of organisation.',
      options: Object.keys(KIND_LABELS).filter((k) => k !== 'national_cert').map((k) => ({ value: k, label: kindLabel(k) })),
      checked: ['institution'],
    });
    const sectors = checkboxGroup({
      name: 'applies_sectors', legend: 'Applies to sectors',
      hint: 'None ticked: every sector.',
      options: ((state.meta && state.meta.sectors) || []).map((x) => ({ value: x, label: sectorLabel(x) })),
      checked: [],
    });
    const fCii = field({ name: 'cii_only', label: 'Only critical information infrastructure (CII)', type: 'checkbox' });
    const fGrade = field({
      name: 'min_cii_grade', label: 'Minimum CII grade', type: 'select', value: '0',
      options: [{ value: '0', label: 'Any' }, { value: '1', label: 'Grade 1 and above' }, { value: '2', label: 'Grade 2 and above' }, { value: '3', label: 'Grade 3' }],
    });
    const result = h('div', { class: 'build-result', id: 'profile-result', role: 'status' });
    builderForm = form({
      class: 'profile-form',
      ariaLabel: 'Make a profile',
      submitLabel: 'Create profile',
      onSubmit: async (v, el) => {
        replace(result);
        if (!selected.size) {
          fieldError(el, 'control_ids', 'Tick at least one control.');
          return;
        }
        if (v.title.trim().length < 2) {
          fieldError(el, 'title', 'Give the profile a title (at least 2 characters).');
          return;
        }
        const body = {
          catalog_id: catalogId,
          title: v.title.trim(),
          control_ids: [...selected.keys()],
        };
        const ks = kinds.values();
        const ss = sectors.values();
        if (ks.length) body.applies_kinds = ks;
        if (ss.length) body.applies_sectors = ss;
        if (v.cii_only) body.cii_only = true;
        if (Number(v.min_cii_grade)) body.min_cii_grade = Number(v.min_cii_grade);
        const made = await post('/api/v1/profiles', body);
        const p = made.profile;
        selected.clear();
        syncSelection();
        el.elements.title.value = '';
        replace(result,
          h('p', { class: 'notice notice-ok' }, `Profile “${p.title}” created with ${plural(p.controls, 'control')}. `,
            h('a', { href: `#/campaigns/new?profile=${encodeURIComponent(p.id)}`, id: 'launch-with-profile' }, 'Launch a campaign with it'), '.'));
      },
    },
    selSet,
    field({ name: 'title', label: 'Profile title', required: true, hint: 'e.g. “Backup essentials for Punjab institutions”.' }),
    kinds, sectors, h('div', { class: 'row-2' }, fCii, fGrade));
    builderPanel = h('section', { class: 'panel builder', id: 'profile-builder', 'aria-labelledby': 'h-builder' },
      h('h2', { id: 'h-builder' }, 'Make a profile'),
      h('p', { class: 'muted' }, 'Tick controls in the list (or a whole domain in the sidebar), name the profile and say whom it applies to. Campaigns then assess it.'),
      builderForm, result);
    buildToggle.addEventListener('click', () => {
      const on = buildToggle.getAttribute('aria-pressed') !== 'true';
      if (on) building.add(catalogId); else building.delete(catalogId);
      applyMode();
      if (on) builderPanel.querySelector('h2').scrollIntoView({ block: 'nearest' });
    });
  }

  function applyMode() {
    const on = mayBuild && building.has(catalogId);
    if (buildToggle) buildToggle.setAttribute('aria-pressed', on ? 'true' : 'false');
    section.classList.toggle('is-building', on);
    if (builderPanel) builderPanel.hidden = !on;
    for (const b of domainBoxes.values()) b.hidden = !on;
    for (const b of list.querySelectorAll('.control-check')) b.hidden = !on;
  }

  function syncSelection() {
    if (!mayBuild) return;
    selCount.textContent = selected.size ? `${plural(selected.size, 'control')} ticked` : 'No controls ticked yet';
    replace(selChips, [...selected.keys()].map((id) => {
      const rm = h('button', { type: 'button', class: 'chip-x', 'aria-label': `Untick ${controlLabel(id, seenLabels)}` }, '×');
      rm.addEventListener('click', () => { selected.delete(id); syncSelection(); });
      return h('li', { class: 'chip', dataset: { controlId: id } }, controlLabel(id, seenLabels), rm);
    }));
    for (const box of list.querySelectorAll('.control-check')) box.checked = selected.has(box.value);
    for (const g of groups) {
      const box = domainBoxes.get(g.id);
      if (!box) continue;
      let n = 0;
      for (const d of selected.values()) if (d === g.id) n += 1;
      box.checked = n > 0 && n >= g.controls;
      box.indeterminate = n > 0 && n < g.controls;
    }
  }

  async function toggleDomain(id, on) {
    if (!domainCache.has(id)) {
      const items = await listAll(`/api/v1/catalogs/${catalogId}/controls`, { domain: id });
      domainCache.set(id, items.map((c) => c.id));
      for (const c of items) if (c.label) seenLabels.set(c.id, c.label);
    }
    for (const cid of domainCache.get(id)) {
      if (on) selected.set(cid, id); else selected.delete(cid);
    }
    syncSelection();
  }

  function controlRow(c) {
    if (c.label) seenLabels.set(c.id, c.label);
    const href = `#/catalogs/${catalogId}/controls/${encodeURIComponent(c.id)}`;
    let box = null;
    if (mayBuild) {
      box = h('input', {
        type: 'checkbox', class: 'control-check', value: c.id, id: `tick-${c.id}`, checked: selected.has(c.id),
        'aria-label': `Tick ${c.label || c.id} ${c.title}`, hidden: !building.has(catalogId),
      });
      box.addEventListener('change', () => {
        if (box.checked) selected.set(c.id, c.domain_id); else selected.delete(c.id);
        syncSelection();
      });
    }
    return h('li', { class: ['control-item', c.enhancement ? 'is-enhancement' : null], dataset: { controlId: c.id, domain: c.domain_id } },
      box,
      h('div', { class: 'control-body' },
        h('div', { class: 'control-head' },
          h('span', { class: 'control-label' }, c.label || c.id),
          h('a', { href, class: 'control-title' }, highlight(c.title, q)),
          c.enhancement ? h('span', { class: 'badge' }, 'enhancement') : null,
          c.cii_only ? h('span', { class: 'badge badge-cii' }, 'CII only') : null,
          h('span', { class: 'badge badge-domain' }, c.domain_title || groupTitle.get(c.domain_id) || c.domain_id),
          c.weight && c.weight !== 1 ? h('span', { class: 'badge', title: 'Weight in the score' }, `weight ${c.weight}`) : null),
        c.statement ? h('p', { class: 'control-statement' }, highlight(c.statement, q)) : null));
  }

  function markCurrent() {
    for (const [id, a] of domainLinks) {
      a.href = domainHref(id);
      if (id === domain) a.setAttribute('aria-current', 'true'); else a.removeAttribute('aria-current');
    }
    const parts = [];
    if (domain) parts.push(`in ${groupTitle.get(domain)}`);
    if (q) parts.push(`matching “${q}”`);
    filterNote.textContent = parts.length ? `Controls ${parts.join(' ')}` : 'All controls';
  }

  async function load(reset) {
    const my = ++seq;
    if (reset) { cursor = null; shown = 0; }
    more.disabled = true;
    const page = await get(`/api/v1/catalogs/${catalogId}/controls`, { q, domain, limit: PAGE, cursor });
    if (!section.isConnected || my !== seq) return;
    if (reset) replace(list);
    for (const c of page.items) list.append(controlRow(c));
    shown += page.items.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    more.disabled = false;
    status.textContent = shown
      ? `Showing ${plural(shown, 'control')}${cursor ? '; more available' : ''}.`
      : `No control ${q ? `matches “${q}”` : 'here'}${domain ? ` in ${groupTitle.get(domain)}` : ''}.`;
  }

  function reload() {
    // keep the address in step with the filter without re-rendering the page
    const target = withQuery(`#/catalogs/${catalogId}`, { q, domain });
    if (location.hash !== target) history.replaceState(null, '', target);
    markCurrent();
    return load(true).catch((e) => { status.textContent = e.message; });
  }

  append(section, h('div', { class: 'catalog-layout' },
    sidebar,
    h('div', { class: 'catalog-main-col' },
      h('div', { class: 'toolbar' }, searchForm, buildToggle),
      builderPanel,
      h('section', { class: 'panel panel-flush', 'aria-label': 'Controls' },
        results,
        h('div', { class: 'table-foot' }, status, more)))));
  markCurrent();
  applyMode();
  syncSelection();
  await load(true);
  applyMode();
}
