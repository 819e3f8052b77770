// chart.js - horizontal bar charts as inline SVG, built with createElementNS (no innerHTML, no styles).
import { h, s, uid } from './dom.js';

// barChart({title, caption, rows: [{key, label, value}], unit: ['org', 'orgs']})
// -> <figure class="chart"> with an <svg role="img"> and a visually hidden data table.
export function barChart({ title, caption, rows, unit = ['item', 'items'], name }) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const rowH = 30;
  const barH = 18;
  const labelW = 190;
  const valueW = 44;
  const plotW = 300;
  const top = 6;
  const width = labelW + plotW + valueW;
  const height = top * 2 + Math.max(rows.length, 1) * rowH;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const word = (n) => (n === 1 ? unit[0] : unit[1]);
  const summary = rows.map((r) => `${r.label}: ${r.value}`).join('; ');

  const svg = s('svg', {
    class: 'chart-svg', role: 'img', viewBox: `0 0 ${width} ${height}`,
    'aria-labelledby': `${titleId} ${descId}`, preserveAspectRatio: 'xMinYMin meet',
    'data-chart': name || null,
  });
  svg.appendChild(s('title', { id: titleId }, title));
  svg.appendChild(s('desc', { id: descId }, rows.length ? summary : 'No data.'));

  // light vertical grid at quarters
  for (let i = 0; i <= 4; i++) {
    const x = labelW + (plotW * i) / 4;
    svg.appendChild(s('line', { class: 'chart-grid', x1: x, x2: x, y1: top, y2: height - top }));
  }

  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const w = r.value > 0 ? Math.max(2, Math.round((plotW * r.value) / max)) : 0;
    const g = s('g', { class: 'bar-row', 'data-key': r.key });
    g.appendChild(s('text', {
      class: 'bar-label', x: labelW - 10, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central',
    }, r.label));
    const rect = s('rect', {
      class: 'bar', x: labelW, y: y + (rowH - barH) / 2, width: w, height: barH, rx: 3,
      'data-key': r.key, 'data-value': r.value,
    });
    rect.appendChild(s('title', null, `${r.label}: ${r.value} ${word(r.value)}`));
    g.appendChild(rect);
    g.appendChild(s('text', {
      class: 'bar-value', x: labelW + w + 6, y: y + rowH / 2, 'dominant-baseline': 'central',
    }, String(r.value)));
    svg.appendChild(g);
  });
  if (!rows.length) {
    svg.appendChild(s('text', { class: 'bar-label', x: 10, y: top + rowH / 2, 'dominant-baseline': 'central' }, 'No data yet.'));
  }

  const table = h('table', { class: 'sr-only' },
    h('caption', null, title),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Category'), h('th', { scope: 'col' }, 'Count'))),
    h('tbody', null, rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r.label), h('td', null, String(r.value))))));

  return h('figure', { class: 'chart', dataset: { chart: name } },
    h('figcaption', { class: 'sr-only' }, title),
    svg,
    caption ? h('p', { class: 'chart-caption' }, caption) : null,
    table);
}
