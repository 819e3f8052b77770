// Org tree: every visible org, built from parent_id; expandable with mouse and keyboard; filterable.
import { h, plural, pageHead } from './dom.js';
import { state, loadOrgs, orgIndex, kindLabel, provinceLabel, sectorLabel } from './state.js';

function highlight(text, q) {
  if (!q) return text;
  const i = text.toLowerCase().indexOf(q);
  if (i < 0) return text;
  return [text.slice(0, i), h('mark', null, text.slice(i, i + q.length)), text.slice(i + q.length)];
}

export async function render(section) {
  document.title = 'Org tree · rabta';
  section.append(...pageHead({
    eyebrow: 'Organisations',
    title: 'Org tree',
    lede: 'Your organisation, the CERTs above it and everything below it.',
  }));
  const orgs = await loadOrgs();
  if (!section.isConnected) return;

  const { kids } = orgIndex(orgs);
  const nodes = new Map(); // id -> {org, li, nameEl, toggle, list}
  const ids = new Set(orgs.map((o) => o.id));
  const roots = orgs.filter((o) => !o.parent_id || !ids.has(o.parent_id));

  function setExpanded(node, open) {
    if (!node.toggle) return;
    node.toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    node.list.hidden = !open;
  }

  function build(org, level) {
    const children = (kids.get(org.id) || []).slice()
      .sort((a, b) => (a.kind === 'institution') - (b.kind === 'institution') || a.name.localeCompare(b.name));
    const nameEl = h('a', { href: `#/orgs/${org.id}`, class: 'tree-name' }, org.name);
    const node = { org, nameEl, toggle: null, list: null, li: null };
    let toggle = null;
    let list = null;
    if (children.length) {
      list = h('ul', { class: 'tree-group', id: `tree-kids-${org.id}`, role: 'list' });
      toggle = h('button', {
        type: 'button', class: 'tree-toggle', 'aria-expanded': 'false', 'aria-controls': list.id,
        'aria-label': `${org.name}: show or hide ${plural(children.length, 'organisation')} below`,
        dataset: { orgName: org.name },
      }, h('span', { class: 'chev', 'aria-hidden': 'true' }));
      toggle.addEventListener('click', () => setExpanded(node, toggle.getAttribute('aria-expanded') !== 'true'));
      toggle.addEventListener('keydown', (ev) => {
        if (ev.key === 'ArrowRight') { setExpanded(node, true); ev.preventDefault(); }
        if (ev.key === 'ArrowLeft') { setExpanded(node, false); ev.preventDefault(); }
      });
    }
    const meta = [kindLabel(org.kind)];
    if (org.province) meta.push(provinceLabel(org.province));
    else if (org.sector) meta.push(sectorLabel(org.sector));
    const li = h('li', { class: ['tree-node', org.id === state.me.org.id ? 'is-own' : null], dataset: { orgId: org.id, name: org.name, level } },
      h('div', { class: 'tree-row' },
        toggle || h('span', { class: 'tree-spacer', 'aria-hidden': 'true' }),
        nameEl,
        org.short_name ? h('span', { class: 'tree-short' }, org.short_name) : null,
        h('span', { class: ['badge', `kind-${org.kind}`] }, meta.join(' · ')),
        org.cii ? h('span', { class: 'badge badge-cii', title: `CII grade ${org.cii_grade}` }, `CII ${org.cii_grade || ''}`.trim()) : null,
        org.id === state.me.org.id ? h('span', { class: 'badge badge-own' }, 'you') : null),
      list);
    node.toggle = toggle;
    node.list = list;
    node.li = li;
    nodes.set(org.id, node);
    if (list) for (const c of children) list.append(build(c, level + 1));
    if (list) list.hidden = true;
    return li;
  }

  const tree = h('ul', { class: 'tree', id: 'org-tree', 'aria-label': 'Organisations' }, roots.map((r) => build(r, 0)));
  // open the path down to one's own org and the own org itself
  for (const r of roots) setExpanded(nodes.get(r.id), true);
  {
    let cur = nodes.get(state.me.org.id);
    while (cur) {
      setExpanded(cur, true);
      cur = cur.org.parent_id ? nodes.get(cur.org.parent_id) : null;
    }
  }

  const count = h('p', { class: 'muted tree-count', id: 'tree-count', 'aria-live': 'polite' }, `${plural(orgs.length, 'organisation')}`);
  const filter = h('input', { type: 'search', id: 'org-filter', autocomplete: 'off', placeholder: 'Name or short name', 'aria-controls': 'org-tree' });
  const expandAll = h('button', { type: 'button', class: 'btn btn-small' }, 'Expand all');
  const collapseAll = h('button', { type: 'button', class: 'btn btn-small' }, 'Collapse all');
  expandAll.addEventListener('click', () => { for (const n of nodes.values()) setExpanded(n, true); });
  collapseAll.addEventListener('click', () => { for (const n of nodes.values()) setExpanded(n, false); });

  function applyFilter() {
    const q = filter.value.trim().toLowerCase();
    let shown = 0;
    for (const n of nodes.values()) {
      n.nameEl.replaceChildren(...[].concat(highlight(n.org.name, q)));
    }
    if (!q) {
      for (const n of nodes.values()) n.li.hidden = false;
      count.textContent = plural(orgs.length, 'organisation');
      return;
    }
    const matches = new Set();
    for (const n of nodes.values()) {
      const hay = `${n.org.name} ${n.org.short_name || ''}`.toLowerCase();
      if (hay.includes(q)) matches.add(n.org.id);
    }
    const visible = new Set();
    for (const id of matches) {
      let cur = nodes.get(id);
      while (cur && !visible.has(cur.org.id)) {
        visible.add(cur.org.id);
        if (cur.org.id !== id) setExpanded(cur, true);
        cur = cur.org.parent_id ? nodes.get(cur.org.parent_id) : null;
      }
    }
    for (const n of nodes.values()) {
      n.li.hidden = !visible.has(n.org.id);
      if (!n.li.hidden) shown += 1;
    }
    count.textContent = matches.size
      ? `${plural(matches.size, 'match', 'matches')} for “${filter.value.trim()}”`
      : `No organisation matches “${filter.value.trim()}”`;
    return shown;
  }
  filter.addEventListener('input', applyFilter);

  section.append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'field field-inline' }, h('label', { for: 'org-filter' }, 'Filter'), filter),
      h('div', { class: 'toolbar-actions' }, expandAll, collapseAll)),
    count,
    h('div', { class: 'panel panel-flush' }, tree),
    h('p', { class: 'hint' }, 'Keyboard: Tab to a toggle, Enter or Space opens and closes it; Right and Left arrows also work.'));
}
