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
