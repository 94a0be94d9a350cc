// Cypher 控制台: read-only queries with parameters, tabular results, saved named queries.
import { get, post } from '../api.js';
import { errorBox, h, loading, select, table } from '../dom.js';
import { t } from '../i18n.js';

const EXAMPLE = 'MATCH (d:District) RETURN d.adcode AS adcode, d.name AS name ORDER BY adcode LIMIT $n';

export async function renderConsole(view) {
  const text = h('textarea', { id: 'console-query', rows: 6, spellcheck: 'false' });
  text.value = EXAMPLE;
  const params = h('textarea', { id: 'console-params', rows: 2, spellcheck: 'false' });
  params.value = '{"n": 10}';
  const out = h('div', { id: 'console-result' });
  const picker = h('span', {});
  let named = [];

  async function run() {
    out.replaceChildren(loading(t('common.loading')));
    let p = {};
    try { p = params.value.trim() ? JSON.parse(params.value) : {}; } catch (err) {
      out.replaceChildren(errorBox({ message: err.message, problem: { title: 'JSON' } })); return;
    }
    try {
      const res = await post('/cypher', { query: text.value, params: p });
      out.replaceChildren(h('div', { class: 'muted', id: 'console-count' },
        `${res.row_count} ${t('con.rows')} ${res.truncated ? `${t('con.truncated')} ${res.limit} ${t('con.truncated_end')}` : ''} · ${res.elapsed_ms} ms`),
      table(res.rows, { columns: res.columns, max: 1000 }));
    } catch (err) { out.replaceChildren(errorBox(err)); }
  }

  view.append(h('section', { class: 'panel' },
    h('div', { class: 'row' }, h('h3', { class: 'grow' }, t('con.query')), h('label', { class: 'field' }, t('con.saved'), picker)),
    text, h('label', { class: 'field' }, t('con.params'), params),
    h('div', { style: 'margin-top:8px' }, h('button', { class: 'primary', id: 'console-run', onclick: run }, t('con.run')))), out);
  try {
    named = (await get('/queries', { limit: 500 })).items;
    picker.replaceChildren(select([['', t('con.pick')], ...named.map((q) => [q.name, q.name])], '', (v) => {
      const q = named.find((x) => x.name === v);
      if (!q) return;
      text.value = q.cypher;
      params.value = JSON.stringify(Object.fromEntries(q.params.map((k) => [k, k === 'limit' ? 10 : ''])));
    }, { id: 'console-named', title: named.map((q) => `${q.name}: ${q.doc}`).join('\n').slice(0, 2000) }));
  } catch (err) { picker.replaceChildren(errorBox(err)); }
}
