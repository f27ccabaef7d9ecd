import type { Event, Market } from '../../../model/index.js';
import { byBfi, eventIds } from '../../../contracts/porqpine/events.js';
import type { FreshnessContext } from '../../../contracts/porqpine/freshness.js';
import { eventAsOf, isStale, marketAsOf, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import {
  byMarketId,
  isPriced,
  renderMarket,
  SIDE_MARKET_TYPES,
} from '../../../contracts/porqpine/markets.js';

/** `"live"`, or `"stale"` when the data is older than its TTL (never presented as live). */
export type LiveSource = 'live' | 'stale';

/** TTL of fancy/bookmaker data: 8 s in play, 60 s before. */
export function sideTtl(e: Event): number {
  return e.inPlay ? TTL_SEC.fancyInPlay : TTL_SEC.fancyPreMatch;
}

/** Splits an event's markets into match odds, fancy and bookmaker (closed markets left out). */
export function splitMarkets(markets: readonly Market[]): {
  main: Market[];
  fancy: Market[];
  bookmaker: Market[];
} {
  const open = markets.filter((m) => m.status !== 'CLOSED');
  return {
    main: open.filter((m) => !SIDE_MARKET_TYPES.has(m.type)),
    fancy: open.filter((m) => m.type === 'FANCY'),
    bookmaker: open.filter((m) => m.type === 'BOOKMAKER'),
  };
}

/** "stale" when any of the markets (or, with none, the event) is older than `ttlSec`. */
export function sourceOf(
  e: Event,
  markets: readonly Market[],
  ttlSec: number,
  ctx: FreshnessContext,
): LiveSource {
  if (markets.length === 0) return isStale(eventAsOf(e, [], ctx), ttlSec, ctx) ? 'stale' : 'live';
  return markets.some((m) => isStale(marketAsOf(m, ctx), ttlSec, ctx)) ? 'stale' : 'live';
}

/** The `data` of /event/:id/odds. */
export function oddsData(e: Event, asked: string, markets: readonly Market[], ctx: FreshnessContext) {
  const { main, fancy, bookmaker } = splitMarkets(markets);
  const ttlSec = TTL_SEC.event;
  const fresh = { ctx, ttlSec };
  const side = { ctx, ttlSec: sideTtl(e) };
  return {
    ...eventIds(e, asked),
    market: { byMarketId: byMarketId(main, fresh), byBfi: byBfi(e, markets) },
    match_odds: main.map((m) => renderMarket(m, fresh)),
    fancy: fancy.filter(isPriced).map((m) => renderMarket(m, side)),
    bookmaker: bookmaker.filter(isPriced).map((m) => renderMarket(m, side)),
    _meta: {
      matchoddsFound: main.length,
      marketIds: main.map((m) => m.id),
      fancyFound: fancy.length,
      bookmakerFound: bookmaker.length,
      ttl_s: ttlSec,
    },
    updatedAt: Math.max(e.updatedAt, ...markets.map((m) => m.updatedAt)),
    stale: sourceOf(e, main, ttlSec, ctx) === 'stale',
    source: sourceOf(e, main, ttlSec, ctx),
  };
}

/** The per-event bucket of POST /odds/unified (fancy/bookmaker null when the event has none). */
export function unifiedBucket(e: Event, markets: readonly Market[], ctx: FreshnessContext) {
  const { main, fancy, bookmaker } = splitMarkets(markets);
  const fresh = { ctx, ttlSec: TTL_SEC.event };
  const side = { ctx, ttlSec: sideTtl(e) };
  return {
    internal_id: String(e.id),
    bfi: eventIds(e, '').bfi,
    market: { byMarketId: byMarketId(main, fresh), byBfi: byBfi(e, markets) },
    fancy: fancy.length > 0 ? fancy.map((m) => renderMarket(m, side)) : null,
    bookmaker: bookmaker.length > 0 ? bookmaker.map((m) => renderMarket(m, side)) : null,
    updatedAt: Math.max(e.updatedAt, ...markets.map((m) => m.updatedAt)),
    source: sourceOf(e, main, TTL_SEC.event, ctx),
  };
}
