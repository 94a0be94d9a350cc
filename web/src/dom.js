import { colName, isPercent, unitOf, valueDoc, valueName } from './labels.js';
import { openDrill } from './drill.js';

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

const NUM = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 3 });

export function fmt(value) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '–';
    if (Number.isInteger(value)) return NUM.format(value);
    return Math.abs(value) >= 100 ? NUM.format(Math.round(value)) : NUM.format(Number(value.toPrecision(4)));
  }
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (Array.isArray(value)) return value.map(fmt).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// One column: a key, or {key, title, link(row) -> hash, tip(row) -> text, drill(row) -> {name, params, title}}.
function spec(c) { return typeof c === 'string' ? { key: c } : c; }

export function cellText(c, row) {
  const v = row[c.key];
  if (c.format) return c.format(v, row);
  if (typeof v === 'number' && /(^|_)year(_|$)/.test(c.key)) return String(v); // 2024, not 2,024
  if (typeof v === 'number' && isPercent(c.key)) return `${NUM.format(Number((v * 100).toFixed(1)))}%`;
  if (Array.isArray(v)) return v.map((x) => fmt(valueName(x))).join('、');
  return fmt(valueName(v));
}

export function colTitle(c) {
  if (c.title) return c.title;
  const unit = unitOf(c.key);
  const pct = isPercent(c.key) ? '%' : '';
  const u = unit || pct;
  return u ? `${colName(c.key)}（${u}）` : colName(c.key);
}

function csvCell(text) { return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text; }

export function download(blob, filename) {
  const a = h('a', { href: URL.createObjectURL(blob), download: filename, style: 'display:none' });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

export function toCsv(rows, columns) {
  const cols = columns.map(spec);
  const lines = [cols.map((c) => csvCell(colTitle(c))).join(',')];
  rows.forEach((r) => lines.push(cols.map((c) => csvCell(cellText(c, r))).join(',')));
  return `\ufeff${lines.join('\r\n')}\r\n`; // BOM: Excel opens UTF-8 Chinese text correctly
}

export async function exportRows(rows, columns, name, format) {
  const cols = columns.map(spec);
  if (format === 'csv') { download(new Blob([toCsv(rows, cols)], { type: 'text/csv;charset=utf-8' }), `${name}.csv`); return; }
  const body = { columns: cols.map((c) => ({ key: c.key, title: colTitle(c) })),
    rows: rows.map((r) => Object.fromEntries(cols.map((c) => [c.key, cellText(c, r)]))) };
  const resp = await fetch(`/exports/xlsx?filename=${encodeURIComponent(name)}.xlsx`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!resp.ok) throw new Error(`XLSX export failed: HTTP ${resp.status}`);
  download(await resp.blob(), `${name}.xlsx`);
}

export function exportBar(getRows, columns, name) {
  const btn = (format, label) => h('button', { class: 'link export', dataset: { format },
    onclick: async () => { await exportRows(await getRows(), columns, name, format); } }, label);
  return h('span', { class: 'exports' }, btn('csv', 'CSV'), ' ', btn('xlsx', 'XLSX'));
}

// A table with display-name headers, formatted cells, id tooltips, links, drill-downs and exports.
export function table(rows, { columns, max = 500, onRow, exportName, id } = {}) {
  const cols = (columns || (rows.length ? Object.keys(rows[0]) : [])).map(spec);
  const shown = rows.slice(0, max);
  const body = shown.map((r) => {
    const tr = h('tr', {}, cols.map((c) => {
      const text = cellText(c, r);
      const tip = c.tip ? c.tip(r) : undefined;
      const drill = c.drill && r[c.key] ? c.drill(r) : null;
      if (drill) {
        return h('td', { title: tip }, h('a', { href: '#', class: 'drill', dataset: { count: String(r[c.key]) },
          onclick: (e) => { e.preventDefault(); e.stopPropagation(); openDrill(drill); } }, text));
      }
      if (c.link && c.link(r)) {
        return h('td', { title: tip }, h('a', { href: c.link(r), onclick: (e) => e.stopPropagation() }, text));
      }
      return h('td', { title: tip || valueDoc(r[c.key]) || undefined }, text);
    }));
    if (onRow) { tr.classList.add('clickable'); tr.addEventListener('click', () => onRow(r)); }
    return tr;
  });
  const grid = h('table', { class: 'grid', id }, h('thead', {}, h('tr', {}, cols.map((c) => h('th', { title: c.key }, colTitle(c))))),
    h('tbody', {}, body));
  const bar = exportName ? h('div', { class: 'table-tools' }, exportBar(() => shown, cols, exportName)) : null;
  return h('div', { class: 'table-wrap' }, bar, grid);
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
