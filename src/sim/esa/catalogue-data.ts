/**
 * Answers of the simulated API-NG betting operations, built from the simulator's fixture list (names,
 * competitions, runners) and the stream server's book state (prices, status): listEventTypes,
 * listCompetitions, listEvents, listMarketCatalogue and listMarketBook, with the market filter fields
 * oddsgate uses and Betfair's request weight limit. Every projection answers with every field API-NG
 * documents for it (MarketDescription's required fields, MarketBook's market-level fields, runner `sp`),
 * because clients such as betfairlightweight reject a whole response that lacks a required field.
 */
import { z } from 'zod';
import type { ExchangeSimulator } from '../exchange.js';
import { SIM_SPORTS, type ScheduledEvent, type SimMarketSpec } from '../fixture.js';
import type { StreamMarketDefinition } from '../stream-types.js';
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

/** listMarketCatalogue's MarketProjection values. */
export const MARKET_PROJECTIONS = [
  'COMPETITION',
  'EVENT',
  'EVENT_TYPE',
  'MARKET_START_TIME',
  'MARKET_DESCRIPTION',
  'RUNNER_DESCRIPTION',
  'RUNNER_METADATA',
] as const;

/** listMarketBook's PriceData values. */
export const PRICE_DATA = [
  'SP_AVAILABLE',
  'SP_TRADED',
  'EX_BEST_OFFERS',
  'EX_ALL_OFFERS',
  'EX_TRADED',
] as const;

const nullish = <T extends z.ZodTypeAny>(t: T) => t.nullish().transform((v) => v ?? undefined);

/** listMarketCatalogue params (the filter is read by {@link readFilter}). */
export const MarketCatalogueParamsSchema = z.object({
  filter: z.unknown(),
  marketProjection: nullish(z.array(z.enum(MARKET_PROJECTIONS))),
  sort: nullish(
    z.enum([
      'MINIMUM_TRADED',
      'MAXIMUM_TRADED',
      'MINIMUM_AVAILABLE',
      'MAXIMUM_AVAILABLE',
      'FIRST_TO_START',
      'LAST_TO_START',
    ]),
  ),
  maxResults: z.number().int(),
  locale: nullish(z.string()),
});

/** listMarketBook params (order and match projections are accepted; the simulated account has no orders here). */
export const MarketBookParamsSchema = z.object({
  marketIds: z.array(z.string()),
  priceProjection: nullish(
    z.object({
      priceData: nullish(z.array(z.enum(PRICE_DATA))),
      exBestOffersOverrides: nullish(
        z.object({
          bestPricesDepth: nullish(z.number().int().min(1)),
          rollupModel: nullish(z.enum(['STAKE', 'PAYOUT', 'MANAGED_LIABILITY', 'NONE'])),
          rollupLimit: nullish(z.number().int()),
          rollupLiabilityThreshold: nullish(z.number()),
          rollupLiabilityFactor: nullish(z.number().int()),
        }),
      ),
      virtualise: nullish(z.boolean()),
      rolloverStakes: nullish(z.boolean()),
    }),
  ),
  orderProjection: nullish(z.enum(['ALL', 'EXECUTABLE', 'EXECUTION_COMPLETE'])),
  matchProjection: nullish(z.enum(['NO_ROLLUP', 'ROLLED_UP_BY_PRICE', 'ROLLED_UP_BY_AVG_PRICE'])),
  includeOverallPosition: nullish(z.boolean()),
  partitionMatchedByStrategyRef: nullish(z.boolean()),
  customerStrategyRefs: nullish(z.array(z.string())),
  currencyCode: nullish(z.string()),
  matchedSince: nullish(z.string()),
  betIds: nullish(z.array(z.string())),
  locale: nullish(z.string()),
});

/** Parses params with a schema; a problem is answered INVALID_INPUT_DATA naming the first bad field. */
export function parseParams<T extends z.ZodTypeAny>(schema: T, params: unknown): z.output<T> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data as z.output<T>;
  const issue = parsed.error.issues[0];
  throw new ApiError(
    'INVALID_INPUT_DATA',
    `${issue?.path.join('.') || 'params'}: ${issue?.message ?? 'invalid'}`,
  );
}

/** Betfair's regulator names for the stream's regulator codes. */
const REGULATORS: Readonly<Record<string, string>> = {
  MR_INT: 'MALTA LOTTERIES AND GAMBLING AUTHORITY',
  MR_ESP: 'SPANISH DIRECTORATE GENERAL FOR THE REGULATION OF GAMBLING',
  MR_ITA: 'AGENZIA DELLE DOGANE E DEI MONOPOLI',
  MR_NJ: 'NEW JERSEY DIVISION OF GAMING ENFORCEMENT',
};

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

  /** listMarketCatalogue with any of the MarketProjection values. */
  listMarketCatalogue(f: ApiMarketFilter, projection: readonly string[], maxResults: number) {
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
      throw new ApiError('INVALID_INPUT_DATA', 'maxResults must be 1..1000');
    }
    const rows = this.rows(f).sort(
      (a, b) => a.event.startAt - b.event.startAt || a.market.marketId.localeCompare(b.market.marketId),
    );
    return rows.slice(0, maxResults).map(({ event, market }) => {
      const def = this.state.markets.get(market.marketId)?.definition ?? null;
      const out: Record<string, unknown> = {
        marketId: market.marketId,
        marketName: market.name,
        totalMatched: this.state.markets.get(market.marketId)?.tv ?? 0,
      };
      if (projection.includes('MARKET_START_TIME'))
        out.marketStartTime = new Date(event.startAt).toISOString();
      const described = projection.includes('RUNNER_DESCRIPTION');
      const metadata = projection.includes('RUNNER_METADATA');
      if (described || metadata) {
        out.runners = market.runners.map((r) => {
          const runner: Record<string, unknown> = {
            selectionId: r.selectionId,
            runnerName: r.name,
            handicap: 0,
            sortPriority: r.sortPriority,
          };
          if (metadata) runner.metadata = { runnerId: String(r.selectionId) };
          return runner;
        });
      }
      if (projection.includes('EVENT_TYPE'))
        out.eventType = { id: event.eventTypeId, name: sportName(event.eventTypeId) };
      if (projection.includes('COMPETITION') && event.competition) out.competition = event.competition;
      if (projection.includes('EVENT')) out.event = eventOf(event);
      if (projection.includes('MARKET_DESCRIPTION')) out.description = describe(event, market, def);
      return out;
    });
  }

  /** listMarketBook with a price projection (EX_BEST_OFFERS / EX_ALL_OFFERS, EX_TRADED); weight-limited. */
  listMarketBook(marketIds: readonly string[], priceData: readonly string[], depth: number) {
    const sp = priceData.includes('SP_AVAILABLE') || priceData.includes('SP_TRADED');
    if (marketIds.length * bookWeight(priceData) > 200) {
      throw new ApiError('TOO_MUCH_DATA', `request weight ${marketIds.length * bookWeight(priceData)} > 200`);
    }
    const out: unknown[] = [];
    for (const id of marketIds) {
      const m = this.state.markets.get(id);
      const def = m?.definition;
      if (!m || !def) continue;
      let totalAvailable = 0;
      for (const r of m.runners.values()) {
        for (const size of r.atb.values()) totalAvailable += size;
        for (const size of r.atl.values()) totalAvailable += size;
      }
      const book: Record<string, unknown> = {
        marketId: id,
        isMarketDataDelayed: false,
        status: def.status,
        betDelay: def.betDelay,
        bspReconciled: def.bspReconciled,
        complete: def.complete,
        inplay: def.inPlay,
        numberOfWinners: def.numberOfWinners,
        numberOfRunners: def.runners.length,
        numberOfActiveRunners: def.numberOfActiveRunners,
        totalMatched: m.tv,
        totalAvailable: Math.round(totalAvailable * 100) / 100,
        crossMatching: def.crossMatching,
        runnersVoidable: def.runnersVoidable,
        version: def.version,
      };
      if (m.lastMatchAt !== null) book.lastMatchTime = new Date(m.lastMatchAt).toISOString();
      out.push({
        ...book,
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
          if (rd.removalDate !== undefined) book.removalDate = rd.removalDate;
          if (sp) book.sp = startingPrices(r, rd.bsp, def.bspMarket, priceData);
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

/**
 * A runner's starting prices (`sp`): for a BSP market the projected price (near and far: the mid of the
 * best back and lay, else the last traded price) while it is open, the actual SP once reconciled. The
 * simulator takes no SP bets, so the stakes taken are empty when SP_TRADED is asked for.
 */
function startingPrices(
  r: RunnerState | undefined,
  bsp: number | undefined,
  bspMarket: boolean,
  priceData: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (bspMarket && priceData.includes('SP_AVAILABLE') && r) {
    const back = sortedPairs(r.atb, true)[0]?.[0];
    const lay = sortedPairs(r.atl, false)[0]?.[0];
    const projected =
      back !== undefined && lay !== undefined ? Math.round(((back + lay) / 2) * 100) / 100 : r.ltp;
    if (projected !== null && projected !== undefined) {
      out.nearPrice = projected;
      out.farPrice = projected;
    }
  }
  if (priceData.includes('SP_TRADED')) {
    out.backStakeTaken = [];
    out.layLiabilityTaken = [];
  }
  if (bspMarket && bsp !== undefined) out.actualSP = bsp;
  return out;
}

/** A catalogue entry's MarketDescription: every field API-NG documents as always present, and the rest known. */
function describe(event: ScheduledEvent, market: SimMarketSpec, def: StreamMarketDefinition | null) {
  const start = new Date(event.startAt).toISOString();
  const regulator = def?.regulators[0] ?? 'MR_INT';
  return {
    persistenceEnabled: def?.persistenceEnabled ?? true,
    bspMarket: market.bspMarket,
    marketTime: def?.marketTime ?? start,
    suspendTime: def?.suspendTime ?? start,
    bettingType: 'ODDS',
    turnInPlayEnabled: def?.turnInPlayEnabled ?? true,
    marketType: market.marketType,
    regulator: REGULATORS[regulator] ?? regulator,
    marketBaseRate: def?.marketBaseRate ?? 5,
    discountAllowed: def?.discountAllowed ?? true,
    wallet: 'UK wallet',
    rules:
      `<b>${market.name}</b>: ${event.name}. Simulated market (oddsgate simulate); ` +
      `${market.numberOfWinners} winner(s); bets settle on the simulated result.`,
    rulesHasDate: true,
    priceLadderDescription: { type: 'CLASSIC' },
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
