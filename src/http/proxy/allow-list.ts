/** One allow-list entry: `host`, `host:port`, `*.domain` (any subdomain) or `[v6]:port`. */
interface Entry {
  host: string;
  wildcard: boolean;
  port: string | null;
}

function parse(text: string): Entry | null {
  const t = text.trim().toLowerCase();
  if (!t) return null;
  const m = /^(\*\.)?(\[[0-9a-f:.]+\]|[^:/\s]+)(?::(\d{1,5}))?$/.exec(t);
  if (!m?.[2]) return null;
  return { host: m[2].replace(/^\[|\]$/g, ''), wildcard: m[1] !== undefined, port: m[3] ?? null };
}

/** The URL's port, or the scheme default. */
function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Upstream hosts the iframe proxy may fetch (PROXY_ALLOW_HOSTS). Nothing is allowed when empty. */
export class AllowList {
  private readonly entries: Entry[];

  constructor(hosts: readonly string[]) {
    this.entries = hosts.map(parse).filter((e): e is Entry => e !== null);
  }

  /** True when the URL is http(s), carries no credentials, and its host (and port, if given) is listed. */
  allows(url: URL): boolean {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (url.username || url.password) return false;
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = portOf(url);
    return this.entries.some(
      (e) =>
        (e.port === null || e.port === port) && (e.wildcard ? host.endsWith(`.${e.host}`) : host === e.host),
    );
  }

  /**
   * True when the host is listed by exact name (not through a wildcard): only such hosts may resolve to a
   * loopback or private address (e.g. an upstream on the same network, named on purpose).
   */
  listsExactly(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return this.entries.some((e) => !e.wildcard && e.host === host);
  }
}
