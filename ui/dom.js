// dom.js - build DOM safely. Text always goes through text nodes (never innerHTML),
// and no inline style attribute is ever written (the CSP forbids it).

const SVG_NS = 'http://www.w3.org/2000/svg';

function appendAll(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) appendAll(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

function setAttrs(el, attrs, isSvg) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'style') throw new Error('dom: style attributes are not allowed (CSP); use a class');
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class' && !isSvg) {
      el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    } else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = String(dv);
    } else if (!isSvg && k === 'value' && el.tagName !== 'SELECT') {
      el.setAttribute('value', String(v)); // the default, so that form.reset() returns to it
      el.value = String(v);
    } else if (!isSvg && k === 'checked') {
      el.defaultChecked = !!v;
      el.checked = !!v;
    } else if (!isSvg && (k === 'value' || k === 'readOnly')) {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
}

// h('p', {class: 'x'}, 'text', child, [more]) -> HTMLElement
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  appendAll(el, children);
  setAttrs(el, attrs, false); // after children so that select.value finds its option
  return el;
}

// s('rect', {x: 1}) -> SVGElement
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs, true);
  appendAll(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  appendAll(el, children);
  return el;
}

let idSeq = 0;
export function uid(prefix) {
  idSeq += 1;
  return `${prefix || 'id'}-${idSeq}`;
}

// "2026-11-28T01:04:21Z" -> "2026-11-28 01:04 UTC"
export function fmtTime(iso) {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

export function fmtDate(iso) {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : (many || one + 's')}`;
}
