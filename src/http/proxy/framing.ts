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

/** Directives an upstream policy may not carry through the proxy: framing is ours, and so is the sandbox. */
const DROPPED = new Set(['frame-ancestors', 'sandbox']);
/** A directive name as CSP defines it (anything else is ignored by browsers, and dropped here). */
const DIRECTIVE_NAME = /^[a-z0-9-]+$/;
const ASCII_WS = /[\t\n\f\r ]+/;

/**
 * One upstream policy without its `frame-ancestors` and `sandbox` directives (null when nothing is left).
 * Names are compared as browsers do (ASCII case-insensitively, up to the first ASCII whitespace).
 */
export function withoutFramingDirectives(policy: string): string | null {
  const kept = policy
    .split(';')
    .map((d) => d.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, ''))
    .filter((d) => {
      const name = (d.split(ASCII_WS, 1)[0] ?? '').replace(/[A-Z]/g, (c) => c.toLowerCase());
      return DIRECTIVE_NAME.test(name) && !DROPPED.has(name);
    });
  return kept.length > 0 ? kept.join('; ') : null;
}

/**
 * The upstream `Content-Security-Policy` policies, each without `frame-ancestors` and `sandbox`: a header
 * value may hold several policies (comma-separated) and a response several headers.
 */
export function upstreamPolicies(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => v.split(','))
    .map(withoutFramingDirectives)
    .filter((p): p is string => p !== null);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * The headers of a proxied response: the passed list; the upstream CSP policies without `frame-ancestors`
 * and `sandbox` (their other directives kept, still enforced); and our sandbox as a policy of its own, so no
 * upstream directive can loosen it (an upstream `sandbox allow-same-origin` would otherwise be the one a
 * browser reads, and the page could reach the dashboard's stored API key). `X-Frame-Options`,
 * `Content-Security-Policy-Report-Only` (it enforces nothing and would report our visitors' pages to the
 * upstream), `Set-Cookie` and everything else not listed are never passed.
 */
export function proxiedHeaders(upstream: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of PASSED) {
    const v = first(upstream[name]);
    if (v !== undefined) out[name] = v;
  }
  out['content-security-policy'] = [...upstreamPolicies(upstream['content-security-policy']), SANDBOX_CSP];
  out['x-content-type-options'] = 'nosniff';
  out['referrer-policy'] = 'no-referrer';
  return out;
}
