// 产业知识产权布局分析: chain view (links coloured by coverage, gap flags) and the guidance catalogue.
import { get, post } from '../api.js';
import { PALETTE, chart } from '../charts.js';
import { errorBox, fmt, h, loading, select, table } from '../dom.js';
import { t } from '../i18n.js';
import { colName, valueName } from '../labels.js';

const POSITIONS = ['upstream', 'midstream', 'downstream'];

function colour(ratio) {
  if (ratio == null) return '#ccc';
  const i = Math.max(0, Math.min(PALETTE.length - 1, Math.floor(Math.min(ratio, 1) * PALETTE.length - 1e-9)));
  return PALETTE[i];
}

function chainOption(links, order) {
  const byPos = {};
  links.forEach((l) => { (byPos[l.position] = byPos[l.position] || []).push(l); });
  const ids = new Set(links.map((l) => l.link));
  const nodes = links.map((l) => {
    const col = Math.max(0, POSITIONS.indexOf(l.position));
    const row = (byPos[l.position] || []).indexOf(l);
    const gap = Boolean(l.flags && String(l.flags).length);
    return { id: l.link, name: l.link_name, x: col * 300, y: row * 90, symbol: 'roundRect', symbolSize: [150, 44],
      value: l.ratio_to_benchmark, patents: l.patents, flags: l.flags,
      itemStyle: { color: colour(l.ratio_to_benchmark), borderColor: gap ? '#c0392b' : '#567', borderWidth: gap ? 4 : 1 },
      label: { show: true, color: (l.ratio_to_benchmark ?? 0) > 0.6 ? '#fff' : '#123', fontSize: 11,
        formatter: `${l.link_name}\n${fmt(l.patents)} · ${fmt(l.ratio_to_benchmark)}${gap ? ` ⚠${t('ind.gap')}` : ''}` } };
  });
  const edges = order.filter((o) => ids.has(o.from) && ids.has(o.to)).map((o) => ({ source: o.from, target: o.to }));
  return {
    tooltip: { formatter: (p) => (p.dataType === 'node' ? `${p.data.name}<br/>${colName('patents')} ${fmt(p.data.patents)}<br/>${colName('ratio_to_benchmark')} ${fmt(p.data.value)}${p.data.flags ? `<br/>⚠ ${valueName(p.data.flags)}` : ''}` : '') },
    series: [{ type: 'graph', layout: 'none', data: nodes, links: edges, roam: true,
      edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 8, lineStyle: { color: '#889', width: 1.5, curveness: 0.15 } }],
  };
}

export async function renderIndustry(view) {
  view.append(loading(t('common.loading')));
  let chains; let order; let catalog;
  try {
    [chains, order, catalog] = await Promise.all([get('/analytics/chains', { limit: 500 }),
      post('/queries/chain_order', { params: {} }, { limit: 500 }), get('/analytics/catalog', { limit: 100 })]);
  } catch (err) { view.replaceChildren(errorBox(err)); return; }
  const names = {};
  chains.items.forEach((r) => { names[r.chain] = r.chain_name || r.chain; });
  const ids = Object.keys(names);
  const orderRows = order.items.map((r) => ({ from: r.upstream, to: r.downstream }));
  const chartEl = h('div', { class: 'chart', id: 'chain-chart' });
  const linksBox = h('div', { id: 'chain-links' });
  const evidenceBox = h('div', { id: 'chain-evidence' });
  const p = chains.params || {};
  const benchLine = p.benchmark === 'none' ? p.benchmark_note
    : `${t('ind.benchmark')}: ${valueName(p.benchmark)} (${fmt(p.benchmark_size)}) · ${t('ind.scope')}: ${valueName(p.scope)} (${fmt(p.scope_size)})`;
  // Prefer a chain with flags: that is what the policy group opens the page for.
  const flagged = chains.items.filter((r) => r.flags).map((r) => r.chain);
  let current = flagged.find((c) => ids.includes(c)) || ids[0];
  view.replaceChildren(
    h('section', { class: 'panel' },
      h('div', { class: 'row' }, h('h3', { class: 'grow' }, t('ind.view')),
        h('label', { class: 'field' }, t('ind.chain'), select(ids.map((i) => [i, names[i]]), current, (v) => { current = v; draw(); }, { id: 'chain-select' }))),
      h('p', { id: 'chain-benchmark', class: p.benchmark === 'none' ? 'warn' : 'muted', dataset: { benchmark: p.benchmark } }, benchLine),
      chartEl, h('h3', {}, t('ind.links')), linksBox, evidenceBox),
    h('section', { class: 'panel' }, h('h3', {}, t('ind.catalog')),
      table(catalog.items, { exportName: 'catalog', id: 'catalog-table', columns: ['rank',
        { key: 'district', tip: (r) => r.adcode, format: (v) => valueName(v) },
        { key: 'industry_name', tip: (r) => r.industry, link: (r) => `#/entity/Industry/${encodeURIComponent(r.industry)}` },
        { key: 'category', tip: (r) => r.evidence }, 'score', 'patents', 'lq', 'growth'] })));
  const c = chart(chartEl);
  async function evidence(row) {
    // The link's evidence query: the documents and holders behind its numbers.
    const name = row.evidence_query || 'chain_link_evidence';
    const params = row.evidence_params || { link: row.link };
    evidenceBox.replaceChildren(loading(t('common.loading')));
    try {
      const res = await post(`/queries/${name}`, { params }, { limit: 200 });
      evidenceBox.replaceChildren(h('h3', {}, `${t('ind.evidence')}: ${row.link_name}${row.flags ? ` ⚠ ${valueName(row.flags)}` : ''}`),
        h('p', { class: 'muted' }, `${fmt(res.total)} ${t('ind.rows')}`),
        table(res.items, { exportName: `evidence-${row.link}`, id: 'evidence-table', columns: [
          { key: 'title', tip: (r) => r.patent, link: (r) => `#/entity/Patent/${encodeURIComponent(r.patent)}` }, 'year',
          { key: 'org_name', tip: (r) => r.org, link: (r) => `#/entity/Organization/${encodeURIComponent(r.org)}` }, 'kind', 'place'] }),
        h('details', { class: 'provenance' }, h('summary', {}, t('common.provenance')),
          h('code', {}, `iplayout query ${name} ${Object.entries(params).map(([k, v]) => `--param ${k}=${v}`).join(' ')}`)));
      evidenceBox.dataset.link = row.link;
      evidenceBox.dataset.query = name;
      evidenceBox.dataset.rows = String(res.total);
    } catch (err) { evidenceBox.replaceChildren(errorBox(err)); }
  }
  const linkDrill = (key, query, label) => ({ key, drill: (r) => ({ name: query, params: { link: r.link }, label,
    title: `${r.link_name} · ${t(`drill.${key}`)}` }) });
  c.on('click', (e) => {
    const row = chains.items.find((r) => r.link === e.data?.id);
    if (e.dataType === 'node' && row) evidence(row);
  });
  function draw() {
    const links = chains.items.filter((r) => r.chain === current);
    c.setOption(chainOption(links, orderRows), true);
    chartEl.dataset.links = String(links.length);
    chartEl.dataset.flagged = String(links.filter((l) => l.flags).length);
    linksBox.replaceChildren(table(links, { onRow: evidence, exportName: `chain-${current}`, id: 'chain-table', columns: [
      { key: 'link_name', tip: (r) => r.link }, 'position', linkDrill('patents', 'chain_link_evidence', 'Patent'), 'benchmark_patents',
      linkDrill('orgs', 'chain_link_evidence_orgs', 'Organization'), linkDrill('enterprises', 'chain_link_evidence_orgs', 'Organization'),
      'ratio_to_benchmark', 'flags'] }));
  }
  draw();
}
