// Reporting policy (#/reporting-policy): the deadlines per handling tier (the handling CERT's kind)
// and severity, in words ("4 hours", "30 days"). National CERT admins change them (PUT); open
// incidents follow the change at once, ended ones keep the deadlines they were judged by.
import {
  h, loadBelow, banner, fmtTime, dataTable, uid, pageHead,
} from './dom.js';
import { get, api } from './api.js';
import { form, showError } from './forms.js';
import { state, kindLabel } from './state.js';
import { SEVERITIES, severityLabel, minutesWords } from './incidents.js';

const COLS = [
  ['acknowledge_minutes', 'Acknowledge', 'from when the handling CERT got it'],
  ['early_warning_minutes', 'Early warning', 'from detection'],
  ['early_warning_cii_minutes', 'Early warning (CII)', 'from detection, CII involved'],
  ['notification_minutes', 'Notification', 'from detection'],
  ['final_report_minutes', 'Final report', 'from detection'],
];
const UNITS = [['minutes', 1], ['hours', 60], ['days', 1440]];

export function mayEdit(me) { return !!me && me.org.kind === 'national_cert' && me.user.role === 'admin'; }

// " Last changed 2026-11-28 01:04 UTC by …." of the rule changed last, or " These are the defaults."
export function lastChangeWords(rules) {
  const last = rules.filter((r) => r.updated_at).sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0];
  return last ? ` Last changed ${fmtTime(last.updated_at)}${last.updated_by ? ` by ${last.updated_by}` : ''}.` : ' These are the defaults.';
}

// The rules of a deadlines page (this one, the advisory deadlines) in a box (id) below its head:
// "No deadline is set." when GET url has none, else what draw(answer) makes.
export function loadRules(section, what, url, id, draw) {
  return loadBelow(section, {
    what, load: () => get(url), isEmpty: (p) => !p.rules.length, empty: 'No deadline is set.', render: draw,
  }, id);
}

// A deadlines page's tables (body) in its form for one who may change them (edit), else body alone.
// On submit changed() gives the rules to save, or a sentence saying what is wrong (in the form's
// alert); none: "Nothing changed."; else save(rules).
export function rulesForm(edit, body, { ariaLabel, changed, save }) {
  if (!edit) return body;
  return form({
    class: 'policy-form', ariaLabel, submitLabel: 'Save the deadlines',
    async onSubmit(v, el) {
      const rules = changed();
      if (typeof rules === 'string') { showError(el, { message: rules, plain: true }); return; }
      if (!rules.length) { el.statusEl.textContent = 'Nothing changed.'; return; }
      await save(rules);
    },
  }, body);
}

function bestUnit(min) {
  if (min && min % 1440 === 0) return ['days', min / 1440];
  if (min && min % 60 === 0) return ['hours', min / 60];
  return ['minutes', min];
}

// One deadline as a number and a unit, for the editor.
function durationInput(rule, col, label) {
  const [unit, n] = bestUnit(rule[col]);
  const id = uid('dl');
  const num = h('input', { type: 'number', id, min: 0, step: 1, value: n, class: 'dl-num', 'aria-label': `${label}: number` });
  const sel = h('select', { class: 'dl-unit', 'aria-label': `${label}: unit` }, UNITS.map(([u]) => h('option', { value: u, selected: u === unit ? true : null }, u)));
  const wrap = h('span', { class: 'dl-edit', dataset: { col, tier: rule.tier, severity: rule.severity } }, num, sel);
  wrap.minutes = () => Math.round(Number(num.value) * UNITS.find(([u]) => u === sel.value)[1]);
  wrap.original = rule[col];
  return wrap;
}

export async function render(section, ctx) {
  document.title = 'Reporting policy · rabta';
  const edit = mayEdit(state.me);
  section.append(...pageHead({
    eyebrow: 'Incidents',
    title: 'Reporting policy',
    lede: 'The deadlines of every incident, by the kind of CERT handling it and the severity. The early warning, notification and final report count from detection; the acknowledgement from when the handling CERT got the incident. “No deadline”: that clock is off.',
  }));
  await loadRules(section, 'the reporting policy', '/api/v1/reporting-policy', 'policy-box', (p) => {
    const tiers = [...new Set(p.rules.map((r) => r.tier))];
    const rank = (s) => SEVERITIES.findIndex((x) => x.value === s);
    const editors = [];
    const blocks = tiers.map((tier) => {
      const rules = p.rules.filter((r) => r.tier === tier).sort((a, b) => rank(a.severity) - rank(b.severity));
      const table = dataTable({
        dataset: { tier }, compact: true, className: 'policy-table',
        caption: `Deadlines when a ${kindLabel(tier)} handles the incident`,
        cols: ['Severity', ...COLS.map(([, l, sub]) => ({ label: [l, h('span', { class: 'th-sub' }, sub)], cardLabel: l, attrs: { title: sub } }))],
        body: rules.map((r) => h('tr', { dataset: { severity: r.severity } },
          h('td', { class: 'card-title' }, severityLabel(r.severity)),
          COLS.map(([col, l]) => {
            if (!edit) return h('td', { dataset: { col, minutes: r[col] } }, minutesWords(r[col]));
            const e = durationInput(r, col, `${kindLabel(tier)}, ${r.severity}, ${l}`);
            editors.push(e);
            return h('td', { dataset: { col, minutes: r[col] } }, e);
          }))),
      });
      return h('section', { class: 'panel', 'aria-label': `When a ${kindLabel(tier)} handles it`, dataset: { tier } },
        h('div', { class: 'panel-h' }, h('h2', null, `When a ${kindLabel(tier)} handles it`)),
        h('div', { class: 'table-wrap' }, table));
    });
    const note = h('p', { class: 'notice', id: 'policy-note' },
      edit ? 'A change applies at once to every open incident: its deadlines are computed again. Closed and rejected incidents keep the deadlines they were judged by.'
        : 'Only the National CERT’s administrators change these deadlines. A change applies at once to every open incident.',
      lastChangeWords(p.rules));
    return [note, rulesForm(edit, blocks, {
      ariaLabel: 'Change the deadlines',
      changed() {
        const changed = new Map();
        for (const e of editors) {
          const m = e.minutes();
          if (!Number.isFinite(m) || m < 0) return 'Each deadline is a whole number, 0 or more (0 turns it off).';
          if (m !== e.original) {
            const k = `${e.dataset.tier}|${e.dataset.severity}`;
            if (!changed.has(k)) changed.set(k, { tier: e.dataset.tier, severity: e.dataset.severity });
            changed.get(k)[e.dataset.col] = m;
          }
        }
        return [...changed.values()];
      },
      async save(rules) {
        await api('PUT', '/api/v1/reporting-policy', { rules });
        banner(`${rules.length === 1 ? 'One rule' : `${rules.length} rules`} changed; every open incident follows the new deadlines.`, { tone: 'ok', next: true });
        ctx.navigate('#/reporting-policy');
      },
    })];
  });
}
