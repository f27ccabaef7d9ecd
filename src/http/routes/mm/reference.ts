import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { groupBooks } from '../../../books/books.js';
import { fixtureInfo } from '../../../execution/betslip.js';
import { bookmakerOfBook } from '../../../execution/bookmakers.js';
import { marketOfGroup, outcomeOf, type Side } from '../../../execution/outcomes.js';
import type { Event } from '../../../model/index.js';
import { MM_ROUTES } from './responses.js';
import type { FixturesQuery } from './schemas.js';
import { MmHttpError, mmClientOf, type MmRouter } from './scope.js';

const SIDES: readonly Side[] = ['home', 'draw', 'away', 'over', 'under'];
function fixtureOf(e: Event) {
  return { ...fixtureInfo(e), tournamentId: e.competition?.id ?? null };
}

/**
 * Reference data of the MM API from the read model: fixtures (by default only those the client has orders
 * on; `all=true` for every one), markets per sport (what the current books carry, with their bookmakers)
 * and players per sport (player-prop markets: oddsgate's sources carry none, so the list is empty).
 */
export async function mmReferenceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  registerFixtures(r, app);
  registerMarkets(r, app);
}

/** GET /fixtures (a keyed page, ascending by id) and /fixtures/:fixture_id (404 when the read model has none). */
function registerFixtures(r: MmRouter, app: FastifyInstance): void {
  r.get('/fixtures', { schema: MM_ROUTES.fixtures }, async (req) => {
    const q = req.query;
    const clientName = mmClientOf(req).clientName;
    const mine = q.all ? null : await fixturesWithOrders(app, clientName);
    const events = [...app.readModel.events.values()]
      .filter(fixtureFilter(q, mine))
      .sort((a, b) => a.id - b.id);
    const page = events.slice(0, q.limit);
    const hasMore = events.length > q.limit;
    const last = page[page.length - 1];
    return {
      fixtures: page.map(fixtureOf),
      count: page.length,
      hasMore,
      nextCursor: hasMore && last ? last.id : null,
    };
  });

  r.get('/fixtures/:fixture_id', { schema: MM_ROUTES.fixture }, async (req) => {
    mmClientOf(req);
    const e = app.readModel.findEvent(req.params.fixture_id);
    if (!e) throw new MmHttpError(404, 'Fixture not found');
    return fixtureOf(e);
  });
}

/** The ids of the fixtures `clientName` has orders on; 503 when this process has no records database. */
async function fixturesWithOrders(app: FastifyInstance, clientName: string): Promise<Set<string>> {
  if (!app.records) throw new MmHttpError(503, 'The records database is not available');
  const rows = await sql<{ fixture_id: string }>`select distinct fixture_id from orders
        where client_name = ${clientName}`.execute(app.records.database.db);
  return new Set(rows.rows.map((x) => x.fixture_id));
}

/** Whether an event passes the /fixtures query: after the cursor, among `mine` (null: any) and the filters. */
function fixtureFilter(q: z.output<typeof FixturesQuery>, mine: Set<string> | null): (e: Event) => boolean {
  const ids = q.fixtureIds === undefined ? null : new Set([q.fixtureIds].flat());
  return (e) =>
    (q.after_id === undefined || e.id > q.after_id) &&
    (mine === null || mine.has(String(e.id))) &&
    (ids === null || ids.has(String(e.id))) &&
    (q.tournament_id === undefined || e.competition?.id === q.tournament_id) &&
    (q.sport_id === undefined || e.sportId === q.sport_id) &&
    (q.live === undefined || e.inPlay === q.live);
}

/** GET /markets (what the sport's open books carry) and /players (always empty: no source has player props). */
function registerMarkets(r: MmRouter, app: FastifyInstance): void {
  r.get('/markets', { schema: MM_ROUTES.markets }, async (req) => {
    mmClientOf(req);
    return marketsOfSport(app.readModel, req.query.sportId);
  });

  r.get('/players', { schema: MM_ROUTES.players }, async (req) => {
    mmClientOf(req);
    // Players with prop markets (playerId > 0): none of oddsgate's sources carries player props.
    return [] as { playerId: number; marketIds: number[]; outcomeIds: number[]; bookmakers: string[] }[];
  });
}

/** The markets the books of a sport's not-closed events carry, by market id, with their outcomes and bookmakers. */
function marketsOfSport(readModel: FastifyInstance['readModel'], sportId: number) {
  const byId = new Map<number, { outcomeIds: Set<number>; bookmakers: Set<string> }>();
  for (const e of readModel.events.values()) {
    if (e.sportId !== sportId || e.status === 'CLOSED') continue;
    for (const g of groupBooks(e, readModel.marketsOf(e.id))) {
      const m = marketOfGroup(g);
      if (!m) continue;
      let row = byId.get(m.marketId);
      if (!row) byId.set(m.marketId, (row = { outcomeIds: new Set(), bookmakers: new Set() }));
      for (const s of SIDES) {
        const o = outcomeOf(m, s);
        if (o) row.outcomeIds.add(o.outcomeId);
      }
      for (const b of g.books) row.bookmakers.add(bookmakerOfBook(b.name));
    }
  }
  return [...byId]
    .sort(([a], [b]) => a - b)
    .map(([marketId, row]) => ({
      marketId,
      outcomeIds: [...row.outcomeIds].sort((a, b) => a - b),
      playerIds: [] as number[],
      bookmakers: [...row.bookmakers].sort(),
    }));
}
