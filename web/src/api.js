// Fetch helpers: JSON in, JSON out; RFC 9457 problems become Error objects with the detail.
export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.problem = problem;
  }
}

async function handle(resp) {
  const type = resp.headers.get('content-type') || '';
  const body = type.includes('json') ? await resp.json() : await resp.text();
  if (!resp.ok) {
    throw new ApiError(typeof body === 'object' ? body : { status: resp.status, title: String(body).slice(0, 200) });
  }
  return body;
}

function query(params) {
  const usp = new URLSearchParams();
  Object.entries(params || {}).forEach(([k, v]) => {
    if (v === undefined || v === null || v === '') return;
    (Array.isArray(v) ? v : [v]).forEach((x) => usp.append(k, x));
  });
  const s = usp.toString();
  return s ? `?${s}` : '';
}

export async function get(path, params) {
  return handle(await fetch(path + query(params), { headers: { Accept: 'application/json' } }));
}

export async function post(path, body, params) {
  return handle(await fetch(path + query(params), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  }));
}

// Every page of a paged GET (limit at the server's maximum of 500), up to `max` items.
export async function getAll(path, params, max = 20000) {
  const first = await get(path, { ...params, limit: 500, offset: 0 });
  const items = [...first.items];
  let next = first.next_offset;
  while (next != null && items.length < max) {
    const res = await get(path, { ...params, limit: 500, offset: next });
    items.push(...res.items);
    next = res.next_offset;
  }
  return { ...first, items };
}
