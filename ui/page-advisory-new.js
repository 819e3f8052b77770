// Write an advisory (#/advisories/new) or revise one (#/advisories/{id}/revise): the title, the
// summary, the severity with what each level means, the TLP with who sees it at each level, then
// repeatable rows — the affected products (vendor, product, a version or a range, CPE or package
// URL), the vulnerabilities (CVE, title, description, CVSS vector, CWE), what to do (remediations)
// and references — each added with "Add …" and taken out with "Remove". The server's refusals are
// shown at the row and field they name ("Product 2: give the vendor and the product."). A revision
// also says what changed and whether the organisations must acknowledge again (material); it sends
// only the parts that changed, so what the form cannot show (a vector without a score) is kept.
import {
  h, loadFirst, banner, pageHead, fieldLabel,
} from './dom.js';
import { get, post, patch } from './api.js';
import { field, form, showError } from './forms.js';
import { state } from './state.js';
import {
  ADV_SEVERITIES, ADV_TLPS, REMEDIATIONS, docParts, advTlpMeaning,
} from './advisories.js';

// The repeatable groups: their API member, words, and fields (name, label, options).
const GROUPS = [
  {
    key: 'products', one: 'product', title: 'Affected products', add: 'Add a product', min: 1,
    hint: 'Each product the advisory is about. The version: one (9.3.1) or a range (<9.4.2, or >=9.0|<9.4.2).',
    fields: [
      { name: 'vendor', label: 'Vendor', required: true, maxlength: 200 },
      { name: 'product', label: 'Product', required: true, maxlength: 200 },
      { name: 'versions', label: 'Version or range', maxlength: 200, placeholder: '<9.4.2', hint: 'Empty: every version.' },
      { name: 'ident', label: 'CPE or package URL', maxlength: 500, placeholder: 'cpe:2.3:a:vendor:product:…', spellcheck: 'false', hint: 'Optional; helps match inventories.' },
    ],
  },
  {
    key: 'vulnerabilities', one: 'vulnerability', title: 'Vulnerabilities', add: 'Add a vulnerability', min: 1,
    hint: 'Each flaw, with its CVE id when it has one.',
    fields: [
      { name: 'cve', label: 'CVE', maxlength: 40, placeholder: 'CVE-2026-12345', spellcheck: 'false' },
      { name: 'title', label: 'Title', maxlength: 500 },
      { name: 'description', label: 'Description', type: 'textarea', rows: 2, maxlength: 10000, wide: true },
      {
        name: 'cvss_vector', label: 'CVSS v3.1 vector', maxlength: 200, placeholder: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', spellcheck: 'false', wide: true,
        hint: 'Optional; the server computes the score from it.',
      },
      { name: 'cwe_id', label: 'CWE id', maxlength: 20, placeholder: 'CWE-79', spellcheck: 'false' },
      { name: 'cwe_name', label: 'CWE name', maxlength: 300 },
    ],
  },
  {
    key: 'remediations', one: 'remediation', title: 'What to do', add: 'Add a remediation', min: 0,
    hint: 'The fix, a mitigation or a workaround, in steps an administrator can follow.',
    fields: [
      { name: 'category', label: 'Kind', type: 'select', options: REMEDIATIONS.map((r) => ({ value: r.value, label: r.label })) },
      { name: 'url', label: 'Address (optional)', maxlength: 1000, placeholder: 'https://', spellcheck: 'false' },
      { name: 'details', label: 'What to do', type: 'textarea', rows: 2, maxlength: 10000, required: true, wide: true },
    ],
  },
  {
    key: 'references', one: 'reference', title: 'References', add: 'Add a reference', min: 0,
    hint: 'The vendor’s notice, write-ups, the CVE record.',
    fields: [
      { name: 'url', label: 'Address', maxlength: 1000, required: true, placeholder: 'https://', spellcheck: 'false' },
      { name: 'summary', label: 'What it is', maxlength: 500, placeholder: 'Vendor notice' },
    ],
  },
];

// The first control a row's error points at, when the server names the row only.
const FIRST = { products: 'vendor', vulnerabilities: 'cve', remediations: 'details', references: 'url' };
const FIELD_OF = { version: 'versions', version_range: 'versions', cpe: 'ident', purl: 'ident' };

// A product's "Version or range" and "CPE or package URL" boxes -> its API members.
function productMembers(v) {
  const out = { vendor: v.vendor.trim(), product: v.product.trim() };
  const ver = v.versions.trim();
  if (ver) {
    if (/^vers:/.test(ver)) out.version_range = ver;
    else if (/[<>|*]/.test(ver)) out.version_range = `vers:generic/${ver.replace(/\s+/g, '')}`;
    else out.version = ver;
  }
  const id = v.ident.trim();
  if (id) out[/^pkg:/.test(id) ? 'purl' : 'cpe'] = id;
  return out;
}

function rowMembers(key, v) {
  if (key === 'products') return productMembers(v);
  const out = {};
  for (const [k, x] of Object.entries(v)) if (String(x).trim()) out[k] = String(x).trim();
  return out;
}

// The rows of a group, from a CSAF document's parts (revising).
function rowsFrom(key, parts) {
  if (key === 'products') {
    return parts.products.filter((p) => p.vendor || p.product).map((p) => ({
      vendor: p.vendor, product: p.product, versions: p.version || (p.range || '').replace(/^vers:generic\//, ''), ident: p.cpe || p.purl,
    }));
  }
  if (key === 'vulnerabilities') {
    return parts.vulns.map((v) => {
      const [cweId, ...rest] = v.cwe ? v.cwe.split(': ') : [''];
      return {
        cve: v.cve, title: v.title, description: v.description === v.title ? '' : v.description, cvss_vector: v.score ? v.score.vector : '', cwe_id: cweId, cwe_name: rest.join(': '),
      };
    });
  }
  if (key === 'remediations') return parts.remediations.map((r) => ({ category: r.category, details: r.details, url: r.url }));
  return parts.references.map((r) => ({ url: r.url, summary: r.summary || '' }));
}

// A group of rows: the fieldset (named for the API member, so its errors land there) with its rows,
// "Add …" and each row's "Remove". -> the element, with .rows() (each row's values) and .add(values).
function rowGroup(g, initial) {
  const rows = h('ol', { class: 'rows', id: `${g.key}-rows` });
  const errId = `fs-${g.key}-error`;
  const fs = h('fieldset', {
    class: 'fieldset row-group', name: g.key, id: `fs-${g.key}`, tabindex: '-1', dataset: { group: g.key }, 'aria-describedby': `fs-${g.key}-hint ${errId}`,
  },
  h('legend', null, g.title),
  h('p', { class: 'hint', id: `fs-${g.key}-hint` }, g.hint),
  rows,
  h('p', { class: 'field-error', id: errId, hidden: true, dataset: { errorFor: g.key } }));
  const addBtn = h('button', { type: 'button', class: 'btn btn-small add-row', dataset: { add: g.key } }, g.add);
  fs.append(addBtn);
  const renumber = () => {
    [...rows.children].forEach((li, i) => {
      li.querySelector('.row-h').textContent = `${g.one.charAt(0).toUpperCase()}${g.one.slice(1)} ${i + 1}`;
      for (const c of li.querySelectorAll('[data-member]')) c.name = `${g.key}[${i}].${c.dataset.member}`;
      li.querySelector('.remove-row').setAttribute('aria-label', `Remove ${g.one} ${i + 1}`);
      li.querySelector('.remove-row').hidden = rows.children.length <= g.min;
    });
  };
  const add = (values = {}, focus = false) => {
    const li = h('li', { class: 'row-item' });
    const head = h('div', { class: 'row-head' }, h('h3', { class: 'row-h' }),
      h('button', { type: 'button', class: 'btn btn-small btn-danger-quiet remove-row' }, 'Remove'));
    const grid = h('div', { class: 'row-fields' }, g.fields.map((f) => {
      const el = field({ ...f, name: f.name, value: values[f.name] === undefined ? (f.type === 'select' ? f.options[0].value : undefined) : values[f.name] });
      el.control.dataset.member = f.name;
      if (f.wide) el.classList.add('field-wide');
      return el;
    }));
    li.append(head, grid);
    head.querySelector('.remove-row').addEventListener('click', () => {
      const next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      renumber();
      (next ? next.querySelector('input, select, textarea') : addBtn).focus();
    });
    rows.append(li);
    renumber();
    if (focus) li.querySelector('input, select, textarea').focus();
    return li;
  };
  addBtn.addEventListener('click', () => add({}, true));
  const start = initial && initial.length ? initial : Array.from({ length: Math.max(g.min, g.key === 'remediations' ? 1 : 0) }, () => ({}));
  for (const v of start) add(v);
  fs.rows = () => [...rows.children].map((li) => {
    const v = {};
    for (const c of li.querySelectorAll('[data-member]')) v[c.dataset.member] = c.value;
    return v;
  });
  fs.add = add;
  return fs;
}

// An empty row is left out (a remediation row with nothing written, a reference never filled).
function filled(key, v) {
  return Object.entries(v).some(([k, x]) => !(key === 'remediations' && k === 'category') && String(x).trim());
}

// The server names a row ("products[1]", message "products[1].cpe: a CPE name begins …"): the words
// for the row and the control it points at.
export function rowError(err, formEl) {
  const msg = String((err && err.message) || '');
  const m = /^([a-z_]+)\[(\d+)\](?:\.([a-z_]+))?:\s*(.*)$/.exec(msg);
  if (!m) return null;
  const g = GROUPS.find((x) => x.key === m[1]);
  if (!g) return null;
  // the row named alone: its first required box left empty, else its first box
  const empty = !m[3] && formEl ? [...formEl.querySelectorAll(`[name^="${g.key}[${m[2]}]."][required]`)].find((c) => !c.value.trim()) : null;
  const member = FIELD_OF[m[3]] || m[3] || (empty && empty.dataset.member) || FIRST[g.key];
  const rest = m[4].replace(/"([a-z_]+)"/g, (all, name) => `“${name}”`)
    .replace(/\b(cwe_id|cwe_name|cvss_vector|version_range)\b/g, (name) => fieldLabel(name));
  const label = `${g.one.charAt(0).toUpperCase()}${g.one.slice(1)} ${Number(m[2]) + 1}`;
  return { field: `${g.key}[${m[2]}].${member}`, message: `${label}: ${rest}${/[.!?]$/.test(rest) ? '' : '.'}`, plain: true };
}

export async function render(section, ctx) {
  const reviseId = ctx.params[0] || null;
  document.title = `${reviseId ? 'Revise an advisory' : 'Write an advisory'} · rabta`;
  let adv = null;
  let parts = null;
  if (reviseId) {
    const got = await loadFirst(section, 'the advisory',
      () => Promise.all([get(`/api/v1/advisories/${reviseId}`), get(`/api/v1/advisories/${reviseId}/csaf`)]));
    if (!got) return;
    [adv] = got;
    parts = docParts(got[1]);
  }
  const draft = !adv || adv.status === 'draft';
  section.append(...pageHead({
    path: adv ? [['#/advisories', 'Advisories'], [`#/advisories/${adv.id}`, adv.tracking_id]] : [['#/advisories', 'Advisories']],
    here: adv ? (draft ? 'Change the draft' : 'Revise') : 'Write an advisory',
    eyebrow: adv ? `${adv.tracking_id} · version ${adv.version}` : 'Advisories',
    title: adv ? (draft ? 'Change the draft' : `Revise ${adv.tracking_id}`) : 'Write an advisory',
    lede: adv
      ? (draft ? 'Nobody else sees the draft yet; publish it from its page when it is ready.'
        : 'The revision is the next version: every organisation that has it sees the change. Say what changed below.')
      : `It is a draft of ${state.me.org.name} until you publish it from its page. Name the products and the flaws; say what to do.`,
  }));
  if (adv && !adv.owner) {
    section.append(h('p', { class: 'notice' }, `Only ${adv.owner_org_name}, which wrote it, revises this advisory. `, h('a', { href: `#/advisories/${adv.id}` }, 'Back to the advisory'), '.'));
    return;
  }
  if (adv && adv.source !== 'authored') {
    section.append(h('p', { class: 'notice' }, 'An imported advisory changes by importing its next version: ', h('a', { href: '#/advisories/import' }, 'import the new CSAF document'), '.'));
    return;
  }

  const fTitle = field({ name: 'title', label: 'Title', required: true, maxlength: 500, autocomplete: 'off', value: adv ? adv.title : undefined, hint: 'What is affected and how, e.g. “Actively exploited flaw in Example VPN Gateway”.' });
  const fSummary = field({ name: 'summary', label: 'Summary', type: 'textarea', rows: 3, maxlength: 10000, value: parts ? parts.summary.join('\n\n') : undefined, hint: 'Who should care and what they should do, in two or three sentences.' });
  const fSev = field({
    name: 'severity', label: 'Severity', type: 'select', value: adv ? adv.severity : 'high',
    options: ADV_SEVERITIES.map((x) => ({ value: x.value, label: `${x.label} — ${x.meaning}` })),
  });
  const sevNote = h('p', { class: 'hint', id: 'adv-severity-note', 'aria-live': 'polite' });
  fSev.append(sevNote);
  fSev.control.setAttribute('aria-describedby', `${fSev.control.getAttribute('aria-describedby')} adv-severity-note`);
  // the chosen level's meaning in full (a phone cuts the option's text)
  const syncSev = () => {
    const x = ADV_SEVERITIES.find((y) => y.value === fSev.control.value);
    sevNote.textContent = `${x ? `${x.label}: ${x.meaning} ` : ''}It sets the deadlines to acknowledge and to mitigate.`;
  };
  fSev.control.addEventListener('change', syncSev);
  syncSev();
  const fTlp = field({
    name: 'tlp', label: 'Who may see it (TLP)', type: 'select', value: adv ? adv.tlp : 'AMBER',
    options: ADV_TLPS.map((x) => ({ value: x.value, label: x.value === 'AMBER' ? `${x.label} (usual)` : x.label })),
  });
  const tlpNote = h('p', { class: 'hint', id: 'adv-tlp-note', 'aria-live': 'polite' });
  fTlp.append(tlpNote);
  fTlp.control.setAttribute('aria-describedby', `${fTlp.control.getAttribute('aria-describedby')} adv-tlp-note`);
  const syncTlp = () => { tlpNote.textContent = advTlpMeaning(fTlp.control.value); };
  fTlp.control.addEventListener('change', syncTlp);
  syncTlp();

  const groups = GROUPS.map((g) => rowGroup(g, parts ? rowsFrom(g.key, parts) : null));
  const initial = Object.fromEntries(groups.map((fs, i) => [GROUPS[i].key, JSON.stringify(fs.rows())]));
  const fRevSummary = adv && !draft ? field({ name: 'revision_summary', label: 'What changed', required: true, maxlength: 2000, autocomplete: 'off', hint: 'Shown in the revision history, e.g. “9.4.2 is affected too: update to 9.4.3.”' }) : null;
  const fMaterial = adv && !draft ? field({ name: 'material', label: 'The organisations must acknowledge it again', type: 'checkbox', hint: 'For a change that matters to them (a new affected version, a new flaw, another fix): every record goes back to “Not acknowledged”, with new deadlines.' }) : null;

  const cancel = h('a', { class: 'btn', href: adv ? `#/advisories/${adv.id}` : '#/advisories' }, 'Cancel');
  const f = form({
    class: 'advisory-form',
    ariaLabel: adv ? 'Revise the advisory' : 'Write an advisory',
    submitLabel: adv ? (draft ? 'Save the draft' : 'Save the revision') : 'Save the draft',
    extraActions: cancel,
    async onSubmit(v, el) {
      const body = {};
      const title = v.title.trim();
      if (!adv || title !== adv.title) body.title = title;
      const summary = v.summary.trim();
      if (!adv || summary !== parts.summary.join('\n\n').trim()) body.summary = summary;
      if (!adv || v.severity !== adv.severity) body.severity = v.severity;
      if (!adv || v.tlp !== adv.tlp) body.tlp = v.tlp;
      groups.forEach((fs, i) => {
        const { key } = GROUPS[i];
        const rows = fs.rows();
        if (adv && JSON.stringify(rows) === initial[key]) return; // unchanged: kept as it is
        body[key] = rows.filter((r) => filled(key, r)).map((r) => rowMembers(key, r));
      });
      if (!adv && !title) { showError(el, { field: 'title', message: 'Give the advisory a title.', plain: true }); return; }
      if (adv && !Object.keys(body).length) { el.statusEl.textContent = 'Nothing changed.'; return; }
      if (fRevSummary) {
        body.revision_summary = v.revision_summary.trim();
        body.material = !!v.material;
        if (!body.revision_summary) { showError(el, { field: 'revision_summary', message: 'Say what changed: it goes into the revision history.', plain: true }); return; }
      }
      try {
        const out = adv ? await patch(`/api/v1/advisories/${adv.id}`, body) : await post('/api/v1/advisories', body);
        banner(adv
          ? `${out.tracking_id} is ${draft ? 'saved' : `revised: version ${out.version}${body.material ? '; every organisation must acknowledge it again' : ''}`}.`
          : `${out.tracking_id} is saved as a draft. Publish it when it is ready.`, { tone: 'ok', next: true });
        ctx.navigate(`#/advisories/${out.id}`);
      } catch (err) {
        const row = rowError(err, el);
        if (!row) throw err;
        showError(el, row);
      }
    },
  },
  fTitle, fSummary, h('div', { class: 'row-2' }, fSev, fTlp), groups, fRevSummary, fMaterial);
  section.append(h('section', { class: 'panel' }, f));
  fTitle.control.focus();
}
