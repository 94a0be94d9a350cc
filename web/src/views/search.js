// 检索: hybrid search with filters, result cards with evidence, related resources per card.
import { get } from '../api.js';
import { errorBox, fmt, h, loading, select } from '../dom.js';
import { t } from '../i18n.js';
import { valueName } from '../labels.js';

const TYPES = ['Patent', 'Paper', 'Standard', 'Policy'];
const PAGE = 10;
let districts = null;

async function districtOptions() {
  if (!districts) {
    const res = await get('/maps/values', { metric: 'patents' });
    districts = res.items.map((d) => [d.adcode, d.name]);
  }
  return districts;
}

function evidence(ev) {
  const parts = [];
  if (ev.matched_terms?.length) parts.push([t('ev.terms'), ev.matched_terms.join(' ')]);
  if (ev.dense_similarity != null) parts.push([t('ev.dense'), fmt(ev.dense_similarity)]);
  if (ev.bm25_score != null) parts.push([t('ev.bm25'), fmt(ev.bm25_score)]);
  if (ev.shared_terms?.length) parts.push([t('ev.shared'), ev.shared_terms.slice(0, 8).join(' ')]);
  if (ev.graph?.length) parts.push([t('ev.graph'), ev.graph.map((g) => `${valueName(g.kind)}: ${g.name || g.via}`).join('；')]);
  return h('div', { class: 'why' }, h('b', {}, `${t('search.why')}:`),
    parts.map(([k, v], i) => [i ? ' · ' : '', h('span', {}, `${k} ${v}`)]));
}

export function card(hit, { withRelated = true } = {}) {
  const relatedBox = h('div', { class: 'related' });
  const link = h('a', { class: 'title', href: `#/entity/${hit.type}/${encodeURIComponent(hit.id)}` }, hit.title || hit.id);
  const meta = h('div', { class: 'meta' },
    h('span', {}, `${hit.id}`),
    hit.year ? h('span', {}, `${hit.year}`) : null,
    hit.holders?.length ? h('span', { class: 'holders', title: (hit.holder_ids || []).join(' ') },
      `${t('search.holders')}: ${hit.holders.slice(0, 3).join('、')}`) : null,
    hit.districts?.length ? h('span', { class: 'districts', title: hit.districts.map((d) => d.adcode).join(' ') },
      hit.districts.map((d) => d.name).join('、')) : null,
    h('span', {}, `${t('search.score')} ${fmt(hit.score)}`));
  const related = withRelated ? h('button', {
    class: 'link',
    onclick: async () => {
      relatedBox.replaceChildren(loading(t('common.loading')));
      try {
        const res = await get(`/related/${encodeURIComponent(hit.id)}`, { limit: 6, per_type: 3 });
        relatedBox.replaceChildren(h('h3', {}, t('search.related')),
          h('div', { class: 'cards' }, res.items.map((r) => card(r, { withRelated: false }))));
      } catch (err) { relatedBox.replaceChildren(errorBox(err)); }
    },
  }, t('search.related')) : null;
  return h('article', { class: 'card', dataset: { id: hit.id } },
    h('div', {}, h('span', { class: `badge ${hit.type}` }, t(`type.${hit.type}`)), link),
    meta, evidence(hit.evidence || {}), related, relatedBox);
}

export function renderSearch(view, params) {
  const state = { q: params.get('q') || '', type: params.get('type') || '', district: '', year_from: '', year_to: '',
    mode: 'hybrid', offset: 0 };
  const input = h('input', { type: 'text', id: 'search-input', value: state.q, placeholder: t('search.placeholder') });
  const results = h('div', { id: 'search-results' });
  const districtSel = select([['', t('search.any')]], '', (v) => { state.district = v; });
  districtOptions().then((opts) => {
    opts.forEach(([v, n]) => districtSel.append(h('option', { value: v }, n)));
  }).catch(() => {});
  const typeSel = select([['', t('search.any')], ...TYPES.map((x) => [x, t(`type.${x}`)])], state.type,
    (v) => { state.type = v; }, { id: 'search-type' });
  const yf = h('input', { type: 'number', min: 1980, max: 2100, style: 'width:90px', oninput: (e) => { state.year_from = e.target.value; } });
  const yt = h('input', { type: 'number', min: 1980, max: 2100, style: 'width:90px', oninput: (e) => { state.year_to = e.target.value; } });
  const mode = select([['hybrid', t('search.hybrid')], ['dense', t('search.dense')], ['bm25', t('search.bm25')]], 'hybrid', (v) => { state.mode = v; });

  async function run(offset = 0) {
    state.q = input.value.trim();
    if (!state.q) return;
    state.offset = offset;
    results.replaceChildren(loading(t('common.loading')));
    try {
      const res = await get('/search', { q: state.q, type: state.type, district: state.district,
        year_from: state.year_from, year_to: state.year_to, mode: state.mode, limit: PAGE, offset });
      const nav = h('div', { class: 'row' },
        offset > 0 ? h('button', { class: 'link', onclick: () => run(offset - PAGE) }, t('common.prev')) : null,
        res.next_offset != null ? h('button', { class: 'link', onclick: () => run(res.next_offset) }, t('common.next')) : null);
      results.replaceChildren(
        h('div', { class: 'muted', id: 'search-count' }, `${res.total} ${t('search.results')} (${t(`search.${res.mode}`)}${res.cross_lingual ? ', zh/en' : ''})`),
        res.items.length ? h('div', { class: 'cards' }, res.items.map((x) => card(x))) : h('div', {}, t('search.none')),
        nav);
    } catch (err) { results.replaceChildren(errorBox(err)); }
  }

  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') run(0); });
  view.append(
    h('section', { class: 'panel' },
      h('div', { class: 'searchbox' }, input, h('button', { class: 'primary', id: 'search-go', onclick: () => run(0) }, t('search.go'))),
      h('div', { class: 'row', style: 'margin-top:10px' },
        h('label', { class: 'field' }, t('search.type'), typeSel),
        h('label', { class: 'field' }, t('search.district'), districtSel),
        h('label', { class: 'field' }, t('search.year_from'), yf),
        h('label', { class: 'field' }, t('search.year_to'), yt),
        h('label', { class: 'field' }, t('search.mode'), mode))),
    results);
  if (state.q) run(0);
}
