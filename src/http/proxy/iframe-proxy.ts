import { isIP } from 'node:net';
import { Transform, type Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { HttpError } from '../errors.js';
import { isPrivateAddress } from './address-guard.js';
import { AllowList } from '../../config/allow-list.js';
import { guardedLookup, systemResolver, type Resolver } from './guarded-lookup.js';

/** Options of the iframe proxy (config `proxy`). */
export interface IframeProxyOptions {
  allowHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  /** Every exactly named allow-list entry may reach private addresses, as if marked `+private`. */
  allowPrivate?: boolean;
  /** Name resolution (default: the system's); tests map names to loopback with it. */
  resolver?: Resolver;
}

/** An upstream response ready to pass on: status, raw headers and a size-capped body. */
export interface UpstreamResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  url: URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'oddsgate-iframe-proxy/1';

function blockedCode(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === 'ERR_PROXY_BLOCKED_ADDRESS') return true;
  }
  return false;
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: string }).name;
  const code = (err as { code?: string }).code;
  return name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT';
}

/** A pass-through that fails once more than `max` bytes went through (the rest is never read). */
function capped(body: Readable, max: number): Readable {
  let seen = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) return done(new Error(`upstream body over ${max} bytes`));
      done(null, chunk);
    },
  });
  body.on('error', (err) => cap.destroy(err));
  cap.on('close', () => body.destroy());
  return body.pipe(cap);
}

/**
 * Fetches allow-listed upstream pages for the iframe proxy: only http(s) URLs whose host is on the allow-list,
 * each redirect followed by hand and checked again, names resolved here and connected to the checked address
 * (loopback, private and link-local addresses only for hosts listed exactly with `+private`, on the listed
 * port), the whole exchange under `timeoutMs` and the body cut at `maxBytes`. Not an open proxy: nothing else
 * is ever fetched.
 */
export class IframeProxy {
  readonly allowList: AllowList;
  /** Connects only to public addresses. */
  private readonly agent: Agent;
  /** Connects to any address: used only for URLs an entry marked `+private` allows. */
  private readonly privateAgent: Agent;

  constructor(private readonly opts: IframeProxyOptions) {
    this.allowList = new AllowList(opts.allowHosts, opts.allowPrivate ?? false);
    const resolver = opts.resolver ?? systemResolver;
    const agent = (mayBePrivate: boolean) =>
      new Agent({
        connect: { lookup: guardedLookup(resolver, () => mayBePrivate), timeout: opts.timeoutMs },
        connections: 16,
      });
    this.agent = agent(false);
    this.privateAgent = agent(true);
  }

  /** Fetches `target`, following allowed redirects; throws HttpError 403/413/502/504. */
  async fetch(target: URL, accept?: string): Promise<UpstreamResponse> {
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    let url = target;
    for (let hop = 0; ; hop++) {
      this.check(url, hop > 0);
      const res = await this.request(url, signal, accept);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode) || typeof location !== 'string') {
        const length = Number(res.headers['content-length']);
        if (Number.isFinite(length) && length > this.opts.maxBytes) {
          res.body.destroy();
          throw new HttpError(
            413,
            `Upstream body is larger than ${this.opts.maxBytes} bytes`,
            'ERR_PROXY_TOO_LARGE',
          );
        }
        return {
          statusCode: res.statusCode,
          headers: res.headers,
          body: capped(res.body, this.opts.maxBytes),
          url,
        };
      }
      await res.body.dump().catch(() => undefined);
      if (hop >= this.opts.maxRedirects)
        throw new HttpError(502, 'Upstream redirected too many times', 'ERR_PROXY_REDIRECTS');
      url = new URL(location, url);
    }
  }

  /** Closes pooled upstream connections. */
  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.privateAgent.close()]);
  }

  /**
   * 403 unless the URL is allow-listed (host and port) and, when its host is an IP literal, a reachable one.
   * The checked address of a name is enforced when connecting (guarded lookup of the agent picked here).
   */
  private check(url: URL, redirected: boolean): void {
    if (!this.allowList.allows(url)) {
      throw new HttpError(
        403,
        redirected ? 'Upstream redirected to a host that is not allow-listed' : 'Host is not allow-listed',
        'ERR_PROXY_HOST',
      );
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && isPrivateAddress(host) && !this.allowList.mayBePrivate(url)) {
      throw new HttpError(403, 'Private and loopback addresses are not proxied', 'ERR_PROXY_PRIVATE');
    }
  }

  private async request(url: URL, signal: AbortSignal, accept?: string) {
    try {
      return await request(url, {
        method: 'GET',
        dispatcher: this.allowList.mayBePrivate(url) ? this.privateAgent : this.agent,
        signal,
        headers: { 'user-agent': USER_AGENT, accept: accept ?? 'text/html,*/*;q=0.8' },
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
    } catch (err) {
      if (blockedCode(err))
        throw new HttpError(403, 'Host resolves to a private or loopback address', 'ERR_PROXY_PRIVATE');
      if (isTimeout(err)) throw new HttpError(504, 'Upstream did not answer in time', 'ERR_PROXY_TIMEOUT');
      throw new HttpError(502, 'Upstream request failed', 'ERR_PROXY_UPSTREAM');
    }
  }
}
