// 空间分布: district choropleth (ECharts map from /maps/districts.geojson) with metric and year selectors.
import { get } from '../api.js';
import { NODATA, PALETTE, chart, echarts } from '../charts.js';
import { errorBox, fmt, h, loading, select, table } from '../dom.js';
import { getLang, t } from '../i18n.js';

const METRICS = ['density', 'patents', 'lq', 'coordination', 'chain_coverage'];
const TYPED = ['density', 'patents', 'lq']; // metrics that count the chosen IP type (docs/ip_types.md)
const IP_TYPES = ['patents', 'trademarks', 'all'];
let geo = null;

async function ensureMap() {
  if (!geo) {
    geo = await get('/maps/districts.geojson');
    echarts.registerMap('iplayout-region', geo);
  }
  return geo;
}

// Quantile class breaks over the non-null values: [min, b1, ..., max].
function breaks(values, k = PALETTE.length) {
  const v = values.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return [];
  const out = [v[0]];
  for (let i = 1; i < k; i += 1) out.push(v[Math.min(v.length - 1, Math.floor((i * v.length) / k))]);
  out.push(v[v.length - 1]);
  return out.filter((x, i) => i === 0 || x > out[i - 1]);
}

function pieces(br) {
  const p = [];
  for (let i = 0; i < br.length - 1; i += 1) {
    p.push({ gte: br[i], lt: i === br.length - 2 ? undefined : br[i + 1], lte: i === br.length - 2 ? br[i + 1] : undefined,
      color: PALETTE[Math.round((i * (PALETTE.length - 1)) / Math.max(1, br.length - 2))], label: `${fmt(br[i])} – ${fmt(br[i + 1])}` });
  }
  if (!p.length && br.length === 1) p.push({ value: br[0], color: PALETTE[2], label: fmt(br[0]) });
  return p;
}

function legend(ps, unit) {
  return h('ul', { class: 'legend', id: 'map-legend', 'aria-label': t('map.legend') },
    h('li', {}, h('b', {}, `${t('map.legend')}${unit ? ` (${unit})` : ''}`)),
    ps.map((p) => h('li', { class: 'legend-item' }, h('span', { class: 'sw', style: `background:${p.color}` }), p.label)),
    h('li', { class: 'legend-item' }, h('span', { class: 'sw', style: `background:${NODATA}` }), t('map.nodata')));
}

export function renderMap(view, params) {
  const state = { metric: params.get('metric') || 'density', year: '', industry: '', chain: '',
    ipType: params.get('ip_type') || 'patents' };
  const controls = h('div', { class: 'row' });
  const mapEl = h('div', { class: 'chart tall', id: 'map-chart' });
  const legendBox = h('div', {});
  const tableBox = h('div', {});
  const status = h('div', { class: 'muted', id: 'map-status' });
  view.append(h('div', { class: 'split' },
    h('section', { class: 'panel' }, controls, mapEl, legendBox, status),
    h('section', { class: 'panel' }, h('h3', {}, t('map.table')), tableBox)));
  const c = chart(mapEl);
  c.on('click', (p) => { if (p.data?.adcode) window.location.hash = `#/entity/District/${p.data.adcode}`; });

  async function draw() {
    status.textContent = t('common.loading');
    mapEl.dataset.ready = 'false';
    let data;
    try {
      const [g, values] = await Promise.all([ensureMap(), get('/maps/values', {
        metric: state.metric, year: state.year, industry: state.industry, chain: state.chain,
        ip_type: TYPED.includes(state.metric) ? state.ipType : 'patents' })]);
      data = { g, values };
    } catch (err) { status.replaceChildren(errorBox(err)); return; }
    const { g, values } = data;
    const geoName = Object.fromEntries(g.features.map((f) => [f.properties.adcode, f.properties.name]));
    const items = values.items.map((d) => ({ name: geoName[d.adcode] || d.name, value: d.value, adcode: d.adcode, note: d.note }));
    const ps = pieces(breaks(items.map((d) => d.value)));
    const title = getLang() === 'en' ? values.title_en : values.title_zh;
    c.setOption({
      title: { text: `${title}${values.year ? ` · ${values.year}` : ''}`, left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'item', formatter: (p) => `${p.name}<br/>${fmt(p.value)}${p.data?.note ? ` (${p.data.note})` : ''}` },
      visualMap: { type: 'piecewise', show: false, pieces: ps, outOfRange: { color: NODATA } },
      series: [{ type: 'map', map: 'iplayout-region', roam: true, data: items,
        label: { show: true, fontSize: 9, color: '#333' }, itemStyle: { areaColor: NODATA, borderColor: '#fff', borderWidth: 0.8 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: '#f6c342' } } }],
    }, true);
    legendBox.replaceChildren(legend(ps, values.unit));
    const unit = getLang() === 'en' || !values.unit || title.includes(values.unit) ? '' : `（${values.unit}）`;
    const valueCol = { key: 'value', title: `${title}${unit}` };
    if (state.metric === 'patents') {
      // A count: it opens the patents behind it (of the chosen year, if any).
      valueCol.drill = (r) => ({ name: state.year ? 'drill_district_patents_year' : 'drill_district_patents', label: 'Patent',
        params: state.year ? { adcode: r.adcode, year: Number(state.year) } : { adcode: r.adcode },
        title: `${r.name}${state.year ? ` · ${state.year}` : ''} · ${t('drill.patents')}` });
    }
    tableBox.replaceChildren(table([...items].sort((a, b) => (b.value ?? -1) - (a.value ?? -1)),
      { columns: [{ key: 'name', title: t('search.district'), tip: (r) => r.adcode, link: (r) => `#/entity/District/${r.adcode}` },
        valueCol, { key: 'note', format: (v) => v || '' }], max: 100, exportName: `map-${state.metric}`, id: 'map-table' }));
    mapEl.dataset.units = String(g.features.length);
    mapEl.dataset.values = String(items.length);
    mapEl.dataset.metric = state.metric;
    mapEl.dataset.ipType = values.ip_type;
    mapEl.dataset.ready = 'true';
    status.textContent = `${g.features.length} ${t('map.units')}`;
    renderControls(values);
  }

  function renderControls(values) {
    const parts = [
      h('label', { class: 'field' }, t('map.metric'), select(METRICS.map((m) => [m, t(`metric.${m}`)]), state.metric,
        (v) => { state.metric = v; draw(); }, { id: 'map-metric' })),
    ];
    if (TYPED.includes(state.metric)) {
      parts.push(h('label', { class: 'field' }, t('map.ip_type'), select(IP_TYPES.map((k) => [k, t(`iptype.${k}`)]),
        state.ipType, (v) => { state.ipType = v; state.industry = ''; draw(); }, { id: 'map-iptype' })));
    }
    if (state.metric !== 'chain_coverage') {
      parts.push(h('label', { class: 'field' }, t('map.year'), select([['', t('map.all_years')], ...values.years.map((y) => [String(y), String(y)])],
        state.year, (v) => { state.year = v; draw(); }, { id: 'map-year' })));
    }
    if (state.metric === 'lq') {
      parts.push(h('label', { class: 'field' }, t('map.industry'), select(values.industries.map((i) => [i.id, i.name]),
        values.industry || '', (v) => { state.industry = v; draw(); }, { id: 'map-industry' })));
    }
    if (state.metric === 'chain_coverage') {
      parts.push(h('label', { class: 'field' }, t('map.chain'), select(values.chains.map((i) => [i.id, i.name]),
        values.chain || '', (v) => { state.chain = v; draw(); }, { id: 'map-chain' })));
    }
    controls.replaceChildren(...parts);
  }

  controls.append(loading(t('common.loading')));
  draw();
}
