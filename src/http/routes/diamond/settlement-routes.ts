import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { SettlementRefusedError, type GamePayouts } from '../../../execution/game-settlement.js';
import type { Execution } from '../../../execution/index.js';
import type { Result } from '../../../model/index.js';
import { HttpError } from '../../errors.js';
import { givenResult, settleableGame, type SettleableGame } from './bet-catalog.js';
import { SETTLEMENT_ROUTES } from './bet-responses.js';
import { adminGate, executionOf, payoutView, totalsOf } from './bet-views.js';
import { envelope } from './envelope.js';

/** A game of a settlement request, with what it settles on (or why it cannot). */
interface GameRequest {
  gmid: string;
  winners?: number[] | undefined;
  void?: true | undefined;
}

/** What the admin routes check the credential with. */
type AdminGate = ReturnType<typeof adminGate>;

/** A game resolved for settlement: the game and its result, or why it cannot be settled. */
type Resolved =
  | { gmid: string; game: SettleableGame; result: Result; source: 'given' | 'recorded' }
  | { gmid: string; error: string };

/** The winners of a result, as the answers list them. */
function winnersOf(r: Result) {
  return r.winners.map((w) => ({ selectionId: w.selectionId, name: w.name }));
}

/** The recorded result of a game (by gmid or internal id), or null: none, or no records database. */
async function recordedResult(app: FastifyInstance, gmid: string): Promise<Result | null> {
  const id = Number(app.readModel.findEvent(gmid)?.id ?? gmid);
  if (!Number.isSafeInteger(id) || !app.records) return null;
  return app.records.results.get(id);
}

/** The game and the result it settles on: the given winners, else the recorded settled result. */
async function resolveGame(app: FastifyInstance, g: GameRequest): Promise<Resolved> {
  const rec = await recordedResult(app, g.gmid);
  const game = settleableGame(app.readModel, g.gmid, rec);
  if (!game) return { gmid: g.gmid, error: 'Game not found' };
  try {
    if (g.winners || g.void)
      return { gmid: g.gmid, game, result: givenResult(game, g.winners ?? []), source: 'given' };
  } catch (err) {
    if (err instanceof HttpError) return { gmid: g.gmid, error: err.message };
    throw err;
  }
  if (!rec) return { gmid: g.gmid, error: 'No result recorded for this game: give the winners' };
  if (rec.winnerSource !== 'settled')
    return {
      gmid: g.gmid,
      error: `The winner was ${rec.winnerSource === 'inferred' ? 'inferred from prices' : 'not known'}, not settled by the upstream: give the winners`,
    };
  return { gmid: g.gmid, game, result: rec, source: 'recorded' };
}

/** A resolved game's answer: its winners, the payouts of its bets and their total. */
function gameBody(x: Extract<Resolved, { game: SettleableGame }>, p: GamePayouts) {
  const bets = p.payouts.map(payoutView);
  return {
    gmid: x.gmid,
    fixtureId: p.fixtureId,
    source: x.source,
    winners: winnersOf(x.result),
    bets,
    total: totalsOf(bets),
    alreadySettled: p.alreadySettled,
  };
}

/** Settles resolved games one by one, each in its own transaction; a refused game changes nothing. */
async function settleAll(app: FastifyInstance, games: readonly Resolved[]) {
  const execution = executionOf(app);
  const out = [];
  for (const x of games) {
    if ('error' in x) {
      out.push({ gmid: x.gmid, settled: false, error: x.error });
      continue;
    }
    try {
      out.push({ settled: true, ...gameBody(x, await execution.games.settle(x.game.fixtureId, x.result)) });
    } catch (err) {
      if (!(err instanceof SettlementRefusedError)) throw err;
      out.push({ gmid: x.gmid, settled: false, error: err.message });
    }
  }
  const done = out.flatMap((g) => ('bets' in g ? g.bets : []));
  return envelope({ games: out, total: totalsOf(done) });
}

/** `POST /settlements/preview`: what each game's result would pay; nothing changes. */
function registerPreview(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/settlements/preview', { schema: SETTLEMENT_ROUTES.preview }, async (req) => {
    const execution = executionOf(app);
    const out = [];
    for (const g of req.body.games) {
      const x = await resolveGame(app, g);
      if ('error' in x) {
        out.push({ gmid: x.gmid, settleable: false, error: x.error });
        continue;
      }
      try {
        out.push({
          settleable: true,
          ...gameBody(x, await execution.games.preview(x.game.fixtureId, x.result)),
        });
      } catch (err) {
        if (!(err instanceof SettlementRefusedError)) throw err;
        out.push({ gmid: x.gmid, settleable: false, error: err.message });
      }
    }
    const bets = out.flatMap((g) => ('bets' in g ? g.bets : []));
    return envelope({ games: out, total: totalsOf(bets) });
  });
}

/** `POST /settlements/bulk` (admin): settles the given games on their given winners or recorded results. */
function registerBulk(app: FastifyInstance, admin: AdminGate): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/settlements/bulk', { schema: SETTLEMENT_ROUTES.bulk, preHandler: admin.require }, async (req) => {
    executionOf(app);
    const games: Resolved[] = [];
    for (const g of req.body.games) games.push(await resolveGame(app, g));
    return settleAll(app, games);
  });
}

/** The games (fixture ids) with confirmed, unsettled, non-test bets, in order. */
async function openGames(execution: Execution): Promise<string[]> {
  const open = await sql<{ fixture_id: string }>`select distinct fixture_id from bets
        where settlement_status = 'UNSETTLED' and bet_status = 'CONFIRMED' and not test_bet
        order by fixture_id`.execute(execution.db);
  return open.rows.map((x) => x.fixture_id);
}

/** `POST /settlements/auto`: settles the named games (default: every open one) on recorded results. */
function registerAuto(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/settlements/auto', { schema: SETTLEMENT_ROUTES.auto }, async (req) => {
    const execution = executionOf(app);
    let gmids = req.body?.gmids;
    if (!gmids) gmids = await openGames(execution);
    const games: Resolved[] = [];
    for (const gmid of gmids) {
      const x = await resolveGame(app, { gmid });
      // Auto settles only what the upstream settled; a game without such a result waits.
      games.push(x);
    }
    return settleAll(app, games);
  });
}

/** `POST /settlements/void` (admin, with a reason): reverses a game's settlements; 409 when none. */
function registerVoid(app: FastifyInstance, admin: AdminGate): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/settlements/void', { schema: SETTLEMENT_ROUTES.void, preHandler: admin.require }, async (req) => {
    const execution = executionOf(app);
    const { gmid, reason } = req.body;
    const fixtureId = String(app.readModel.findEvent(gmid)?.id ?? gmid);
    const voided = await execution.games.voidSettlement(fixtureId, reason);
    if (voided.length === 0)
      throw new HttpError(409, `Game ${gmid} has no settled bets to void`, 'ERR_NOTHING_SETTLED');
    return envelope({
      gmid,
      fixtureId,
      reason,
      bets: voided.map((v) => ({
        betId: v.bet.betId,
        client: v.bet.clientName,
        settlement: v.bet.settlementStatus,
        reversed: v.reversed,
      })),
      total: {
        bets: voided.length,
        reversed: Math.round(voided.reduce((s, v) => s + v.reversed * 100, 0)) / 100,
      },
    });
  });
}

/**
 * Game settlement for operators: preview (what a result would pay, nothing changes), bulk (given winners,
 * admin credential, each game all or nothing), auto (recorded results the upstream settled; inferred
 * winners never settle money) and void (admin, with a reason: the game's settlements are reversed).
 */
export async function settlementRoutes(app: FastifyInstance): Promise<void> {
  const admin = adminGate(app);
  registerPreview(app);
  registerBulk(app, admin);
  registerAuto(app);
  registerVoid(app, admin);
}
