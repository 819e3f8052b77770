// Guidelines: the catalogs the caller may read, and the profiles made from them.
import { h, fmtDate, plural, pageHead } from './dom.js';
import { listAll } from './api.js';
import { kindLabel, sectorLabel } from './state.js';
import { append, canLaunch, tlpBadge, cardTable, loadWithRetry } from './guidelines.js';

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
  append(section, pageHead({
    eyebrow: 'Guidelines',
    title: 'Guideline catalogs',
    lede: 'Security controls published as OSCAL catalogs, and the profiles (selections of controls) that preparedness campaigns assess.',
  }));

  const got = await loadWithRetry(section, 'guidelines', () => Promise.all([listAll('/api/v1/catalogs'), listAll('/api/v1/profiles')]),
    () => { while (section.firstChild) section.firstChild.remove(); render(section); });
  if (!got || !section.isConnected) return;
  const [catalogs, profiles] = got;

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
      ? cardTable({
        id: 'profile-table', caption: 'Profiles',
        cols: [{ label: 'Profile', main: true }, { label: 'Catalog' }, { label: 'Controls', cls: 'num' }, { label: 'Applies to' },
          { label: 'Actions', action: true }],
        rows: profiles.map((p) => ({
          attrs: { dataset: { profileId: p.id } },
          cells: [
            h('a', { href: `#/profiles/${p.id}`, class: 'strong-link' }, p.title),
            h('a', { href: `#/catalogs/${p.catalog_id}` }, p.catalog_title || 'catalog'),
            String(p.controls),
            appliesText(p.applies_to),
            [h('a', { class: 'btn btn-small', href: `#/profiles/${p.id}`, 'aria-label': `Open the profile ${p.title}` }, 'Open'),
              canLaunch() ? [' ', h('a', { class: 'btn btn-small', href: `#/campaigns/new?profile=${encodeURIComponent(p.id)}` }, 'Launch campaign')] : null],
          ],
        })),
      })
      : h('p', { class: 'empty' }, canLaunch()
        ? 'No profiles yet. Open a catalog and tick controls to make one.'
        : 'No profiles yet.')));
}
