// Cypher 控制台: read-only queries with parameters; results with nodes, relationships or paths are
// drawn as a graph (table on its own tab); history kept in the browser; saved named queries with a
// small parameter form; CSV/XLSX export; the row cap and truncation shown.
import { get, post } from '../api.js';
import { chart } from '../charts.js';
import { errorBox, exportBar, fmt, h, loading, select, table } from '../dom.js';
import { t } from '../i18n.js';
import { labelName, relName } from '../labels.js';

const EXAMPLE = 'MATCH (d:District) RETURN d.adcode AS adcode, d.name AS name ORDER BY adcode LIMIT $n';
const HISTORY_KEY = 'iplayout.console.history';
const HISTORY_MAX = 30;
const COLORS = ['#1f5fa8', '#d35400', '#2e8b57', '#c77c02', '#8a2a6b', '#16a085', '#c0392b', '#7f8c8d', '#8e44ad', '#2980b9'];

const isRel = (v) => v && typeof v === 'object' && typeof v._label === 'string' && '_start' in v;
const isNode = (v) => v && typeof v === 'object' && typeof v._label === 'string' && '_id' in v && !('_start' in v);
const isPath = (v) => v && typeof v === 'object' && Array.isArray(v.nodes) && Array.isArray(v.relationships);

function nodeName(n) { return n.name || n.title || n.name_zh || n.code || n.id || n.adcode || n._id; }

// Every node, relationship and path in the rows, as ECharts graph data.
export function graphOf(rows) {
  const nodes = new Map();
  const links = new Map();
  const visit = (v) => {
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (isPath(v)) { v.nodes.forEach(visit); v.relationships.forEach(visit); return; }
    if (isNode(v)) { if (!nodes.has(v._id)) nodes.set(v._id, v); return; }
    if (isRel(v)) { links.set(v._id || `${v._start}-${v._label}-${v._end}`, v); }
  };
  rows.forEach((r) => Object.values(r).forEach(visit));
  // Relationships whose ends were not returned as nodes still need their end points drawn.
  links.forEach((r) => [r._start, r._end].forEach((id) => { if (!nodes.has(id)) nodes.set(id, { _id: id, _label: '?' }); }));
  return { nodes: [...nodes.values()], links: [...links.values()] };
}

function graphOption(g) {
  const labels = [...new Set(g.nodes.map((n) => n._label))];
  return {
    tooltip: { formatter: (p) => (p.dataType === 'edge' ? relName(p.data.rel) : `${labelName(p.data.label)}: ${p.data.name}`) },
    legend: { data: labels.map(labelName), top: 0 },
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true, force: { repulsion: 200, edgeLength: 100 },
      categories: labels.map((l, i) => ({ name: labelName(l), itemStyle: { color: COLORS[i % COLORS.length] } })),
      data: g.nodes.map((n) => ({ id: n._id, name: String(nodeName(n)), label: n._label, category: labels.indexOf(n._label), symbolSize: 18 })),
      links: g.links.map((r) => ({ source: r._start, target: r._end, rel: r._label, value: relName(r._label) })),
      label: { show: true, position: 'right', fontSize: 10, formatter: (p) => (p.data.name.length > 14 ? `${p.data.name.slice(0, 14)}…` : p.data.name) },
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 6,
      edgeLabel: { show: true, formatter: (p) => p.data.value, fontSize: 9, color: '#888' },
      lineStyle: { color: '#aab', curveness: 0.1 },
    }],
  };
}

function cell(v) {
  if (isPath(v)) return `${t('con.path')} (${v.nodes.length} ${t('con.nodes')})`;
  if (isNode(v)) return `${labelName(v._label)}: ${nodeName(v)}`;
  if (isRel(v)) return relName(v._label);
  if (Array.isArray(v)) return v.map(cell).join('、');
  return fmt(v);
}

export function loadHistory() {
  try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]'); } catch { return []; }
}

function remember(query, params) {
  const items = loadHistory().filter((x) => x.query !== query || x.params !== params);
  items.unshift({ query, params, at: new Date().toISOString() });
  localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_MAX)));
}

function parseValue(text) {
  const s = text.trim();
  if (s === '') return '';
  try { return JSON.parse(s); } catch { return s; }
}

export async function renderConsole(view) {
  const text = h('textarea', { id: 'console-query', rows: 6, spellcheck: 'false' });
  text.value = EXAMPLE;
  const params = h('textarea', { id: 'console-params', rows: 2, spellcheck: 'false' });
  params.value = '{"n": 10}';
  const out = h('div', { id: 'console-result' });
  const picker = h('span', {});
  const form = h('div', { class: 'row', id: 'console-form' });
  const historyBox = h('span', {});
  let named = [];

  function renderHistory() {
    const items = loadHistory();
    historyBox.replaceChildren(select([['', `${t('con.history')} (${items.length})`], ...items.map((x, i) => [String(i), x.query.slice(0, 80)])], '',
      (v) => { const x = items[Number(v)]; if (x) { text.value = x.query; params.value = x.params; form.replaceChildren(); } },
      { id: 'console-history' }));
  }

  function showResult(res) {
    const g = graphOf(res.rows);
    const cols = res.columns.map((c) => ({ key: c, title: c, format: (v) => cell(v) }));
    const tableBox = h('div', { id: 'console-table' }, table(res.rows, { columns: cols, max: 1000 }));
    const graphEl = h('div', { class: 'chart', id: 'console-graph' });
    const tabs = h('div', { class: 'tabs' });
    const body = h('div', {});
    const show = (id) => {
      tabs.querySelectorAll('button').forEach((b) => b.classList.toggle('active', b.dataset.id === id));
      body.replaceChildren(id === 'graph' ? graphEl : tableBox);
      if (id === 'graph') { const c = chart(graphEl); c.setOption(graphOption(g)); graphEl.dataset.nodes = String(g.nodes.length); graphEl.dataset.links = String(g.links.length); }
    };
    if (g.nodes.length) tabs.append(h('button', { dataset: { id: 'graph' }, id: 'console-tab-graph', onclick: () => show('graph') }, t('con.graph')));
    tabs.append(h('button', { dataset: { id: 'table' }, id: 'console-tab-table', onclick: () => show('table') }, t('con.table')));
    const count = `${res.row_count} ${t('con.rows')} ${res.truncated ? `${t('con.truncated')} ${res.limit} ${t('con.truncated_end')}` : `（${t('con.cap')} ${res.limit}）`} · ${res.elapsed_ms} ms`;
    out.replaceChildren(h('div', { class: 'row' }, h('div', { class: `grow ${res.truncated ? 'warn' : 'muted'}`, id: 'console-count' }, count),
      exportBar(() => res.rows, cols, 'console')), tabs, body);
    out.dataset.truncated = String(res.truncated);
    show(g.nodes.length ? 'graph' : 'table');
  }

  async function run() {
    out.replaceChildren(loading(t('common.loading')));
    let p = {};
    try { p = params.value.trim() ? JSON.parse(params.value) : {}; } catch (err) {
      out.replaceChildren(errorBox({ message: err.message, problem: { title: 'JSON' } })); return;
    }
    remember(text.value, params.value);
    renderHistory();
    try {
      showResult(await post('/cypher', { query: text.value, params: p }));
    } catch (err) { out.replaceChildren(errorBox(err)); }
  }

  function namedForm(q) {
    // One input per parameter; the JSON box follows the form.
    const values = Object.fromEntries(q.params.map((k) => [k, k === 'limit' ? 10 : '']));
    const sync = () => { params.value = JSON.stringify(values); };
    form.replaceChildren(h('span', { class: 'muted', title: q.doc }, q.doc),
      ...q.params.map((k) => {
        const input = h('input', { type: 'text', id: `param-${k}`, value: String(values[k]), placeholder: k,
          oninput: (e) => { values[k] = parseValue(e.target.value); sync(); } });
        return h('label', { class: 'field' }, k, input);
      }));
    sync();
  }

  view.append(h('section', { class: 'panel' },
    h('div', { class: 'row' }, h('h3', { class: 'grow' }, t('con.query')), h('label', { class: 'field' }, t('con.history'), historyBox),
      h('label', { class: 'field' }, t('con.saved'), picker)),
    text, form, h('label', { class: 'field' }, t('con.params'), params),
    h('div', { style: 'margin-top:8px' }, h('button', { class: 'primary', id: 'console-run', onclick: run }, t('con.run')))), out);
  renderHistory();
  try {
    named = (await get('/queries', { limit: 500 })).items;
    picker.replaceChildren(select([['', t('con.pick')], ...named.map((q) => [q.name, q.name])], '', (v) => {
      const q = named.find((x) => x.name === v);
      if (!q) return;
      text.value = q.cypher;
      namedForm(q);
    }, { id: 'console-named', title: named.map((q) => `${q.name}: ${q.doc}`).join('\n').slice(0, 2000) }));
  } catch (err) { picker.replaceChildren(errorBox(err)); }
}
