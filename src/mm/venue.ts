import { sql, type Kysely } from 'kysely';
import type { Connector, RestingOrderState } from '../execution/types.js';

/** The exchange the quotes rest on: the maker instance of the Betfair connector (BetfairExConnector). */
export interface RestingVenue extends Pick<Connector, 'slug' | 'cancel' | 'currentOrders'> {
  orderStates(keys: readonly string[]): Promise<RestingOrderState[]>;
}

/** True when a connector can rest orders and report their fills. */
export function isRestingVenue(c: Connector | undefined): c is Connector & RestingVenue {
  return c !== undefined && typeof (c as Partial<RestingVenue>).orderStates === 'function';
}

/** A quote resting on the exchange, as the engine tracks it. */
export interface LiveQuote {
  /** The bet's idempotency key at the exchange (execution's betRequestId). */
  key: string;
  marketKey: string;
  fixtureId: string;
  outcomeId: number;
  orderId: number;
  betId: string;
  back: boolean;
  price: number;
  /** Stake put on the book. */
  size: number;
  /** Matched so far (every step of it recorded as a fill). */
  matched: number;
  /** Σ matched × price so far (the next fill's price is the step of the exchange's average). */
  matchedValue: number;
  remaining: number;
}

/** The fill key of a quote's matched step: the exchange's bet id and its cumulative matched stake. */
export const fillKeyOf = (exchange: string, betId: string, matchedTotal: number): string =>
  `${exchange}:${betId}:${matchedTotal.toFixed(2)}`;

/**
 * The quotes a previous run left on the exchange: the client's quote bets (orders `mm-quote`) of the last
 * `days`, with what their fills already recorded (`mm_fills`) so a restart neither misses nor repeats a fill.
 */
export async function restingQuotesOf(
  db: Kysely<unknown>,
  clientName: string,
  exchange: string,
  days = 2,
): Promise<LiveQuote[]> {
  const r = await sql<Record<string, unknown>>`select b.bet_request_id, b.bookmaker_bet_id,
      coalesce((b.sent_data ->> 'stake')::float8, b.placed_stake) as placed_stake,
      b.placed_price, o.order_id, o.fixture_id, o.outcome_id, o.back, o.meta,
      (select coalesce(sum(f.fill_size), 0) from mm_fills f
        where f.fill_key like ${exchange} || ':' || b.bookmaker_bet_id || ':%') as matched,
      (select coalesce(sum(f.fill_size * f.fill_price), 0) from mm_fills f
        where f.fill_key like ${exchange} || ':' || b.bookmaker_bet_id || ':%') as matched_value
    from bets b join orders o on o.order_id = b.order_id
    where o.client_name = ${clientName} and o.user_ref = 'mm-quote' and b.bookmaker = ${exchange}
      and b.bet_status in ('CONFIRMED', 'PLACED')
      and b.created_at > now() - make_interval(days => ${days})`.execute(db);
  return r.rows.map((x) => ({
    key: String(x.bet_request_id),
    marketKey: `${String(x.fixture_id)}:${Number(x.outcome_id)}`,
    fixtureId: String(x.fixture_id),
    outcomeId: Number(x.outcome_id),
    orderId: Number(x.order_id),
    betId: x.bookmaker_bet_id === null ? '' : String(x.bookmaker_bet_id),
    back: Boolean(x.back),
    price: Number(x.placed_price),
    size: Number(x.placed_stake),
    matched: Number(x.matched),
    matchedValue: Number(x.matched_value),
    remaining: Math.max(0, Number(x.placed_stake) - Number(x.matched)),
  }));
}

/** Worst-case P&L of each market's filled quotes and their confirmed hedges (win / lose of the outcome). */
export async function positionsOf(
  db: Kysely<unknown>,
  clientName: string,
  marketKeys: readonly string[],
): Promise<Map<string, { win: number; lose: number }>> {
  if (marketKeys.length === 0) return new Map();
  const r = await sql<Record<string, unknown>>`select f.market_key,
      sum(case when f.quote_back then f.fill_size * (f.fill_price - 1) else -f.fill_size * (f.fill_price - 1) end)
        + coalesce(sum(h.win), 0) as win,
      sum(case when f.quote_back then -f.fill_size else f.fill_size end) + coalesce(sum(h.lose), 0) as lose
    from mm_fills f left join lateral (
      select sum(case when b.back then b.placed_stake * (b.placed_price - 1)
          else -b.placed_stake * (b.placed_price - 1) end) as win,
        sum(case when b.back then -b.placed_stake else b.placed_stake end) as lose
      from bets b where b.order_id = f.hedge_order_id and b.bet_status = 'CONFIRMED') h on true
    where f.client_name = ${clientName} and f.market_key = any(${[...marketKeys]}::text[])
    group by f.market_key`.execute(db);
  return new Map(r.rows.map((x) => [String(x.market_key), { win: Number(x.win), lose: Number(x.lose) }]));
}
