// One control of a catalog: statement, guidance and assessment objectives (parameters are already
// resolved by the server).
import { h, pageHead } from './dom.js';
import { get } from './api.js';
import { append } from './guidelines.js';

const CSF = { GV: 'Govern', ID: 'Identify', PR: 'Protect', DE: 'Detect', RS: 'Respond', RC: 'Recover' };

export async function render(section, ctx) {
  const [catalogId, controlId] = ctx.params;
  document.title = 'Control · rabta';
  let c;
  let cat;
  try {
    [c, cat] = await Promise.all([
      get(`/api/v1/catalogs/${encodeURIComponent(catalogId)}/controls/${encodeURIComponent(controlId)}`),
      get(`/api/v1/catalogs/${encodeURIComponent(catalogId)}`),
    ]);
  } catch (err) {
    if (err.status === 404) {
      append(section, h('h1', { tabindex: '-1' }, 'Control not found'),
        h('p', { class: 'notice' }, 'There is no such control in this catalog, or your organisation may not read it. ',
          h('a', { href: `#/catalogs/${catalogId}` }, 'Back to the catalog'), '.'));
      return;
    }
    throw err;
  }
  if (!section.isConnected) return;
  document.title = `${c.label || c.id} ${c.title} · rabta`;
  const domainHref = `#/catalogs/${catalogId}?domain=${encodeURIComponent(c.domain_id)}`;

  const facts = [
    ['Domain', h('a', { href: domainHref }, c.domain_title || c.domain_id), 'domain'],
    ['Identifier', h('code', null, c.id), 'id'],
  ];
  if (c.csf_function) facts.push(['NIST CSF function', `${CSF[c.csf_function] || c.csf_function} (${c.csf_function})`, 'csf']);
  if (c.weight !== undefined && c.weight !== null) facts.push(['Weight in the score', String(c.weight), 'weight']);
  facts.push(['Applies', c.cii_only ? 'Critical information infrastructure only' : 'Every organisation the profile covers', 'cii_only']);
  if (c.enhancement) facts.push(['Kind', 'Control enhancement', 'enhancement']);

  append(section,
    pageHead({
      path: [['#/catalogs', 'Guidelines'], [`#/catalogs/${catalogId}`, cat.catalog.title], [domainHref, c.domain_title || c.domain_id]],
      here: c.label || c.id,
      eyebrow: c.label || c.id,
      title: c.title,
      titleId: 'control-title',
    }),
    h('div', { class: 'control-layout' },
      h('div', null,
        h('section', { class: 'panel', 'aria-labelledby': 'h-statement' },
          h('h2', { id: 'h-statement' }, 'Statement'),
          h('p', { class: 'prose', id: 'control-statement' }, c.statement || '—')),
        h('section', { class: 'panel', 'aria-labelledby': 'h-guidance' },
          h('h2', { id: 'h-guidance' }, 'Guidance'),
          c.guidance ? h('p', { class: 'prose', id: 'control-guidance' }, c.guidance) : h('p', { class: 'muted' }, 'This control has no guidance.')),
        h('section', { class: 'panel', 'aria-labelledby': 'h-objectives' },
          h('h2', { id: 'h-objectives' }, 'Assessment objectives'),
          c.objectives ? h('p', { class: 'prose', id: 'control-objectives' }, c.objectives)
            : h('p', { class: 'muted' }, 'The catalog states no separate objectives: assess the statement above.'))),
      h('aside', { class: 'panel', 'aria-labelledby': 'h-about' },
        h('h2', { id: 'h-about' }, 'About this control'),
        h('dl', { class: 'facts facts-1', id: 'control-facts' },
          facts.map(([k, v, key]) => [h('dt', null, k), h('dd', { dataset: { field: key } }, v)])))));
}
