// Org detail: fields, path from the root, children, its assessments with their scores; CERT admins
// get "Add org below".
import {
  h, fmtDate, fmtTime, plural, loadInto, banner, dataTable, pageHead,
} from './dom.js';
import { get, post, listAll } from './api.js';
import { fmtScore, statusTag } from './guidelines.js';
import { field, form } from './forms.js';
import {
  state, can, loadOrgs, orgIndex, ancestry, inOwnSubtree, isCert, kindLabel, provinceLabel, sectorLabel, KIND_LABELS,
} from './state.js';

function addOrgForm(parent, ctx) {
  const meta = state.meta || { provinces: [], sectors: [] };
  const kinds = Object.keys(KIND_LABELS).filter((k) => k !== 'national_cert');
  const none = { value: '', label: '— none —' };
  const fName = field({ name: 'name', label: 'Name', required: true, hint: '2 to 200 characters; unique among its siblings.' });
  const fShort = field({ name: 'short_name', label: 'Short name', hint: 'Optional, e.g. PB-CERT.' });
  const fKind = field({ name: 'kind', label: 'Kind', type: 'select', value: 'institution', options: kinds.map((k) => ({ value: k, label: kindLabel(k) })) });
  const fProv = field({
    name: 'province', label: 'Province', type: 'select', value: parent.province || '',
    options: [none, ...meta.provinces.map((p) => ({ value: p.code, label: p.name }))],
  });
  const fSector = field({
    name: 'sector', label: 'Sector', type: 'select', value: '',
    options: [none, ...meta.sectors.map((x) => ({ value: x, label: sectorLabel(x) }))],
  });
  const fCii = field({ name: 'cii', label: 'Designated critical information infrastructure (CII)', type: 'checkbox' });
  const fGrade = field({
    name: 'cii_grade', label: 'CII grade', type: 'select', value: '',
    options: [none, { value: '1', label: 'Grade 1' }, { value: '2', label: 'Grade 2' }, { value: '3', label: 'Grade 3' }],
  });
  const fReview = field({ name: 'cii_review_date', label: 'CII review date', type: 'date' });
  const ciiBox = h('fieldset', { class: 'fieldset' }, h('legend', null, 'CII designation'), fCii, h('div', { class: 'row-2' }, fGrade, fReview));

  function sync() {
    const inst = fKind.control.value === 'institution';
    ciiBox.hidden = !inst;
    const on = inst && fCii.control.checked;
    fGrade.control.disabled = !on;
    fReview.control.disabled = !on;
  }
  fKind.control.addEventListener('change', sync);
  fCii.control.addEventListener('change', sync);
  sync();

  const f = form({
    class: 'add-org-form',
    ariaLabel: `Add an organisation below ${parent.name}`,
    submitLabel: 'Add organisation',
    onSubmit: async (v) => {
      const body = { parent_id: parent.id, kind: v.kind, name: v.name.trim() };
      if (v.short_name.trim()) body.short_name = v.short_name.trim();
      if (v.province) body.province = v.province;
      if (v.sector) body.sector = v.sector;
      if (v.kind === 'institution' && v.cii) {
        body.cii = true;
        if (v.cii_grade) body.cii_grade = Number(v.cii_grade);
        if (v.cii_review_date) body.cii_review_date = v.cii_review_date;
      }
      const created = await post('/api/v1/orgs', body);
      state.orgs = null; // the tree changed
      banner(`${created.name} was added below ${parent.name}.${can('user_manage') ? ' Add its first administrator from the Users page.' : ''}`, { tone: 'ok', next: true });
      ctx.navigate(`#/orgs/${created.id}`);
    },
  }, h('div', { class: 'row-2' }, fName, fShort), h('div', { class: 'row-3' }, fKind, fProv, fSector), ciiBox);
  return f;
}

function assessmentsPanel(org) {
  const box = h('div', { class: 'state-box', id: 'org-assessments-box' });
  const links = [];
  if (can('audit_read')) links.push(h('a', { class: 'panel-link', href: `#/audit?org_id=${encodeURIComponent(org.id)}` }, 'Its audit trail'));
  if (can('user_read') || can('user_manage')) links.push(h('a', { class: 'panel-link', href: `#/users?org=${encodeURIComponent(org.id)}` }, 'Its users'));
  const el = h('section', { class: 'panel', 'aria-labelledby': 'h-assessments', id: 'org-assessments' },
    h('div', { class: 'panel-h' }, h('h2', { id: 'h-assessments' }, 'Self-assessments'),
      links.length ? h('span', { class: 'panel-links' }, links) : null),
    box);
  loadInto(box, {
    what: 'its assessments',
    load: () => listAll('/api/v1/assessments', { org_id: org.id }),
    isEmpty: (items) => !items.length,
    empty: `No self-assessment of ${org.name} is visible to you. Assessments appear here when a campaign reaches the organisation.`,
    render(items) {
      const sorted = items.slice().sort((a, b) => (b.due_date || '').localeCompare(a.due_date || ''));
      const scored = sorted.filter((a) => a.score !== null && a.score !== undefined);
      const table = dataTable({
        id: 'org-assessments-table', compact: true, caption: `Self-assessments of ${org.name}`,
        cols: ['Campaign', 'Status', 'Score', 'Answered', 'Due', { label: 'Open', hidden: true }],
        body: sorted.map((a) => h('tr', { dataset: { assessmentId: a.id, status: a.status } },
          h('td', { class: 'card-title' }, h('a', { href: `#/assessments/${a.id}` }, a.campaign_title),
            a.campaign_status === 'closed' ? h('span', { class: 'cell-sub' }, 'campaign closed') : null),
          h('td', null, statusTag(a.status)),
          h('td', { class: 'num score-cell' }, a.score === null || a.score === undefined ? 'not scored yet' : fmtScore(a.score)),
          h('td', { class: 'num' }, `${a.answered} of ${a.total}`),
          h('td', { class: 'nowrap' }, fmtDate(a.due_date)),
          h('td', { class: 'actions' }, h('a', { class: 'btn btn-small', href: `#/assessments/${a.id}`, 'aria-label': `Open the assessment: ${a.campaign_title}` }, 'Open')))),
      });
      return [
        h('p', { class: 'say' }, `${plural(items.length, 'self-assessment')}`,
          scored.length ? `; the latest score is ${fmtScore(scored[0].score)} of 100 (${scored[0].campaign_title}).` : '; none scored yet.'),
        h('div', { class: 'table-wrap' }, table),
      ];
    },
  });
  return el;
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  document.title = 'Organisation · rabta';
  let org;
  try {
    org = await get(`/api/v1/orgs/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err.status === 404) {
      section.append(
        h('h1', { tabindex: '-1' }, 'Organisation not found'),
        h('p', { class: 'notice' }, 'It does not exist, or it is outside what your organisation may see. ',
          h('a', { href: '#/orgs' }, 'Back to the org tree'), '.'));
      return;
    }
    throw err;
  }
  const orgs = await loadOrgs();
  if (!section.isConnected) return;
  document.title = `${org.name} · rabta`;

  const { byId, kids } = orgIndex(orgs);
  const path = ancestry(byId, byId.get(org.id) || org);
  const children = (kids.get(org.id) || []).slice().sort((a, b) => a.name.localeCompare(b.name));
  const parent = org.parent_id ? byId.get(org.parent_id) : null;

  const facts = [
    ['Kind', kindLabel(org.kind), 'kind'],
    ['Short name', org.short_name || '—', 'short_name'],
    ['Parent', parent ? h('a', { href: `#/orgs/${parent.id}` }, parent.name) : (org.parent_id ? 'not visible to you' : '— (root)'), 'parent'],
    ['Province', provinceLabel(org.province), 'province'],
    ['Sector', sectorLabel(org.sector), 'sector'],
    ['CII', org.cii ? 'Designated' : 'Not designated', 'cii'],
  ];
  if (org.cii) {
    facts.push(['CII grade', org.cii_grade ? `Grade ${org.cii_grade}` : '—', 'cii_grade']);
    facts.push(['CII review date', fmtDate(org.cii_review_date), 'cii_review_date']);
  }
  facts.push(['Organisations below', String(org.children), 'children']);
  facts.push(['Created', fmtTime(org.created_at), 'created_at']);
  facts.push(['Updated', fmtTime(org.updated_at), 'updated_at']);

  section.append(
    ...pageHead({
      path: [['#/orgs', 'Org tree'], ...path.slice(0, -1).map((o) => [`#/orgs/${o.id}`, o.short_name || o.name])],
      pathLabel: 'Path in the org tree',
      here: org.short_name || org.name,
      eyebrow: kindLabel(org.kind),
      title: org.name,
      titleId: 'org-title',
    }, org.cii ? h('span', { class: 'badge badge-cii' }, `CII grade ${org.cii_grade || '—'}`) : null),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-labelledby': 'h-facts' },
        h('h2', { id: 'h-facts' }, 'Details'),
        h('dl', { class: 'facts', id: 'org-facts' },
          facts.map(([k, v, key]) => [h('dt', null, k), h('dd', { dataset: { field: key } }, v)]))),
      h('section', { class: 'panel', 'aria-labelledby': 'h-children' },
        h('h2', { id: 'h-children' }, isCert(org) ? `Constituency (${plural(children.length, 'organisation')})` : 'Constituency'),
        !isCert(org)
          ? h('p', { class: 'muted' }, 'Institutions have no organisations below them.')
          : children.length
            ? h('ul', { class: 'link-list', id: 'org-children' }, children.map((c) => h('li', null,
              h('a', { href: `#/orgs/${c.id}` }, c.name), ' ',
              h('span', { class: 'muted' }, kindLabel(c.kind)),
              c.cii ? h('span', { class: 'badge badge-cii' }, `CII ${c.cii_grade || ''}`.trim()) : null)))
            : h('p', { class: 'muted' }, 'No organisations below this one yet.'))));

  // its inventory: read by the org itself and the CERTs above it (page-inventory.js)
  const own = state.me.org.id === org.id;
  if (own || (isCert(state.me.org) && inOwnSubtree(byId, byId.get(org.id) || org))) {
    section.append(h('section', { class: 'panel', 'aria-labelledby': 'h-inventory', id: 'org-inventory' },
      h('div', { class: 'panel-h' }, h('h2', { id: 'h-inventory' }, 'Inventory'),
        h('a', { class: 'panel-link', href: `#/orgs/${org.id}/inventory`, id: 'org-inventory-link' }, own ? 'Your inventory' : 'Its inventory')),
      h('p', { class: 'say' }, `The products ${own ? 'your organisation runs' : 'it runs'}: when an advisory names one of them, the organisation is flagged “likely affected”. `,
        h('a', { href: `#/orgs/${org.id}/inventory` }, own && can('report') ? 'See and change the inventory' : 'See the inventory'), '.')));
  }
  section.append(assessmentsPanel(org));

  if (isCert(org) && can('org_manage') && isCert(state.me.org) && inOwnSubtree(byId, byId.get(org.id) || org)) {
    section.append(h('section', { class: 'panel', 'aria-labelledby': 'h-add' },
      h('h2', { id: 'h-add' }, 'Add org below'),
      h('p', { class: 'muted' }, `The new organisation joins the constituency of ${org.name}. Its first administrator is added from the Users page.`),
      addOrgForm(org, ctx)));
  }
}
