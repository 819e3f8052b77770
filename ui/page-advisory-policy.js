// Advisory deadlines (#/advisory-policy): for each severity, how long an organisation has to
// acknowledge an advisory once it gets it (hours) and to mitigate once it says it is affected
// (days). Everyone reads them; the National CERT's administrators change them (one PUT per changed
// severity). A change applies to the advisories published from then on.
import {
  h, banner, fmtTime, dataTable, pageHead, plural,
} from './dom.js';
import { api } from './api.js';
import { state } from './state.js';
import {
  mayEdit, lastChangeWords, loadRules, rulesForm,
} from './page-reporting-policy.js';
import { ADV_SEVERITIES, advSeverityTag } from './advisories.js';

const hoursWords = (n) => (n % 24 === 0 && n >= 48 ? `${plural(n, 'hour')} (${plural(n / 24, 'day')})` : plural(n, 'hour'));

function numberInput(rule, col, label, min, max) {
  return h('input', {
    type: 'number', class: 'dl-num', min, max, step: 1, value: rule[col], 'aria-label': label, dataset: { col, severity: rule.severity, original: rule[col] },
  });
}

export async function render(section, ctx) {
  document.title = 'Advisory deadlines · rabta';
  const edit = mayEdit(state.me);
  section.append(...pageHead({
    path: [['#/advisories', 'Advisories']], here: 'Deadlines',
    eyebrow: 'Advisories',
    title: 'Advisory deadlines',
    lede: 'How long each organisation has, by the advisory’s severity: to acknowledge it from when it arrives, and to mitigate once it says it is affected. An organisation past either is overdue, and its CERT sees it.',
  }));
  await loadRules(section, 'the advisory deadlines', '/api/v1/advisory-policy', 'adv-policy-box', (p) => {
    const rank = (s) => ADV_SEVERITIES.findIndex((x) => x.value === s);
    const rules = [...p.rules].sort((a, b) => rank(a.severity) - rank(b.severity));
    const inputs = [];
    const table = dataTable({
      id: 'adv-policy-table', compact: true, className: 'policy-table', caption: 'Deadlines by severity',
      cols: ['Severity', 'Acknowledge within', 'Mitigate within', 'Last changed'],
      body: rules.map((r) => {
        const cell = (col, words, label, min, max, unit) => {
          if (!edit) return h('td', { dataset: { col, value: r[col] } }, words);
          const input = numberInput(r, col, `${label} (${unit})`, min, max);
          inputs.push(input);
          return h('td', { dataset: { col, value: r[col] } }, h('span', { class: 'dl-edit' }, input, h('span', null, unit)));
        };
        return h('tr', { dataset: { severity: r.severity } },
          h('td', { class: 'card-title' }, advSeverityTag(r.severity)),
          cell('ack_hours', hoursWords(r.ack_hours), `${r.severity}: acknowledge within`, 1, 8760, 'hours'),
          cell('mitigate_days', plural(r.mitigate_days, 'day'), `${r.severity}: mitigate within`, 1, 3650, 'days'),
          h('td', null, r.updated_at ? `${fmtTime(r.updated_at)}${r.updated_by ? ` by ${r.updated_by}` : ''}` : 'The default'));
      }),
    });
    const note = h('p', { class: 'notice', id: 'adv-policy-note' },
      edit ? 'A change applies to the advisories published from now on; records already delivered keep their deadlines until a material revision asks for acknowledgement again.'
        : 'Only the National CERT’s administrators change these deadlines.',
      lastChangeWords(rules));
    const wrap = h('section', { class: 'panel panel-flush' }, h('div', { class: 'table-wrap' }, table));
    return [note, rulesForm(edit, wrap, {
      ariaLabel: 'Change the advisory deadlines',
      changed() {
        const changed = new Map();
        for (const i of inputs) {
          const n = Number(i.value);
          const max = Number(i.max);
          if (!Number.isInteger(n) || n < 1 || n > max) {
            i.setAttribute('aria-invalid', 'true');
            i.focus();
            return `Each deadline is a whole number from 1 to ${max} ${i.dataset.col === 'ack_hours' ? 'hours' : 'days'}.`;
          }
          if (n !== Number(i.dataset.original)) {
            const rule = rules.find((r) => r.severity === i.dataset.severity);
            const body = changed.get(rule.severity) || { severity: rule.severity, ack_hours: rule.ack_hours, mitigate_days: rule.mitigate_days };
            body[i.dataset.col] = n;
            changed.set(rule.severity, body);
          }
        }
        return [...changed.values()];
      },
      async save(bodies) {
        for (const body of bodies) await api('PUT', '/api/v1/advisory-policy', body);
        banner(`The deadlines of ${plural(bodies.length, 'severity', 'severities')} are changed; advisories published from now on follow them.`, { tone: 'ok', next: true });
        ctx.navigate('#/advisory-policy');
      },
    })];
  });
}
