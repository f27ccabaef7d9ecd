/**
 * One JSON request of a venue connector over an undici Pool, with the connector error model: a request
 * that certainly did not take effect (connection refused, HTTP 429/502/503/504 answered before any work) is
 * a TransientConnectorError; one whose outcome is unknown (timed out or aborted after it was sent, the
 * connection lost mid-answer) is an UnknownOutcomeError — never resent blindly, reconciled by key.
 */
import { Pool, errors } from 'undici';
import { TransientConnectorError, UnknownOutcomeError } from '../types.js';

/** Error codes of undici that mean the request never reached the venue. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** Statuses a venue answers before doing anything. */
const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/** A venue's HTTP status other than 2xx (and not transient): the answer is known, the call failed. */
export class VenueHttpError extends Error {
  readonly code = 'EXEC_VENUE_HTTP';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`venue answered HTTP ${status}`);
    this.name = 'VenueHttpError';
  }
}

/** A JSON client of one origin. */
export class VenueHttp {
  private readonly pool: Pool;

  constructor(
    origin: string,
    private readonly timeoutMs: number,
    ca?: string,
  ) {
    this.pool = new Pool(origin, {
      connections: 8,
      keepAliveTimeout: 30_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(ca ? { connect: { ca } } : {}),
    });
  }

  /** Sends one request; resolves with the parsed JSON body of a 2xx answer. */
  async json(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const all = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res;
    try {
      res = await this.pool.request({
        method,
        path,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: all,
      });
    } catch (err) {
      throw classify(err, method);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw classify(err, method);
    }
    if (TRANSIENT_STATUS.has(res.statusCode))
      throw new TransientConnectorError(`venue answered HTTP ${res.statusCode}`);
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      if (res.statusCode < 300) throw new UnknownOutcomeError('venue answered something that is not JSON');
    }
    if (res.statusCode >= 300) throw new VenueHttpError(res.statusCode, parsed);
    return parsed;
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}

function classify(err: unknown, method: string): Error {
  const code = (err as { code?: string }).code ?? '';
  if (NOT_SENT.has(code)) return new TransientConnectorError(`venue unreachable: ${code}`);
  // a read may be repeated safely; a write whose answer was lost may have taken effect
  if (method === 'GET')
    return new TransientConnectorError(`venue request failed: ${code || (err as Error).message}`);
  if (
    err instanceof errors.UndiciError ||
    (err as Error).name === 'AbortError' ||
    (err as Error).name === 'TimeoutError'
  )
    return new UnknownOutcomeError(`no answer from the venue: ${code || (err as Error).name}`);
  return new UnknownOutcomeError(`no answer from the venue: ${(err as Error).message}`);
}
