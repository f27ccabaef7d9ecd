/* Small helpers every dashboard module uses: element lookup, HTML escaping, the feed's fetch with the
   stored API key, and relative times. */
/* global document, fetch, localStorage */

export const KEY_STORE = 'oddsgate.apiKey';

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** Text made safe for HTML (element content and quoted attributes). */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The API key the dashboard sends (`x-api-key`), kept in localStorage. */
export const auth = { key: (typeof localStorage !== 'undefined' && localStorage.getItem(KEY_STORE)) || '' };

/**
 * GETs a feed or admin path and returns its JSON body. 401 shows the key bar. `no-cache` revalidates the
 * lists by their ETag (a 304 costs nothing) instead of reusing them for their max-age.
 */
export async function api(path) {
  const headers = auth.key ? { 'x-api-key': auth.key } : {};
  const res = await fetch(path, { headers, cache: 'no-cache' });
  if (res.status === 401) {
    const bar = $('keybar');
    if (bar) bar.hidden = false;
    throw new Error('API key required');
  }
  return res.json();
}

/** "12s ago", "3m ago", "2h ago" for an epoch-ms time (empty when unknown). */
export function ago(ms, now = Date.now()) {
  if (!Number.isFinite(ms) || ms <= 0) return '';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ago`;
}

/** "14:05" (local time) of an ISO time, or '' when absent. */
export function clock(iso) {
  const t = Date.parse(iso || '');
  if (!Number.isFinite(t)) return '';
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
