// Small helpers over fetch for /api/v1: every failure becomes an Error whose message a person can read.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function readError(response) {
  let detail = '';
  try {
    const type = response.headers.get('content-type') || '';
    if (type.includes('json')) {
      const body = await response.json();
      detail = body.detail || body.title || body.message || '';
      if (body.errors && typeof body.errors === 'object') {
        const fields = Object.entries(body.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`);
        if (fields.length) detail = (detail ? detail + ' — ' : '') + fields.join('; ');
      }
    } else if (type.startsWith('text/plain')) {
      detail = (await response.text()).slice(0, 300);
    }
  } catch { /* the status line says enough */ }
  if (response.status === 401) return new ApiError('Your session has ended: sign in again.', 401);
  if (response.status === 403) return new ApiError(detail || 'Your role may not do this.', 403);
  const known = { 404: 'not found', 409: 'conflict', 429: 'too many requests', 500: 'server error', 503: 'the gateway is not ready' };
  return new ApiError(detail || `${response.status} ${response.statusText || known[response.status] || ''}`.trim(), response.status);
}

export async function api(path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: accept } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError('The gateway cannot be reached.', 0);
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  return type.includes('json') ? response.json() : response.text();
}

/** The signed-in user, or null when nobody is signed in. */
export async function currentUser() {
  try {
    const me = await api('/api/v1/auth/me');
    if (!me) return null;
    const roles = me.roles || (me.role ? [me.role] : []);
    return { ...me, roles: roles.map((r) => String(r).toLowerCase()), name: me.displayName || me.name || me.username };
  } catch (e) {
    if (e.status === 401 || e.status === 403 || e.status === 404) return null;
    throw e;
  }
}

export async function logout() {
  try { await api('/api/v1/auth/logout', { method: 'POST' }); } catch { /* leaving anyway */ }
  location.assign('/login');
}

/** The text of a hub or API error without the client library's boilerplate. */
export function reason(error) {
  const text = String((error && error.message) || error || 'unknown error');
  const hub = text.match(/HubException:\s*(.*)$/s);
  return (hub ? hub[1] : text).trim();
}
