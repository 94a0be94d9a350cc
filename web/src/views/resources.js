// 资源分析: district IP density, clusters of innovators, matching / coordination evaluation.
// Every count opens the documents / organisations behind it (drill-down named queries).
import { get } from '../api.js';
import { errorBox, h, loading, select, table } from '../dom.js';
import { getLang, t } from '../i18n.js';

const district = { key: 'district', tip: (r) => r.adcode, link: (r) => (/^\d{6}$/.test(r.adcode) ? `#/entity/District/${r.adcode}` : null) };

function drillCol(key, query, label) {
  return { key, drill: (r) => ({ name: query, params: { adcode: r.adcode }, label,
    title: `${r.district || r.adcode} · ${t(`drill.${key}`)}` }) };
}

export const DENSITY_COLUMNS = [district, 'zone_name', drillCol('patents', 'drill_district_patents', 'Patent'),
  'invention_share', 'patents_per_10k', 'citations_per_patent', drillCol('holders', 'drill_district_holders', 'Organization'),
  drillCol('papers', 'drill_district_papers', 'Paper'), drillCol('standards', 'drill_district_standards', 'Standard'),
  drillCol('policies', 'drill_district_policies', 'Policy'), 'hhi', 'cagr', 'flags'];

const TABS = [
  ['density', 'res.density', DENSITY_COLUMNS],
  ['clusters', 'res.clusters', ['cluster', 'size', 'top_technologies_named', 'top_members_named', 'top_districts_named', 'peak_year']],
  ['evaluate', 'res.evaluate', ['rank', district, 'year', 'U_ip', 'U_innovation', 'U_industry', 'C', 'T', 'D',
    { key: 'grade', format: (v, r) => (getLang() === 'en' ? r.grade_en || v : v) }]],
];

export function downloads(districts) {
  let chosen = districts[0]?.[0] || '';
  const sel = select(districts, chosen, (v) => { chosen = v; }, { id: 'report-district' });
  const link = (format) => h('a', { href: '#', id: `report-${format}`, onclick: (e) => {
    e.preventDefault();
    const a = h('a', { href: `/downloads/district/${chosen}?format=${format}`, download: '' });
    document.body.append(a); a.click(); a.remove();
  } }, `${t('dl.report')} ${format.toUpperCase()}`);
  return h('div', { class: 'row downloads', id: 'downloads' }, h('b', {}, t('dl.title')),
    h('a', { href: '/downloads/matching.xlsx', download: 'matching.xlsx', id: 'download-matching' }, t('dl.matching')),
    h('label', { class: 'field' }, t('search.district'), sel), link('html'), link('pdf'));
}

export function renderResources(view) {
  const body = h('div', {});
  const tabs = h('div', { class: 'tabs' });
  const dl = h('section', { class: 'panel' });
  async function show(id) {
    const [, , columns] = TABS.find(([x]) => x === id);
    tabs.querySelectorAll('button').forEach((b) => b.classList.toggle('active', b.dataset.id === id));
    body.replaceChildren(loading(t('common.loading')));
    try {
      const res = await get(`/analytics/${id}`, { limit: 100 });
      const cols = columns.filter((c) => !res.items.length || (typeof c === 'string' ? c : c.key) in res.items[0]);
      body.replaceChildren(h('div', { class: 'muted', id: 'res-count' }, `${res.total} ${t('ind.rows')}`),
        table(res.items, { columns: cols, exportName: `${id}`, id: `res-${id}` }),
        h('details', { class: 'provenance' }, h('summary', {}, t('common.provenance')),
          h('code', {}, `GET /analytics/${id} · ${res.queries.join(', ')}`)));
      if (id === 'density' && !dl.childNodes.length) {
        dl.replaceChildren(downloads(res.items.map((r) => [r.adcode, r.district])));
      }
    } catch (err) { body.replaceChildren(errorBox(err)); }
  }
  TABS.forEach(([id, key]) => tabs.append(h('button', { dataset: { id }, onclick: () => show(id) }, t(key))));
  view.append(h('section', { class: 'panel' }, tabs, body), dl);
  show('density');
}
