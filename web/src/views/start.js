// 开始使用 (first run): on an empty graph, the three steps (ingest, build, look) with the exact
// commands, and an upload form on the ingest job API (POST /ingest/upload, GET /jobs/{id}) with progress.
import { h } from '../dom.js';
import { t } from '../i18n.js';

const KINDS = ['patents', 'papers', 'standards', 'policies', 'stats'];
const POLL_MS = 1000;

function step(title, command, note) {
  return h('li', {}, h('b', {}, title), h('div', {}, h('code', {}, command)), note ? h('div', { class: 'muted' }, note) : null);
}

async function poll(id, key, bar, status) {
  for (;;) {
    const resp = await fetch(`/jobs/${id}`, { headers: { Accept: 'application/json', 'X-API-Key': key } });
    const job = await resp.json();
    if (!resp.ok) throw new Error(job.detail || `HTTP ${resp.status}`);
    status.textContent = `${t(`start.state.${job.state}`)}${job.error ? `: ${job.error}` : ''}`;
    bar.value = { queued: 10, running: 50, succeeded: 100, failed: 100 }[job.state] ?? 0;
    if (job.state === 'succeeded' || job.state === 'failed') return job;
    await new Promise((r) => { setTimeout(r, POLL_MS); });
  }
}

export function renderStart(view) {
  const files = h('input', { type: 'file', id: 'upload-files', multiple: true });
  const kind = h('select', { id: 'upload-kind' }, h('option', { value: '' }, t('start.auto')),
    KINDS.map((k) => h('option', { value: k }, t(`start.kind.${k}`))));
  const key = h('input', { type: 'password', id: 'upload-key', placeholder: 'X-API-Key', autocomplete: 'off' });
  const bar = h('progress', { id: 'upload-progress', max: 100, value: 0 });
  const status = h('div', { id: 'upload-status', class: 'muted' });
  const result = h('div', { id: 'upload-result' });

  async function upload(e) {
    e.preventDefault();
    if (!files.files.length) { status.textContent = t('start.choose'); return; }
    const body = new FormData();
    [...files.files].forEach((f) => body.append('files', f));
    if (kind.value) body.append('kind', kind.value);
    status.textContent = t('start.uploading');
    bar.value = 5;
    try {
      const resp = await fetch('/ingest/upload', { method: 'POST', body, headers: { Accept: 'application/json', 'X-API-Key': key.value } });
      const job = await resp.json();
      if (!resp.ok) throw new Error(job.detail || job.title || `HTTP ${resp.status}`);
      const done = await poll(job.id, key.value, bar, status);
      view.dataset.job = done.state;
      if (done.state === 'succeeded') {
        const built = done.result?.build || {};
        result.replaceChildren(h('p', { id: 'upload-built', dataset: { nodes: String(built.nodes_written ?? 0) } },
          `${t('start.built')}: ${built.nodes_written ?? 0} ${t('start.nodes')} · ${built.relationships_written ?? 0} ${t('start.rels')} · ${built.indexed ?? 0} ${t('start.indexed')}`),
          h('a', { href: '#/search', class: 'primary' }, t('start.look')));
      }
    } catch (err) {
      status.textContent = `${t('common.error')}: ${err.message}`;
      view.dataset.job = 'failed';
    }
  }

  view.append(
    h('section', { class: 'panel', id: 'first-run' },
      h('h2', {}, t('start.title')), h('p', {}, t('start.intro')),
      h('ol', { class: 'steps' },
        step(t('start.ingest'), 'iplayout ingest exports/patents.csv refs/papers.ris', t('start.ingest_note')),
        step(t('start.build'), 'iplayout build', t('start.build_note')),
        step(t('start.look_step'), 'iplayout serve', t('start.look_note'))),
      h('p', { class: 'muted' }, t('start.demo'), ' ', h('code', {}, 'iplayout demo && iplayout serve'))),
    h('section', { class: 'panel' }, h('h3', {}, t('start.upload')),
      h('form', { id: 'upload-form', onsubmit: upload },
        h('div', { class: 'row' }, h('label', { class: 'field' }, t('start.files'), files),
          h('label', { class: 'field' }, t('start.kind'), kind), h('label', { class: 'field' }, t('start.key'), key),
          h('button', { class: 'primary', type: 'submit', id: 'upload-go' }, t('start.go'))),
        h('div', { class: 'row', style: 'margin-top:10px' }, bar, status), result)));
}
