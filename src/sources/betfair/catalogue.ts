/**
 * Betfair API-NG betting operations over JSON-RPC, on an undici keep-alive pool: listEventTypes,
 * listCompetitions, listEvents, listMarketCatalogue and listMarketBook. Requests time out; they are retried
 * only after a timeout or a 5xx answer; an INVALID_SESSION_INFORMATION (or NO_SESSION) error gets the
 * session replaced (login) and the call retried once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { Backoff } from '../../core/backoff.js';
import type { BetfairSession } from './session.js';
import { silentLogger, type BetfairLogger } from './types.js';
import { OddsgateError } from '../../core/errors.js';

/** Options of {@link BetfairCatalogue}. */
export interface BetfairCatalogueOptions {
  /** The JSON-RPC endpoint, e.g. https://api.betfair.com/exchange/betting/json-rpc/v1. */
  url: string;
  appKey: string;
  session: BetfairSession;
  /** PEM of a CA to trust instead of the system CAs (simulator). */
  ca?: string;
  /** Per attempt. Default 10 s. */
  timeoutMs?: number;
  /** Retries after a timeout or 5xx. Default 2. */
  retries?: number;
  /** Kept-alive connections. Default 4. */
  connections?: number;
  logger?: BetfairLogger;
}

/** An API-NG filter (the fields oddsgate uses). */
export interface ApiMarketFilter {
  eventTypeIds?: string[];
  eventIds?: string[];
  competitionIds?: string[];
  marketIds?: string[];
  marketCountries?: string[];
  marketTypeCodes?: string[];
  inPlayOnly?: boolean;
  textQuery?: string;
  marketStartTime?: { from?: string; to?: string };
}

/** A listMarketCatalogue entry (with the EVENT, EVENT_TYPE, COMPETITION, RUNNER_DESCRIPTION projections). */
export interface MarketCatalogue {
  marketId: string;
  marketName: string;
  marketStartTime?: string;
  totalMatched?: number;
  runners?: { selectionId: number; runnerName: string; handicap?: number; sortPriority?: number }[];
  eventType?: { id: string; name: string };
  competition?: { id: string; name: string };
  event?: {
    id: string;
    name: string;
    countryCode?: string;
    timezone?: string;
    venue?: string;
    openDate?: string;
  };
}

/** A price level of listMarketBook. */
export interface BookLevel {
  price: number;
  size: number;
}

/** A listMarketBook entry (the fields oddsgate reads). */
export interface MarketBook {
  marketId: string;
  status?: string;
  inplay?: boolean;
  totalMatched?: number;
  version?: number;
  runners?: {
    selectionId: number;
    handicap?: number;
    status?: string;
    lastPriceTraded?: number;
    totalMatched?: number;
    ex?: { availableToBack?: BookLevel[]; availableToLay?: BookLevel[]; tradedVolume?: BookLevel[] };
  }[];
}

/** A failed API-NG call: `code` is the APINGException errorCode, `HTTP_<status>`, or an undici error code. */
export class BetfairApiError extends OddsgateError {
  constructor(
    code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(code, message);
    this.name = 'BetfairApiError';
  }
}

const SESSION_ERRORS = new Set(['INVALID_SESSION_INFORMATION', 'NO_SESSION']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** The API-NG betting client. */
export class BetfairCatalogue {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly log: BetfairLogger;
  private nextId = 1;
  readonly stats = { calls: 0, retries: 0, failures: 0, relogins: 0 };
  lastError: string | null = null;

  constructor(private readonly opts: BetfairCatalogueOptions) {
    const u = new URL(opts.url);
    this.path = `${u.pathname}${u.search}`;
    this.log = opts.logger ?? silentLogger;
    this.pool = new Pool(u.origin, {
      connections: opts.connections ?? 4,
      keepAliveTimeout: 30_000,
      ...(opts.ca ? { connect: { ca: opts.ca } } : {}),
    });
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  /** listEventTypes. */
  listEventTypes(filter: ApiMarketFilter = {}) {
    return this.call<{ eventType: { id: string; name: string }; marketCount: number }[]>('listEventTypes', {
      filter,
    });
  }

  /** listCompetitions. */
  listCompetitions(filter: ApiMarketFilter = {}) {
    return this.call<
      { competition: { id: string; name: string }; marketCount: number; competitionRegion?: string }[]
    >('listCompetitions', { filter });
  }

  /** listEvents. */
  listEvents(filter: ApiMarketFilter = {}) {
    return this.call<{ event: NonNullable<MarketCatalogue['event']>; marketCount: number }[]>('listEvents', {
      filter,
    });
  }

  /** listMarketCatalogue with the projections that name events, competitions and runners. */
  listMarketCatalogue(filter: ApiMarketFilter, maxResults: number, sort = 'FIRST_TO_START') {
    const marketProjection = [
      'EVENT',
      'EVENT_TYPE',
      'COMPETITION',
      'RUNNER_DESCRIPTION',
      'MARKET_START_TIME',
    ];
    return this.call<MarketCatalogue[]>('listMarketCatalogue', {
      filter,
      marketProjection,
      sort,
      maxResults,
    });
  }

  /** listMarketBook. */
  listMarketBook(marketIds: string[], priceData: string[], depth: number) {
    const priceProjection = {
      priceData,
      exBestOffersOverrides: { bestPricesDepth: depth },
      virtualise: true,
    };
    return this.call<MarketBook[]>('listMarketBook', { marketIds, priceProjection });
  }

  /** Calls `SportsAPING/v1.0/<method>`; see the class comment for retries and re-login. */
  async call<T>(method: string, params: Record<string, unknown>): Promise<T> {
    this.stats.calls++;
    let relogged = false;
    const backoff = new Backoff({ baseMs: 200, maxMs: 2000 });
    for (let attempt = 0; ; attempt++) {
      const token = await this.opts.session.token();
      try {
        return await this.once<T>(method, params, token);
      } catch (err) {
        const e = toApiError(err);
        if (SESSION_ERRORS.has(e.code) && !relogged && this.opts.session.canLogin) {
          relogged = true;
          this.stats.relogins++;
          this.opts.session.invalidate(token);
          continue;
        }
        if (e.retryable && attempt < (this.opts.retries ?? 2)) {
          this.stats.retries++;
          await sleep(backoff.next());
          continue;
        }
        this.stats.failures++;
        this.lastError = `${method}: ${e.code}`;
        this.log.warn({ method, code: e.code }, 'betfair API call failed');
        throw e;
      }
    }
  }

  private async once<T>(method: string, params: Record<string, unknown>, token: string): Promise<T> {
    const timeout = this.opts.timeoutMs ?? 10_000;
    const id = this.nextId++;
    const signal = AbortSignal.timeout(timeout);
    const res = await this.pool
      .request({
        path: this.path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-application': this.opts.appKey,
          'x-authentication': token,
        },
        body: JSON.stringify({ jsonrpc: '2.0', method: `SportsAPING/v1.0/${method}`, params, id }),
        signal,
      })
      .catch((err: unknown) => {
        throw signal.aborted
          ? new BetfairApiError('TIMEOUT', `${method}: no answer within ${timeout} ms`, true)
          : err;
      });
    const text = await res.body.text().catch((err: unknown) => {
      throw signal.aborted
        ? new BetfairApiError('TIMEOUT', `${method}: answer cut off after ${timeout} ms`, true)
        : err;
    });
    if (res.statusCode >= 500)
      throw new BetfairApiError(`HTTP_${res.statusCode}`, `${method}: HTTP ${res.statusCode}`, true);
    if (res.statusCode >= 400)
      throw new BetfairApiError(`HTTP_${res.statusCode}`, `${method}: HTTP ${res.statusCode}`);
    return parseRpc<T>(method, text);
  }
}

function parseRpc<T>(method: string, text: string): T {
  let body: { result?: unknown; error?: { code?: number; message?: string; data?: Record<string, unknown> } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new BetfairApiError('BAD_RESPONSE', `${method}: the answer is not JSON`);
  }
  if (body.error) {
    const ex = (body.error.data?.APINGException ?? body.error.data?.AccountAPINGException) as
      { errorCode?: string } | undefined;
    const code = ex?.errorCode ?? body.error.message ?? `JSONRPC_${body.error.code ?? 'ERROR'}`;
    throw new BetfairApiError(code, `${method}: ${code}`);
  }
  return body.result as T;
}

function toApiError(err: unknown): BetfairApiError {
  if (err instanceof BetfairApiError) return err;
  const code = (err as { code?: unknown })?.code;
  const c = typeof code === 'string' ? code : 'REQUEST_FAILED';
  return new BetfairApiError(c, err instanceof Error ? err.message : String(err), TIMEOUT_CODES.has(c));
}
