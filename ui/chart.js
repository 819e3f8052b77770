// chart.js - bar charts, histograms, trend lines and progress bars as inline SVG, built with
// createElementNS (no innerHTML, no styles).
//
// Every chart is drawn at the width it is given on the page (one SVG unit = one CSS pixel), and
// drawn again when that width changes, so its text keeps its size (≥ 11 px) on a phone instead of
// being scaled down with the picture. Every chart says what its numbers rest on: a bar or a point
// may carry a base {n, of} ("6 of 8"), shown as text beside it (not only in a tooltip); a base of
// fewer than `thin` organisations is drawn lighter and says "thin"; a point may be `partial`
// (a campaign still open). Axes have scales with ticks, and a visually hidden table repeats the data.
import {
  h, s, uid, replace, countStep,
} from './dom.js';

const CHAR_W = 6.9; // average width of a 12.5 px character of the UI font, for cutting labels
const MAX_DRAW = 760; // wider than this the chart is drawn at this width (left-aligned)

function cut(text, maxChars) {
  const t = String(text || '');
  if (maxChars < 4) return t.slice(0, Math.max(1, maxChars));
  return t.length > maxChars ? `${t.slice(0, maxChars - 1)}…` : t;
}

// Words of `text` in lines of at most `maxChars` characters (at most `maxLines`, the last one cut).
function wrap(text, maxChars, maxLines) {
  const words = String(text || '').split(/\s+/).filter(Boolean);
  const lines = [];
  let cur = '';
  for (const w of words) {
    if (!cur) cur = w;
    else if (`${cur} ${w}`.length <= maxChars) cur = `${cur} ${w}`;
    else { lines.push(cur); cur = w; }
  }
  if (cur) lines.push(cur);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = cut(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`, maxChars);
    return kept;
  }
  return lines.map((l) => cut(l, maxChars));
}

// "6 of 8" (+ " · thin") for a base {n, of, thin}; "6" when `of` is unknown. noun: a word after
// the number, or [one, many] to agree with it ("1 org", "6 orgs").
export function baseText(base, noun) {
  if (!base) return '';
  const core = base.of !== undefined && base.of !== null ? `${base.n} of ${base.of}` : String(base.n);
  const word = Array.isArray(noun) ? noun[(base.of ?? base.n) === 1 ? 0 : 1] : noun;
  return `${core}${word ? ` ${word}` : ''}${base.thin ? ' · thin' : ''}`;
}

// Draws draw(width) into a slot now at `guess` px and again, at the slot's real width, whenever it
// changes (ResizeObserver; the redraw is deferred to the next frame so it never loops).
function fitted(draw, guess) {
  const slot = h('div', { class: 'chart-fit' });
  let cur = 0;
  const paint = (w) => {
    const width = Math.max(240, Math.min(MAX_DRAW, Math.floor(w)));
    if (width === cur) return;
    cur = width;
    replace(slot, draw(width));
  };
  // The first guess: the window's width less the page's margins (the slot is not in the page yet).
  const vw = typeof window !== 'undefined' && window.innerWidth ? window.innerWidth - 64 : 560;
  paint(guess || Math.min(560, vw));
  // Once the slot is in the page, its real width (in case no resize is ever observed).
  requestAnimationFrame(() => { const w = slot.getBoundingClientRect().width; if (w > 0) paint(w); });
  if (typeof ResizeObserver !== 'undefined') {
    let pending = 0;
    const ro = new ResizeObserver((entries) => {
      const w = entries[entries.length - 1].contentRect.width;
      if (!(w > 0)) return;
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => paint(w));
    });
    ro.observe(slot);
  }
  return slot;
}

function svgRoot({ name, title, desc, width, height, extraClass }) {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const svg = s('svg', {
    class: ['chart-svg', extraClass].filter(Boolean).join(' '), role: 'img', width, height,
    viewBox: `0 0 ${width} ${height}`, 'aria-labelledby': `${titleId} ${descId}`, 'data-chart': name || null,
    'data-width': width,
  });
  svg.appendChild(s('title', { id: titleId }, title));
  svg.appendChild(s('desc', { id: descId }, desc));
  return svg;
}

// The data as a table for screen readers (wrapped: a table ignores width: 1px and would widen the page).
function srTable(title, headings, rows) {
  return h('div', { class: 'sr-only' }, h('table', null,
    h('caption', null, title),
    h('thead', null, h('tr', null, headings.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r[0]), r.slice(1).map((c) => h('td', null, c)))))));
}

// barChart({name, title, rows: [{key, label, value (null = no value), base: {n, of, thin}, note, highlight}],
//           max (fixed scale, e.g. 100), format, unit: ['org', 'orgs'], caption, axisLabel, baseHeading, valueHeading})
// -> <figure class="chart">: horizontal bars (rect.bar data-key data-value), a value and the base as
// text at each bar, a scale with ticks under the plot, and a visually hidden table.
export function barChart({
  title, caption, rows, unit = ['item', 'items'], name, max: fixedMax, format = String, valueHeading = 'Count',
  labelWidth = 190, axisLabel, baseHeading = 'Based on', baseNoun = '', narrowNoun,
}) {
  const hasBase = rows.some((r) => r.base);
  const word = (n) => (n === 1 ? unit[0] : unit[1]);
  const values = rows.map((r) => r.value).filter((v) => v !== null && v !== undefined);
  const max = fixedMax || Math.max(1, ...values);
  const step = fixedMax ? (fixedMax === 100 ? 25 : fixedMax / 4) : countStep(max);
  const top = max % step === 0 ? max : Math.ceil(max / step) * step;
  const axisTitle = axisLabel || (fixedMax === 100 ? 'Mean score (0–100)' : `Number of ${unit[1]}`);
  const valueText = (r) => (r.value === null || r.value === undefined ? 'no score yet' : format(r.value));
  const summary = rows.map((r) => `${r.label}: ${valueText(r)}${r.base ? ` (${baseText(r.base, baseNoun)})` : ''}`).join('; ');

  const draw = (width) => {
    const narrow = width < 520;
    const valueW = 50;
    const baseW = hasBase && !narrow ? Math.min(120, Math.max(80, Math.round(width * 0.16))) : 0;
    const labelW = narrow ? 0 : Math.min(labelWidth, Math.round(width * 0.34));
    const headH = hasBase && !narrow ? 18 : 4;
    const rowH = narrow ? 44 : 28;
    const barH = narrow ? 16 : 18;
    const axisH = 40;
    const plotX = narrow ? 2 : labelW;
    const plotW = Math.max(80, width - plotX - valueW - baseW - 4);
    const height = headH + Math.max(rows.length, 1) * rowH + axisH;
    const svg = svgRoot({ name, title, desc: rows.length ? summary : 'No data.', width, height, extraClass: narrow ? 'is-narrow' : null });
    const xOf = (v) => plotX + (plotW * v) / top;

    // scale: grid lines and tick labels, and the axis title under them
    for (let v = 0; v <= top + 1e-9; v += step) {
      svg.appendChild(s('line', { class: 'chart-grid', x1: xOf(v), x2: xOf(v), y1: headH, y2: height - axisH + 4 }));
      svg.appendChild(s('text', {
        class: 'axis-label axis-tick', x: xOf(v), y: height - axisH + 17, 'text-anchor': v === 0 ? 'start' : 'middle',
      }, String(Math.round(v * 10) / 10)));
    }
    svg.appendChild(s('line', { class: 'chart-axis', x1: plotX, x2: plotX + plotW, y1: height - axisH + 4, y2: height - axisH + 4 }));
    svg.appendChild(s('text', { class: 'axis-label axis-title', x: plotX, y: height - 5 }, axisTitle));
    if (hasBase && !narrow) {
      svg.appendChild(s('text', { class: 'axis-label col-head', x: width - 2, y: 12, 'text-anchor': 'end' }, baseHeading));
    }

    rows.forEach((r, i) => {
      const y = headH + i * rowH;
      const has = r.value !== null && r.value !== undefined;
      const w = has && r.value > 0 ? Math.max(2, Math.round((plotW * r.value) / top)) : 0;
      const thin = !!(r.base && r.base.thin);
      const g = s('g', { class: ['bar-row', r.highlight ? 'is-weak' : null, thin ? 'is-thin' : null].filter(Boolean).join(' '), 'data-key': r.key });
      const barY = narrow ? y + 20 : y + (rowH - barH) / 2;
      if (narrow) {
        const bt = r.base ? baseText(r.base, narrowNoun || baseNoun) : '';
        const room = Math.floor((width - 8 - bt.length * 6.2) / CHAR_W);
        g.appendChild(s('text', { class: 'bar-label', x: 2, y: y + 12 }, cut(r.label, room)));
        if (bt) g.appendChild(s('text', { class: 'bar-base', x: width - 2, y: y + 12, 'text-anchor': 'end' }, bt));
      } else {
        g.appendChild(s('text', {
          class: 'bar-label', x: labelW - 10, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central',
        }, cut(r.label, Math.floor((labelW - 12) / CHAR_W))));
      }
      const rect = s('rect', {
        class: ['bar', r.highlight ? 'bar-weak' : null, thin ? 'bar-thin' : null].filter(Boolean).join(' '),
        x: plotX, y: barY, width: w, height: barH, rx: 3, 'data-key': r.key, 'data-value': has ? r.value : '',
        'data-base': r.base ? r.base.n : null, 'data-of': r.base && r.base.of !== undefined ? r.base.of : null,
      });
      rect.appendChild(s('title', null, `${r.label}: ${valueText(r)}${fixedMax || !has ? '' : ` ${word(r.value)}`}${r.base ? `, ${baseText(r.base, baseNoun)}` : ''}${r.note ? ` (${r.note})` : ''}`));
      g.appendChild(rect);
      g.appendChild(s('text', {
        class: has ? 'bar-value' : 'bar-value is-empty', x: plotX + w + 6, y: barY + barH / 2, 'dominant-baseline': 'central',
      }, valueText(r)));
      if (r.base && !narrow) {
        g.appendChild(s('text', { class: 'bar-base', x: width - 2, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' }, baseText(r.base, baseNoun)));
      }
      svg.appendChild(g);
    });
    if (!rows.length) {
      svg.appendChild(s('text', { class: 'bar-label', x: 10, y: headH + rowH / 2, 'dominant-baseline': 'central' }, 'No data yet.'));
    }
    return svg;
  };

  const headings = ['Category', valueHeading];
  if (hasBase) headings.push(baseHeading);
  return h('figure', { class: 'chart', dataset: { chart: name } },
    h('figcaption', { class: 'sr-only' }, title),
    fitted(draw),
    caption ? h('p', { class: 'chart-caption' }, caption) : null,
    srTable(title, headings, rows.map((r) => {
      const cells = [r.label, `${valueText(r)}${r.note ? ` (${r.note})` : ''}`];
      if (hasBase) cells.push(r.base ? baseText(r.base, baseNoun) : '—');
      return cells;
    })));
}

// histogram({name, title, bins: [counts], labels: ['0–9', ...], caption, unit, axisLabel})
// -> vertical bars, one per bin (rect data-bin data-value), the count above each bar, a count scale
// on the left and the score ranges below.
export function histogram({ name, title, bins, labels, caption, unit = ['organisation', 'organisations'], axisLabel = 'Score range' }) {
  const word = (n) => (n === 1 ? unit[0] : unit[1]);
  const max = Math.max(1, ...bins);
  const step = countStep(max);
  const top = Math.ceil(max / step) * step;
  const draw = (width) => {
    const left = 34;
    const right = 8;
    const headH = 26;
    const plotH = 150;
    const axisH = 44;
    const slot = (width - left - right) / Math.max(bins.length, 1);
    const barW = Math.max(8, Math.min(40, slot - 8));
    const height = headH + plotH + axisH;
    const yOf = (v) => headH + plotH - (plotH * v) / top;
    const svg = svgRoot({ name, title, desc: bins.map((b, i) => `${labels[i]}: ${b} ${word(b)}`).join('; '), width, height, extraClass: 'chart-vertical' });
    svg.appendChild(s('text', { class: 'axis-label axis-title', x: 0, y: 12 }, `Number of ${unit[1]}`));
    for (let v = 0; v <= top; v += step) {
      svg.appendChild(s('line', { class: 'chart-grid', x1: left, x2: width - right, y1: yOf(v), y2: yOf(v) }));
      svg.appendChild(s('text', { class: 'axis-label axis-tick', x: left - 6, y: yOf(v), 'text-anchor': 'end', 'dominant-baseline': 'central' }, String(v)));
    }
    svg.appendChild(s('line', { class: 'chart-axis', x1: left, x2: width - right, y1: headH + plotH, y2: headH + plotH }));
    // a short range label when the full one does not fit its slot: its lower bound ("60")
    const full = labels.every((l) => l.length * 6.4 <= slot - 2);
    bins.forEach((b, i) => {
      const x = left + i * slot + (slot - barW) / 2;
      const hgt = b > 0 ? Math.max(2, Math.round((plotH * b) / top)) : 0;
      const rect = s('rect', { class: 'bar', x, y: headH + plotH - hgt, width: barW, height: hgt, rx: 2, 'data-bin': i, 'data-value': b });
      rect.appendChild(s('title', null, `${labels[i]}: ${b} ${word(b)}`));
      svg.appendChild(rect);
      if (b > 0) svg.appendChild(s('text', { class: 'bar-value', x: x + barW / 2, y: headH + plotH - hgt - 5, 'text-anchor': 'middle' }, String(b)));
      svg.appendChild(s('text', { class: 'axis-label axis-tick', x: x + barW / 2, y: headH + plotH + 16, 'text-anchor': 'middle' },
        full ? labels[i] : String(labels[i]).split(/[–-]/)[0]));
    });
    svg.appendChild(s('text', { class: 'axis-label axis-title', x: left, y: height - 6 },
      full ? axisLabel : 'Score (a bar per 10 points: 60 = 60–69)'));
    return svg;
  };
  return h('figure', { class: 'chart', dataset: { chart: name } },
    h('figcaption', { class: 'sr-only' }, title),
    fitted(draw),
    caption ? h('p', { class: 'chart-caption' }, caption) : null,
    srTable(title, [axisLabel, `Number of ${unit[1]}`], bins.map((b, i) => [labels[i], String(b)])));
}

// trendChart({name, title, points: [{key, label, sub, value (0..100 or null), base: {n, of, thin}, partial,
//             partialText, current, note}], caption, format})
// -> a line over a 0–100 scale with a dot per point (circle data-key data-value). Under each point: its
// label, its date (sub), what it rests on ("24 of 38 submitted") and, for a campaign still open, that
// it is partial (the dot hollow and dashed, the line into it dashed).
export function trendChart({ name, title, points, caption, format = String, baseNoun = 'submitted' }) {
  const pointText = (p) => `${p.label}${p.sub ? ` (${p.sub})` : ''}: ${p.value === null || p.value === undefined ? 'no score' : format(p.value)}`
    + `${p.base ? `, ${baseText(p.base, baseNoun)}` : ''}${p.partial ? `, ${p.partialText || 'still open: partial'}` : ''}`;
  const draw = (width) => {
    const left = 36;
    const right = 12;
    const headH = 26;
    const plotH = 150;
    const n = Math.max(points.length, 1);
    const slot = (width - left - right) / n;
    const chars = Math.max(6, Math.floor((slot - 6) / 6.3));
    const labelLines = points.map((p) => wrap(p.label, chars, 2));
    const extra = points.map((p) => [p.sub, p.base ? baseText(p.base, baseNoun) : null, p.partial ? (p.partialText || 'open: partial') : null].filter(Boolean).map((x) => cut(x, chars)));
    const linesBelow = Math.max(1, ...points.map((p, i) => labelLines[i].length + extra[i].length));
    const axisH = 12 + linesBelow * 14;
    const height = headH + plotH + axisH;
    const yOf = (v) => headH + plotH - (plotH * v) / 100;
    const xOf = (i) => left + slot * i + slot / 2;
    const svg = svgRoot({ name, title, desc: points.length ? points.map(pointText).join('; ') : 'No data.', width, height, extraClass: 'chart-vertical' });
    svg.appendChild(s('text', { class: 'axis-label axis-title', x: 0, y: 12 }, 'Mean score (0–100)'));
    for (let v = 0; v <= 100; v += 25) {
      svg.appendChild(s('line', { class: 'chart-grid', x1: left, x2: width - right, y1: yOf(v), y2: yOf(v) }));
      svg.appendChild(s('text', { class: 'axis-label axis-tick', x: left - 6, y: yOf(v), 'text-anchor': 'end', 'dominant-baseline': 'central' }, String(v)));
    }
    svg.appendChild(s('line', { class: 'chart-axis', x1: left, x2: width - right, y1: yOf(0), y2: yOf(0) }));
    const scored = points.map((p, i) => ({ p, i })).filter((x) => x.p.value !== null && x.p.value !== undefined);
    for (let k = 1; k < scored.length; k++) {
      const a = scored[k - 1];
      const b = scored[k];
      svg.appendChild(s('line', {
        class: b.p.partial ? 'trend-line is-partial' : 'trend-line',
        x1: xOf(a.i), y1: yOf(a.p.value), x2: xOf(b.i), y2: yOf(b.p.value),
      }));
    }
    points.forEach((p, i) => {
      let y = headH + plotH + 16;
      labelLines[i].forEach((l) => {
        svg.appendChild(s('text', { class: 'axis-label point-label', x: xOf(i), y, 'text-anchor': 'middle' }, l));
        y += 14;
      });
      extra[i].forEach((l, k) => {
        const cls = k === extra[i].length - 1 && p.partial ? 'axis-label axis-sub is-partial' : 'axis-label axis-sub';
        svg.appendChild(s('text', { class: cls, x: xOf(i), y, 'text-anchor': 'middle' }, l));
        y += 14;
      });
      if (p.value === null || p.value === undefined) {
        svg.appendChild(s('text', { class: 'axis-label', x: xOf(i), y: yOf(50), 'text-anchor': 'middle' }, 'no score yet'));
        return;
      }
      const cls = ['trend-dot', p.current ? 'is-current' : null, p.partial ? 'is-partial' : null, p.base && p.base.thin ? 'is-thin' : null].filter(Boolean).join(' ');
      const dot = s('circle', { class: cls, cx: xOf(i), cy: yOf(p.value), r: p.current ? 6 : 4.5, 'data-key': p.key, 'data-value': p.value });
      dot.appendChild(s('title', null, pointText(p)));
      svg.appendChild(dot);
      svg.appendChild(s('text', { class: 'bar-value', x: xOf(i), y: yOf(p.value) - 11, 'text-anchor': 'middle' }, format(p.value)));
    });
    if (!points.length) svg.appendChild(s('text', { class: 'bar-label', x: left + 10, y: headH + plotH / 2 }, 'No data yet.'));
    return svg;
  };
  return h('figure', { class: 'chart', dataset: { chart: name } },
    h('figcaption', { class: 'sr-only' }, title),
    fitted(draw),
    caption ? h('p', { class: 'chart-caption' }, caption) : null,
    srTable(title, ['Campaign', 'Mean score', 'Based on'], points.map((p) => [
      `${p.label}${p.sub ? ` (${p.sub})` : ''}`, p.value === null || p.value === undefined ? '—' : format(p.value),
      `${p.base ? baseText(p.base, baseNoun) : '—'}${p.partial ? ` (${p.partialText || 'still open: partial'})` : ''}`])));
}

// progressBar(label) -> element with role="progressbar"; .update(done, total) redraws it.
// The fill is an SVG rect (its width is an attribute, so no inline style is needed under the CSP).
export function progressBar(label, id, word = 'answered') {
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
    el.setAttribute('aria-valuetext', `${done} of ${total} ${word}`);
    fill.setAttribute('width', String(total ? (100 * done) / total : 0));
    el.classList.toggle('is-complete', total > 0 && done === total);
    text.textContent = `${done} of ${total} ${word}`;
  };
  return el;
}
