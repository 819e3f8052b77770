// Guidelines: the catalogs the caller may read, and the profiles made from them.
import { h, fmtDate, plural } from './dom.js';
import { listAll } from './api.js';
import { kindLabel, sectorLabel } from './state.js';
import { append, canLaunch, tlpBadge } from './guidelines.js';

// applies_to.kinds / .sectors come as a comma-separated string (or null = all)
function listText(v, label) {
  if (!v) return null;
  const arr = Array.isArray(v) ? v : String(v).split(',').filter(Boolean);
  return arr.map(label).join(', ');
}

export function appliesText(a) {
  if (!a) return 'Every organisation';
  const parts = [];
  parts.push(listText(a.kinds, kindLabel) || 'every kind of organisation');
  const sectors = listText(a.sectors, sectorLabel);
  if (sectors) parts.push(`sectors: ${sectors}`);
  if (a.cii_only) parts.push('CII only');
  if (a.min_cii_grade) parts.push(`CII grade ${a.min_cii_grade} and above`);
  return parts.join(' · ');
}

export async function render(section) {
  document.title = 'Guidelines · rabta';
  append(section,
    h('div', { class: 'page-head' },
      h('p', { class: 'eyebrow' }, 'Guidelines'),
      h('h1', { tabindex: '-1' }, 'Guideline catalogs'),
      h('p', { class: 'lede' }, 'Security controls published as OSCAL catalogs, and the profiles (selections of controls) that preparedness campaigns assess.')));

  const [catalogs, profiles] = await Promise.all([listAll('/api/v1/catalogs'), listAll('/api/v1/profiles')]);
  if (!section.isConnected) return;

  append(section, h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-catalogs' },
    h('h2', { id: 'h-catalogs', class: 'panel-title' }, 'Catalogs'),
    catalogs.length
      ? h('ul', { class: 'catalog-list', id: 'catalog-list' }, catalogs.map((c) => h('li', { class: 'catalog-item', dataset: { catalogId: c.id } },
        h('div', { class: 'catalog-main' },
          h('a', { href: `#/catalogs/${c.id}`, class: 'catalog-title' }, c.title),
          h('span', { class: 'muted catalog-meta' },
            c.version ? `Version ${c.version} · ` : '', `updated ${fmtDate(c.last_modified)}`)),
        h('div', { class: 'catalog-counts' },
          h('span', { class: 'badge' }, plural(c.groups, 'domain')),
          h('span', { class: 'badge' }, plural(c.controls, 'control')),
          c.enhancements ? h('span', { class: 'badge' }, plural(c.enhancements, 'enhancement')) : null,
          tlpBadge(c.tlp)))))
      : h('p', { class: 'empty' }, 'No catalog has been imported yet. A CERT imports one with ', h('code', null, 'rabta import oscal'), '.')));

  append(section, h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-profiles' },
    h('h2', { id: 'h-profiles', class: 'panel-title' }, 'Profiles'),
    profiles.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'profile-table' },
        h('caption', { class: 'sr-only' }, 'Profiles'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Profile'),
          h('th', { scope: 'col' }, 'Catalog'),
          h('th', { scope: 'col' }, 'Controls'),
          h('th', { scope: 'col' }, 'Applies to'),
          canLaunch() ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')) : null)),
        h('tbody', null, profiles.map((p) => h('tr', { dataset: { profileId: p.id } },
          h('td', null, p.title),
          h('td', null, h('a', { href: `#/catalogs/${p.catalog_id}` }, p.catalog_title || 'catalog')),
          h('td', { class: 'num' }, String(p.controls)),
          h('td', null, appliesText(p.applies_to)),
          canLaunch() ? h('td', { class: 'actions' },
            h('a', { class: 'btn btn-small', href: `#/campaigns/new?profile=${encodeURIComponent(p.id)}` }, 'Launch campaign')) : null)))))
      : h('p', { class: 'empty' }, canLaunch()
        ? 'No profiles yet. Open a catalog and tick controls to make one.'
        : 'No profiles yet.')));
}
