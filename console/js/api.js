// The admin face's client: 001's envelope {status, data, message, cmd}, the
// token of this tab (sessionStorage only: gone when the tab closes), and one
// progress indicator for every request in flight.
import config from '../config.js';

const TOKEN_KEY = 'devplat.console.token';
const USER_KEY = 'devplat.console.user';

export class ApiError extends Error {
    constructor(status, message, data) {
        super(message);
        this.status = status;             // HTTP status (0: no answer)
        this.errors = data && typeof data === 'object' && data.errors && typeof data.errors === 'object'
            ? data.errors : {};
    }
}

export const session = {
    get token() { return sessionStorage.getItem(TOKEN_KEY) || ''; },
    get user() {
        try { return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null'); } catch { return null; }
    },
    start(token, user) {
        sessionStorage.setItem(TOKEN_KEY, token);
        sessionStorage.setItem(USER_KEY, JSON.stringify(user));
    },
    end() {
        sessionStorage.removeItem(TOKEN_KEY);
        sessionStorage.removeItem(USER_KEY);
    },
};

let inflight = 0;
const listeners = new Set();
export function onBusy(fn) { listeners.add(fn); }
function busy(delta) {
    inflight += delta;
    for (const fn of listeners) fn(inflight > 0);
}

let onUnauthorized = () => {};
export function whenUnauthorized(fn) { onUnauthorized = fn; }

// request('GET', 'list/user', {page: 2}) or request('POST', 'project', null, {json})
// Resolves to data; rejects with ApiError carrying the API's message.
export async function request(method, path, query, body) {
    let url = config.api.replace(/\/$/, '') + '/' + path;
    if (query) {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(query)) {
            if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
        }
        const s = q.toString();
        if (s) url += '?' + s;
    }
    const headers = { Accept: 'application/json' };
    if (session.token) headers.Authorization = 'Bearer ' + session.token;
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined && body !== null) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    busy(+1);
    let res, env;
    try {
        res = await fetch(url, init);
        env = await res.json().catch(() => null);
    } catch {
        throw new ApiError(0, '无法连接服务器，请检查网络后重试', null);
    } finally {
        busy(-1);
    }
    if (!env || typeof env !== 'object' || typeof env.status !== 'boolean') {
        throw new ApiError(res.status, `服务器返回了无法识别的内容（HTTP ${res.status}）`, null);
    }
    if (!env.status || !res.ok) {
        const msg = typeof env.message === 'string' && env.message ? env.message : `请求失败（HTTP ${res.status}）`;
        const err = new ApiError(res.status, msg, env.data);
        if (res.status === 401 && path !== 'login') onUnauthorized(err);
        throw err;
    }
    return env.data;
}

// Ends the session on the server (best effort), then forgets the token.
export async function logout() {
    const token = session.token;
    session.end();
    if (!token || !config.logout) return;
    try {
        await fetch(config.logout, { method: 'DELETE', headers: { Authorization: 'Bearer ' + token },
                                     credentials: 'same-origin', cache: 'no-store' });
    } catch { /* the token is forgotten here either way */ }
}

// A picture path the API gave, as a URL of the storage only: a relative
// path below config.storage without "..", or null.
export function storageUrl(path) {
    if (typeof path !== 'string') return null;
    const prefix = config.storage.replace(/\/$/, '') + '/';
    if (!path.startsWith(prefix)) return null;
    const rest = path.slice(prefix.length);
    if (!/^[A-Za-z0-9_.\-/]+$/.test(rest) || rest.split('/').some(s => s === '' || s === '.' || s === '..')) {
        return null;
    }
    return path;
}
