/**
 * The `betfair-ex` connector: bets on a Betfair exchange through the API-NG betting operations
 * (JSON-RPC placeOrders, cancelOrders, listCurrentOrders, listClearedOrders; AccountAPING getAccountFunds)
 * with the session handling of src/sources/betfair (login, keep-alive, re-login on a dead session).
 *
 * The idempotency key becomes the placement's `customerRef` (a repeat within Betfair's window answers the
 * first report) and the instruction's `customerOrderRef` (how listCurrentOrders / listClearedOrders find
 * the bet again later: reconciliation and settlement). Bets are LIMIT FILL_OR_KILL at the worst acceptable
 * price: the exchange matches at that price or better, and what it cannot match at once is cancelled, so a
 * placement answers with what was matched (accepted with the matched stake and average price) or nothing
 * (rejected), never an order left resting.
 *
 * A maker instance (`maker: true`, the market-making engine's venue, its own slug) places LIMIT PERSIST
 * orders that rest on the book at their price: the answer is accepted for the whole stake put on the book
 * (the exchange took the order), and what matches later is read with `orderStates` and its remainder
 * cancelled with `cancel`. Its quote accepts any ladder price (a resting order needs no price on offer).
 */
import { createHash } from 'node:crypto';
import {
  UnknownOutcomeError,
  type ClearedBet,
  type Connector,
  type PlacedBet,
  type PlaceRequest,
  type Quote,
  type RestingOrderState,
  type Selection,
} from '../types.js';

export type { RestingOrderState } from '../types.js';
import { VenueHttp } from './http.js';
import { MAX_PRICE, MIN_PRICE } from '../../model/ticks.js';

/** Where a selection trades on the exchange. */
export interface ExchangeSelection {
  marketId: string;
  selectionId: number;
}

/** What the connector needs of a Betfair session (BetfairSession satisfies it). */
export interface BetfairTokenSource {
  token(): Promise<string>;
  invalidate(token: string): void;
  readonly canLogin: boolean;
}

/** Options of {@link BetfairExConnector}. */
export interface BetfairExOptions {
  appKey: string;
  session: BetfairTokenSource;
  /** The betting JSON-RPC endpoint (`…/exchange/betting/json-rpc/v1`); the account one is derived from it. */
  bettingUrl: string;
  /** PEM of a CA to trust (simulator). */
  ca?: string;
  /** Maps a selection to its exchange market and runner (null: not on the exchange). */
  resolve: (selection: Selection) => ExchangeSelection | null;
  /** Current price and size for a selection (e.g. from the read model's Betfair books). */
  quotes?: (selection: Selection) => Quote | null;
  slug?: string;
  /** Betfair's minimum stake by default. */
  minStake?: number | null;
  maxStake?: number | null;
  /** Least share of the stake that must match, else nothing is matched (default 1: all or nothing). */
  minFillRatio?: number;
  /** customerStrategyRef sent with every placement (≤ 15 characters). */
  strategyRef?: string;
  timeoutMs?: number;
  /** Rest unmatched orders on the book (LIMIT PERSIST) instead of fill-or-kill: the market maker's venue. */
  maker?: boolean;
}

/** An APINGException answered by the exchange. */
export class BetfairExError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'BetfairExError';
  }
}

const SESSION_ERRORS = new Set(['INVALID_SESSION_INFORMATION', 'NO_SESSION']);
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The customerRef / customerOrderRef of an idempotency key (≤ 32 characters, stable). */
export function betfairRef(key: string): string {
  const compact = key.replace(/-/g, '');
  if (/^[A-Za-z0-9]{1,32}$/.test(compact)) return compact;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

interface CurrentOrder {
  betId: string;
  marketId: string;
  status: string;
  averagePriceMatched: number;
  sizeMatched: number;
  sizeCancelled: number;
  sizeLapsed: number;
  sizeRemaining?: number;
  priceSize: { price: number; size: number };
  customerOrderRef?: string;
}

interface ClearedOrder {
  betId: string;
  betOutcome?: string;
  profit?: number;
  customerOrderRef?: string;
}

/** The answer of placeOrders (one instruction). */
interface PlaceReport {
  status: string;
  errorCode?: string;
  instructionReports?: {
    status: string;
    errorCode?: string;
    betId?: string;
    sizeMatched?: number;
    averagePriceMatched?: number;
  }[];
}

/** A Betfair exchange behind the execution Connector interface. */
export class BetfairExConnector implements Connector {
  readonly slug: string;
  readonly limits: { minStake: number | null; maxStake: number | null };
  private readonly http: VenueHttp;
  private readonly bettingPath: string;
  private readonly accountPath: string;

  constructor(private readonly opts: BetfairExOptions) {
    this.slug = opts.slug ?? 'betfair-ex';
    this.limits = {
      minStake: opts.minStake === undefined ? 1 : opts.minStake,
      maxStake: opts.maxStake ?? null,
    };
    const url = new URL(opts.bettingUrl);
    this.bettingPath = url.pathname;
    this.accountPath = url.pathname.replace('/betting/', '/account/');
    this.http = new VenueHttp(url.origin, opts.timeoutMs ?? 10_000, opts.ca);
  }

  quote(selection: Selection): Quote | null {
    const q = this.opts.quotes?.(selection) ?? null;
    if (!q || !this.opts.maker) return q;
    // a resting order needs no price on offer: any ladder price is acceptable, no size limit
    return {
      ...q,
      price: selection.back ? MAX_PRICE : MIN_PRICE,
      limit: null,
      info: { ...q.info, maker: true },
    };
  }

  async place(req: PlaceRequest, signal?: AbortSignal): Promise<PlacedBet> {
    const where = this.opts.resolve(req.selection);
    if (!where) return rejected(req, 'the selection is not on the exchange');
    const ref = betfairRef(req.key);
    const params = this.placeParams(req, where, ref);
    const report = (await this.rpc('betting', 'placeOrders', params, signal)) as PlaceReport;
    return this.placedFromReport(req, report);
  }

  /**
   * The placeOrders parameters: one LIMIT instruction with `ref` (of the idempotency key) as customerRef
   * and customerOrderRef; FILL_OR_KILL at the price, or PERSIST for a maker.
   */
  private placeParams(req: PlaceRequest, where: ExchangeSelection, ref: string) {
    const minFill = round2(req.stake * (this.opts.minFillRatio ?? 1));
    const limitOrder = this.opts.maker
      ? { price: req.price, size: round2(req.stake), persistenceType: 'PERSIST' }
      : {
          price: req.price,
          size: round2(req.stake),
          timeInForce: 'FILL_OR_KILL',
          ...(minFill < req.stake ? { minFillSize: Math.max(0.01, minFill) } : {}),
        };
    return {
      marketId: where.marketId,
      customerRef: ref,
      ...(this.opts.strategyRef ? { customerStrategyRef: this.opts.strategyRef } : {}),
      instructions: [
        {
          orderType: 'LIMIT',
          selectionId: where.selectionId,
          side: req.selection.back ? 'BACK' : 'LAY',
          customerOrderRef: ref,
          limitOrder,
        },
      ],
    };
  }

  /**
   * A placement report as the bet: a timeout is an unknown outcome (thrown), a failed instruction a
   * rejection; a maker's order is accepted resting, a fill-or-kill one for what matched (none: rejected).
   */
  private placedFromReport(req: PlaceRequest, report: PlaceReport): PlacedBet {
    const ir = report.instructionReports?.[0];
    const raw = report as unknown as Record<string, unknown>;
    if (report.status === 'TIMEOUT' || ir?.status === 'TIMEOUT')
      throw new UnknownOutcomeError('the exchange timed out the placement');
    if (!ir || ir.status !== 'SUCCESS' || !ir.betId)
      return rejected(req, ir?.errorCode ?? report.errorCode ?? 'placement failed', raw);
    if (this.opts.maker)
      return {
        key: req.key,
        bookmakerBetId: ir.betId,
        status: 'accepted',
        price: req.price,
        stake: req.stake,
        resting: true,
        matched: ir.sizeMatched ?? 0,
        raw,
      };
    const matched = ir.sizeMatched ?? 0;
    if (matched <= 0)
      return { ...rejected(req, 'not matched at the price (fill or kill)', raw), bookmakerBetId: ir.betId };
    return {
      key: req.key,
      bookmakerBetId: ir.betId,
      status: 'accepted',
      price: ir.averagePriceMatched ?? req.price,
      stake: matched,
      raw,
    };
  }

  async cancel(key: string): Promise<boolean> {
    const [order] = await this.listCurrent([betfairRef(key)]);
    if (!order || order.status !== 'EXECUTABLE') return false;
    const report = (await this.rpc('betting', 'cancelOrders', {
      marketId: order.marketId,
      instructions: [{ betId: order.betId }],
    })) as { status: string };
    return report.status === 'SUCCESS';
  }

  /** Bets by key: the current orders, and those already cleared (settled, lapsed, cancelled). */
  async currentOrders(keys: readonly string[]): Promise<PlacedBet[]> {
    const byRef = new Map(keys.map((k) => [betfairRef(k), k]));
    const out: PlacedBet[] = [];
    for (const o of await this.listCurrent([...byRef.keys()])) {
      const key = byRef.get(o.customerOrderRef ?? '');
      if (key === undefined) continue;
      byRef.delete(o.customerOrderRef ?? '');
      out.push(placedOf(key, o));
    }
    if (byRef.size === 0) return out;
    for (const status of ['SETTLED', 'CANCELLED', 'LAPSED', 'VOIDED'] as const) {
      for (const o of await this.listCleared(status, [...byRef.keys()])) {
        const key = byRef.get(o.customerOrderRef ?? '');
        if (key === undefined) continue;
        byRef.delete(o.customerOrderRef ?? '');
        const raw = o as unknown as Record<string, unknown>;
        const c = o as ClearedOrder & {
          priceMatched?: number;
          sizeSettled?: number;
          priceRequested?: number;
        };
        out.push(
          status === 'SETTLED'
            ? {
                key,
                bookmakerBetId: o.betId,
                status: 'accepted',
                price: c.priceMatched ?? 0,
                stake: c.sizeSettled ?? 0,
                raw,
              }
            : {
                key,
                bookmakerBetId: o.betId,
                status: 'rejected',
                price: c.priceRequested ?? 0,
                stake: 0,
                reason: status,
                raw,
              },
        );
      }
    }
    return out;
  }

  /**
   * Resting orders by key from the current orders: matched so far and what still rests. A key the exchange
   * no longer lists as current (cleared: settled, cancelled, lapsed) is absent.
   */
  async orderStates(keys: readonly string[]): Promise<RestingOrderState[]> {
    const byRef = new Map(keys.map((k) => [betfairRef(k), k]));
    const out: RestingOrderState[] = [];
    for (const o of await this.listCurrent([...byRef.keys()])) {
      const key = byRef.get(o.customerOrderRef ?? '');
      if (key === undefined) continue;
      const remaining =
        o.sizeRemaining ?? round2(o.priceSize.size - o.sizeMatched - o.sizeCancelled - o.sizeLapsed);
      out.push({
        key,
        betId: o.betId,
        status: o.status === 'EXECUTABLE' && remaining > 0 ? 'EXECUTABLE' : 'EXECUTION_COMPLETE',
        sizeMatched: o.sizeMatched,
        averagePriceMatched: o.averagePriceMatched,
        sizeRemaining: Math.max(0, remaining),
      });
    }
    return out;
  }

  async clearedBets(keys: readonly string[]): Promise<ClearedBet[]> {
    const byRef = new Map(keys.map((k) => [betfairRef(k), k]));
    const out: ClearedBet[] = [];
    for (const status of ['SETTLED', 'VOIDED'] as const) {
      for (const o of await this.listCleared(status, [...byRef.keys()])) {
        const key = byRef.get(o.customerOrderRef ?? '');
        if (key === undefined) continue;
        const outcome =
          status === 'VOIDED' ? 'VOID' : o.betOutcome === 'WON' || o.betOutcome === 'WIN' ? 'WON' : 'LOST';
        out.push({
          key,
          bookmakerBetId: o.betId,
          outcome,
          profit: status === 'VOIDED' ? 0 : (o.profit ?? 0),
        });
      }
    }
    return out;
  }

  async balance(): Promise<number | null> {
    const funds = (await this.rpc('account', 'getAccountFunds', {})) as { availableToBetBalance?: number };
    return typeof funds.availableToBetBalance === 'number' ? funds.availableToBetBalance : null;
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.http.close();
  }

  private async listCurrent(refs: string[]): Promise<CurrentOrder[]> {
    if (refs.length === 0) return [];
    const out: CurrentOrder[] = [];
    for (let i = 0; i < refs.length; i += 250) {
      const r = (await this.rpc('betting', 'listCurrentOrders', {
        customerOrderRefs: refs.slice(i, i + 250),
        orderProjection: 'ALL',
      })) as { currentOrders?: CurrentOrder[] };
      out.push(...(r.currentOrders ?? []));
    }
    return out;
  }

  private async listCleared(betStatus: string, refs: string[]): Promise<ClearedOrder[]> {
    if (refs.length === 0) return [];
    const out: ClearedOrder[] = [];
    for (let i = 0; i < refs.length; i += 250) {
      const r = (await this.rpc('betting', 'listClearedOrders', {
        betStatus,
        customerOrderRefs: refs.slice(i, i + 250),
      })) as { clearedOrders?: ClearedOrder[] };
      out.push(...(r.clearedOrders ?? []));
    }
    return out;
  }

  /** One JSON-RPC call; a dead session is renewed once (the call was refused, so repeating it is safe). */
  private async rpc(api: 'betting' | 'account', op: string, params: unknown, signal?: AbortSignal) {
    const method = `${api === 'account' ? 'AccountAPING' : 'SportsAPING'}/v1.0/${op}`;
    for (let attempt = 0; ; attempt++) {
      const token = await this.opts.session.token();
      const answer = (await this.http.json(
        'POST',
        api === 'account' ? this.accountPath : this.bettingPath,
        { 'x-application': this.opts.appKey, 'x-authentication': token },
        { jsonrpc: '2.0', method, params, id: 1 },
        signal,
      )) as {
        result?: unknown;
        error?: { message?: string; data?: Record<string, { errorCode?: string; errorDetails?: string }> };
      };
      if (answer.error === undefined) return answer.result;
      const data = answer.error.data ?? {};
      const ex = data.APINGException ?? data.AccountAPINGException;
      const code = ex?.errorCode ?? answer.error.message ?? 'UNEXPECTED_ERROR';
      if (SESSION_ERRORS.has(code) && attempt === 0 && this.opts.session.canLogin) {
        this.opts.session.invalidate(token);
        continue;
      }
      throw new BetfairExError(code, `${op}: ${ex?.errorDetails ?? code}`);
    }
  }
}

function rejected(req: PlaceRequest, reason: string, raw: Record<string, unknown> = {}): PlacedBet {
  return { key: req.key, bookmakerBetId: '', status: 'rejected', price: req.price, stake: 0, reason, raw };
}

function placedOf(key: string, o: CurrentOrder): PlacedBet {
  const raw = o as unknown as Record<string, unknown>;
  if (o.sizeMatched > 0)
    return {
      key,
      bookmakerBetId: o.betId,
      status: 'accepted',
      price: o.averagePriceMatched,
      stake: o.sizeMatched,
      raw,
    };
  const reason = o.status === 'EXECUTABLE' ? 'unmatched' : o.sizeLapsed > 0 ? 'lapsed' : 'cancelled';
  return {
    key,
    bookmakerBetId: o.betId,
    status: 'rejected',
    price: o.priceSize.price,
    stake: 0,
    reason,
    raw,
  };
}
