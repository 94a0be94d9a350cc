// Workbench shell: navigation by module, hash routing, language switch.
import './style.css';
import { applyStatic, getLang, setLang, t } from './i18n.js';
import { disposeAll } from './charts.js';
import { h } from './dom.js';
import { renderSearch } from './views/search.js';
import { renderEntity } from './views/entity.js';
import { renderMap } from './views/map.js';
import { renderResources } from './views/resources.js';
import { renderMonitor } from './views/monitor.js';
import { renderIndustry } from './views/industry.js';
import { renderConsole } from './views/console.js';
import { renderStart } from './views/start.js';
import { loadLabels } from './labels.js';
import { closeDrill } from './drill.js';

const ROUTES = [
  ['resources', 'nav.resources', renderResources],
  ['map', 'nav.map', renderMap],
  ['monitor', 'nav.monitor', renderMonitor],
  ['industry', 'nav.industry', renderIndustry],
  ['search', 'nav.search', renderSearch],
  ['console', 'nav.console', renderConsole],
];

function parseHash() {
  const raw = decodeURIComponent(window.location.hash.replace(/^#\/?/, ''));
  const [path, qs] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  return { parts, params: new URLSearchParams(qs || '') };
}

let status = { nodes: null, synthetic: false };

function renderNav(current) {
  const nav = document.getElementById('nav');
  const routes = status.nodes === 0 ? [['start', 'nav.start'], ...ROUTES] : ROUTES;
  nav.replaceChildren(...routes.map(([id, key]) => h('a', {
    href: `#/${id}`, class: id === current ? 'active' : '', id: `nav-${id}`,
  }, t(key))));
}

function route() {
  disposeAll();
  closeDrill();
  const { parts, params } = parseHash();
  // An empty graph (first start): the home page says what to do.
  const name = parts[0] || (status.nodes === 0 ? 'start' : 'search');
  const view = document.getElementById('view');
  view.replaceChildren();
  renderNav(name);
  if (name === 'entity' && parts.length >= 3) {
    renderEntity(view, parts[1], parts.slice(2).join('/'));
    return;
  }
  if (name === 'start') { renderStart(view); return; }
  const found = ROUTES.find(([id]) => id === name) || ROUTES[4];
  found[2](view, params);
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(getLang() === 'zh' ? 'en' : 'zh');
  document.getElementById('lang').textContent = getLang() === 'zh' ? 'EN' : '中文';
  applyStatic();
  route();
});

setLang(getLang());
document.getElementById('lang').textContent = getLang() === 'zh' ? 'EN' : '中文';
applyStatic();
window.addEventListener('hashchange', route);

// Display names and the graph's state first: every page shows names, and an empty graph opens the
// first-run page; a graph built from the generated demo corpus is labelled as such on every page.
Promise.allSettled([loadLabels(), fetch('/workbench/status').then((r) => (r.ok ? r.json() : null))]).then(([, st]) => {
  if (st.status === 'fulfilled' && st.value) status = st.value;
  if (status.synthetic) {
    const banner = h('div', { id: 'synthetic-banner', class: 'synthetic', 'data-i18n': 'app.synthetic' }, t('app.synthetic'));
    document.querySelector('header.top').after(banner);
  }
  document.body.dataset.ready = 'true';
  route();
});
