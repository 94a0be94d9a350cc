// 动态监测: yearly patents per district (line chart + table), alerts and new entrants.
// A yearly count (table cell or chart point) opens the patents of that district and year.
import { get, getAll } from '../api.js';
import { chart } from '../charts.js';
import { openDrill } from '../drill.js';
import { errorBox, h, loading, select, table } from '../dom.js';
import { t } from '../i18n.js';
import { colName } from '../labels.js';

const districtCol = { key: 'district', tip: (r) => r.adcode, link: (r) => `#/entity/District/${r.adcode}` };

function yearDrill(r) {
  return { name: 'drill_district_patents_year', label: 'Patent', params: { adcode: r.adcode, year: r.year },
    title: `${r.district} · ${r.year} · ${t('drill.patents')}` };
}

export async function renderMonitor(view) {
  view.append(loading(t('common.loading')));
  let rows; let alerts; let entrants;
  try {
    [rows, alerts, entrants] = await Promise.all([
      getAll('/analytics/monitor', {}),
      get('/analytics/monitor', { table: 'alerts', limit: 200 }),
      get('/analytics/monitor', { table: 'new_entrants', limit: 200 })]);
  } catch (err) { view.replaceChildren(errorBox(err)); return; }
  const names = Object.fromEntries(rows.items.map((r) => [r.adcode, r.district]));
  const adcodes = [...new Set(rows.items.map((r) => r.adcode))].sort();
  const chartEl = h('div', { class: 'chart', id: 'monitor-chart' });
  const yearBox = h('div', { id: 'monitor-years' });
  let chosen = adcodes.slice(0, 5);
  const picker = select(adcodes.map((a) => [a, names[a] || a]), chosen[0], (v) => { chosen = [v, ...chosen.filter((x) => x !== v)].slice(0, 5); draw(); },
    { id: 'monitor-district' });
  view.replaceChildren(
    h('section', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, t('mon.trend')),
      h('label', { class: 'field' }, t('mon.district'), picker)), chartEl, yearBox),
    h('div', { class: 'split' },
      h('section', { class: 'panel' }, h('h3', {}, t('mon.alerts')), table(alerts.items, { exportName: 'alerts', id: 'monitor-alerts',
        columns: [districtCol, 'year', 'rule', { key: 'metric', format: (v) => colName(v) }, 'value', 'threshold'] })),
      h('section', { class: 'panel' }, h('h3', {}, t('mon.entrants')), table(entrants.items, { exportName: 'new-entrants', id: 'monitor-entrants',
        columns: [districtCol, 'year', { key: 'name', tip: (r) => r.org, link: (r) => `#/entity/Organization/${encodeURIComponent(r.org)}` },
          'patents_first_year'] }))));
  const c = chart(chartEl);
  const years = [...new Set(rows.items.map((r) => r.year))].sort();
  const row = (a, y) => rows.items.find((r) => r.adcode === a && r.year === y);
  c.on('click', (p) => {
    const a = chosen[p.seriesIndex]; const r = row(a, years[p.dataIndex]);
    if (r && r.patents) openDrill(yearDrill(r));
  });
  function draw() {
    c.setOption({
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 40, left: 50, right: 20, bottom: 30 },
      xAxis: { type: 'category', data: years }, yAxis: { type: 'value', name: t('mon.unit') },
      series: chosen.map((a) => ({ type: 'line', name: names[a] || a, smooth: true,
        data: years.map((y) => row(a, y)?.patents ?? 0) })),
    }, true);
    const mine = rows.items.filter((r) => r.adcode === chosen[0]).sort((x, y) => y.year - x.year);
    yearBox.replaceChildren(h('h3', {}, `${names[chosen[0]]} · ${t('mon.by_year')}`),
      table(mine, { exportName: `monitor-${chosen[0]}`, id: 'monitor-table',
        columns: ['year', { key: 'patents', drill: yearDrill }, 'invention_share', 'grant_rate', 'growth', 'hhi', 'new_entrants'] }));
  }
  draw();
}
