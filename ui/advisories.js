// advisories.js - the words and small pieces every advisory page shares: severities, the statuses
// of an organisation's record and the words of each move, TLP levels for advisories, the remediation
// categories, deadlines in words, the badges, what a CSAF document holds (products, vulnerabilities
// with their scores, remediations, references, notes) read for a page, and the record box with its
// status buttons (one click, an optional note). Pages: page-advisories.js (list), page-advisory.js
// (one advisory), page-advisory-new.js (write or revise), page-advisory-import.js (CSAF import),
// page-advisory-status.js (the status dashboard), page-advisory-policy.js, home-advisories.js.
//
//   writesAdvisories(me)        a CERT with the publish permission (writes, imports, publishes)
//   ADV_SEVERITIES, advSeverityLabel(s), advSeverityTag(s)   critical … none, with their meaning
//   ACK_STATUSES, ackStatusLabel(s), ackStatusBadge(s)       a record's statuses in words
//   ackAction(from, to)          the words of the button that moves a record
//   answered(status), acted(status)   past "not acknowledged"; said whether affected
//   answeredCount(c), countSentence(stats)   the counts of GET …/acks/stats in words
//   groupLabel(kind, key), ackShareRows(kind, groups)   "acknowledged, by province/sector" bars
//   versionWords(product)        "< 9.4.2", "9.3.1", "all versions"
//   ADV_TLPS, advTlpBadge(t)     who may see an advisory at each level
//   REMEDIATIONS, remediationLabel(c)
//   recordDueWords(rec)          "Acknowledge by … (in 3 hours)", "Mitigation overdue since …"
//   docParts(csaf)               {notes, products, vulns, remediations, references} of a CSAF document
//   recordBox(adv, rec, {onMoved}) the caller's org's record: its status, what is due, a note and a
//                                button per `next` status
import {
  h, fmtTime, plainError, plural, fmtPercent, uid, labelOf,
} from './dom.js';
import { post } from './api.js';
import { tlpBadge, untilWords, overdueTag } from './incidents.js';
import {
  state, can, isCert, provinceLabel, sectorLabel,
} from './state.js';
import { THIN_BASE } from './guidelines.js';

// Whether the caller writes advisories (a CERT with the publish permission).
export function writesAdvisories(me) { return !!me && isCert(me.org) && can('publish'); }

export const ADV_SEVERITIES = [
  { value: 'critical', label: 'Critical', meaning: 'Exploited or easy to exploit, with severe harm: act at once.' },
  { value: 'high', label: 'High', meaning: 'Serious harm is possible: act within days.' },
  { value: 'medium', label: 'Medium', meaning: 'Harm under some conditions: plan the fix.' },
  { value: 'low', label: 'Low', meaning: 'Little harm is likely: fix in the normal cycle.' },
  { value: 'none', label: 'For information', meaning: 'No direct harm: for your information.' },
];
export function advSeverityLabel(v) { return labelOf(ADV_SEVERITIES, v); }
export function advSeverityTag(v) {
  return h('span', { class: ['tag', 'sev', `sev-${v}`], dataset: { severity: v } }, advSeverityLabel(v));
}

export const ACK_STATUSES = [
  { value: 'delivered', label: 'Not acknowledged', meaning: 'Delivered; nobody has acknowledged it yet.' },
  { value: 'acknowledged', label: 'Acknowledged', meaning: 'Read; whether the organisation is affected is not said yet.' },
  { value: 'not_affected', label: 'Not affected', meaning: 'The organisation does not run what the advisory names.' },
  { value: 'affected', label: 'Affected', meaning: 'The organisation runs what it names and must mitigate.' },
  { value: 'mitigating', label: 'Mitigating', meaning: 'The fix or the workaround is under way.' },
  { value: 'mitigated', label: 'Mitigated', meaning: 'Fixed or worked around.' },
];
export const ACK_KEYS = ACK_STATUSES.map((x) => x.value);
export function ackStatusLabel(v) { return labelOf(ACK_STATUSES, v); }
export function ackStatusBadge(v) {
  return h('span', { class: ['tag', 'ast', `ast-${v}`], dataset: { ackStatus: v } }, ackStatusLabel(v));
}
// Answered: past "not acknowledged". Acted: said whether it is affected (the server's "acted").
export function answered(status) { return !!status && status !== 'delivered'; }
export function acted(status) { return answered(status) && status !== 'acknowledged'; }

// How many records of a count ({total, by_status}: the stats, a province, a sector) are answered.
export function answeredCount(c) { return c.total - (c.by_status.delivered || 0); }

// The counts of the stats (GET …/acks/stats) in one sentence: "12 of 46 organisations
// acknowledged (26%); 8 said whether they are affected: …; 2 overdue."
export function countSentence(st) {
  const ack = answeredCount(st);
  const act = ACK_KEYS.filter(acted).reduce((n, k) => n + (st.by_status[k] || 0), 0);
  const aff = (st.by_status.affected || 0) + (st.by_status.mitigating || 0);
  return [
    h('strong', null, `${ack} of ${plural(st.total, 'organisation')} acknowledged`), ` (${fmtPercent(ack, st.total)}); `,
    `${act} said whether they are affected: ${st.by_status.not_affected || 0} not affected, ${aff} affected and not yet mitigated, ${st.by_status.mitigated || 0} mitigated. `,
    st.overdue ? h('strong', { class: 'overdue' }, `${st.overdue} overdue.`) : 'None is overdue.',
  ];
}

// The bars of "acknowledged, by province / sector" (kind) from the stats' groups: the share
// acknowledged, what it rests on (n of m; thin under THIN_BASE), orange where some are overdue;
// lowest first.
export function groupLabel(kind, key) {
  if (!key || key === 'none') return kind === 'province' ? 'No province' : 'No sector';
  return kind === 'province' ? provinceLabel(key) : sectorLabel(key);
}
export function ackShareRows(kind, groups) {
  return groups.map((g) => {
    const ack = answeredCount(g);
    return {
      key: g.key,
      label: groupLabel(kind, g.key),
      value: g.total ? Math.round((100 * ack) / g.total) : null,
      base: { n: ack, of: g.total, thin: g.total < THIN_BASE },
      highlight: g.overdue > 0,
      note: g.overdue ? `${g.overdue} overdue` : null,
    };
  }).sort((a, b) => (a.value ?? -1) - (b.value ?? -1) || a.label.localeCompare(b.label));
}

// The words of the button that moves a record from `from` to `to`.
export function ackAction(from, to) {
  if (to === 'affected' && from === 'mitigated') return 'Affected again';
  if (to === 'affected' && from === 'mitigating') return 'Back to affected';
  if (to === 'not_affected' && (from === 'affected')) return 'Not affected after all';
  return {
    acknowledged: 'Acknowledge', not_affected: 'Not affected', affected: 'Affected', mitigating: 'Mitigating', mitigated: 'Mitigated',
  }[to] || ackStatusLabel(to);
}

export const ADV_TLPS = [
  { value: 'CLEAR', label: 'TLP:CLEAR', meaning: 'Anyone may see it; it may be published.' },
  { value: 'GREEN', label: 'TLP:GREEN', meaning: 'Every organisation on rabta may see it.' },
  { value: 'AMBER', label: 'TLP:AMBER', meaning: 'The organisations it is published to; a CERT among them may relay it to its constituency.' },
  { value: 'AMBER+STRICT', label: 'TLP:AMBER+STRICT', meaning: 'Only the organisations named one by one; it is never relayed.' },
  { value: 'RED', label: 'TLP:RED', meaning: 'Only the organisations named one by one, for their own eyes; it is never relayed.' },
];
export function advTlpMeaning(v) { return labelOf(ADV_TLPS, v, 'meaning', ''); }
export function advTlpBadge(v) {
  const b = tlpBadge(v);
  b.title = advTlpMeaning(v);
  return b;
}

export const REMEDIATIONS = [
  { value: 'vendor_fix', label: 'Vendor fix' },
  { value: 'mitigation', label: 'Mitigation' },
  { value: 'workaround', label: 'Workaround' },
  { value: 'none_available', label: 'No fix available' },
  { value: 'no_fix_planned', label: 'No fix planned' },
];
export function remediationLabel(v) { return labelOf(REMEDIATIONS, v, 'label', (v || '—').replace(/_/g, ' ')); }

export function advStatusBadge(v) {
  return h('span', { class: ['tag', v === 'draft' ? 'tag-draft' : 'tag-ok'], dataset: { advStatus: v } }, v === 'draft' ? 'Draft' : 'Published');
}

// What is due on a record, in words.
export function recordDueWords(rec) {
  if (!rec) return '';
  if (rec.status === 'delivered') {
    return rec.overdue ? `Acknowledgement overdue since ${fmtTime(rec.ack_due)} (${untilWords(rec.ack_due)})`
      : `Acknowledge by ${fmtTime(rec.ack_due)} (${untilWords(rec.ack_due)})`;
  }
  if (rec.status === 'affected' || rec.status === 'mitigating') {
    if (!rec.mitigate_due) return 'Mitigate as soon as you can';
    return rec.overdue ? `Mitigation overdue since ${fmtTime(rec.mitigate_due)} (${untilWords(rec.mitigate_due)})`
      : `Mitigate by ${fmtTime(rec.mitigate_due)} (${untilWords(rec.mitigate_due)})`;
  }
  if (rec.status === 'acknowledged') return 'Say whether you are affected';
  return 'Nothing due';
}

/* ---------- a CSAF document, read for a page ---------- */

// "< 9.4.2" from a CSAF version range ("vers:generic/<9.4.2"); a version as it is.
export function versionWords(p) {
  if (p.version) return p.version;
  if (!p.range) return 'all versions';
  const m = /^vers:[^/]+\/(.*)$/.exec(p.range);
  return (m ? m[1] : p.range).replace(/\|/g, ', ').replace(/([<>]=?)/g, '$1 ').trim();
}

const noteText = (notes, cat) => (notes || []).filter((n) => !cat || n.category === cat).map((n) => n.text).filter(Boolean);

// The products of a product tree: each leaf of its branches (vendor > product name > version or
// range) and its full product names, by product id.
function productsOf(tree) {
  const out = [];
  const walk = (branches, path) => {
    for (const b of branches || []) {
      const here = { ...path, [b.category]: b.name };
      if (b.product) {
        const help = b.product.product_identification_helper || {};
        out.push({
          id: b.product.product_id,
          name: b.product.name,
          vendor: here.vendor || '',
          product: here.product_name || here.product_family || '',
          version: here.product_version || '',
          range: here.product_version_range || '',
          cpe: help.cpe || '',
          purl: help.purl || '',
        });
      }
      walk(b.branches, here);
    }
  };
  walk(tree && tree.branches, {});
  for (const p of out) p.label = p.product ? `${p.vendor ? `${p.vendor} ` : ''}${p.product} ${versionWords(p)}` : p.name;
  for (const p of (tree && tree.full_product_names) || []) {
    const help = p.product_identification_helper || {};
    out.push({
      id: p.product_id, name: p.name, label: p.name, vendor: '', product: '', version: '', range: '', cpe: help.cpe || '', purl: help.purl || '',
    });
  }
  return out;
}

// The highest CVSS base score of a vulnerability, with its severity and vector (or null).
function scoreOf(v) {
  let best = null;
  for (const s of v.scores || []) {
    for (const key of ['cvss_v3', 'cvss_v2']) {
      const c = s[key];
      if (c && typeof c.baseScore === 'number' && (!best || c.baseScore > best.score)) {
        best = {
          score: c.baseScore, severity: c.baseSeverity || '', vector: c.vectorString || '', version: key === 'cvss_v3' ? `CVSS ${c.version || '3'}` : 'CVSS 2',
        };
      }
    }
  }
  return best;
}

export function docParts(doc) {
  const d = (doc && doc.document) || {};
  const products = productsOf(doc && doc.product_tree);
  const byId = Object.fromEntries(products.map((p) => [p.id, p]));
  const names = (ids) => (ids || []).map((id) => (byId[id] ? byId[id].label : id));
  const vulns = ((doc && doc.vulnerabilities) || []).map((v) => ({
    cve: v.cve || '',
    title: v.title || '',
    description: noteText(v.notes, 'description').join('\n\n') || noteText(v.notes).join('\n\n'),
    cwe: v.cwe ? `${v.cwe.id}: ${v.cwe.name}` : '',
    score: scoreOf(v),
    affected: names(v.product_status && v.product_status.known_affected),
    fixed: names(v.product_status && v.product_status.fixed),
    remediations: (v.remediations || []).map((r) => ({
      category: r.category, details: r.details || '', url: r.url || '', products: names(r.product_ids),
    })),
  }));
  // one remediation told for several vulnerabilities is listed once, with their CVEs
  const rem = new Map();
  for (const v of vulns) {
    for (const r of v.remediations) {
      const k = `${r.category}|${r.details}|${r.url}`;
      if (!rem.has(k)) rem.set(k, { ...r, cves: [] });
      if (v.cve) rem.get(k).cves.push(v.cve);
    }
  }
  return {
    title: d.title || '',
    summary: noteText(d.notes, 'summary'),
    notes: (d.notes || []).filter((n) => n.category !== 'summary' && n.text),
    publisher: d.publisher ? d.publisher.name : '',
    products,
    vulns,
    remediations: [...rem.values()],
    references: (d.references || []).filter((r) => r.url),
  };
}

/* ---------- the caller's org's record, with its buttons ---------- */

// recordBox(adv, rec, {onMoved(after, to)}): the record's status and what is due, an optional note
// and a button per rec.next (one click moves it; the note goes with it). Without the `read`
// permission (every role has it) or a next status, it only says where the record stands.
export function recordBox(adv, rec, { onMoved, note: lastNote } = {}) {
  const noteId = uid('ack-note');
  const note = h('textarea', {
    id: noteId, name: 'note', rows: 2, maxlength: 2000, 'aria-describedby': `${noteId}-hint`,
  });
  const out = h('p', { class: 'form-status', role: 'status', id: 'ack-status' });
  const err = h('p', { class: 'field-error', id: 'ack-error', hidden: true, role: 'alert' });
  const buttons = (rec.next || []).map((to) => {
    const b = h('button', {
      type: 'button', class: ['btn', to === rec.next[0] ? 'btn-primary' : null], dataset: { status: to },
    }, ackAction(rec.status, to));
    b.addEventListener('click', async () => {
      err.hidden = true;
      for (const x of buttons) x.disabled = true;
      try {
        const body = { status: to };
        if (note.value.trim()) body.note = note.value.trim();
        const after = await post(`/api/v1/advisories/${adv.id}/acks`, body);
        if (onMoved) onMoved(after, to);
      } catch (e) {
        for (const x of buttons) x.disabled = false;
        err.textContent = plainError(e);
        err.hidden = false;
      }
    });
    return b;
  });
  const may = can('read') && buttons.length;
  return h('div', { class: ['record-box', rec.overdue ? 'is-overdue' : null], id: 'my-record', dataset: { status: rec.status } },
    h('p', { class: 'record-now' }, h('span', { class: 'record-label' }, 'Now: '), ackStatusBadge(rec.status),
      rec.likely_affected ? h('span', { class: 'tag tag-warn' }, 'likely affected') : null,
      rec.overdue ? overdueTag() : null),
    h('p', { class: ['record-due', rec.overdue ? 'overdue' : null], id: 'record-due' }, recordDueWords(rec)),
    rec.matched ? h('p', { class: 'hint', id: 'record-matched' }, 'Likely affected, from ',
      state.me ? h('a', { href: `#/orgs/${state.me.org.id}/inventory`, id: 'record-inventory-link' }, 'your inventory') : 'your inventory',
      `: ${rec.matched}.`) : null,
    lastNote ? h('p', { class: 'record-note', id: 'record-note' }, h('span', { class: 'record-label' }, 'Last note: '), lastNote) : null,
    may ? [
      h('div', { class: 'field record-note-field' },
        h('label', { for: noteId }, 'Note (optional)'), note,
        h('p', { class: 'hint', id: `${noteId}-hint` }, 'Goes with the button you press, e.g. “two gateways run 9.3; patched tonight”. Your CERT and the CERTs above it read it.')),
      h('div', { class: 'action-buttons record-actions', id: 'record-actions' }, buttons),
      err, out,
    ] : h('p', { class: 'muted' }, rec.status === 'mitigated' ? 'Nothing more to do unless the advisory is revised.' : 'Nothing to change.'));
}
