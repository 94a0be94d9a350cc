// UI strings: Chinese first, English switch (remembered in localStorage).
const STRINGS = {
  'app.title': ['区域知识产权布局分析平台', 'Regional IP Layout Analysis'],
  'app.foot': ['知识图谱 + 语义检索 · 演示数据为合成数据', 'Knowledge graph + semantic search · demo data is synthetic'],
  'nav.resources': ['资源分析', 'Resource analysis'],
  'nav.map': ['空间分布', 'Spatial distribution'],
  'nav.monitor': ['动态监测', 'Dynamic monitoring'],
  'nav.industry': ['产业知识产权布局分析', 'Industry IP layout'],
  'nav.search': ['检索', 'Search'],
  'nav.console': ['Cypher 控制台', 'Cypher console'],
  'search.placeholder': ['输入主题、技术或文献标题，如：锂电池 正极材料', 'Topic, technology or title, e.g. lithium battery cathode'],
  'search.go': ['检索', 'Search'],
  'search.type': ['类型', 'Type'],
  'search.district': ['区县', 'District'],
  'search.any': ['全部', 'Any'],
  'search.year_from': ['起始年', 'From year'],
  'search.year_to': ['截止年', 'To year'],
  'search.mode': ['方式', 'Mode'],
  'search.results': ['条结果', 'results'],
  'search.none': ['没有结果', 'No results'],
  'search.why': ['相关依据', 'Why related'],
  'search.related': ['相关资源', 'Related'],
  'search.holders': ['权利人/机构', 'Holders'],
  'search.more': ['更多', 'More'],
  'type.Patent': ['专利', 'Patent'], 'type.Paper': ['论文', 'Paper'],
  'type.Standard': ['标准', 'Standard'], 'type.Policy': ['政策', 'Policy'],
  'ev.terms': ['命中词', 'matched terms'], 'ev.dense': ['语义相似度', 'semantic similarity'],
  'ev.bm25': ['关键词得分', 'keyword score'], 'ev.shared': ['共同词', 'shared terms'], 'ev.graph': ['图谱关联', 'graph links'],
  'entity.props': ['属性', 'Properties'], 'entity.neighbours': ['关联实体', 'Neighbours'],
  'entity.graph': ['关系图', 'Neighbourhood graph'],
  'map.metric': ['指标', 'Metric'], 'map.year': ['年份', 'Year'], 'map.all_years': ['全部年份', 'All years'],
  'map.industry': ['产业', 'Industry'], 'map.chain': ['产业链', 'Chain'],
  'map.nodata': ['无数据', 'No data'], 'map.units': ['个区县', 'units'], 'map.legend': ['图例', 'Legend'],
  'map.table': ['区县数值', 'Values by district'],
  'metric.density': ['专利密度', 'Patent density'], 'metric.patents': ['专利数量', 'Patents'],
  'metric.lq': ['区位熵 LQ', 'Location quotient'], 'metric.coordination': ['耦合协调度', 'Coordination degree'],
  'metric.chain_coverage': ['产业链覆盖率', 'Chain coverage'],
  'res.density': ['区县知识产权密度', 'District IP density'], 'res.clusters': ['创新主体聚类', 'Clusters'],
  'res.evaluate': ['资源匹配与协调评价', 'Matching and coordination'],
  'mon.district': ['区县', 'District'], 'mon.trend': ['年度专利趋势', 'Patents per year'],
  'mon.alerts': ['监测预警', 'Alerts'], 'mon.entrants': ['新进入主体', 'New entrants'],
  'ind.chain': ['产业链', 'Industry chain'], 'ind.view': ['产业链环节覆盖（颜色 = 本地专利占基准比例，红框 = 短板）',
    'Chain links (colour = local patents vs benchmark, red border = gap)'],
  'ind.catalog': ['知识产权导向目录（草案）', 'Guidance catalogue (draft)'], 'ind.links': ['环节明细', 'Links'],
  'ind.gap': ['短板', 'gap'],
  'con.query': ['只读 Cypher 查询（写操作会被拒绝）', 'Read-only Cypher (writes are refused)'],
  'con.params': ['参数（JSON）', 'Parameters (JSON)'], 'con.run': ['运行', 'Run'],
  'con.saved': ['已保存的命名查询', 'Saved named queries'], 'con.pick': ['选择…', 'Choose…'],
  'con.rows': ['行', 'rows'], 'con.truncated': ['（已截断）', '(truncated)'],
  'common.loading': ['加载中…', 'Loading…'], 'common.error': ['出错', 'Error'],
  'common.prev': ['上一页', 'Previous'], 'common.next': ['下一页', 'Next'],
};

let lang = localStorage.getItem('iplayout.lang') === 'en' ? 'en' : 'zh';

export function getLang() { return lang; }

export function setLang(value) {
  lang = value === 'en' ? 'en' : 'zh';
  localStorage.setItem('iplayout.lang', lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

export function t(key) {
  const entry = STRINGS[key];
  if (!entry) return key;
  return entry[lang === 'en' ? 1 : 0];
}

export function applyStatic(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
}
