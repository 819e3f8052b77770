// One profile: what it selects from its catalog (controls by domain), to whom it applies, and the
// campaigns that assess it. CERT analysts and admins also see how far a launch would reach today.
import { h, fmtDate, plural, pageHead } from './dom.js';
import { get, listAll } from './api.js';
import { state, isCert, kindLabel, sectorLabel, loadOrgs, orgIndex } from './state.js';
import {
  append, canLaunch, tlpBadge, cardTable, loadWithRetry, loadOrMissing, plainError, byDomain,
} from './guidelines.js';
import { campaignStatusTag } from './page-campaign.js';

function applicability(a) {
  const kinds = a && a.kinds && a.kinds.length ? (Array.isArray(a.kinds) ? a.kinds : String(a.kinds).split(',')) : [];
  const sectors = a && a.sectors && a.sectors.length ? (Array.isArray(a.sectors) ? a.sectors : String(a.sectors).split(',')) : [];
  return [
    ['Kinds of organisation', kinds.length ? kinds.map(kindLabel).join(', ') : 'Every kind', 'kinds'],
    ['Sectors', sectors.length ? sectors.map(sectorLabel).join(', ') : 'Every sector', 'sectors'],
    ['Critical information infrastructure', a && a.cii_only ? 'CII institutions only' : 'Not limited to CII', 'cii_only'],
    ['Minimum CII grade', a && a.min_cii_grade ? `Grade ${a.min_cii_grade} and above` : 'Any grade', 'min_cii_grade'],
  ];
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  const again = () => { while (section.firstChild) section.firstChild.remove(); render(section, ctx); };
  const got = await loadOrMissing(section, 'profile', () => get(`/api/v1/profiles/${encodeURIComponent(id)}`), again,
    { kind: 'Profile', back: ['#/catalogs', 'Back to the guidelines'], title: 'Profile', titleOf: (x) => x.profile.title });
  if (!got || !section.isConnected) return;
  const p = got.profile;
  const ids = new Set(got.control_ids || []);

  const more = await loadWithRetry(section, 'profile’s controls and campaigns', () => Promise.all([
    listAll(`/api/v1/catalogs/${p.catalog_id}/controls`),
    listAll('/api/v1/campaigns', { profile_id: p.id }).catch(() => []),
    loadOrgs().catch(() => []),
    canLaunch() ? get(`/api/v1/profiles/${p.id}/reach`).catch((e) => ({ error: e })) : Promise.resolve(null),
  ]), again);
  if (!more || !section.isConnected) return;
  const [controls, campaigns, orgs, reach] = more;
  const owner = orgIndex(orgs).byId.get(p.owner_org);
  const chosen = controls.filter((c) => ids.has(c.id));

  append(section,
    pageHead({
      path: [['#/catalogs', 'Guidelines'], [`#/catalogs/${p.catalog_id}`, p.catalog_title || 'Catalog']], here: p.title,
      eyebrow: 'Profile',
      title: p.title,
      titleId: 'profile-title',
      ledeId: 'profile-lede',
      lede: [`${plural(p.controls, 'control')} chosen from `, h('a', { href: `#/catalogs/${p.catalog_id}` }, p.catalog_title || 'its catalog'),
        owner ? ` · made by ${owner.name}` : '', p.version ? ` · version ${p.version}` : '', ` · ${fmtDate(p.created_at)} `, tlpBadge(p.tlp)],
    }, canLaunch() ? h('a', { href: `#/campaigns/new?profile=${encodeURIComponent(p.id)}`, class: 'btn btn-primary head-action', id: 'profile-launch' }, 'Launch a campaign') : null));

  // ---------- applicability and reach ----------
  let reachLine = null;
  if (reach && !reach.error) {
    reachLine = h('p', { class: reach.launchable ? 'notice notice-ok' : 'notice notice-warn', id: 'profile-reach' },
      reach.launchable
        ? `A campaign launched by ${state.me.org.name} today would give ${plural(reach.orgs, 'organisation')} an assessment.`
        : `${state.me.org.name} could not launch it as it stands: ${plainError({ message: reach.reason || '' })}`);
  }
  append(section, h('div', { class: 'profile-top' },
    h('section', { class: 'panel', 'aria-labelledby': 'h-applies' },
      h('h2', { id: 'h-applies' }, 'Applies to'),
      h('dl', { class: 'facts', id: 'profile-applies' },
        applicability(p.applies_to).map(([k, v, key]) => [h('dt', null, k), h('dd', { dataset: { field: key } }, v)])),
      reachLine),
    h('section', { class: 'panel panel-flush', 'aria-labelledby': 'h-used' },
      h('h2', { id: 'h-used', class: 'panel-title' }, `Campaigns assessing it (${campaigns.length})`),
      campaigns.length ? cardTable({
        id: 'profile-campaigns', caption: 'Campaigns of this profile', compact: true,
        cols: [{ label: 'Campaign', main: true }, { label: 'Launched by' }, { label: 'Due' }, { label: 'Organisations assessed', cls: 'num' }, { label: 'Status' }],
        rows: campaigns.map((c) => ({
          attrs: { dataset: { campaignId: c.id } },
          cells: [
            isCert(state.me.org) ? h('a', { href: `#/campaigns/${c.id}`, class: 'strong-link' }, c.title) : c.title,
            c.owner_name || '—', fmtDate(c.due_date), String(c.assessments), campaignStatusTag(c.status),
          ],
        })),
      }) : h('p', { class: 'empty' }, 'No campaign has assessed this profile yet.'))));

  // ---------- controls by domain ----------
  const domains = byDomain(chosen);
  const missing = ids.size - chosen.length;
  append(section, h('section', { class: 'panel', 'aria-labelledby': 'h-controls', id: 'profile-controls' },
    h('h2', { id: 'h-controls' }, `Controls (${chosen.length}) in ${plural(domains.length, 'domain')}`),
    missing > 0 ? h('p', { class: 'muted' }, `${plural(missing, 'control')} of the profile could not be found in the catalog.`) : null,
    domains.map((d) => h('div', { class: 'profile-domain', dataset: { domain: d.id } },
      h('h3', { class: 'sub-h' }, `${d.title} (${d.controls.length})`),
      h('ul', { class: 'profile-control-list' }, d.controls.map((c) => h('li', { dataset: { controlId: c.id } },
        h('span', { class: 'control-label' }, c.label || c.id), ' ',
        h('a', { href: `#/catalogs/${p.catalog_id}/controls/${encodeURIComponent(c.id)}` }, c.title),
        c.cii_only ? [' ', h('span', { class: 'badge badge-cii' }, 'CII only')] : null,
        c.weight && c.weight !== 1 ? [' ', h('span', { class: 'badge', title: 'Weight in the score' }, `weight ${c.weight}`)] : null)))))));
}
