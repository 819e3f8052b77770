// Report an incident (#/incidents/new): what a focal person fills in under a minute, also on a phone.
// Title, what happened, the kind (ENISA class) then its type with the type's description, the
// severity with what each level means, when it was detected (default now), CII involved (ticked
// when the affected org is a CII), affected services, TLP (default AMBER) with who sees it at each
// level. A CERT analyst may report about an org of its constituency. The server's refusals are shown
// at their field in plain words; after reporting, the incident's page says who handles it now.
import { h, replace, banner, pageHead } from './dom.js';
import { get, post } from './api.js';
import { field, form } from './forms.js';
import {
  state, can, isCert, loadOrgs, orgIndex, descendants, kindLabel,
} from './state.js';
import { SEVERITIES, TLPS, HANDLING_RULES, tlpMeaning } from './incidents.js';

let taxonomyCache = null;
export async function loadTaxonomy() {
  if (!taxonomyCache) taxonomyCache = await get('/api/v1/taxonomy/rsit');
  return taxonomyCache;
}

// "2026-12-01T10:18" in the browser's local time, for a datetime-local control.
function localNow() {
  const d = new Date();
  d.setSeconds(0, 0);
  const off = d.getTimezoneOffset() * 60000;
  return new Date(d.getTime() - off).toISOString().slice(0, 16);
}

// A datetime-local value -> RFC 3339 UTC; anything else is sent as typed (the server says what is wrong).
function toUtc(v) {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The words of the banner shown on the incident's page after reporting.
export function reportedWords(inc) {
  const hist = inc.handling_history || [];
  const last = hist[hist.length - 1];
  let why = '';
  if (hist.length > 1 && last && last.rule !== 'reported') {
    why = ` It was escalated at once (${(HANDLING_RULES[last.rule] || last.rule).replace(/^escalated: /, '')}).`;
  }
  return `${inc.reference} is reported. ${inc.handling_org_name} handles it now and must acknowledge it.${why}`;
}

export async function render(section, ctx) {
  document.title = 'Report an incident · rabta';
  const me = state.me;
  section.append(...pageHead({
    path: [['#/incidents', 'Incidents']], here: 'Report an incident',
    eyebrow: 'Incidents',
    title: 'Report an incident',
    lede: 'Say what happened as far as you know it now; you can add details, files and comments afterwards.',
  }));
  if (!can('report')) {
    section.append(h('p', { class: 'notice' }, 'Your role does not report incidents. Ask a focal person or an analyst of your organisation.'));
    return;
  }

  const [tax, orgs] = await Promise.all([loadTaxonomy(), isCert(me.org) ? loadOrgs() : Promise.resolve(null)]);
  if (!section.isConnected) return;

  // --- the affected org (a CERT about its constituency) ---
  let orgChoices = [me.org];
  if (orgs) {
    const { kids } = orgIndex(orgs);
    orgChoices = [me.org, ...descendants(kids, me.org.id).sort((a, b) => a.name.localeCompare(b.name))];
  }
  const fOrg = orgChoices.length > 1 ? field({
    name: 'org_id', label: 'Affected organisation', type: 'select', value: me.org.id,
    hint: 'The organisation the incident happened to. Its CERT handles it.',
    options: orgChoices.map((o) => ({ value: o.id, label: o.id === me.org.id ? `${o.name} (yours)` : `${o.name} — ${kindLabel(o.kind)}${o.cii ? ', CII' : ''}` })),
  }) : null;

  const fTitle = field({ name: 'title', label: 'Title', required: true, maxlength: 500, autocomplete: 'off', hint: 'In a few words, e.g. “Ransomware on the billing server”.' });
  const fDesc = field({ name: 'description', label: 'What happened', type: 'textarea', rows: 4, hint: 'What you saw, when, and what you have done so far.' });

  // --- kind, then type ---
  const fClass = field({
    name: 'rsit_class', label: 'Kind of incident', type: 'select', required: true, value: '',
    options: [{ value: '', label: 'Choose the kind…' }, ...tax.classes.map((c) => ({ value: c.id, label: c.label }))],
  });
  const classNote = h('p', { class: 'hint taxo-note', id: 'class-note', 'aria-live': 'polite' });
  fClass.append(classNote);
  const fType = field({ name: 'rsit_type', label: 'Type', type: 'select', required: true, value: '', options: [{ value: '', label: 'Choose the kind first' }] });
  const typeNote = h('p', { class: 'hint taxo-note', id: 'type-note', 'aria-live': 'polite' });
  fType.append(typeNote);
  fType.control.setAttribute('aria-describedby', `${fType.control.getAttribute('aria-describedby')} type-note`);
  fClass.control.setAttribute('aria-describedby', `${fClass.control.getAttribute('aria-describedby')} class-note`);
  const syncType = () => {
    const t = (tax.classes.find((c) => c.id === fClass.control.value) || { types: [] }).types.find((x) => x.id === fType.control.value);
    typeNote.textContent = t ? t.description : '';
  };
  const syncClass = () => {
    const c = tax.classes.find((x) => x.id === fClass.control.value);
    classNote.textContent = c && c.description && c.description !== `${c.label}.` ? c.description : '';
    replace(fType.control,
      h('option', { value: '' }, c ? 'Choose the type…' : 'Choose the kind first'),
      c ? c.types.map((t) => h('option', { value: t.id }, t.label)) : null);
    fType.control.disabled = !c;
    if (c && c.types.length === 1) fType.control.value = c.types[0].id;
    syncType();
  };
  fClass.control.addEventListener('change', syncClass);
  fType.control.addEventListener('change', syncType);
  syncClass();

  // --- severity ---
  const fSev = field({
    name: 'severity', label: 'Severity', type: 'select', required: true, value: '',
    options: [{ value: '', label: 'Choose the severity…' }, ...SEVERITIES.map((x) => ({ value: x.value, label: `${x.label} — ${x.meaning}` }))],
  });
  const sevNote = h('p', { class: 'hint', id: 'severity-note', 'aria-live': 'polite' });
  fSev.append(sevNote);
  // the chosen level's meaning in full (a phone cuts the option's text)
  const syncSev = () => {
    const x = SEVERITIES.find((y) => y.value === fSev.control.value);
    sevNote.textContent = `${x ? `${x.label}: ${x.meaning} ` : ''}Severe and emergency incidents go up to the National CERT at once.`;
  };
  fSev.control.addEventListener('change', syncSev);
  syncSev();

  const fDetected = field({
    name: 'detected_at', label: 'When it was detected', type: 'datetime-local', value: localNow(),
    hint: 'Your local time; leave it if you found it just now. The deadlines count from here.',
  });
  const fCii = field({
    name: 'cii_involved', label: 'Critical information infrastructure (CII) is involved', type: 'checkbox',
    hint: 'Ticked for a designated CII organisation. A CII incident goes up to the National CERT at once.',
  });
  const ciiOf = (id) => {
    const o = orgChoices.find((x) => x.id === id) || me.org;
    return !!o.cii;
  };
  fCii.control.checked = ciiOf(me.org.id);
  if (fOrg) fOrg.control.addEventListener('change', () => { fCii.control.checked = ciiOf(fOrg.control.value); });
  const fServices = field({ name: 'affected_services', label: 'Affected services', maxlength: 4000, autocomplete: 'off', hint: 'Optional, e.g. “e-mail, patient records portal”.' });

  // --- TLP ---
  const fTlp = field({
    name: 'tlp', label: 'Who may see it (TLP)', type: 'select', value: 'AMBER',
    options: TLPS.map((x) => ({ value: x.value, label: x.value === 'AMBER' ? `${x.label} (usual)` : x.label })),
  });
  const tlpNote = h('p', { class: 'hint', id: 'tlp-note', 'aria-live': 'polite' });
  const tlpWarn = h('p', { class: 'notice notice-warn tlp-warn', id: 'tlp-warn', hidden: true },
    'An AMBER+STRICT or RED incident is never escalated: the CERTs above your CERT do not see it, even when it is serious or overdue, unless you share it with them yourself.');
  fTlp.append(tlpNote, tlpWarn);
  fTlp.control.setAttribute('aria-describedby', `${fTlp.control.getAttribute('aria-describedby')} tlp-note`);
  const syncTlp = () => {
    tlpNote.textContent = tlpMeaning(fTlp.control.value);
    tlpWarn.hidden = !['AMBER+STRICT', 'RED'].includes(fTlp.control.value);
  };
  fTlp.control.addEventListener('change', syncTlp);
  syncTlp();

  const cancel = h('a', { class: 'btn', href: '#/incidents' }, 'Cancel');
  const f = form({
    class: 'incident-form',
    ariaLabel: 'Report an incident',
    submitLabel: 'Report the incident',
    extraActions: cancel,
    async onSubmit(v) {
      const body = {
        title: v.title.trim(),
        rsit_class: v.rsit_class || undefined,
        rsit_type: v.rsit_type || undefined,
        severity: v.severity || undefined,
        cii_involved: !!v.cii_involved,
        tlp: v.tlp || 'AMBER',
      };
      if (v.description.trim()) body.description = v.description;
      if (v.affected_services.trim()) body.affected_services = v.affected_services.trim();
      const det = toUtc(v.detected_at);
      if (det) body.detected_at = det;
      if (fOrg && v.org_id && v.org_id !== me.org.id) body.org_id = v.org_id;
      const inc = await post('/api/v1/incidents', body);
      banner(reportedWords(inc), { tone: 'ok', next: true });
      ctx.navigate(`#/incidents/${inc.id}`);
    },
  },
  fOrg, fTitle, fDesc,
  h('div', { class: 'row-2' }, fClass, fType),
  fSev,
  h('div', { class: 'row-2' }, fDetected, fServices),
  fCii, fTlp);
  section.append(h('section', { class: 'panel' }, f));
  fTitle.control.focus();
}
