// 资源分析: district IP density, clusters of innovators, matching / coordination evaluation.
import { get } from '../api.js';
import { errorBox, h, loading, table } from '../dom.js';
import { t } from '../i18n.js';

const TABS = [
  ['density', 'res.density', ['adcode', 'district', 'zone_name', 'patents', 'invention_share', 'patents_per_10k', 'citations_per_patent', 'hhi', 'cagr', 'flags']],
  ['clusters', 'res.clusters', ['cluster', 'size', 'top_technologies', 'top_members', 'top_districts', 'peak_year']],
  ['evaluate', 'res.evaluate', ['rank', 'adcode', 'district', 'year', 'U_ip', 'U_innovation', 'U_industry', 'C', 'T', 'D', 'grade']],
];

export function renderResources(view) {
  const body = h('div', {});
  const tabs = h('div', { class: 'tabs' });
  async function show(id) {
    const [, , columns] = TABS.find(([x]) => x === id);
    tabs.querySelectorAll('button').forEach((b) => b.classList.toggle('active', b.dataset.id === id));
    body.replaceChildren(loading(t('common.loading')));
    try {
      const res = await get(`/analytics/${id}`, { limit: 100 });
      body.replaceChildren(h('div', { class: 'muted' }, `${res.total} · ${res.queries.join(', ')}`),
        table(res.items, { columns: columns.filter((c) => !res.items.length || c in res.items[0]),
          onRow: (r) => { if (r.adcode) window.location.hash = `#/entity/District/${r.adcode}`; } }));
    } catch (err) { body.replaceChildren(errorBox(err)); }
  }
  TABS.forEach(([id, key]) => tabs.append(h('button', { dataset: { id }, onclick: () => show(id) }, t(key))));
  view.append(h('section', { class: 'panel' }, tabs, body));
  show('density');
}
