// Tiny DOM helpers: elements are built with textContent only (no HTML from data).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v === undefined || v === null || v === false) return;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  });
  children.flat(Infinity).forEach((c) => {
    if (c === undefined || c === null || c === false) return;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  });
  return el;
}

export function fmt(value) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4).replace(/\.?0+$/, '');
  }
  if (Array.isArray(value)) return value.map(fmt).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function table(rows, { columns, max = 200, onRow } = {}) {
  const cols = columns || (rows.length ? Object.keys(rows[0]) : []);
  const body = rows.slice(0, max).map((r) => {
    const tr = h('tr', {}, cols.map((c) => h('td', {}, fmt(r[c]))));
    if (onRow) { tr.classList.add('clickable'); tr.addEventListener('click', () => onRow(r)); }
    return tr;
  });
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, cols.map((c) => h('th', {}, c)))), h('tbody', {}, body)));
}

export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' }, `${err.problem?.title || 'Error'}: ${err.message}`);
}

export function loading(text) { return h('div', { class: 'loading' }, text); }

export function select(options, value, onChange, attrs = {}) {
  const el = h('select', attrs, options.map(([v, label]) => h('option', { value: v }, label)));
  el.value = value ?? '';
  el.addEventListener('change', () => onChange(el.value));
  return el;
}
