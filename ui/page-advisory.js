// One advisory (#/advisories/{id}): its head (tracking id, version, severity, TLP, the highest
// score), what the caller may do — the owner publishes a draft (a dialog: to its constituency or to
// named organisations, with an org picker) and revises it; a recipient moves its record (a button
// per `my_record.next`, an optional note: one or two clicks); a recipient CERT relays a TLP:AMBER
// advisory to its constituency; CERTs open the status dashboard —, then the summary, the products,
// the vulnerabilities with their scores, the remediations, the references (all read from the CSAF
// document) and the revision history.
import {
  h, fmtTime, fmtDate, plural, loadInto, loadFirst, banner, confirmDialog, plainError, dataTable, pageHead, uid,
} from './dom.js';
import { get, post, listAll } from './api.js';
import {
  state, can, isCert, loadOrgs, kindLabel, provinceLabel,
} from './state.js';
import {
  advSeverityTag, advTlpBadge, advStatusBadge, advSeverityLabel, advTlpMeaning, ackStatusLabel, docParts, recordBox,
  remediationLabel, versionWords, answeredCount, countSentence,
} from './advisories.js';
import { overdueTag } from './incidents.js';

const STRICT = ['AMBER+STRICT', 'RED'];

function panel(key, title, ...body) {
  return h('section', { class: 'panel', 'aria-labelledby': `h-${key}`, id: `${key}-panel` },
    h('div', { class: 'panel-h' }, h('h2', { id: `h-${key}` }, title)), body);
}

function extLink(url, text) {
  return h('a', { href: url, rel: 'noopener noreferrer', target: '_blank', class: 'ext-link' }, text || url);
}

function productsPanel(parts) {
  if (!parts.products.length) return panel('products', 'Products', h('p', { class: 'muted' }, 'The document names no product.'));
  return panel('products', `Products (${parts.products.length})`,
    h('div', { class: 'table-wrap' }, dataTable({
      id: 'products-table', compact: true, caption: 'Affected products',
      cols: ['Product', 'Vendor', 'Versions', 'Identifier'],
      body: parts.products.map((p) => h('tr', { dataset: { productId: p.id } },
        h('td', { class: 'card-title' }, p.product || p.name),
        h('td', null, p.vendor || '—'),
        h('td', null, versionWords(p)),
        h('td', { class: 'ident' }, p.cpe || p.purl ? h('code', null, p.cpe || p.purl) : '—'))),
    })));
}

function scoreWords(sc) {
  if (!sc) return 'No score given';
  return `${sc.score.toFixed(1)}${sc.severity ? ` ${sc.severity.charAt(0)}${sc.severity.slice(1).toLowerCase()}` : ''} (${sc.version})`;
}

function vulnsPanel(parts) {
  return panel('vulns', `Vulnerabilities (${parts.vulns.length})`,
    h('ul', { class: 'vuln-list', id: 'vuln-list' }, parts.vulns.map((v) => h('li', { class: 'vuln', dataset: { cve: v.cve } },
      h('h3', { class: 'vuln-h' }, v.cve ? h('span', { class: 'vuln-cve' }, v.cve) : null, v.title && v.title !== v.cve ? h('span', { class: 'vuln-title' }, v.title) : null),
      h('dl', { class: 'facts vuln-facts' },
        h('dt', null, 'Score'), h('dd', { class: 'vuln-score', dataset: { score: v.score ? v.score.score : '' } }, scoreWords(v.score),
          v.score && v.score.vector ? h('code', { class: 'vector' }, v.score.vector) : null),
        v.cwe ? [h('dt', null, 'Weakness'), h('dd', null, v.cwe)] : null,
        v.affected.length ? [h('dt', null, 'Affects'), h('dd', null, v.affected.join('; '))] : null,
        v.fixed.length ? [h('dt', null, 'Fixed in'), h('dd', null, v.fixed.join('; '))] : null),
      v.description && v.description !== v.title ? h('p', { class: 'prose vuln-desc' }, v.description) : null))));
}

function remediationsPanel(parts) {
  const several = parts.vulns.length > 1;
  return panel('remediations', 'What to do',
    parts.remediations.length
      ? h('ul', { class: 'remedy-list', id: 'remedy-list' }, parts.remediations.map((r) => h('li', { class: 'remedy', dataset: { category: r.category } },
        h('span', { class: ['tag', `rem-${r.category}`] }, remediationLabel(r.category)),
        h('p', { class: 'prose remedy-details' }, r.details),
        r.url ? h('p', { class: 'remedy-url' }, extLink(r.url)) : null,
        several && r.cves.length ? h('p', { class: 'hint' }, `For ${r.cves.join(', ')}`) : null)))
      : h('p', { class: 'muted', id: 'no-remedy' }, 'The advisory gives no remediation yet.'));
}

function referencesPanel(parts) {
  if (!parts.references.length) return null;
  return panel('references', 'References',
    h('ul', { class: 'link-list ref-list', id: 'ref-list' }, parts.references.map((r) => h('li', null,
      extLink(r.url, r.summary || r.url), r.summary ? h('span', { class: 'muted ref-url' }, r.url) : null))));
}

function summaryPanel(parts) {
  return panel('summary', 'Summary',
    parts.summary.length ? parts.summary.map((t) => h('p', { class: 'prose adv-summary' }, t)) : h('p', { class: 'muted' }, 'No summary is given.'),
    parts.notes.map((n) => [h('h3', { class: 'sub-h' }, n.title || n.category), h('p', { class: 'prose' }, n.text)]));
}

function revisionsPanel(id) {
  const box = h('div', { class: 'state-box' });
  const p = panel('revisions', 'Revision history', box);
  const load = () => loadInto(box, {
    what: 'the revision history',
    load: () => listAll(`/api/v1/advisories/${id}/revisions`),
    render: (items) => h('ol', { class: 'history-list revision-list', id: 'revision-list' }, items.map((r) => h('li', { class: 'history-item', dataset: { revision: r.revision, material: r.material ? 'true' : 'false' } },
      h('span', { class: 'history-what' }, `Version ${r.version}`, r.material ? h('span', { class: 'tag tag-warn' }, 'acknowledge again') : null),
      h('span', { class: 'history-comment' }, r.summary || '—'),
      h('span', { class: 'history-meta' }, `${fmtTime(r.created_at)}${r.created_by ? ` · ${r.created_by}` : ''}`)))),
  });
  return [p, load];
}

// The org picker of the publish dialog: a filter box and a checkbox per organisation.
function orgPicker(orgs) {
  const fid = uid('org-filter');
  const filter = h('input', { type: 'search', id: fid, autocomplete: 'off', placeholder: 'Type part of a name' });
  const count = h('p', { class: 'hint', role: 'status', id: 'picker-count' }, 'None chosen.');
  const items = orgs.map((o) => {
    const cid = uid('pick');
    const box = h('input', { type: 'checkbox', id: cid, value: o.id, dataset: { name: o.name } });
    const li = h('li', { class: 'pick-item' }, box, h('label', { for: cid }, o.name, h('span', { class: 'muted' }, ` · ${kindLabel(o.kind)}${o.province ? `, ${provinceLabel(o.province)}` : ''}`)));
    li.box = box;
    li.words = `${o.name} ${o.short_name || ''} ${kindLabel(o.kind)} ${provinceLabel(o.province)}`.toLowerCase();
    return li;
  });
  const list = h('ul', { class: 'pick-list', id: 'org-pick-list', 'aria-label': 'Organisations' }, items);
  const chosen = () => items.filter((li) => li.box.checked).map((li) => li.box.value);
  list.addEventListener('change', () => {
    const n = chosen().length;
    count.textContent = n ? `${plural(n, 'organisation')} chosen.` : 'None chosen.';
  });
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const li of items) li.hidden = !!q && !li.words.includes(q) && !li.box.checked;
  });
  const el = h('div', { class: 'org-picker', id: 'org-picker' },
    h('div', { class: 'field' }, h('label', { for: fid }, 'Find an organisation'), filter), list, count);
  el.chosen = chosen;
  return el;
}

async function publishDialog(adv, me) {
  const strict = STRICT.includes(adv.tlp);
  const orgs = (await loadOrgs()).filter((o) => o.id !== me.org.id).sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  const name = uid('scope');
  const radio = (value, label, hint, disabled) => {
    const rid = uid('scope');
    return h('div', { class: 'radio-choice' },
      h('input', {
        type: 'radio', name, id: rid, value, disabled: disabled || null, checked: (strict ? value === 'orgs' : value === 'subtree') || null,
      }),
      h('label', { for: rid }, label, h('span', { class: 'hint' }, hint)));
  };
  const picker = orgPicker(orgs);
  const scopes = h('fieldset', { class: 'fieldset scope-choice' }, h('legend', null, 'Who gets it'),
    radio('subtree', `Our constituency: every organisation below ${me.org.name}`, strict
      ? `Not for TLP:${adv.tlp}: it goes to named organisations only.`
      : 'Each one gets a record to acknowledge, with deadlines from the advisory deadlines.', strict),
    radio('orgs', 'Named organisations', adv.tlp === 'AMBER' ? 'Only those you tick below; a CERT among them may relay it to its constituency.' : 'Only those you tick below.'));
  const scope = () => (scopes.querySelector('input:checked') || {}).value;
  const sync = () => { picker.hidden = scope() !== 'orgs'; };
  scopes.addEventListener('change', sync);
  sync();
  const ok = await confirmDialog({
    title: `Publish ${adv.tracking_id}?`,
    body: [
      `Once published it cannot be taken back: every organisation it reaches sees it and must acknowledge it. ${advTlpMeaning(adv.tlp)}`,
      scopes, picker,
    ],
    confirm: 'Publish', name: 'publish', wide: true,
    validate: () => (scope() === 'orgs' && !picker.chosen().length ? 'Tick at least one organisation, or choose your constituency.' : null),
  });
  if (!ok) return null;
  return scope() === 'orgs' ? { scope: 'orgs', org_ids: picker.chosen() } : { scope: 'subtree' };
}

// The counts of the records a CERT may see, in one sentence, with the link to the dashboard.
function statusSummary(adv, st) {
  return [
    h('p', { class: 'say', id: 'status-summary', dataset: { total: st.total, answered: answeredCount(st), overdue: st.overdue } }, countSentence(st)),
    st.likely_affected ? h('p', { class: 'say' }, `${plural(st.likely_affected, 'organisation')} likely affected by their inventory; ${st.likely_affected_not_acted} of them have not said whether they are.`) : null,
    h('a', { class: 'btn', href: `#/advisories/${adv.id}/status`, id: 'status-link' }, 'Status of every organisation'),
  ];
}

export async function render(section, ctx) {
  const id = ctx.params[0];
  const me = state.me;
  const adv = await loadFirst(section, 'the advisory', () => get(`/api/v1/advisories/${id}`), { title: 'Advisory', titleOf: (a) => `${a.tracking_id} · Advisories` });
  if (!adv) return;
  const reload = () => ctx.navigate(`#/advisories/${id}`);
  const rec = adv.my_record;
  const draft = adv.status === 'draft';
  const cert = isCert(me.org);

  section.append(...pageHead({
    path: [['#/advisories', 'Advisories']], here: adv.tracking_id, className: 'incident-head advisory-head',
    eyebrow: [adv.tracking_id, ` · version ${adv.version}`, adv.source === 'imported' ? ' · imported CSAF' : ''],
    title: adv.title,
    titleId: 'advisory-title',
  },
    h('p', { class: 'incident-badges', id: 'advisory-badges' },
      advSeverityTag(adv.severity), advTlpBadge(adv.tlp), draft ? advStatusBadge('draft') : null,
      adv.max_score ? h('span', { class: 'tag tag-info', id: 'max-score' }, `highest CVSS ${adv.max_score.toFixed(1)}`) : null,
      rec && rec.overdue ? overdueTag() : null),
    h('p', { class: 'lede', id: 'advisory-from' }, draft
      ? `A draft of ${adv.owner ? 'your CERT' : adv.owner_org_name}: nobody else sees it until it is published.`
      : [`From ${adv.owner ? 'your CERT' : adv.owner_org_name}, published ${fmtDate(adv.published_at)}`,
        adv.revision > 1 ? `; revised ${fmtDate(adv.current_release)}` : '', '.'])));

  // ---------- actions ----------
  const actions = h('div', { class: 'action-buttons', id: 'advisory-actions' });
  if (adv.owner && draft && can('publish')) {
    const b = h('button', { type: 'button', class: 'btn btn-primary', id: 'publish-btn' }, 'Publish');
    b.addEventListener('click', async () => {
      let body;
      try { body = await publishDialog(adv, me); } catch (err) { banner(plainError(err), { tone: 'error' }); return; }
      if (!body) return;
      b.disabled = true;
      try {
        await post(`/api/v1/advisories/${id}/publish`, body);
        banner(`${adv.tracking_id} is published ${body.scope === 'subtree' ? 'to your constituency' : `to ${plural(body.org_ids.length, 'organisation')}`}: each one gets it in its inbox to acknowledge.`, { tone: 'ok', next: true });
        reload();
      } catch (err) { b.disabled = false; banner(plainError(err), { tone: 'error' }); }
    });
    actions.append(b);
  }
  if (adv.owner && can('publish') && adv.source === 'authored') {
    actions.append(h('a', { class: 'btn', href: `#/advisories/${id}/revise`, id: 'revise-link' }, draft ? 'Change the draft' : 'Revise'));
  }
  if (cert && !draft) actions.append(h('a', { class: 'btn', href: `#/advisories/${id}/status`, id: 'status-btn' }, 'Status dashboard'));

  // relaying: a recipient CERT passes a TLP:AMBER advisory on to its constituency
  let relay = null;
  if (!adv.owner && cert && !draft && adv.tlp === 'AMBER' && can('share')) {
    relay = h('div', { class: 'relay', id: 'relay-box' });
    const fill = async () => {
      let grants = [];
      try { grants = await listAll(`/api/v1/advisories/${id}/grants`); } catch (e) { /* offer it; the server says if it is done */ }
      const done = grants.find((g) => g.org_id === me.org.id && g.scope === 'subtree');
      if (done) {
        relay.append(h('p', { class: 'muted', id: 'relayed' }, `Relayed to your constituency ${fmtTime(done.created_at)}${done.granted_by ? ` by ${done.granted_by}` : ''}.`));
        return;
      }
      const b = h('button', { type: 'button', class: 'btn', id: 'relay-btn' }, 'Relay to our constituency');
      b.addEventListener('click', async () => {
        const ok = await confirmDialog({
          title: `Relay ${adv.tracking_id} to your constituency?`,
          body: `Every organisation below ${me.org.name} gets it in its inbox with a record to acknowledge. TLP:AMBER lets a recipient share it with those who need to know.`,
          confirm: 'Relay', name: 'relay',
        });
        if (!ok) return;
        b.disabled = true;
        try {
          await post(`/api/v1/advisories/${id}/grants`, { org_id: me.org.id, scope: 'subtree' });
          banner(`${adv.tracking_id} is relayed: every organisation below ${me.org.name} has it to acknowledge.`, { tone: 'ok', next: true });
          reload();
        } catch (err) { b.disabled = false; banner(plainError(err), { tone: 'error' }); }
      });
      relay.append(b);
    };
    fill();
  }

  // ---------- the caller's record ----------
  let record = null;
  if (rec) {
    const recBox = h('div', { class: 'state-box' });
    record = panel('record', 'Your organisation’s answer', recBox);
    loadInto(recBox, {
      what: 'your record',
      // the note is in the record list (the caller's own record is among those it may see)
      load: () => get(`/api/v1/advisories/${id}/acks`, { limit: 500 }).then((p) => p.items.find((x) => x.org_id === me.org.id) || null).catch(() => null),
      render: (full) => recordBox(adv, { ...rec, matched: full ? full.matched : null }, {
        note: full && full.note,
        onMoved: (after, to) => {
          const now = after && after.my_record;
          banner(`${adv.tracking_id}: your organisation’s answer is now “${ackStatusLabel(to)}”.${now && now.status === 'affected' && now.mitigate_due ? ` Mitigate by ${fmtTime(now.mitigate_due)}.` : ''}`, { tone: 'ok', next: true });
          reload();
        },
      }),
    });
  }

  // ---------- counts for CERTs ----------
  let counts = null;
  if (cert && !draft) {
    const cbox = h('div', { class: 'state-box' });
    counts = panel('counts', adv.owner ? 'Acknowledgement' : 'Your constituency', cbox);
    loadInto(cbox, {
      what: 'the counts', load: () => get(`/api/v1/advisories/${id}/acks/stats`), isEmpty: (st) => !st.total, empty: 'No organisation you may see has a record of it.', render: (st) => statusSummary(adv, st),
    });
  }

  // ---------- the document ----------
  const docBox = h('div', { class: 'state-box advisory-doc', id: 'advisory-doc' });
  const [revisions, loadRevisions] = revisionsPanel(id);
  if (relay) actions.append(relay);
  if (actions.children.length) section.append(h('div', { class: 'action-bar incident-bar' }, actions));
  section.append(
    h('div', { class: 'incident-layout' },
      h('div', { class: 'incident-main' }, record, docBox),
      h('div', { class: 'incident-side' }, counts, factsPanel(adv), revisions)));
  await Promise.all([
    loadInto(docBox, {
      what: 'the advisory’s document',
      load: () => get(`/api/v1/advisories/${id}/csaf`),
      render: (doc) => {
        const parts = docParts(doc);
        return [summaryPanel(parts), remediationsPanel(parts), vulnsPanel(parts), productsPanel(parts), referencesPanel(parts)];
      },
    }),
    loadRevisions(),
  ]);
}

function factsPanel(adv) {
  const rows = [
    ['Tracking id', adv.tracking_id],
    ['Severity', `${advSeverityLabel(adv.severity)}`],
    ['Who may see it', [advTlpBadge(adv.tlp), ` ${advTlpMeaning(adv.tlp)}`]],
    ['CVEs', adv.cves || '—'],
    ['Written by', `${adv.owner_org_name}${adv.created_by ? ` (${adv.created_by})` : ''}`],
    ['First released', fmtTime(adv.initial_release)],
    adv.revision > 1 ? ['This version', `${adv.version}, ${fmtTime(adv.current_release)}`] : null,
    adv.published_at ? ['Published on rabta', fmtTime(adv.published_at)] : null,
  ].filter(Boolean);
  return panel('facts', 'Details', h('dl', { class: 'facts incident-facts', id: 'advisory-facts' }, rows.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    h('p', { class: 'csaf-download' }, h('a', { href: `/api/v1/advisories/${adv.id}/csaf`, download: `${adv.tracking_id}.json`, id: 'csaf-link' }, 'Download the CSAF 2.0 document')));
}
