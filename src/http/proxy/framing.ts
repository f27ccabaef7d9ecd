import type { IncomingHttpHeaders } from 'node:http';

/** Upstream response headers passed on to the client (everything else is dropped, cookies included). */
const PASSED = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'cache-control',
  'etag',
  'last-modified',
  'expires',
  'vary',
] as const;

/**
 * The sandbox every proxied page gets: scripts run, but in an opaque origin, so an upstream page cannot
 * read this service's cookies or storage (API keys of the dashboard) or call it as same-origin.
 */
export const SANDBOX_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox';

/** A CSP value without its `frame-ancestors` directive (null when nothing else is left). */
export function withoutFrameAncestors(csp: string): string | null {
  const kept = csp
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d.length > 0 && !/^frame-ancestors(\s|$)/i.test(d));
  return kept.length > 0 ? kept.join('; ') : null;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * The headers of a proxied response: the passed list, the upstream CSP without `frame-ancestors` (its other
 * directives kept), plus the sandbox. `X-Frame-Options` is never passed, so the page embeds from any origin.
 */
export function proxiedHeaders(upstream: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSED) {
    const v = first(upstream[name]);
    if (v !== undefined) out[name] = v;
  }
  const csp = first(upstream['content-security-policy']);
  const kept = csp === undefined ? null : withoutFrameAncestors(csp);
  out['content-security-policy'] = kept ? `${kept}; ${SANDBOX_CSP}` : SANDBOX_CSP;
  out['x-content-type-options'] = 'nosniff';
  out['referrer-policy'] = 'no-referrer';
  return out;
}
