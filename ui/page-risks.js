// Risk register (#/risks?org_id=…&level=…&status=…&treatment=…&category=…&overdue=1&q=…): the
// heat map of the caller's constituency (its own register for an institution) with the figures it
// rests on and, for a CERT, the open risks by province and by sector, over the subtree of a CERT
// at or below it picked in "Constituency of" (?root=ID; ?basis=inherent counts before treatment),
// the register itself — every readable risk the filters keep, sortable by any column,
// each row a card on a phone with "Open" visible — the form to record a risk (the heat map and the
// register follow at once), and the CSV export and import.
import {
  h, replace, plural, plainError, dataTable, pageHead, loadInto, banner, fmtDate, confirmDialog, queryFilters, filtersPanel,
} from './dom.js';
import {
  api, get, listAll, upload, withQuery,
} from './api.js';
import { field, form, fieldError } from './forms.js';
import { barChart } from './chart.js';
import {
  state, can, isCert, loadOrgs, provinceLabel, sectorLabel, orgIndex, descendants,
} from './state.js';
import {
  LEVELS, STATUSES, TREATMENTS, CATEGORIES, levelBadge, statusBadge, lateTags, weakTag, heatMap,
  riskForm, treatmentLabel, categoryLabel,
} from './risks.js';

export const FILTERS = ['org_id', 'level', 'status', 'treatment', 'category', 'overdue', 'q'];
const MAX_ROWS = 2000; // the register shows this many at most (sorting is done here)

// The columns the register sorts by: key -> [label, value of a risk, numbers sort high first].
const SORTS = {
  title: ['Risk', (r) => r.title.toLowerCase(), false],
  inherent: ['Inherent', (r) => r.inherent_score, true],
  residual: ['Residual', (r) => r.residual_score, true],
  treatment: ['Treatment', (r) => treatmentLabel(r.treatment), false],
  status: ['Status', (r) => STATUSES.findIndex(([v]) => v === r.status), false],
  due: ['Due', (r) => r.due_date || '9999', false],
  review: ['Review', (r) => r.review_date || '9999', false],
};

function figure(value, label, key, warn) {
  return h('div', { class: ['figure', warn && value ? 'figure-warn' : null], dataset: { figure: key } },
    h('span', { class: 'figure-value' }, String(value)),
    h('span', { class: 'figure-label' }, label));
}

// The open risks of groups of the roll-up (by_province or by_sector) as bars, an orange one where
// some are critical, each with the organisations it rests on; its title shown above it, as the
// heat map's is.
function groupChart({
  name, title, groups, key, label,
}) {
  const chart = barChart({
    name,
    title,
    rows: groups.map((p) => ({
      key: p[key] || 'none', label: label(p[key]), value: p.total,
      highlight: p.by_level.critical > 0,
      base: { n: p.orgs, thin: p.orgs < 3 },
      note: p.by_level.critical ? `${p.by_level.critical} critical` : null,
    })),
    unit: ['risk', 'risks'], axisLabel: 'Open risks', baseHeading: 'Organisations', baseNoun: ['org', 'orgs'], labelWidth: 150,
    caption: 'Beside each bar: how many organisations the risks are of. An orange bar: some are critical.',
  });
  chart.querySelector('figcaption').className = 'chart-title';
  return chart;
}

// The heat map panel's content from GET /api/v1/risks/heatmap (also used by the home panels).
// provinces, sectors: add the chart of the open risks by province, by sector (when more than one).
export function heatmapView(hm, {
  name = 'risk-heatmap', provinces = true, sectors = false, top = true,
} = {}) {
  const basis = hm.basis === 'inherent' ? 'inherent' : 'residual';
  const base = `${plural(hm.total, 'open risk')} of ${hm.orgs_with_risks} of ${plural(hm.orgs, 'organisation')}`
    + `${hm.orgs > 1 ? ` under ${hm.root.name}` : ''}; closed risks are left out`;
  const thin = hm.orgs_with_risks < 3 && hm.orgs > 1;
  const cells = [
    heatMap({
      name,
      title: `Risks by ${basis} likelihood and impact`,
      matrix: hm.matrix,
      counts: hm.counts,
      caption: `Counts of ${base}.${thin ? ' Thin: fewer than 3 organisations have risks here; read with care.' : ''}`,
    }),
    provinces && hm.by_province.length > 1 ? groupChart({
      name: `${name}-by-province`, title: 'Open risks by province', groups: hm.by_province, key: 'province', label: (x) => (x ? provinceLabel(x) : 'No province'),
    }) : null,
    sectors && hm.by_sector.length > 1 ? groupChart({
      name: `${name}-by-sector`, title: 'Open risks by sector', groups: hm.by_sector, key: 'sector', label: (x) => (x ? sectorLabel(x) : 'No sector'),
    }) : null].filter(Boolean);
  const topList = top && hm.top.length ? h('div', { class: 'risk-top-block' },
    h('h3', { class: 'subhead' }, `The highest ${basis} risks`),
    h('ol', { class: 'todo risk-top', id: `${name}-top` }, hm.top.map((t) => h('li', { class: 'todo-item', dataset: { score: t.score, readable: t.readable ? '1' : '0' } },
      h('div', { class: 'todo-main' },
        h('span', { class: 'todo-title' }, t.readable
          ? h('a', { href: `#/risks/${t.id}` }, t.title)
          : h('span', { class: 'muted' }, 'A risk your organisation may not read')),
        h('span', { class: 'todo-meta' }, levelBadge(t.level, t.score), ` · ${t.org_name}`)))))) : null;
  // An odd number of charts leaves a cell of the grid free: the highest risks fill it.
  const inGrid = topList && cells.length % 2 === 1 && cells.length > 1;
  return [
    h('div', { class: ['figures', 'figures-4'] },
      figure(hm.total, 'open risks', 'total'),
      figure(hm.by_level.critical, 'critical', 'critical', true),
      figure(hm.overdue_treatments, 'treatments overdue', 'overdue-treatments', true),
      figure(hm.overdue_reviews, 'reviews overdue', 'overdue-reviews', true)),
    h('div', { class: 'grid-2 risk-charts' }, cells, inGrid ? topList : null),
    inGrid ? null : topList,
  ];
}

export async function render(section, ctx) {
  document.title = 'Risks · rabta';
  const me = state.me;
  const cert = isCert(me.org);
  let filters = queryFilters(ctx.query, FILTERS, ['overdue']);
  let basis = ctx.query.get('basis') === 'inherent' ? 'inherent' : 'residual';
  let root = (cert && ctx.query.get('root')) || ''; // '' is the caller's own org

  const addBtn = can('report') ? h('button', { type: 'button', class: 'btn btn-primary head-action', id: 'risk-add', 'aria-expanded': 'false', 'aria-controls': 'risk-new' }, 'Record a risk') : null;
  section.append(...pageHead({ eyebrow: 'Risks', title: cert ? 'Risks of your constituency' : 'Risk register' },
    addBtn,
    h('p', { class: 'lede' }, cert
      ? 'The heat map counts every open risk of the organisations below your CERT; the register lists those you may read (your own and those shared with you).'
      : 'Your organisation’s risks: how likely and how bad, what is done about them and when they are due. Your CERT reads them.',
    ' Levels come from the ', h('a', { href: '#/risks?matrix=1', id: 'matrix-link' }, 'risk matrix'), '.')));

  let matrix = null;
  try {
    matrix = await get('/api/v1/risk-matrix');
  } catch (err) {
    section.append(h('p', { class: 'form-alert', role: 'alert' }, plainError(err)));
    return;
  }
  if (!section.isConnected) return;

  // ---- the heat map ----
  const basisSel = field({ name: 'basis', label: 'Count by', type: 'select', value: basis, options: [{ value: 'residual', label: 'Residual (after treatment)' }, { value: 'inherent', label: 'Inherent (before treatment)' }] });
  const mapBox = h('div', { class: 'state-box', id: 'risk-heatmap-box' });
  const mapHead = h('h2', { id: 'h-risk-map' }, cert ? 'Heat map of your constituency' : 'Heat map of your register');
  let mapGen = 0; // a load overtaken by a later choice leaves the later one's map in place
  const loadMap = () => {
    const gen = ++mapGen;
    return loadInto(mapBox, {
      what: 'the heat map',
      load: () => get('/api/v1/risks/heatmap', { basis, root }),
      render: (hm) => {
        if (gen !== mapGen) return [...mapBox.childNodes];
        if (cert) mapHead.textContent = hm.root.id === me.org.id ? 'Heat map of your constituency' : `Heat map of ${hm.root.name}’s constituency`;
        return heatmapView(hm, { provinces: cert, sectors: cert });
      },
    });
  };
  basisSel.control.addEventListener('change', () => {
    basis = basisSel.control.value;
    keepAddress();
    loadMap();
  });

  // ---- the form ----
  const newBox = h('section', { class: 'panel', id: 'risk-new', hidden: true, 'aria-labelledby': 'h-risk-new' },
    h('h2', { id: 'h-risk-new' }, 'Record a risk'),
    riskForm({
      matrix,
      async onSaved(risk) {
        banner(`Recorded: ${risk.title} (${risk.residual_level}, ${risk.residual_score}).`, { tone: 'ok' });
        newBox.hidden = true;
        if (addBtn) addBtn.setAttribute('aria-expanded', 'false');
        await Promise.all([loadMap(), loadList()]);
      },
    }));
  if (addBtn) {
    addBtn.addEventListener('click', () => {
      newBox.hidden = !newBox.hidden;
      addBtn.setAttribute('aria-expanded', newBox.hidden ? 'false' : 'true');
      if (!newBox.hidden) newBox.querySelector('input, select').focus();
    });
  }

  // ---- filters ----
  let orgs = [];
  if (cert) {
    try {
      orgs = (await loadOrgs()).filter((o) => o.id === me.org.id || o.depth > me.org.depth)
        .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
    } catch (e) { /* the org filter then offers "any" only */ }
  }
  if (!section.isConnected) return;

  // ---- whose subtree the heat map counts: the caller's CERT or a CERT below it ----
  let rootSel = null;
  if (cert) {
    const below = descendants(orgIndex(orgs).kids, me.org.id).filter((o) => isCert(o) || o.id === root)
      .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
    if (below.length) {
      rootSel = field({
        name: 'root', id: 'risk-root', label: 'Constituency of', type: 'select', value: root,
        options: [{ value: '', label: `${me.org.name} (yours)` }, ...below.map((o) => ({ value: o.id, label: o.name }))],
      });
      rootSel.control.addEventListener('change', () => {
        root = rootSel.control.value;
        keepAddress();
        loadMap();
      });
    }
  }
  const any = (label) => ({ value: '', label });
  const fQ = field({ name: 'q', label: 'Words', type: 'search', value: filters.q || '', autocomplete: 'off', hint: 'In the title.' });
  const fOrg = cert ? field({ name: 'org_id', label: 'Organisation', type: 'select', value: filters.org_id || '', options: [any('Any organisation'), ...orgs.map((o) => ({ value: o.id, label: o.name }))] }) : null;
  const fLevel = field({ name: 'level', label: 'Residual level', type: 'select', value: filters.level || '', options: [any('Any level'), ...LEVELS] });
  const fStatus = field({ name: 'status', label: 'Status', type: 'select', value: filters.status || '', options: [any('Any status'), ...STATUSES.map(([v, l]) => ({ value: v, label: l }))] });
  const fTreat = field({ name: 'treatment', label: 'Treatment', type: 'select', value: filters.treatment || '', options: [any('Any treatment'), ...TREATMENTS.map(([v, l]) => ({ value: v, label: l }))] });
  const fCat = field({ name: 'category', label: 'Category', type: 'select', value: filters.category || '', options: [any('Any category'), ...CATEGORIES.map(([v, l]) => ({ value: v, label: l }))] });
  const fOverdue = field({ name: 'overdue', label: 'Overdue only (treatment or review)', type: 'checkbox', value: filters.overdue === '1' });
  const clearBtn = h('button', { type: 'button', class: 'btn', id: 'risks-clear' }, 'Clear filters');
  const filterForm = form({
    class: 'filters-form', ariaLabel: 'Filter the risks', submitLabel: 'Apply filters', extraActions: clearBtn,
    async onSubmit(v) {
      const next = {};
      for (const k of ['q', 'org_id', 'level', 'status', 'treatment', 'category']) if (v[k] && String(v[k]).trim()) next[k] = String(v[k]).trim();
      if (v.overdue) next.overdue = '1';
      await apply(next);
    },
  }, h('div', { class: 'filters' }, fQ, fOrg, fLevel, fStatus, fTreat, fCat, fOverdue));
  filterForm.setAttribute('role', 'search');
  clearBtn.addEventListener('click', () => {
    for (const c of filterForm.querySelectorAll('input[type="search"]')) c.value = '';
    for (const c of filterForm.querySelectorAll('select')) c.value = '';
    for (const c of filterForm.querySelectorAll('input[type="checkbox"]')) c.checked = false;
    apply({}).catch(() => {});
  });

  // ---- the register ----
  let rows = [];
  let sort = { key: 'residual', desc: true };
  const tbody = h('tbody');
  const heads = {};
  const sortHead = (key) => {
    const btn = h('button', { type: 'button', class: 'sort-btn', dataset: { sort: key } }, SORTS[key][0]);
    btn.addEventListener('click', () => {
      sort = sort.key === key ? { key, desc: !sort.desc } : { key, desc: SORTS[key][2] };
      draw();
    });
    heads[key] = btn;
    return { label: btn, attrs: { dataset: { col: key } } };
  };
  const table = dataTable({
    id: 'risks-table', compact: true, caption: 'The risk register', body: tbody,
    cols: [sortHead('title'), sortHead('inherent'), sortHead('residual'), sortHead('treatment'), sortHead('status'), sortHead('due'), sortHead('review'),
      { label: 'Open', hidden: true, cardLabel: '' }],
  });
  const listState = h('div', { class: 'state-box', id: 'risks-state' });
  const status = h('p', { class: 'muted', role: 'status', id: 'risks-status' });
  const exportLink = h('a', { class: 'btn', id: 'risks-export', download: 'risks.csv' }, 'Download CSV');

  function row(r) {
    return h('tr', { dataset: { riskId: r.id, level: r.residual_level, status: r.status } },
      h('td', { class: 'card-title risk-cell' },
        h('a', { href: `#/risks/${r.id}`, class: 'risk-title' }, r.title),
        h('span', { class: 'cell-sub' }, cert ? `${r.org_name} · ` : '', categoryLabel(r.category)),
        h('span', { class: 'cell-sub' }, weakTag(r), lateTags(r))),
      h('td', null, levelBadge(r.inherent_level, r.inherent_score)),
      h('td', null, levelBadge(r.residual_level, r.residual_score)),
      h('td', null, treatmentLabel(r.treatment), r.owner ? h('span', { class: 'cell-sub' }, r.owner) : null),
      h('td', null, statusBadge(r.status)),
      h('td', { class: r.overdue_treatment ? 'overdue' : null }, r.due_date ? fmtDate(r.due_date) : '—'),
      h('td', { class: r.overdue_review ? 'overdue' : null }, r.review_date ? fmtDate(r.review_date) : '—'),
      h('td', { class: 'actions' }, h('a', { class: 'btn btn-small', href: `#/risks/${r.id}`, 'aria-label': `Open the risk ${r.title}` }, 'Open')));
  }

  function draw() {
    const [, value] = SORTS[sort.key];
    const sorted = [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = x < y ? -1 : (x > y ? 1 : 0);
      return (sort.desc ? -c : c) || (b.residual_score - a.residual_score) || a.title.localeCompare(b.title);
    });
    for (const [key, btn] of Object.entries(heads)) {
      const th = btn.closest('th');
      if (th) th.setAttribute('aria-sort', key === sort.key ? (sort.desc ? 'descending' : 'ascending') : 'none');
    }
    replace(tbody, sorted.map(row));
    table.hidden = rows.length === 0;
    status.textContent = rows.length
      ? `${plural(rows.length, 'risk')}${rows.length >= MAX_ROWS ? ` (the first ${MAX_ROWS}; narrow with a filter)` : ''}, by ${SORTS[sort.key][0].toLowerCase()}.`
      : '';
  }

  function loadList() {
    return loadInto(listState, {
      what: 'the risks',
      load: async () => (await listAll('/api/v1/risks', filters)).slice(0, MAX_ROWS),
      isEmpty: (items) => !items.length,
      empty: () => (Object.keys(filters).length
        ? 'No risk matches these filters. Clear a filter to see more.'
        : (cert ? 'No risk of your constituency has been shared with your CERT yet.' : 'Your register is empty. Record the first risk with “Record a risk”.')),
      render: (items) => { rows = items; draw(); return []; },
    });
  }

  // The address keeps the filters, the heat map's root and its basis (a reload shows the same).
  function keepAddress() {
    const hash = withQuery('#/risks', { ...filters, root, basis: basis === 'inherent' ? basis : '' });
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  async function apply(next) {
    filters = next;
    keepAddress();
    exportLink.href = withQuery('/api/v1/risks/export', filters);
    filterBox.count(filters);
    rows = [];
    draw();
    await loadList();
  }

  // ---- import ----
  let importBox = null;
  if (can('report')) {
    const file = h('input', { type: 'file', id: 'risks-file', accept: '.csv,text/csv', class: 'file-input' });
    const go = h('button', { type: 'button', class: 'btn', id: 'risks-import' }, 'Import the file');
    const say = h('p', { class: 'say', role: 'status', id: 'risks-import-status' });
    go.addEventListener('click', async () => {
      if (!file.files.length) { say.textContent = 'Choose a CSV file first.'; return; }
      go.disabled = true;
      say.textContent = 'Importing…';
      try {
        const res = await upload('/api/v1/risks/import', {}, new Blob([file.files[0]], { type: 'text/csv' }));
        say.textContent = `Imported ${plural(res.rows, 'row')}: ${res.added} new, ${res.updated} changed.`;
        file.value = '';
        await Promise.all([loadMap(), loadList()]);
      } catch (err) {
        say.textContent = `Nothing was imported. ${plainError(err)}`;
      } finally {
        go.disabled = false;
      }
    });
    importBox = h('details', { class: 'panel', id: 'risks-import-panel' },
      h('summary', null, h('h2', { class: 'inline-h' }, 'Import from a spreadsheet')),
      h('p', { class: 'muted' }, 'A CSV file with the columns title, likelihood and impact, and optionally description, category, residual_likelihood, residual_impact, treatment, status, owner, due_date, review_date and control_ids. A row with an id changes that risk; a file with a bad row stores nothing and says which line. “Download CSV” gives a file in this shape.'),
      h('label', { for: 'risks-file' }, 'CSV file'), file, ' ', go, say);
  }

  const filterBox = filtersPanel({ id: 'risk-filters', headingId: 'h-risk-filters', countId: 'risk-filters-count' }, filterForm, filters);

  const matrixBox = ctx.query.get('matrix') === '1' ? matrixPanel(matrix, ctx) : null;
  section.append(...[
    matrixBox,
    newBox,
    h('section', { class: 'panel', 'aria-labelledby': 'h-risk-map' },
      h('div', { class: 'panel-head' }, mapHead, h('div', { class: 'panel-tools' }, rootSel, basisSel)),
      mapBox),
    filterBox,
    h('div', { class: 'list-tools' }, h('h2', { class: 'inline-h', id: 'h-register' }, 'The register'), exportLink),
    h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-register' },
      listState,
      h('div', { class: 'table-wrap' }, table),
      h('div', { class: 'table-foot' }, status)),
    importBox].filter(Boolean));
  if (matrixBox) matrixBox.querySelector('h2').focus();
  await Promise.all([loadMap(), apply(filters)]);
}

// The matrix and its bands, in words (#/risks?matrix=1); the National CERT's admins change the
// size and the first score of each band there (every risk is re-levelled at once: the answer says
// how many changed).
function matrixPanel(m, ctx) {
  const me = state.me;
  const mayChange = me.user.role === 'admin' && me.org.kind === 'national_cert';
  let edit = null;
  if (mayChange) {
    const first = Object.fromEntries(m.bands.map((b) => [b.level, b.min_score]));
    edit = form({
      class: 'matrix-form', ariaLabel: 'Change the risk matrix', submitLabel: 'Save the matrix',
      async onSubmit(v, el) {
        const body = { size: Number(v.size), bands: { medium: Number(v.medium), high: Number(v.high), critical: Number(v.critical) } };
        if (!(body.bands.medium < body.bands.high && body.bands.high < body.bands.critical)) {
          fieldError(el, 'high', 'Each band starts above the one before: medium < high < critical.');
          return;
        }
        if (body.bands.critical > body.size * body.size) {
          fieldError(el, 'critical', `The highest score of a ${body.size} × ${body.size} matrix is ${body.size * body.size}.`);
          return;
        }
        const ok = await confirmDialog({
          title: 'Change the risk matrix?',
          body: 'Every risk of every organisation is levelled again by the new bands, at once; the heat maps and the registers follow.',
          confirm: 'Change the matrix', name: 'matrix-change',
        });
        if (!ok) return;
        const r = await api('PUT', '/api/v1/risk-matrix', body);
        banner(`The risk matrix is changed: ${plural(r.relevelled, 'risk')} changed level.`, { tone: 'ok', next: true });
        ctx.navigate('#/risks?matrix=1');
      },
    },
    h('div', { class: 'grid-2 matrix-fields' },
      field({ name: 'size', label: 'Size (likelihood and impact 1 to …)', type: 'number', min: 3, max: 10, value: String(m.size), required: true }),
      field({ name: 'medium', label: 'Medium from score', type: 'number', min: 2, value: String(first.medium), required: true }),
      field({ name: 'high', label: 'High from score', type: 'number', min: 3, value: String(first.high), required: true }),
      field({ name: 'critical', label: 'Critical from score', type: 'number', min: 4, value: String(first.critical), required: true })));
  }
  return h('section', { class: 'panel', id: 'risk-matrix', 'aria-labelledby': 'h-risk-matrix' },
    h('h2', { id: 'h-risk-matrix', tabindex: '-1' }, `The risk matrix: ${m.size} × ${m.size}`),
    h('p', null, `A risk’s score is its likelihood times its impact (1 to ${m.size * m.size}); its level is the band the score falls in: `,
      m.bands.map((b, i) => [i ? (i === m.bands.length - 1 ? ' and ' : ', ') : '', h('strong', null, b.level), ` ${b.min_score}–${b.max_score}`]), '.'),
    h('p', { class: 'muted' }, m.updated_at ? `Set by ${m.updated_by} on ${fmtDate(m.updated_at)}.` : 'The default bands; the National CERT’s administrators may change them.'),
    heatMap({ name: 'risk-matrix-cells', title: 'Levels of the cells', matrix: m, counts: null }),
    edit ? h('details', { class: 'matrix-edit', id: 'matrix-edit' }, h('summary', null, 'Change the bands'), edit) : null);
}
