// Entity page: properties and the neighbourhood as an ECharts force graph (click to follow).
import { get } from '../api.js';
import { chart } from '../charts.js';
import { errorBox, fmt, h, loading, table } from '../dom.js';
import { t } from '../i18n.js';
import { colName, labelName, provenanceKeys, relName, valueName } from '../labels.js';

const COLORS = { Patent: '#1f5fa8', Paper: '#2e8b57', Standard: '#c77c02', Policy: '#8a2a6b', Organization: '#d35400',
  Person: '#7f8c8d', Technology: '#16a085', Industry: '#8e44ad', District: '#c0392b', Zone: '#e67e22',
  ChainLink: '#2980b9', IndustryChain: '#34495e', City: '#a93226', Province: '#922b21', Observation: '#95a5a6' };

const HUB_TOP = 20; // neighbours drawn next to the groups of a hub

function node(id, name, label, key, size) {
  return { id, name: name || key, label, key, symbolSize: size, itemStyle: { color: COLORS[label] || '#777' } };
}

// A few neighbours of every (relationship, label) group, HUB_TOP in all: the hub's shape, not one group.
function sample(items) {
  const groups = {};
  items.forEach((n) => { (groups[`${n.rel_type}:${n.direction}:${n.label}`] ||= []).push(n); });
  const lists = Object.values(groups);
  const out = [];
  for (let i = 0; out.length < HUB_TOP && lists.some((l) => l.length > i); i += 1) {
    lists.forEach((l) => { if (l[i] && out.length < HUB_TOP) out.push(l[i]); });
  }
  return out;
}

function graphOption(entity) {
  const centre = `${entity.label}:${entity.key}`;
  const nodes = [node(centre, entity.name, entity.label, entity.key, 34)];
  const seen = new Set([centre]);
  const links = [];
  const edge = (id, direction, rel) => links.push(direction === 'out'
    ? { source: centre, target: id, value: relName(rel), rel } : { source: id, target: centre, value: relName(rel), rel });
  if (entity.hub) {
    // Thousands of neighbours: one node per (relationship, label) group sized by its count, plus the top few.
    entity.groups.forEach((g) => {
      const id = `group:${g.rel_type}:${g.direction}:${g.label}`;
      nodes.push({ ...node(id, `${labelName(g.label)} × ${fmt(g.count)}`, g.label, null, Math.min(60, 14 + Math.sqrt(g.count) * 2)),
        group: true, symbol: 'roundRect' });
      edge(id, g.direction, g.rel_type);
    });
  }
  const items = entity.hub ? sample(entity.neighbours.items) : entity.neighbours.items;
  items.forEach((n) => {
    const id = `${n.label}:${n.key}`;
    if (!seen.has(id)) { seen.add(id); nodes.push(node(id, n.name, n.label, n.key, 16)); }
    edge(id, n.direction, n.rel_type);
  });
  return {
    tooltip: { formatter: (p) => (p.dataType === 'edge' ? p.data.value : `${labelName(p.data.label)}: ${p.data.name}${p.data.key ? `<br/>${p.data.key}` : ''}`) },
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

const DOCS = ['Patent', 'Paper', 'Standard', 'Policy'];

function propsTable(properties, label) {
  // Internal ids (ORG:…, OBS:…) are no reading matter: with the provenance; a document's number is.
  const prov = new Set([...provenanceKeys(), ...(DOCS.includes(label) ? [] : ['id'])]);
  const rows = (entries) => entries.map(([k, v]) => h('tr', {}, h('td', { title: k }, colName(k)),
    h('td', { style: 'white-space:normal' }, Array.isArray(v) ? v.join('、') : fmt(valueName(v)))));
  const entries = Object.entries(properties);
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'grid props', id: 'entity-props' }, h('tbody', {}, rows(entries.filter(([k]) => !prov.has(k))))),
    h('details', { class: 'provenance', id: 'entity-provenance' }, h('summary', {}, t('common.provenance')),
      h('table', { class: 'grid props' }, h('tbody', {}, rows(entries.filter(([k]) => prov.has(k)))))));
}

export async function renderEntity(view, label, key) {
  view.append(loading(t('common.loading')));
  const t0 = performance.now();
  let entity;
  try {
    entity = await get(`/entities/${encodeURIComponent(label)}/${encodeURIComponent(key)}`, { limit: 80 });
  } catch (err) { view.replaceChildren(errorBox(err)); return; }
  const graphEl = h('div', { class: 'chart', id: 'entity-graph' });
  const open = (r) => { window.location.hash = `#/entity/${r.label}/${encodeURIComponent(r.key)}`; };
  const neighbourCols = [{ key: 'rel_type', title: t('entity.rel'), format: (v) => relName(v) },
    { key: 'direction', title: t('entity.direction') },
    { key: 'label', title: t('entity.label'), format: (v) => labelName(v) },
    { key: 'name', title: t('entity.name'), tip: (r) => r.key }];
  const groupCols = [{ key: 'rel_type', title: t('entity.rel'), format: (v) => relName(v) },
    { key: 'label', title: t('entity.label'), format: (v) => labelName(v) }, { key: 'count', title: t('entity.count') }];
  const downloads = label === 'District' ? h('div', { class: 'row downloads' }, h('b', {}, t('dl.title')),
    h('a', { href: `/downloads/district/${encodeURIComponent(key)}?format=html`, download: '', id: 'entity-report-html' }, `${t('dl.report')} HTML`),
    h('a', { href: `/downloads/district/${encodeURIComponent(key)}?format=pdf`, download: '', id: 'entity-report-pdf' }, `${t('dl.report')} PDF`)) : null;
  view.replaceChildren(...[
    h('h2', { id: 'entity-title', title: `${label}:${key}` }, h('span', { class: `badge ${label}` }, labelName(label)), entity.name),
    downloads,
    h('div', { class: 'split' },
      h('section', { class: 'panel' }, h('h3', {}, t('entity.graph')), graphEl,
        h('div', { class: 'muted', id: 'entity-degree' }, `${fmt(entity.degree || entity.neighbours.total)} ${t('entity.neighbours')}${entity.hub ? ` · ${t('entity.hub')}` : ''}`)),
      h('section', { class: 'panel' }, h('h3', {}, t('entity.props')), propsTable(entity.properties, label))),
    entity.hub ? h('section', { class: 'panel' }, h('h3', {}, t('entity.groups')),
      table(entity.groups, { columns: groupCols, id: 'entity-groups', exportName: `groups-${key}` })) : null,
    h('section', { class: 'panel' }, h('h3', {}, t('entity.neighbours')),
      table(entity.neighbours.items, { columns: neighbourCols, onRow: open, id: 'entity-neighbours', exportName: `neighbours-${key}` }))].filter(Boolean));
  const c = chart(graphEl);
  c.setOption(graphOption(entity));
  c.on('click', (p) => {
    if (p.dataType === 'node' && p.data.key && p.data.key !== entity.key) open(p.data);
  });
  graphEl.dataset.nodes = String(c.getOption().series[0].data.length);
  graphEl.dataset.hub = String(Boolean(entity.hub));
  graphEl.dataset.ms = String(Math.round(performance.now() - t0));
}
