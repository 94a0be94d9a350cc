// Entity page: properties and the neighbourhood as an ECharts force graph (click to follow).
import { get } from '../api.js';
import { chart } from '../charts.js';
import { errorBox, fmt, h, loading, table } from '../dom.js';
import { t } from '../i18n.js';

const COLORS = { Patent: '#1f5fa8', Paper: '#2e8b57', Standard: '#c77c02', Policy: '#8a2a6b', Organization: '#d35400',
  Person: '#7f8c8d', Technology: '#16a085', Industry: '#8e44ad', District: '#c0392b', Zone: '#e67e22',
  ChainLink: '#2980b9', IndustryChain: '#34495e', City: '#a93226', Province: '#922b21', Observation: '#95a5a6' };

function graphOption(entity) {
  const centre = `${entity.label}:${entity.key}`;
  const nodes = [{ id: centre, name: entity.name, label: entity.label, key: entity.key, symbolSize: 34,
    itemStyle: { color: COLORS[entity.label] || '#555' }, category: entity.label }];
  const seen = new Set([centre]);
  const links = [];
  entity.neighbours.items.forEach((n) => {
    const id = `${n.label}:${n.key}`;
    if (!seen.has(id)) {
      seen.add(id);
      nodes.push({ id, name: n.name, label: n.label, key: n.key, symbolSize: 16, itemStyle: { color: COLORS[n.label] || '#777' } });
    }
    links.push(n.direction === 'out' ? { source: centre, target: id, value: n.rel_type } : { source: id, target: centre, value: n.rel_type });
  });
  return {
    tooltip: { formatter: (p) => (p.dataType === 'edge' ? p.data.value : `${p.data.label}: ${p.data.name}`) },
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true, data: nodes, links,
      force: { repulsion: 220, edgeLength: 110 },
      label: { show: true, position: 'right', formatter: (p) => (p.data.name.length > 14 ? `${p.data.name.slice(0, 14)}…` : p.data.name), fontSize: 11 },
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 6,
      edgeLabel: { show: true, formatter: (p) => p.data.value, fontSize: 9, color: '#888' },
      lineStyle: { color: '#aab', curveness: 0.1 },
    }],
  };
}

export async function renderEntity(view, label, key) {
  view.append(loading(t('common.loading')));
  let entity;
  try {
    entity = await get(`/entities/${encodeURIComponent(label)}/${encodeURIComponent(key)}`, { limit: 80 });
  } catch (err) { view.replaceChildren(errorBox(err)); return; }
  const graphEl = h('div', { class: 'chart', id: 'entity-graph' });
  const props = h('table', { class: 'grid props' }, h('tbody', {},
    Object.entries(entity.properties).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { style: 'white-space:normal' }, fmt(v))))));
  view.replaceChildren(
    h('h2', { id: 'entity-title' }, h('span', { class: `badge ${label}` }, label), entity.name),
    h('div', { class: 'split' },
      h('section', { class: 'panel' }, h('h3', {}, t('entity.graph')), graphEl,
        h('div', { class: 'muted' }, `${entity.neighbours.total} ${t('entity.neighbours')}${entity.truncated ? ' …' : ''}`)),
      h('section', { class: 'panel' }, h('h3', {}, t('entity.props')), h('div', { class: 'table-wrap' }, props))),
    h('section', { class: 'panel' }, h('h3', {}, t('entity.neighbours')),
      table(entity.neighbours.items, { columns: ['rel_type', 'direction', 'label', 'key', 'name'],
        onRow: (r) => { window.location.hash = `#/entity/${r.label}/${encodeURIComponent(r.key)}`; } })));
  const c = chart(graphEl);
  c.setOption(graphOption(entity));
  c.on('click', (p) => {
    if (p.dataType === 'node' && p.data.key !== entity.key) window.location.hash = `#/entity/${p.data.label}/${encodeURIComponent(p.data.key)}`;
  });
  graphEl.dataset.nodes = String(c.getOption().series[0].data.length);
}
