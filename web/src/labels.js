// Display names of columns, values (flags, categories), node labels and relationship types, from
// GET /labels (iplayout.api.display: derived from the ontology and the indicator/rules YAML).
import { get } from './api.js';
import { getLang } from './i18n.js';

let names = { labels: {}, relationships: {}, columns: {}, values: {}, units: {}, percent: [], provenance: [] };

export async function loadLabels() {
  names = await get('/labels');
  return names;
}

function pick(entry, key) {
  if (!entry) return key;
  return getLang() === 'en' ? entry.en : entry.zh;
}

export function colName(key) { return pick(names.columns[key], key); }
export function labelName(label) { return pick(names.labels[label], label); }
export function relName(type) { return pick(names.relationships[type], type); }
export function provenanceKeys() { return names.provenance || []; }
export function unitOf(key) { return getLang() === 'en' ? unitEn(names.units[key]) : names.units[key]; }
export function isPercent(key) { return (names.percent || []).includes(key); }
export function valueDoc(value) { return names.values[value]?.doc || ''; }

const UNIT_EN = { 件: '', 次: '', 篇: '', 项: '', 万人: '×10k', '件/万人': 'per 10k residents', '次/件': 'per patent' };
function unitEn(u) { return u === undefined ? undefined : (UNIT_EN[u] ?? u); }

// A cell value shown as a word: flag lists ("high_per_capita,high_volume") become their names.
export function valueName(value) {
  if (typeof value !== 'string') return value;
  if (names.values[value]) return pick(names.values[value], value);
  if (/^[a-z_]+(,[a-z_]+)+$/.test(value)) return value.split(',').map((v) => pick(names.values[v], v)).join('、');
  return value;
}

export function metricName(key) { return pick(names.metrics?.[key], key); }
