/**
 * One allow-list entry: `host`, `host:port`, `*.domain` (any subdomain) or `[v6]:port`, each optionally
 * followed by `+private` (exact names only): that entry may resolve to (or be) a loopback, private or
 * link-local address. Without a port an entry allows 80 and 443 only; with one, that port only.
 */
export interface AllowEntry {
  host: string;
  wildcard: boolean;
  /** The one port allowed, or null for the defaults (80 and 443). */
  port: string | null;
  /** May reach loopback, private and link-local addresses (`+private`, or PROXY_ALLOW_PRIVATE). */
  private: boolean;
}

const DEFAULT_PORTS = new Set(['80', '443']);
const ENTRY = /^(\*\.)?(\[[0-9a-f:.]+\]|[^:/\s[\]+*]+)(?::(\d{1,5}))?(\+private)?$/;

/** Parses one entry (null when it is not of the forms above). */
export function parseAllowEntry(text: string, allowPrivate = false): AllowEntry | null {
  const t = text.trim().toLowerCase();
  if (!t) return null;
  const m = ENTRY.exec(t);
  if (!m?.[2]) return null;
  const wildcard = m[1] !== undefined;
  const marked = m[4] !== undefined;
  if (wildcard && marked) return null; // a wildcard never reaches private addresses
  const port = m[3] ?? null;
  if (port !== null && (Number(port) < 1 || Number(port) > 65535)) return null;
  return {
    host: m[2].replace(/^\[|\]$/g, ''),
    wildcard,
    port,
    private: !wildcard && (marked || allowPrivate),
  };
}

/** The URL's port, or the scheme default. */
function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Upstream hosts the iframe proxy may fetch (PROXY_ALLOW_HOSTS). Nothing is allowed when empty. */
export class AllowList {
  private readonly entries: AllowEntry[];

  /** `allowPrivate` (PROXY_ALLOW_PRIVATE) marks every exactly named entry `+private`. */
  constructor(hosts: readonly string[], allowPrivate = false) {
    this.entries = hosts
      .map((h) => parseAllowEntry(h, allowPrivate))
      .filter((e): e is AllowEntry => e !== null);
  }

  /** The entries that allow the URL's host and port (empty for non-http(s) URLs or URLs with credentials). */
  private matching(url: URL): AllowEntry[] {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return [];
    if (url.username || url.password) return [];
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = portOf(url);
    return this.entries.filter(
      (e) =>
        (e.port === null ? DEFAULT_PORTS.has(port) : e.port === port) &&
        (e.wildcard ? host.endsWith(`.${e.host}`) : host === e.host),
    );
  }

  /** True when the URL is http(s), carries no credentials, and its host and port are listed. */
  allows(url: URL): boolean {
    return this.matching(url).length > 0;
  }

  /**
   * True when an entry naming exactly this host and port says `+private`: only then may the host resolve
   * to (or be) a loopback, private or link-local address (e.g. an upstream on the same network, on purpose).
   */
  mayBePrivate(url: URL): boolean {
    return this.matching(url).some((e) => e.private);
  }
}
