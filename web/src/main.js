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

function renderNav(current) {
  const nav = document.getElementById('nav');
  nav.replaceChildren(...ROUTES.map(([id, key]) => h('a', {
    href: `#/${id}`, class: id === current ? 'active' : '', id: `nav-${id}`,
  }, t(key))));
}

function route() {
  disposeAll();
  const { parts, params } = parseHash();
  const name = parts[0] || 'search';
  const view = document.getElementById('view');
  view.replaceChildren();
  renderNav(name);
  if (name === 'entity' && parts.length >= 3) {
    renderEntity(view, parts[1], parts.slice(2).join('/'));
    return;
  }
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
route();

// A graph built from the generated demo corpus is labelled as such on every page.
fetch('/ready').then((r) => (r.ok ? r.json() : null)).then((ready) => {
  if (!ready || !ready.synthetic) return;
  const banner = h('div', { id: 'synthetic-banner', class: 'synthetic', 'data-i18n': 'app.synthetic' }, t('app.synthetic'));
  document.querySelector('header.top').after(banner);
}).catch(() => {});
