import { createHash } from 'node:crypto';

/** Product name the tracker proxy passes on (seed 001 example). */
export const TRACKER_PRODUCT = 'v33-1-dark';

/** An iframe tag for an embeddable URL (attributes single-quoted, as the seed shows). */
export function iframeHtml(url: string, height: string): string {
  const safe = url.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;');
  return `<iframe src='${safe}' width='100%' height='${height}' frameborder='0'></iframe>`;
}

/**
 * The proxy coordinates of a scorecard URL: `hash` is the SHA-1 of the original URL (the proxy looks the
 * original up by it), `channel` the URL's `channel`/`ch`/`id` query value or its last numeric path segment,
 * else the internal event id.
 */
export function scorecardRef(original: string, eventId: number): { hash: string; channel: string } {
  const hash = createHash('sha1').update(original).digest('hex');
  let channel: string | null = null;
  try {
    const u = new URL(original);
    channel = u.searchParams.get('channel') ?? u.searchParams.get('ch') ?? u.searchParams.get('id');
    if (!channel) {
      const seg = u.pathname.split('/').filter((s) => /^\d{1,20}$/.test(s));
      channel = seg[seg.length - 1] ?? null;
    }
  } catch {
    channel = null;
  }
  const clean = channel && /^[A-Za-z0-9_-]{1,40}$/.test(channel) ? channel : String(eventId);
  return { hash, channel: clean };
}

/** The stream kind of a stream URL: HLS playlists, trackers (a numeric fixture id), or a plain page. */
export function streamKind(
  url: string,
): { type: 'hls' } | { type: 'tracker'; fixtureId: string } | { type: 'page' } {
  if (/\.m3u8(\?|$)/i.test(url)) return { type: 'hls' };
  const m = /(?:tracker|fixture|match)[/=](\d{3,15})/i.exec(url);
  if (m && m[1]) return { type: 'tracker', fixtureId: m[1] };
  return { type: 'page' };
}
