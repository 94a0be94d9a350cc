// Drill-down: the documents / organisations behind a number, from the named query that counts them.
// Opens as an overlay: paged list, CSV/XLSX export of every row, rows open the entity page,
// the query and its parameters under a collapsed "来源 / provenance".
import { post } from './api.js';
import { errorBox, exportBar, h, loading, table } from './dom.js';
import { t } from './i18n.js';

const PAGE = 100;
const EXPORT_MAX = 5000;

// Which entity page a row opens: the first id column it has.
const ENTITY_COLS = [['patent', 'Patent'], ['org', 'Organization'], ['id', null]];

function entityLink(row, label) {
  for (const [col, lab] of ENTITY_COLS) {
    if (row[col]) return `#/entity/${lab || label}/${encodeURIComponent(row[col])}`;
  }
  return null;
}

function columnsOf(rows, label) {
  const keys = rows.length ? Object.keys(rows[0]) : [];
  const idCols = new Set(['patent', 'org', 'id']);
  const nameCol = keys.find((k) => ['title', 'org_name', 'name'].includes(k));
  return keys.filter((k) => !idCols.has(k) || !nameCol).map((k) => (k === nameCol
    ? { key: k, link: (r) => entityLink(r, label), tip: (r) => r.patent || r.org || r.id }
    : { key: k }));
}

export async function fetchAll(name, params, total) {
  const rows = [];
  for (let offset = 0; offset < Math.min(total, EXPORT_MAX); offset += 500) {
    rows.push(...(await post(`/queries/${name}`, { params }, { limit: 500, offset })).items);
  }
  return rows;
}

export function closeDrill() { document.getElementById('drill')?.remove(); }

export async function openDrill({ name, params, title, label }) {
  closeDrill();
  const body = h('div', { class: 'drill-body' }, loading(t('common.loading')));
  const box = h('div', { id: 'drill', class: 'drill-overlay', role: 'dialog', 'aria-label': title },
    h('div', { class: 'drill-panel' },
      h('div', { class: 'row' }, h('h3', { class: 'grow' }, title),
        h('button', { class: 'link', id: 'drill-close', onclick: closeDrill }, t('common.close'))),
      body));
  box.addEventListener('click', (e) => { if (e.target === box) closeDrill(); });
  document.body.append(box);
  let all = null;
  async function show(offset) {
    try {
      const res = await post(`/queries/${name}`, { params }, { limit: PAGE, offset });
      const cols = columnsOf(res.items, label);
      const nav = h('div', { class: 'row' },
        offset > 0 ? h('button', { class: 'link', onclick: () => show(offset - PAGE) }, t('common.prev')) : null,
        res.next_offset != null ? h('button', { class: 'link', id: 'drill-next', onclick: () => show(res.next_offset) }, t('common.next')) : null);
      // Export means every row, not the visible page.
      const exports = exportBar(async () => {
        if (res.total <= res.items.length) return res.items;
        all = all || await fetchAll(name, params, res.total);
        return all;
      }, cols, name);
      body.replaceChildren(
        h('div', { class: 'row' }, h('span', { class: 'muted grow', id: 'drill-count' },
          `${res.total} ${t('drill.rows')} · ${offset + 1}–${offset + res.items.length}`), exports),
        table(res.items, { columns: cols, max: PAGE, id: 'drill-table' }), nav,
        h('details', { class: 'provenance' }, h('summary', {}, t('common.provenance')),
          h('code', {}, `iplayout query ${name} ${Object.entries(params).map(([k, v]) => `--param ${k}=${v}`).join(' ')}`)));
      box.dataset.total = String(res.total);
      box.dataset.shown = String(res.items.length);
    } catch (err) { body.replaceChildren(errorBox(err)); }
  }
  await show(0);
}
