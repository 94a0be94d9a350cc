// 动态监测: yearly patents per district (line chart), alerts and new entrants.
import { get } from '../api.js';
import { chart } from '../charts.js';
import { errorBox, h, loading, select, table } from '../dom.js';
import { t } from '../i18n.js';

export async function renderMonitor(view) {
  view.append(loading(t('common.loading')));
  let rows; let alerts; let entrants;
  try {
    [rows, alerts, entrants] = await Promise.all([
      get('/analytics/monitor', { limit: 500 }),
      get('/analytics/monitor', { table: 'alerts', limit: 200 }),
      get('/analytics/monitor', { table: 'new_entrants', limit: 200 })]);
  } catch (err) { view.replaceChildren(errorBox(err)); return; }
  const names = await get('/maps/values', { metric: 'patents' }).then((r) => Object.fromEntries(r.items.map((d) => [d.adcode, d.name]))).catch(() => ({}));
  const adcodes = [...new Set(rows.items.map((r) => r.adcode))].sort();
  const chartEl = h('div', { class: 'chart', id: 'monitor-chart' });
  let chosen = adcodes.slice(0, 5);
  const picker = select(adcodes.map((a) => [a, names[a] || a]), chosen[0], (v) => { chosen = [v, ...chosen.filter((x) => x !== v)].slice(0, 5); draw(); });
  view.replaceChildren(
    h('section', { class: 'panel' }, h('div', { class: 'row' }, h('h3', { class: 'grow' }, t('mon.trend')),
      h('label', { class: 'field' }, t('mon.district'), picker)), chartEl),
    h('div', { class: 'split' },
      h('section', { class: 'panel' }, h('h3', {}, t('mon.alerts')), table(alerts.items, { columns: ['adcode', 'year', 'rule', 'metric', 'value', 'threshold'] })),
      h('section', { class: 'panel' }, h('h3', {}, t('mon.entrants')), table(entrants.items, { columns: ['adcode', 'year', 'name', 'patents_first_year'] }))));
  const c = chart(chartEl);
  function draw() {
    const years = [...new Set(rows.items.map((r) => r.year))].sort();
    c.setOption({
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 40, left: 50, right: 20, bottom: 30 },
      xAxis: { type: 'category', data: years }, yAxis: { type: 'value' },
      series: chosen.map((a) => ({ type: 'line', name: names[a] || a, smooth: true,
        data: years.map((y) => (rows.items.find((r) => r.adcode === a && r.year === y) || {}).patents ?? 0) })),
    }, true);
  }
  draw();
}
