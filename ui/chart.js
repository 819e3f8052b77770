// chart.js - bar charts, histograms, trend lines and progress bars as inline SVG, built with createElementNS (no innerHTML, no styles).
import { h, s, uid } from './dom.js';

// barChart({title, caption, rows: [{key, label, value}], unit: ['org', 'orgs']})
// -> <figure class="chart"> with an <svg role="img"> and a visually hidden data table.
// Optional: max (fixed scale, e.g. 100 for scores), format (value -> text), rows[i].highlight (drawn as
// "weak"), rows[i].note (extra text in the tooltip and the table, e.g. "3 assessments").
export function barChart({ title, caption, rows, unit = ['item', 'items'], name, max: fixedMax, format = String, valueHeading = 'Count', labelWidth = 190 }) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const rowH = 30;
  const barH = 18;
  const labelW = labelWidth;
  const valueW = 44;
  const plotW = 300;
  const top = 6;
  const width = labelW + plotW + valueW;
  const height = top * 2 + Math.max(rows.length, 1) * rowH;
  const max = fixedMax || Math.max(1, ...rows.map((r) => r.value));
  const word = (n) => (n === 1 ? unit[0] : unit[1]);
  const summary = rows.map((r) => `${r.label}: ${format(r.value)}`).join('; ');

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
    const g = s('g', { class: r.highlight ? 'bar-row is-weak' : 'bar-row', 'data-key': r.key });
    g.appendChild(s('text', {
      class: 'bar-label', x: labelW - 10, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central',
    }, r.label.length > labelW / 6.8 ? `${r.label.slice(0, Math.floor(labelW / 6.8) - 1)}…` : r.label));
    const rect = s('rect', {
      class: r.highlight ? 'bar bar-weak' : 'bar', x: labelW, y: y + (rowH - barH) / 2, width: w, height: barH, rx: 3,
      'data-key': r.key, 'data-value': r.value,
    });
    rect.appendChild(s('title', null, `${r.label}: ${format(r.value)}${fixedMax ? '' : ` ${word(r.value)}`}${r.note ? ` (${r.note})` : ''}`));
    g.appendChild(rect);
    g.appendChild(s('text', {
      class: 'bar-value', x: labelW + w + 6, y: y + rowH / 2, 'dominant-baseline': 'central',
    }, format(r.value)));
    svg.appendChild(g);
  });
  if (!rows.length) {
    svg.appendChild(s('text', { class: 'bar-label', x: 10, y: top + rowH / 2, 'dominant-baseline': 'central' }, 'No data yet.'));
  }

  const table = h('table', { class: 'sr-only' },
    h('caption', null, title),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Category'), h('th', { scope: 'col' }, valueHeading))),
    h('tbody', null, rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r.label),
      h('td', null, format(r.value), r.note ? ` (${r.note})` : null)))));

  return h('figure', { class: 'chart', dataset: { chart: name } },
    h('figcaption', { class: 'sr-only' }, title),
    svg,
    caption ? h('p', { class: 'chart-caption' }, caption) : null,
    table);
}

function srTable(title, headings, rows) {
  return h('table', { class: 'sr-only' },
    h('caption', null, title),
    h('thead', null, h('tr', null, headings.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r[0]), r.slice(1).map((c) => h('td', null, c))))));
}

// histogram({name, title, bins: [counts], labels: ['0–9', ...], caption, highlightBin})
// -> vertical bars, one per bin; each rect has data-bin and data-value.
export function histogram({ name, title, bins, labels, caption, unit = ['organisation', 'organisations'] }) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const left = 34;
  const right = 10;
  const top = 24;
  const plotH = 150;
  const labelH = 34;
  const slot = 48;
  const barW = 34;
  const width = left + bins.length * slot + right;
  const height = top + plotH + labelH;
  const max = Math.max(1, ...bins);
  const word = (n) => (n === 1 ? unit[0] : unit[1]);
  const svg = s('svg', {
    class: 'chart-svg chart-vertical', role: 'img', viewBox: `0 0 ${width} ${height}`,
    'aria-labelledby': `${titleId} ${descId}`, preserveAspectRatio: 'xMinYMin meet', 'data-chart': name || null,
  });
  svg.appendChild(s('title', { id: titleId }, title));
  svg.appendChild(s('desc', { id: descId }, bins.map((b, i) => `${labels[i]}: ${b}`).join('; ')));
  // horizontal grid with integer ticks
  const step = Math.max(1, Math.ceil(max / 4));
  for (let v = 0; v <= max; v += step) {
    const y = top + plotH - (plotH * v) / max;
    svg.appendChild(s('line', { class: 'chart-grid', x1: left, x2: width - right, y1: y, y2: y }));
    svg.appendChild(s('text', { class: 'axis-label', x: left - 6, y, 'text-anchor': 'end', 'dominant-baseline': 'central' }, String(v)));
  }
  svg.appendChild(s('line', { class: 'chart-axis', x1: left, x2: width - right, y1: top + plotH, y2: top + plotH }));
  bins.forEach((b, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const hgt = b > 0 ? Math.max(2, Math.round((plotH * b) / max)) : 0;
    const rect = s('rect', {
      class: 'bar', x, y: top + plotH - hgt, width: barW, height: hgt, rx: 2, 'data-bin': i, 'data-value': b,
    });
    rect.appendChild(s('title', null, `${labels[i]}: ${b} ${word(b)}`));
    svg.appendChild(rect);
    if (b > 0) {
      svg.appendChild(s('text', { class: 'bar-value', x: x + barW / 2, y: top + plotH - hgt - 5, 'text-anchor': 'middle' }, String(b)));
    }
    svg.appendChild(s('text', { class: 'axis-label', x: x + barW / 2, y: top + plotH + 16, 'text-anchor': 'middle' }, labels[i]));
  });
  return h('figure', { class: 'chart', dataset: { chart: name } },
    h('figcaption', { class: 'sr-only' }, title),
    svg,
    caption ? h('p', { class: 'chart-caption' }, caption) : null,
    srTable(title, ['Score range', 'Count'], bins.map((b, i) => [labels[i], String(b)])));
}

// trendChart({name, title, points: [{key, label, value (0..100 or null), note}], caption})
// -> a line over 0..100 with a dot per point (circle data-key, data-value); points without a value are skipped.
export function trendChart({ name, title, points, caption, format = String }) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const left = 34;
  const right = 24;
  const top = 14;
  const plotH = 150;
  const labelH = 40;
  const slot = Math.max(90, Math.min(160, Math.floor(520 / Math.max(points.length, 1))));
  const width = Math.max(360, left + points.length * slot + right);
  const height = top + plotH + labelH;
  const yOf = (v) => top + plotH - (plotH * v) / 100;
  const xOf = (i) => left + slot * i + slot / 2;
  const svg = s('svg', {
    class: 'chart-svg chart-vertical', role: 'img', viewBox: `0 0 ${width} ${height}`,
    'aria-labelledby': `${titleId} ${descId}`, preserveAspectRatio: 'xMinYMin meet', 'data-chart': name || null,
  });
  svg.appendChild(s('title', { id: titleId }, title));
  svg.appendChild(s('desc', { id: descId }, points.length
    ? points.map((p) => `${p.label}: ${p.value === null ? 'no score' : format(p.value)}`).join('; ') : 'No data.'));
  for (let v = 0; v <= 100; v += 25) {
    svg.appendChild(s('line', { class: 'chart-grid', x1: left, x2: width - right, y1: yOf(v), y2: yOf(v) }));
    svg.appendChild(s('text', { class: 'axis-label', x: left - 6, y: yOf(v), 'text-anchor': 'end', 'dominant-baseline': 'central' }, String(v)));
  }
  const scored = points.map((p, i) => ({ p, i })).filter((x) => x.p.value !== null && x.p.value !== undefined);
  if (scored.length > 1) {
    svg.appendChild(s('polyline', {
      class: 'trend-line', fill: 'none', points: scored.map((x) => `${xOf(x.i)},${yOf(x.p.value)}`).join(' '),
    }));
  }
  points.forEach((p, i) => {
    const short = p.label.length > 18 ? `${p.label.slice(0, 17)}…` : p.label;
    svg.appendChild(s('text', { class: 'axis-label', x: xOf(i), y: top + plotH + 16, 'text-anchor': 'middle' }, short));
    if (p.sub) svg.appendChild(s('text', { class: 'axis-label axis-sub', x: xOf(i), y: top + plotH + 30, 'text-anchor': 'middle' }, p.sub));
    if (p.value === null || p.value === undefined) return;
    const dot = s('circle', { class: p.current ? 'trend-dot is-current' : 'trend-dot', cx: xOf(i), cy: yOf(p.value), r: p.current ? 6 : 4.5, 'data-key': p.key, 'data-value': p.value });
    dot.appendChild(s('title', null, `${p.label}: ${format(p.value)}${p.note ? ` (${p.note})` : ''}`));
    svg.appendChild(dot);
    svg.appendChild(s('text', { class: 'bar-value', x: xOf(i), y: yOf(p.value) - 11, 'text-anchor': 'middle' }, format(p.value)));
  });
  if (!points.length) {
    svg.appendChild(s('text', { class: 'bar-label', x: left + 10, y: top + plotH / 2 }, 'No data yet.'));
  }
  return h('figure', { class: 'chart', dataset: { chart: name } },
    h('figcaption', { class: 'sr-only' }, title),
    svg,
    caption ? h('p', { class: 'chart-caption' }, caption) : null,
    srTable(title, ['Campaign', 'Mean score'], points.map((p) => [p.label, p.value === null ? '—' : format(p.value)])));
}

// progressBar(label) -> element with role="progressbar"; .update(done, total) redraws it.
// The fill is an SVG rect (its width is an attribute, so no inline style is needed under the CSP).
export function progressBar(label, id) {
  const fill = s('rect', { class: 'progress-fill', x: 0, y: 0, height: 10, width: 0, rx: 5 });
  const svg = s('svg', { class: 'progress-svg', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
    s('rect', { class: 'progress-track', x: 0, y: 0, width: 100, height: 10, rx: 5 }), fill);
  const text = h('span', { class: 'progress-text' });
  const el = h('div', {
    class: 'progress', role: 'progressbar', id, 'aria-label': label, 'aria-valuemin': 0,
  }, svg, text);
  el.update = (done, total) => {
    el.setAttribute('aria-valuemax', String(total));
    el.setAttribute('aria-valuenow', String(done));
    el.setAttribute('aria-valuetext', `${done} of ${total} answered`);
    fill.setAttribute('width', String(total ? (100 * done) / total : 0));
    el.classList.toggle('is-complete', total > 0 && done === total);
    text.textContent = `${done} of ${total} answered`;
  };
  return el;
}
