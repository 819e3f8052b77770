// An org's inventory (#/orgs/{id}/inventory[?q=…]): the products the org runs (vendor, product,
// version, CPE name or package URL), what makes it "likely affected" when an advisory names one.
// Searchable (by vendor or product; the words are kept in the address), paged with "Load more",
// downloadable as CSV. The org's own admins, analysts and reporters add, change and remove
// items and import a CSV file (adding to the inventory, or replacing it); everyone else who may
// read it (its viewers and auditors, the CERTs above it) reads it only. An inventory the caller
// may not read (a sibling's, another province's) is "not found", as the API answers.
//
// One form adds an item and, after an item's "Edit", changes it (only the members that changed
// are sent). A refused CSV file is said in words: the line, the column (named from the file's own
// header) and what is wrong, and how many rows are bad; nothing was imported.
import {
  h, replace, plural, plainError, pagedTable, pageHead, confirmDialog,
} from './dom.js';
import {
  get, post, patch, del, upload, withQuery,
} from './api.js';
import {
  field, form, fieldError, clearErrors, fileField,
} from './forms.js';
import { state, can, isCert } from './state.js';

const PAGE = 50;
const MAX_ROWS = 2000;
const MAX_FILE = 16 * 1024 * 1024;
const MEMBERS = ['vendor', 'product', 'version', 'cpe', 'purl'];

// "Fortinet FortiOS 7.2.4" (the version only when known)
export function itemName(it) {
  return [it.vendor, it.product, it.version].filter(Boolean).join(' ');
}

// Whether the caller changes org's inventory (the API's rule: its own admins, analysts, reporters).
function writes(orgId) {
  return !!state.me && state.me.org.id === orgId && can('report');
}

// The columns of a CSV file's header row, as the file names them (for naming a refused field).
function headerColumns(text) {
  const first = String(text).replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] || '';
  return first.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase());
}

// The refusal of a CSV file, for a person: where (line, column), what, how many rows are bad.
function refusal(err, fileName, columns) {
  const where = /^line (\d+)(?:, field (\d+))?$/.exec(err.field || '');
  const raw = String(err.message || '');
  const count = /\s*\((\d+) of the file's (\d+) rows? (?:is|are) bad; nothing was imported\)$/.exec(raw);
  const what = plainError({ ...err, field: null, message: count ? raw.slice(0, count.index) : raw });
  let place = null;
  if (where) {
    const line = Number(where[1]);
    const col = where[2] ? Number(where[2]) : 0;
    const name = col && columns[col - 1] ? ` (${columns[col - 1]})` : '';
    place = col ? `Line ${line}, field ${col}${name}` : `Line ${line}`;
  }
  return [
    h('p', null, h('strong', null, `${fileName} was not imported`), ': nothing in the inventory changed.'),
    h('p', { class: 'csv-refusal', id: 'csv-refusal-text' },
      place ? h('strong', { id: 'csv-refusal-where', dataset: { line: where[1], field: where[2] || 0 } }, `${place}: `) : null, what),
    count ? h('p', { id: 'csv-refusal-count' }, `${count[1]} of the file’s ${plural(Number(count[2]), 'row')} ${count[1] === '1' ? 'is' : 'are'} bad.`) : null,
    h('p', { class: 'hint' }, 'Fix the file and import it again.'),
  ];
}

// The add / change form: add mode by default; edit(item) turns it into the change of one item.
function itemForm(orgId, { onAdded, onChanged }) {
  const fVendor = field({
    name: 'vendor', label: 'Vendor', required: true, maxlength: 200, autocomplete: 'off', hint: 'As the vendor’s advisories name it, e.g. Fortinet, Siemens.',
  });
  const fProduct = field({
    name: 'product', label: 'Product', required: true, maxlength: 500, autocomplete: 'off', hint: 'e.g. FortiOS, SIMATIC S7-1500 CPU 1518-4 PN/DP.',
  });
  const fVersion = field({
    name: 'version', label: 'Version', maxlength: 64, autocomplete: 'off', hint: 'The one you run, e.g. 7.2.4; empty when you do not know it.',
  });
  const fCpe = field({
    name: 'cpe', label: 'CPE name', maxlength: 500, autocomplete: 'off', spellcheck: 'false', hint: 'Optional, e.g. cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*',
  });
  const fPurl = field({
    name: 'purl', label: 'Package URL', maxlength: 2000, autocomplete: 'off', spellcheck: 'false', hint: 'Optional, e.g. pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
  });
  const heading = h('h2', { id: 'h-item-form' }, 'Add a product');
  const lede = h('p', { class: 'muted', id: 'item-form-lede' }, 'One product and version a line. The CPE name or package URL makes the match with advisories exact.');
  const cancel = h('button', { type: 'button', class: 'btn', id: 'item-cancel', hidden: true }, 'Cancel');
  let editing = null;

  const f = form({
    class: 'inventory-form',
    ariaLabel: 'Add a product to the inventory',
    submitLabel: 'Add product',
    extraActions: cancel,
    async onSubmit(v, el) {
      const body = {};
      for (const k of MEMBERS) body[k] = String(v[k] || '').trim();
      if (!body.vendor) { fieldError(el, 'vendor', 'Enter the vendor.'); return; }
      if (!body.product) { fieldError(el, 'product', 'Enter the product.'); return; }
      if (editing) {
        const change = {};
        for (const k of MEMBERS) if (body[k] !== (editing[k] || '')) change[k] = body[k];
        if (!Object.keys(change).length) { el.statusEl.textContent = 'Nothing changed.'; return; }
        const after = await patch(`/api/v1/orgs/${orgId}/inventory/${editing.id}`, change);
        const before = editing;
        reset();
        onChanged(before, after);
      } else {
        for (const k of ['cpe', 'purl']) if (!body[k]) delete body[k];
        const item = await post(`/api/v1/orgs/${orgId}/inventory`, body);
        reset();
        fVendor.control.focus();
        onAdded(item);
      }
    },
  }, h('div', { class: 'row-3' }, fVendor, fProduct, fVersion), h('div', { class: 'row-2' }, fCpe, fPurl));

  function reset() {
    editing = null;
    f.reset();
    clearErrors(f);
    heading.textContent = 'Add a product';
    lede.textContent = 'One product and version a line. The CPE name or package URL makes the match with advisories exact.';
    f.setAttribute('aria-label', 'Add a product to the inventory');
    f.submitEl.textContent = 'Add product';
    cancel.hidden = true;
    delete f.dataset.editing;
  }
  cancel.addEventListener('click', () => {
    const id = editing && editing.id;
    reset();
    f.statusEl.textContent = '';
    const back = id && document.querySelector(`#inventory-table tr[data-item-id="${CSS.escape(id)}"] .edit-btn`);
    if (back) back.focus();
  });

  const panel = h('section', { class: 'panel inventory-form-panel', id: 'inventory-add', 'aria-labelledby': 'h-item-form' }, heading, lede, f);
  return {
    panel,
    focus() { panel.scrollIntoView({ block: 'start' }); fVendor.control.focus(); },
    edit(item) {
      editing = item;
      f.statusEl.textContent = '';
      for (const k of MEMBERS) f.elements.namedItem(k).value = item[k] || '';
      heading.textContent = `Change ${itemName(item)}`;
      lede.textContent = 'Empty the version, CPE name or package URL to clear it.';
      f.setAttribute('aria-label', `Change ${itemName(item)}`);
      f.submitEl.textContent = 'Save changes';
      cancel.hidden = false;
      f.dataset.editing = item.id;
      panel.scrollIntoView({ block: 'start' });
      fVendor.control.focus();
    },
    editingId: () => (editing ? editing.id : null),
    reset,
  };
}

// CSV import: a file, "replace the whole inventory", and the answer (the counts, or the refusal).
function importPanel(orgId, orgName, { onImported, count }) {
  const fileF = fileField({
    name: 'file', label: 'CSV file', accept: '.csv,text/csv,text/plain',
    hint: ['A header row naming the columns — ', h('code', null, 'vendor,product,version,cpe,purl'),
      ' (vendor and product are required) — then one product a row, at most 2,000 rows. A downloaded inventory imports as it is.'],
  });
  const input = fileF.control;
  const fReplace = field({
    name: 'replace', label: 'Replace the whole inventory with this file', type: 'checkbox',
    hint: 'Without it, the file’s rows are added and those already in the inventory are skipped.',
  });
  const btn = h('button', { type: 'button', class: 'btn btn-primary', id: 'import-btn' }, 'Import');
  const status = h('p', { class: 'form-status', role: 'status', id: 'import-status' });
  const result = h('div', { class: 'notice', id: 'import-result', hidden: true, tabindex: '-1' });
  const fail = fileF.fail;
  const show = (tone, nodes) => {
    result.className = `notice ${tone}`;
    result.setAttribute('role', tone === 'notice-error' ? 'alert' : 'status');
    replace(result, nodes);
    result.hidden = false;
    result.focus();
  };

  btn.addEventListener('click', async () => {
    result.hidden = true;
    status.textContent = '';
    const got = await fileF.read({ what: 'the CSV file', max: MAX_FILE, limit: 'an inventory file may be at most 16 MiB' });
    if (!got) return;
    const { file, text } = got;
    const replaceAll = fReplace.control.checked;
    if (replaceAll) {
      const n = count();
      const ok = await confirmDialog({
        title: `Replace the inventory of ${orgName}?`,
        body: [`${n === null ? 'Every product in it is' : `${plural(n, 'product')} in it ${n === 1 ? 'is' : 'are'}`} removed, and the rows of ${file.name} take their place.`,
          'Advisories then match against the new list only.'],
        confirm: 'Replace the inventory', danger: true, name: 'replace-inventory',
      });
      if (!ok) return;
    }
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    status.textContent = `Importing ${file.name}…`;
    try {
      const c = await upload(`/api/v1/orgs/${orgId}/inventory/import`, { replace: replaceAll ? '1' : '' }, new Blob([text], { type: 'text/csv' }));
      status.textContent = '';
      input.value = '';
      fReplace.control.checked = false;
      show('notice-ok', [
        h('p', { id: 'import-counts', dataset: c },
          h('strong', null, `${file.name} is imported`), `: ${plural(c.rows, 'row')} read, ${c.added} added`,
          c.duplicates ? `, ${c.duplicates} already in the inventory (skipped)` : '',
          c.removed ? `; ${plural(c.removed, 'product')} removed first` : '', '.'),
        h('p', { id: 'import-total' }, `The inventory now holds ${plural(c.items, 'product')}.`),
      ]);
      onImported(c);
    } catch (err) {
      status.textContent = '';
      if (err && err.code === 'invalid_field' && /^line \d+/.test(err.field || '')) {
        show('notice-error', refusal(err, file.name, headerColumns(text)));
      } else if (err && err.status === 413) {
        fail(`${file.name} has more than ${MAX_ROWS.toLocaleString('en-GB')} rows (or is too large): an inventory holds at most ${MAX_ROWS.toLocaleString('en-GB')} products.`);
      } else if (err && err.status === 409) {
        fail(`${plainError(err)}`);
      } else {
        fail(plainError(err));
      }
    } finally {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
    }
  });

  return h('section', { class: 'panel inventory-import-panel', id: 'inventory-import', 'aria-labelledby': 'h-import' },
    h('h2', { id: 'h-import' }, 'Import a CSV file'),
    h('div', { class: 'form import-form' }, fileF, fReplace, h('div', { class: 'form-actions' }, btn), status),
    result);
}

function notFound(section) {
  document.title = 'Inventory not found · rabta';
  section.append(
    h('h1', { tabindex: '-1' }, 'Inventory not found'),
    h('p', { class: 'notice' }, 'It does not exist, or it is outside what your organisation may see. ',
      h('a', { href: '#/home' }, 'Go to the home page'), '.'));
}

export async function render(section, ctx) {
  const orgId = ctx.params[0];
  document.title = 'Inventory · rabta';
  let q = (ctx.query.get('q') || '').trim();
  const base = `/api/v1/orgs/${encodeURIComponent(orgId)}/inventory`;
  // The org (for its name) and the first page together; a 404 of either: not found.
  let org;
  let first;
  try {
    [org, first] = await Promise.all([
      get(`/api/v1/orgs/${encodeURIComponent(orgId)}`),
      get(base, { q, limit: PAGE }),
    ]);
  } catch (err) {
    if (err && err.status === 404) { notFound(section); return; }
    throw err;
  }
  if (!section.isConnected) return;
  document.title = `Inventory of ${org.name} · rabta`;
  const me = state.me;
  const own = me.org.id === org.id;
  const mayWrite = writes(org.id);

  let shown = 0;
  let hasMore = false;
  let total = null; // the inventory's size, when every item (no search) is shown or an import said it
  const rows = new Map();

  const items = own ? 'your organisation runs' : `${org.name} runs`;
  const whyIt = `When an advisory names one of these products, rabta flags the organisation “likely affected”, so that it knows to act first${org.parent_id ? ' and the CERTs above it see it' : ''}.`;
  let form = null;
  const addBtn = mayWrite ? h('button', { type: 'button', class: 'btn btn-primary head-action', id: 'add-item-btn' }, 'Add a product') : null;
  section.append(...pageHead({
    path: [['#/orgs', 'Org tree'], [`#/orgs/${org.id}`, org.short_name || org.name]],
    pathLabel: 'Path in the org tree',
    here: 'Inventory',
    eyebrow: org.name,
    title: 'Inventory',
    titleId: 'inventory-title',
  }, addBtn, h('p', { class: 'lede', id: 'inventory-why' }, `The products ${items}. ${whyIt}`)));

  if (!mayWrite) {
    section.append(h('p', { class: 'notice', id: 'inventory-readonly' }, own
      ? 'You read this inventory: your organisation’s administrators, analysts and reporters change it.'
      : `You read this inventory: it is ${org.name}’s own declaration, which only its administrators, analysts and reporters change.`));
  }

  // ---------- search, count, download ----------
  const search = h('input', {
    type: 'search', id: 'inventory-search', name: 'q', autocomplete: 'off', value: q, placeholder: 'e.g. Fortinet, Exchange', 'aria-controls': 'inventory-table',
  });
  const searchForm = h('form', { class: 'search-form', role: 'search', 'aria-label': 'Search the inventory' },
    h('label', { for: 'inventory-search' }, 'Search by vendor or product'),
    h('div', { class: 'search-row' }, search, h('button', { type: 'submit', class: 'btn' }, 'Search')));
  const exportLink = h('a', {
    class: 'btn', id: 'inventory-export', href: `${base}/export`, download: true,
  }, 'Download CSV');
  const counts = h('p', { class: 'say', id: 'inventory-count', 'aria-live': 'polite' });

  // ---------- the list ----------
  function countWords() {
    if (!shown) return '';
    if (hasMore) return `Showing ${plural(shown, 'product')}; more follow with “Load more”.`;
    return q ? `${plural(shown, 'product matches', 'products match')} “${q}”.` : `${plural(shown, 'product')} in the inventory.`;
  }
  function sayCount() {
    if (!q && !hasMore) total = shown;
    counts.dataset.total = total === null ? '' : total;
    if (total === null || (!total && !q)) counts.textContent = ''; // the empty state says it
    else replace(counts, h('strong', null, `${plural(total, 'product')}`), ' in the inventory', q ? `; ${plural(shown, 'match', 'matches')}${hasMore ? ' or more' : ''} for “${q}”.` : '.');
    status.textContent = countWords();
  }

  function ids(it) {
    const parts = [];
    if (it.cpe) parts.push(h('code', { class: 'inv-id', dataset: { kind: 'cpe' } }, it.cpe));
    if (it.purl) parts.push(h('code', { class: 'inv-id', dataset: { kind: 'purl' } }, it.purl));
    return parts.length ? parts : h('span', { class: 'muted' }, '—');
  }

  function row(it) {
    const name = itemName(it);
    let actions = null;
    if (mayWrite) {
      const edit = h('button', { type: 'button', class: 'btn btn-small edit-btn', 'aria-label': `Edit ${name}` }, 'Edit');
      edit.addEventListener('click', () => form.edit(rows.get(it.id) ? rows.get(it.id).item : it));
      const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger-quiet remove-btn', 'aria-label': `Remove ${name}` }, 'Remove');
      remove.addEventListener('click', () => removeItem(it.id, remove));
      actions = h('td', { class: 'actions' }, h('span', { class: 'action-buttons' }, edit, remove));
    }
    const tr = h('tr', { dataset: { itemId: it.id } },
      h('td', { class: 'inv-vendor' }, it.vendor),
      h('td', { class: 'card-title inv-product' }, it.product),
      h('td', { class: 'inv-version' }, it.version || h('span', { class: 'muted' }, 'not known')),
      h('td', { class: 'inv-ids' }, ids(it)),
      actions);
    rows.set(it.id, { tr, item: it });
    return tr;
  }

  async function removeItem(id, btn) {
    const it = rows.get(id).item;
    const name = itemName(it);
    const ok = await confirmDialog({
      title: `Remove ${name}?`,
      body: `Advisories will no longer flag ${org.name} “likely affected” for it. Records already flagged stay as they are.`,
      confirm: 'Remove', danger: true, name: 'remove-item',
    });
    if (!ok) return;
    btn.disabled = true;
    try {
      await del(`${base}/${encodeURIComponent(id)}`);
    } catch (err) {
      btn.disabled = false;
      if (err && err.status === 404) { list.load(true); return; } // gone already: show what is there
      status.textContent = `${name} could not be removed. ${plainError(err)}`;
      return;
    }
    if (form.editingId() === id) form.reset();
    const { tr } = rows.get(id);
    const next = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove();
    rows.delete(id);
    shown -= 1;
    if (total !== null) total -= 1;
    if (!shown) { list.load(true); return; }
    sayCount();
    status.textContent = `${name} is removed. ${countWords()}`;
    const focusTo = next && next.querySelector('.remove-btn, .edit-btn');
    if (focusTo) focusTo.focus();
  }

  const list = pagedTable({
    name: 'inventory',
    caption: `Products ${items}, by vendor`,
    cols: ['Vendor', 'Product', 'Version', 'CPE name or package URL', mayWrite ? { label: 'Actions', hidden: true, cardLabel: '' } : null],
    row,
    what: 'the inventory',
    fetchPage: (cursor) => {
      if (first && !cursor) { const p = first; first = null; return Promise.resolve(p); }
      return get(base, { q, limit: PAGE, cursor });
    },
    onClear: () => rows.clear(),
    shownChanged: (n) => { list.foot.hidden = n === 0; },
    empty: () => {
      if (q) return `No product in the inventory matches “${q}”. Search for another word, or clear the search.`;
      if (mayWrite) return 'The inventory is empty: no advisory can flag your organisation “likely affected” yet. Add the products you run below, or import them from a CSV file.';
      return `${org.name} has declared no product yet, so no advisory flags it “likely affected”.`;
    },
    statusText: (n, more2) => { shown = n; hasMore = more2; sayCount(); return countWords(); },
  });
  const { status } = list;

  async function reload() {
    const hash = withQuery(`#/orgs/${org.id}/inventory`, { q });
    if (location.hash !== hash) history.replaceState(null, '', hash);
    shown = 0;
    hasMore = false;
    await list.load(true);
    if (!shown) sayCount();
  }
  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    q = search.value.trim();
    reload();
  });
  search.addEventListener('search', () => { // the clear (×) of the search box
    if (!search.value && q) { q = ''; reload(); }
  });

  section.append(
    h('div', { class: 'toolbar inventory-tools' }, searchForm, exportLink),
    h('div', { class: 'list-tools' }, counts),
    h('section', { class: 'panel panel-flush', 'aria-label': 'Products' },
      list.nodes));

  if (mayWrite) {
    form = itemForm(org.id, {
      onAdded: (item) => {
        if (total !== null) total += 1;
        q = '';
        search.value = '';
        reload().then(() => { status.textContent = `${itemName(item)} is added. ${countWords()}`; });
      },
      onChanged: (before, after) => {
        const r = rows.get(after.id);
        if (r) {
          const tr = row(after);
          r.tr.replaceWith(tr);
          status.textContent = `${itemName(after)} is saved.`;
          const edit = tr.querySelector('.edit-btn');
          if (edit) edit.focus();
        } else {
          reload();
        }
      },
    });
    addBtn.addEventListener('click', () => { form.reset(); form.focus(); });
    section.append(h('div', { class: 'grid-2 inventory-writes' }, form.panel,
      importPanel(org.id, org.name, {
        count: () => total,
        onImported: (c) => {
          total = c.items;
          form.reset();
          q = '';
          search.value = '';
          reload();
        },
      })));
  } else if (isCert(me.org) && !own) {
    section.append(h('p', { class: 'muted', id: 'inventory-cert-note' },
      `Advisories your CERT publishes or relays are matched against this list; the records of ${org.name} say which product matched.`));
  }
  await reload();
}
