import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { FixturesQuerySchema, MarketsQuerySchema } from '../../../contracts/abp/reference.js';
import { bookName, groupBooks } from '../../../books/books.js';
import { fixtureInfo, fixtureOutcomes } from '../../../execution/betslip.js';
import { BOOKMAKERS, bookmakerOfBook, sourceBookmaker } from '../../../execution/bookmakers.js';
import {
  FULL_TIME_RESULT,
  marketOfGroup,
  outcomeOf,
  sportHasDraw,
  type CatalogueMarket,
} from '../../../execution/outcomes.js';
import { sportName } from '../../../model/index.js';
import type { ReadModel } from '../../../read-model/read-model.js';
import { abpSchema, BookmakersBody, FixturesBody, MarketsBody } from './responses.js';
import { clientOf } from './scope.js';

/** How long /bookmakers and /markets answers are reused (the document caches bookmakers 60 s). */
const REFERENCE_TTL_MS = 60_000;

function cached<T>(build: () => T): () => T {
  let at = -Infinity;
  let value: T | undefined;
  return () => {
    const now = Date.now();
    if (value === undefined || now - at >= REFERENCE_TTL_MS) {
      value = build();
      at = now;
    }
    return value;
  };
}

/** Slugs of the books the read model holds now (the simulated and live sources' bookmakers). */
function liveSlugs(rm: ReadModel): Set<string> {
  const out = new Set<string>();
  for (const m of rm.markets.values()) if (m.status !== 'CLOSED') out.add(bookmakerOfBook(bookName(m)));
  return out;
}

function bookmakerList(rm: ReadModel, venues: Iterable<string> = []) {
  const live = liveSlugs(rm);
  // the bookmakers orders can be placed at (the execution connectors: betfair-ex, a sportsbook) are live too
  for (const slug of venues) live.add(slug);
  const known = new Set(BOOKMAKERS.map((b) => b.slug));
  const all = [...BOOKMAKERS, ...[...live].filter((s) => !known.has(s)).map((s) => sourceBookmaker(s))];
  return all
    .map((b) => ({
      bookmaker: b.slug,
      name: b.name,
      type: b.kind,
      minStake: b.minStake,
      maxStake: b.maxStake,
      currencyId: b.currencyId,
      active: b.kind === 'paper' || live.has(b.slug),
    }))
    .sort((a, b) => a.bookmaker.localeCompare(b.bookmaker));
}

function marketRow(sportId: number, m: CatalogueMarket) {
  const sides =
    m.marketType === 'MATCH_ODDS'
      ? sportHasDraw(sportId)
        ? (['home', 'draw', 'away'] as const)
        : (['home', 'away'] as const)
      : m.marketType === 'TOTALS'
        ? (['over', 'under'] as const)
        : (['home', 'away'] as const);
  return {
    sportId,
    sportName: sportName(sportId),
    marketId: m.marketId,
    marketName: m.marketName,
    marketType: m.marketType,
    handicap: m.line,
    playerProp: false,
    outcomes: sides.flatMap((s) => {
      const o = outcomeOf(m, s);
      return o ? [{ outcomeId: o.outcomeId, outcomeName: o.outcomeName }] : [];
    }),
  };
}

/** Markets per sport: the result market for every sport held, then every line its current books carry. */
function marketList(rm: ReadModel) {
  const bySport = new Map<number, Map<number, CatalogueMarket>>();
  const add = (sportId: number, m: CatalogueMarket) => {
    let s = bySport.get(sportId);
    if (!s) bySport.set(sportId, (s = new Map()));
    s.set(m.marketId, m);
  };
  for (const sportId of rm.sports.keys()) add(sportId, FULL_TIME_RESULT);
  for (const e of rm.events.values()) {
    add(e.sportId, FULL_TIME_RESULT);
    for (const g of groupBooks(e, rm.marketsOf(e.id))) {
      const m = marketOfGroup(g);
      if (m) add(e.sportId, m);
    }
  }
  return [...bySport]
    .flatMap(([sportId, ms]) => [...ms.values()].map((m) => marketRow(sportId, m)))
    .sort((a, b) => a.sportId - b.sportId || a.marketId - b.marketId);
}

const BOOKMAKERS_SCHEMA = {
  schema: abpSchema({
    summary: 'List all bookmakers',
    description:
      'Slugs and default stake limits; `paper` and the books of oddsgate’s sources included. Cached 60 s.',
    response: { 200: BookmakersBody },
  }),
};
const MARKETS_SCHEMA = {
  schema: abpSchema({
    summary: 'Get all markets with odds types',
    description:
      'oddsgate’s outcome-id catalogue per sport (README "ABP outcome ids"), sorted by sportId then marketId.',
    querystring: MarketsQuerySchema,
    response: { 200: MarketsBody },
  }),
};
const FIXTURES_SCHEMA = {
  schema: abpSchema({
    summary: 'List fixtures with outcomes and current prices',
    description:
      'Fixtures are oddsgate events (`fixtureId` = internal event id). Keyset pagination by `afterFixtureId`.',
    querystring: FixturesQuerySchema,
    response: { 200: FixturesBody },
  }),
};

/**
 * Reference data of the ABP surface: /bookmakers (catalogue plus the books oddsgate's sources bring, the
 * `paper` bookmaker included; cached 60 s), /markets (oddsgate's outcome-id catalogue per sport, sorted by
 * sportId then marketId) and /fixtures (events as fixtures with their outcomes and current prices).
 */
export async function referenceRoutes(app: FastifyInstance): Promise<void> {
  const bookmakers = cached(() =>
    bookmakerList(app.readModel, app.hasDecorator('execution') ? app.execution.connectors.keys() : []),
  );
  const markets = cached(() => marketList(app.readModel));
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/bookmakers', BOOKMAKERS_SCHEMA, async (req, reply) => {
    const client = clientOf(req);
    const list = bookmakers().filter(
      (b) => client.bookmakers.length === 0 || client.bookmakers.includes(b.bookmaker),
    );
    reply.header('cache-control', 'private, max-age=60');
    return { status: 'success' as const, bookmakers: list, count: list.length };
  });

  r.get('/markets', MARKETS_SCHEMA, async (req, reply) => {
    clientOf(req);
    const q = req.query;
    const list = markets().filter((m) => q.sportId === undefined || m.sportId === q.sportId);
    reply.header('cache-control', 'private, max-age=60');
    return { status: 'success' as const, markets: list, count: list.length };
  });

  r.get('/fixtures', FIXTURES_SCHEMA, async (req) => {
    clientOf(req);
    const q = req.query;
    const clock = app.books.clock();
    const after = q.afterFixtureId === undefined ? -Infinity : Number(q.afterFixtureId);
    const events = [...app.readModel.events.values()]
      .filter(
        (e) =>
          e.id > after &&
          e.status !== 'CLOSED' &&
          (q.sportId === undefined || e.sportId === q.sportId) &&
          (q.fixtureId === undefined || String(e.id) === q.fixtureId) &&
          (q.live === undefined || e.inPlay === q.live),
      )
      .sort((a, b) => a.id - b.id);
    const page = events.slice(0, q.limit);
    const hasMore = events.length > q.limit;
    const fixtures = page.map((e) => ({
      ...fixtureInfo(e),
      outcomes: fixtureOutcomes(e, app.readModel.marketsOf(e.id), clock),
    }));
    const last = page[page.length - 1];
    return {
      status: 'success' as const,
      fixtures,
      count: fixtures.length,
      hasMore,
      nextCursor: hasMore && last ? { afterFixtureId: String(last.id) } : null,
    };
  });
}
