import { Agent, request } from 'undici';
import { z } from 'zod';
import { OddsApiError } from './errors.js';
import {
  OddsApiErrorBodySchema,
  OddsApiEventSchema,
  OddsApiScoreSchema,
  OddsApiSportSchema,
  type OddsApiEvent,
  type OddsApiScore,
  type OddsApiSport,
  type QuotaHeaders,
} from './types.js';

/** Options of OddsApiClient. */
export interface OddsApiClientOptions {
  /** Base URL, e.g. https://api.the-odds-api.com (paths /v4/... are appended). */
  baseUrl: string;
  apiKey: string;
  /** Headers and body timeout of one request. */
  timeoutMs: number;
}

/** A parsed response with the quota it reported. */
export interface OddsApiResponse<T> {
  data: T;
  quota: QuotaHeaders;
}

/** Parameters of GET /v4/sports/{sport}/odds. */
export interface OddsQuery {
  regions: readonly string[];
  markets: readonly string[];
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

function headerNumber(v: string | string[] | undefined): number | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Reads the quota headers of a response. */
export function quotaOf(headers: Record<string, string | string[] | undefined>): QuotaHeaders {
  return {
    remaining: headerNumber(headers['x-requests-remaining']),
    used: headerNumber(headers['x-requests-used']),
    last: headerNumber(headers['x-requests-last']),
  };
}

/** Maps a non-2xx status and its body to an OddsApiError (never includes the API key). */
export function errorFor(status: number, body: unknown, retryAfter: number | null): OddsApiError {
  const parsed = OddsApiErrorBodySchema.safeParse(body);
  const msg = parsed.success ? (parsed.data.message ?? '') : '';
  const code = parsed.success ? (parsed.data.error_code ?? null) : null;
  const text = `${status}${code ? ` ${code}` : ''}${msg ? `: ${msg}` : ''}`;
  const quota = code === 'OUT_OF_USAGE_CREDITS' || /quota|usage credits/i.test(msg);
  if (quota)
    return new OddsApiError('QUOTA_EXHAUSTED', `usage quota spent (${text})`, status, code, retryAfter);
  if (status === 401) return new OddsApiError('UNAUTHORIZED', `API key refused (${text})`, status, code);
  if (status === 422) return new OddsApiError('INVALID_REQUEST', `invalid request (${text})`, status, code);
  if (status === 429)
    return new OddsApiError('RATE_LIMITED', `rate limited (${text})`, status, code, retryAfter);
  return new OddsApiError('HTTP_ERROR', `HTTP ${text}`, status, code);
}

/**
 * The Odds API v4 over undici: one keep-alive agent, quota headers read on every response, errors as
 * OddsApiError with a stable code. The key travels as the `apiKey` query parameter and is never put in
 * an error message or log line.
 */
export class OddsApiClient {
  private readonly agent: Agent;

  constructor(private readonly opts: OddsApiClientOptions) {
    this.agent = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
  }

  /** GET /v4/sports: in-season sports (free). */
  sports(): Promise<OddsApiResponse<OddsApiSport[]>> {
    return this.get('/v4/sports', {}, z.array(OddsApiSportSchema));
  }

  /** GET /v4/sports/{sport}/odds with decimal odds and ISO dates. */
  odds(sport: string, q: OddsQuery): Promise<OddsApiResponse<OddsApiEvent[]>> {
    const params = {
      regions: q.regions.join(','),
      markets: q.markets.join(','),
      oddsFormat: 'decimal',
      dateFormat: 'iso',
    };
    return this.get(`/v4/sports/${encodeURIComponent(sport)}/odds`, params, z.array(OddsApiEventSchema));
  }

  /** GET /v4/sports/{sport}/scores; `daysFrom` 1–3 adds games completed that many days back (costs 2). */
  scores(sport: string, daysFrom: number | null): Promise<OddsApiResponse<OddsApiScore[]>> {
    const params: Record<string, string> = { dateFormat: 'iso' };
    if (daysFrom !== null) params.daysFrom = String(daysFrom);
    return this.get(`/v4/sports/${encodeURIComponent(sport)}/scores`, params, z.array(OddsApiScoreSchema));
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private url(path: string, params: Record<string, string>): string {
    const u = new URL(path, this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : `${this.opts.baseUrl}/`);
    u.searchParams.set('apiKey', this.opts.apiKey);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  }

  private async get<T>(
    path: string,
    params: Record<string, string>,
    schema: z.ZodType<T>,
  ): Promise<OddsApiResponse<T>> {
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(this.url(path, params), {
        method: 'GET',
        dispatcher: this.agent,
        headers: { accept: 'application/json' },
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
    } catch (err) {
      throw new OddsApiError('NETWORK', `${path}: ${(err as Error).message}`);
    }
    const quota = quotaOf(res.headers);
    const body = await readJson(res.body, path);
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw errorFor(res.statusCode, body, headerNumber(res.headers['retry-after']));
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new OddsApiError(
        'BAD_RESPONSE',
        `${path}: unexpected body at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
      );
    }
    return { data: parsed.data, quota };
  }
}

async function readJson(
  body: AsyncIterable<Buffer | string> & { text(): Promise<string> },
  path: string,
): Promise<unknown> {
  let text: string;
  try {
    text = await body.text();
  } catch (err) {
    throw new OddsApiError('NETWORK', `${path}: ${(err as Error).message}`);
  }
  if (text.length > MAX_BODY_BYTES) throw new OddsApiError('BAD_RESPONSE', `${path}: body too large`);
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
