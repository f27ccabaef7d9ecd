/**
 * Answers of the simulated API-NG betting operations, built from the simulator's fixture list (names,
 * competitions, runners) and the stream server's book state (prices, status): listEventTypes,
 * listCompetitions, listEvents, listMarketCatalogue and listMarketBook, with the market filter fields
 * oddsgate uses and Betfair's request weight limit.
 */
import type { ExchangeSimulator } from '../exchange.js';
import { SIM_SPORTS, type ScheduledEvent, type SimMarketSpec } from '../fixture.js';
import { sortedPairs, type BookState, type RunnerState } from './book-state.js';

/** The API-NG market filter fields the simulator understands. */
export interface ApiMarketFilter {
  textQuery?: string;
  eventTypeIds?: string[];
  eventIds?: string[];
  competitionIds?: string[];
  marketIds?: string[];
  marketCountries?: string[];
  marketTypeCodes?: string[];
  inPlayOnly?: boolean;
  marketStartTime?: { from?: string; to?: string };
}

/** An API-NG error to answer with (APINGException errorCode). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Row {
  event: ScheduledEvent;
  market: SimMarketSpec;
}

const list = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
const has = (l: string[] | undefined, v: string | undefined): boolean =>
  !l || l.length === 0 || (v !== undefined && l.includes(v));

/** Reads the filter fields from request params. */
export function readFilter(v: unknown): ApiMarketFilter {
  const f = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const out: ApiMarketFilter = {};
  for (const k of [
    'eventTypeIds',
    'eventIds',
    'competitionIds',
    'marketIds',
    'marketCountries',
    'marketTypeCodes',
  ] as const) {
    const l = list(f[k]);
    if (l) out[k] = l;
  }
  if (typeof f.textQuery === 'string') out.textQuery = f.textQuery;
  if (typeof f.inPlayOnly === 'boolean') out.inPlayOnly = f.inPlayOnly;
  if (typeof f.marketStartTime === 'object' && f.marketStartTime !== null) {
    out.marketStartTime = f.marketStartTime as { from?: string; to?: string };
  }
  return out;
}

/** Request weight per market of a listMarketBook price projection (Betfair's market data limits). */
export function bookWeight(priceData: readonly string[]): number {
  let w = 0;
  if (priceData.includes('EX_ALL_OFFERS')) w += 17;
  else if (priceData.includes('EX_BEST_OFFERS')) w += 5;
  if (priceData.includes('EX_TRADED')) w += 17;
  return Math.max(2, w);
}

/** The betting operations over the simulator. */
export class CatalogueData {
  constructor(
    private readonly sim: ExchangeSimulator,
    private readonly state: BookState,
  ) {}

  private rows(f: ApiMarketFilter): Row[] {
    const out: Row[] = [];
    const from = f.marketStartTime?.from ? Date.parse(f.marketStartTime.from) : -Infinity;
    const to = f.marketStartTime?.to ? Date.parse(f.marketStartTime.to) : Infinity;
    const text = f.textQuery?.toLowerCase();
    for (const event of this.sim.events()) {
      if (!has(f.eventTypeIds, event.eventTypeId) || !has(f.eventIds, event.eventId)) continue;
      if (!has(f.competitionIds, event.competition?.id) || !has(f.marketCountries, event.countryCode))
        continue;
      if (text && !event.name.toLowerCase().includes(text)) continue;
      if (event.startAt < from || event.startAt > to) continue;
      for (const market of event.markets) {
        const def = this.state.markets.get(market.marketId)?.definition;
        if (!def || def.status === 'CLOSED') continue;
        if (!has(f.marketIds, market.marketId) || !has(f.marketTypeCodes, market.marketType)) continue;
        if (f.inPlayOnly === true && !def.inPlay) continue;
        out.push({ event, market });
      }
    }
    return out;
  }

  /** listEventTypes. */
  listEventTypes(f: ApiMarketFilter) {
    const counts = new Map<string, number>();
    for (const r of this.rows(f)) counts.set(r.event.eventTypeId, (counts.get(r.event.eventTypeId) ?? 0) + 1);
    return Object.values(SIM_SPORTS)
      .filter((s) => counts.has(s.eventTypeId))
      .map((s) => ({
        eventType: { id: s.eventTypeId, name: s.name },
        marketCount: counts.get(s.eventTypeId) ?? 0,
      }));
  }

  /** listCompetitions. */
  listCompetitions(f: ApiMarketFilter) {
    const out = new Map<
      string,
      { competition: { id: string; name: string }; marketCount: number; competitionRegion: string }
    >();
    for (const r of this.rows(f)) {
      const c = r.event.competition;
      if (!c) continue;
      const entry = out.get(c.id) ?? {
        competition: c,
        marketCount: 0,
        competitionRegion: r.event.countryCode,
      };
      entry.marketCount++;
      out.set(c.id, entry);
    }
    return [...out.values()];
  }

  /** listEvents. */
  listEvents(f: ApiMarketFilter) {
    const out = new Map<string, { event: ReturnType<typeof eventOf>; marketCount: number }>();
    for (const r of this.rows(f)) {
      const entry = out.get(r.event.eventId) ?? { event: eventOf(r.event), marketCount: 0 };
      entry.marketCount++;
      out.set(r.event.eventId, entry);
    }
    return [...out.values()];
  }

  /** listMarketCatalogue (projection: EVENT, EVENT_TYPE, COMPETITION, RUNNER_DESCRIPTION, MARKET_START_TIME). */
  listMarketCatalogue(f: ApiMarketFilter, projection: readonly string[], maxResults: number) {
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
      throw new ApiError('INVALID_INPUT_DATA', 'maxResults must be 1..1000');
    }
    const rows = this.rows(f).sort(
      (a, b) => a.event.startAt - b.event.startAt || a.market.marketId.localeCompare(b.market.marketId),
    );
    return rows.slice(0, maxResults).map(({ event, market }) => {
      const out: Record<string, unknown> = {
        marketId: market.marketId,
        marketName: market.name,
        totalMatched: this.state.markets.get(market.marketId)?.tv ?? 0,
      };
      if (projection.includes('MARKET_START_TIME'))
        out.marketStartTime = new Date(event.startAt).toISOString();
      if (projection.includes('RUNNER_DESCRIPTION')) {
        out.runners = market.runners.map((r) => ({
          selectionId: r.selectionId,
          runnerName: r.name,
          handicap: 0,
          sortPriority: r.sortPriority,
        }));
      }
      if (projection.includes('EVENT_TYPE'))
        out.eventType = { id: event.eventTypeId, name: sportName(event.eventTypeId) };
      if (projection.includes('COMPETITION') && event.competition) out.competition = event.competition;
      if (projection.includes('EVENT')) out.event = eventOf(event);
      if (projection.includes('MARKET_DESCRIPTION')) {
        out.description = { marketType: market.marketType, bettingType: 'ODDS', bspMarket: market.bspMarket };
      }
      return out;
    });
  }

  /** listMarketBook with a price projection (EX_BEST_OFFERS / EX_ALL_OFFERS, EX_TRADED); weight-limited. */
  listMarketBook(marketIds: readonly string[], priceData: readonly string[], depth: number) {
    if (marketIds.length * bookWeight(priceData) > 200) {
      throw new ApiError('TOO_MUCH_DATA', `request weight ${marketIds.length * bookWeight(priceData)} > 200`);
    }
    const out: unknown[] = [];
    for (const id of marketIds) {
      const m = this.state.markets.get(id);
      const def = m?.definition;
      if (!m || !def) continue;
      out.push({
        marketId: id,
        isMarketDataDelayed: false,
        status: def.status,
        betDelay: def.betDelay,
        inplay: def.inPlay,
        complete: def.complete,
        numberOfWinners: def.numberOfWinners,
        numberOfRunners: def.runners.length,
        numberOfActiveRunners: def.numberOfActiveRunners,
        totalMatched: m.tv,
        version: def.version,
        runners: def.runners.map((rd) => {
          const r = m.runners.get(rd.id);
          const book: Record<string, unknown> = {
            selectionId: rd.id,
            handicap: 0,
            status: rd.status,
            totalMatched: r?.tv ?? 0,
          };
          if (r?.ltp !== null && r?.ltp !== undefined) book.lastPriceTraded = r.ltp;
          if (rd.adjustmentFactor !== undefined) book.adjustmentFactor = rd.adjustmentFactor;
          if (r) book.ex = exchangePrices(r, priceData, depth);
          return book;
        }),
      });
    }
    return out;
  }
}

function exchangePrices(r: RunnerState, priceData: readonly string[], depth: number) {
  const all = priceData.includes('EX_ALL_OFFERS');
  const best = all || priceData.includes('EX_BEST_OFFERS');
  const n = all ? Infinity : depth;
  const toLevels = (pairs: [number, number][]) => pairs.slice(0, n).map(([price, size]) => ({ price, size }));
  return {
    availableToBack: best ? toLevels(sortedPairs(r.atb, true)) : [],
    availableToLay: best ? toLevels(sortedPairs(r.atl, false)) : [],
    tradedVolume: priceData.includes('EX_TRADED')
      ? sortedPairs(r.trd, false).map(([price, size]) => ({ price, size }))
      : [],
  };
}

function sportName(eventTypeId: string): string {
  return Object.values(SIM_SPORTS).find((s) => s.eventTypeId === eventTypeId)?.name ?? eventTypeId;
}

function eventOf(e: ScheduledEvent) {
  const out: {
    id: string;
    name: string;
    countryCode: string;
    timezone: string;
    openDate: string;
    venue?: string;
  } = {
    id: e.eventId,
    name: e.name,
    countryCode: e.countryCode,
    timezone: e.timezone,
    openDate: new Date(e.startAt).toISOString(),
  };
  if (e.venue) out.venue = e.venue;
  return out;
}
