import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { app as rootPlugin, serverOptions } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { MemoryAccounts } from '../../../src/execution/accounts-memory.js';
import type { Result } from '../../../src/model/index.js';
import type { Records } from '../../../src/records/index.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { counts } from '../../execution/helpers.js';
import { sampleUpdates, SAMPLE_EVENTS } from '../../helpers/fixtures.js';
import { BACKENDS, type Backend } from '../../records/helpers.js';

const PASSWORD = 'diamond-password-123';
const ADMIN = 'diamond-admin-password-456';
const H = { 'x-password': PASSWORD };
const ADMIN_H = { ...H, 'x-admin-password': ADMIN };
const P = '/api/v2/diamond';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Diamond's roadmap betting routes over the real app, the execution layer and the paper bookmaker pricing
// from the read model's books, on the embedded PGlite and on PostgreSQL.
for (const make of BACKENDS) {
  describe(`Diamond bets, settlements and trace (${make.name})`, () => {
    let backend: Backend;
    let records: Records;
    let app: FastifyInstance;
    let accounts: MemoryAccounts;
    const gmid: Record<string, string> = {};
    let n = 0;

    const rows = () =>
      counts(records.database.db) as Promise<{
        orders: number;
        bets: number;
        audit: number;
        paperBets: number;
      }>;
    const balance = () => accounts.get('diamond', 'paper', 'house')?.balance as number;
    const bet = (over: Json = {}, headers: Record<string, string> = H) =>
      app.inject({
        method: 'POST',
        url: `${P}/bets`,
        headers,
        payload: {
          gmid: gmid.football,
          selectionId: 101,
          side: 'back',
          price: 2.5,
          stake: 10,
          requestId: `req-${++n}`,
          ...over,
        },
      });
    const post = (url: string, payload: unknown, headers: Record<string, string> = H) =>
      app.inject({ method: 'POST', url: `${P}${url}`, headers, payload: payload as Json });

    before(async () => {
      backend = await make();
      records = await backend.open();
      const config = loadConfig({
        env: {},
        configDir: null,
        overrides: { sources: [], diamondPassword: PASSWORD, diamondAdminPassword: ADMIN },
      });
      app = Fastify(serverOptions(false));
      accounts = new MemoryAccounts().add({
        bookmaker: 'paper',
        username: 'house',
        clientName: 'diamond',
        balance: 10_000,
      });
      await app.register(rootPlugin, {
        execution: { accounts, settleIntervalMs: 3_600_000, reconcileIntervalMs: 3_600_000 },
        config,
        store: new MemoryStore(),
        sources: [],
        diamondPassword: PASSWORD,
        records,
      });
      await app.ready();
      app.ingest.push(sampleUpdates());
      await app.settle();
      const [football, tennis, cricket] = SAMPLE_EVENTS.map((e) =>
        String(app.readModel.findEvent(e.bfi)?.id),
      );
      Object.assign(gmid, { football, tennis, cricket });
    });
    after(async () => {
      await app?.close();
      await records?.close();
      await backend?.cleanup();
    });

    test('a back bet is placed through the execution layer at the best price; the same requestId gives the same bet', async () => {
      const before = balance();
      const res = await bet({ requestId: 'same-1', gmid: gmid.cricket, selectionId: 301, price: 1.9 });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.success, true);
      assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT/);
      assert.equal(body.data.duplicate, false);
      assert.equal(body.data.order.status, 'FILLED');
      const [b] = body.data.bets;
      assert.equal(b.status, 'CONFIRMED');
      assert.equal(b.gmid, gmid.cricket);
      assert.equal(b.selectionId, 301);
      assert.equal(b.runnerName, 'England W');
      assert.equal(b.side, 'back');
      assert.equal(b.price, 1.93, 'the best back price of the books, better than asked');
      assert.equal(b.requestedPrice, 1.9);
      assert.equal(b.bookmaker, 'paper');
      assert.equal(b.requestId, 'same-1');
      assert.equal(b.settlement.status, 'UNSETTLED');
      assert.equal(balance(), before - 10);

      const again = await bet({ requestId: 'same-1', gmid: gmid.cricket, selectionId: 301, price: 1.9 });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().data.duplicate, true);
      assert.equal(again.json().data.bets[0].betId, b.betId);
      assert.equal(balance(), before - 10, 'a repeat debits nothing');

      const other = await bet({
        requestId: 'same-1',
        gmid: gmid.cricket,
        selectionId: 301,
        price: 1.9,
        stake: 11,
      });
      assert.equal(other.statusCode, 409);
      assert.match(other.json().error, /different bet/);
    });

    test('concurrent requests with one requestId place one bet', async () => {
      const before = await rows();
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          bet({ requestId: 'burst-1', gmid: gmid.cricket, selectionId: 302, price: 2, stake: 3 }),
        ),
      );
      for (const a of answers) assert.equal(a.statusCode, 200, a.body);
      const after = await rows();
      assert.equal(after.orders - before.orders, 1);
      assert.equal(after.bets - before.bets, 1);
      assert.equal(after.paperBets - before.paperBets, 1);
    });

    test('a retried declined requestId is evaluated anew: declined again while the cause holds, then placed once', async () => {
      const before = await rows();
      const same = { requestId: 'declined-1', gmid: gmid.cricket, selectionId: 301, price: 1.9, stake: 4 };
      await app.execution.emergency.set(true, 'drill');
      try {
        for (let i = 0; i < 2; i++) {
          const res = await bet(same);
          assert.equal(res.statusCode, 409, res.body);
          assert.match(
            res.json().error,
            /Bet declined: Emergency mode/,
            'the same result, not "already used"',
          );
        }
      } finally {
        await app.execution.emergency.set(false, null);
      }
      const placed = await bet(same);
      assert.equal(placed.statusCode, 200, placed.body);
      assert.equal(placed.json().data.duplicate, false);
      assert.equal(placed.json().data.bets[0].requestId, 'declined-1');
      const again = await bet(same);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().data.duplicate, true, 'once placed, a retry is the same bet');
      assert.equal(again.json().data.bets[0].betId, placed.json().data.bets[0].betId);
      const after = await rows();
      assert.equal(after.bets - before.bets, 1, 'one bet');
      assert.equal(after.paperBets - before.paperBets, 1);
      assert.equal(after.orders - before.orders, 3, 'each declined attempt stays on record as its own order');
    });

    test('bad input gets Diamond error bodies and changes nothing', async () => {
      const before = await rows();
      const cases: [Json, number, RegExp][] = [
        [{ stake: undefined }, 400, /Invalid body "stake"/],
        [{ side: 'both' }, 400, /Invalid body "side"/],
        [{ price: 1 }, 400, /Invalid body "price"/],
        [{ stake: 1.234 }, 400, /two decimals/],
        [{ requestId: 'a b' }, 400, /Invalid body "requestId"/],
        [{ extra: 1 }, 400, /Invalid body/],
        [{ selectionId: 999 }, 422, /not a runner/],
        [{ gmid: '9999999' }, 404, /Game not found/],
        [{ marketId: '1.1' }, 422, /not a match odds market/],
        [{ bookmaker: 'nobody' }, 409, /Bet declined: Bookmaker not available: nobody/],
      ];
      for (const [over, status, msg] of cases) {
        const res = await bet(over);
        assert.equal(res.statusCode, status, `${JSON.stringify(over)}: ${res.body}`);
        assert.equal(res.json().success, false);
        assert.match(res.json().error, msg);
      }
      const noPassword = await bet({}, {});
      assert.equal(noPassword.statusCode, 401);
      assert.deepEqual(noPassword.json(), { success: false, error: 'Unauthorized' });
      const after = await rows();
      // the declined bookmaker is an order REJECTED with its audit rows, never a bet
      assert.equal(after.bets, before.bets);
      assert.equal(after.paperBets, before.paperBets);
      assert.equal(after.orders, before.orders + 1);
    });

    test('preview then bulk pays exactly what the preview said; again changes nothing; the trace shows it all', async () => {
      const g = gmid.football as string;
      const home = (await bet({ selectionId: 101, stake: 10, price: 2.5 })).json().data.bets[0];
      const away = (await bet({ selectionId: 102, side: 'lay', stake: 10, price: 3.2 })).json().data.bets[0];
      const draw = (await bet({ selectionId: 103, stake: 5, price: 3.3 })).json().data.bets[0];
      assert.equal(away.price, 3.15, 'a lay takes the best lay price');
      const listed = await app.inject({ url: `${P}/bets?gmid=${g}&status=unsettled`, headers: H });
      assert.deepEqual(
        listed.json().data.bets.map((b: Json) => b.betId),
        [draw.betId, away.betId, home.betId],
      );

      const before = balance();
      const beforeRows = await rows();
      const preview = await post('/settlements/preview', { games: [{ gmid: g, winners: [101] }] });
      assert.equal(preview.statusCode, 200, preview.body);
      const pg = preview.json().data.games[0];
      assert.equal(pg.settleable, true);
      assert.deepEqual(pg.winners, [{ selectionId: 101, name: 'Real Sociedad' }]);
      const byId = new Map(pg.bets.map((b: Json) => [b.betId, b]));
      assert.deepEqual(
        [home, away, draw].map((b) => {
          const x = byId.get(b.betId) as Json;
          return [x.status, x.amount, x.payout];
        }),
        [
          ['WON', 15.8, 25.8], // 10 × (2.58 − 1) won, stake back
          ['WON', 10, 31.5], // the lay's liability 21.5 back plus the backer's 10
          ['LOST', -5, 0],
        ],
      );
      assert.deepEqual(pg.total, { bets: 3, stake: 25, amount: 20.8, payout: 57.3 });
      assert.equal(balance(), before, 'a preview changes nothing');
      assert.deepEqual(await rows(), beforeRows);

      const refused = await post('/settlements/bulk', { games: [{ gmid: g, winners: [101] }] });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().success, false);
      assert.equal(balance(), before);

      const bulk = await post('/settlements/bulk', { games: [{ gmid: g, winners: [101] }] }, ADMIN_H);
      assert.equal(bulk.statusCode, 200, bulk.body);
      const bg = bulk.json().data.games[0];
      assert.equal(bg.settled, true);
      assert.deepEqual(bg.bets, pg.bets, 'bulk pays per bet exactly what the preview said');
      assert.deepEqual(bg.total, pg.total);
      assert.equal(balance(), Math.round((before + pg.total.payout) * 100) / 100);

      const again = await post('/settlements/bulk', { games: [{ gmid: g, winners: [102] }] }, ADMIN_H);
      assert.equal(again.statusCode, 200);
      assert.deepEqual(again.json().data.games[0].bets, []);
      assert.equal(again.json().data.games[0].alreadySettled, 3);
      assert.equal(
        balance(),
        Math.round((before + pg.total.payout) * 100) / 100,
        'settling twice pays nothing',
      );

      const voided = await post('/settlements/void', { gmid: g, reason: 'wrong winner entered' }, ADMIN_H);
      assert.equal(voided.statusCode, 200, voided.body);
      assert.equal(voided.json().data.total.reversed, pg.total.payout);
      assert.equal(balance(), before, 'the void takes back what was paid');
      const noReason = await post('/settlements/void', { gmid: g }, ADMIN_H);
      assert.equal(noReason.statusCode, 400);

      const trace = await app.inject({ url: `${P}/trace/bets/${home.betId}`, headers: H });
      assert.equal(trace.statusCode, 200);
      const t = trace.json().data;
      assert.equal(t.bet.betId, home.betId);
      assert.deepEqual(
        t.events.map((e: Json) => `${e.entity}:${e.fromStatus ?? '-'}>${e.toStatus}`),
        [
          'order:->PENDING',
          'order:PENDING>PROCESSING',
          'bet:->PENDING',
          'bet:PENDING>CONFIRMED',
          'order:PROCESSING>FILLED',
          'settlement:UNSETTLED>WON',
          'settlement:WON>UNSETTLED',
        ],
      );
      assert.deepEqual(t.events[2].sent, { stake: 10, price: 2.5, acceptBetterOdds: true });
      assert.ok(t.events[3].received, 'what the bookmaker answered');
      assert.match(t.events[6].reason, /Settlement voided: wrong winner entered/);
      const orderTrace = await app.inject({ url: `${P}/trace/orders/${home.orderId}`, headers: H });
      assert.equal(orderTrace.json().data.events.length, 7);
      assert.equal((await app.inject({ url: `${P}/trace/bets/99999999`, headers: H })).statusCode, 404);
      assert.equal((await app.inject({ url: `${P}/trace/bets/x`, headers: H })).statusCode, 400);
    });

    test('auto settles games whose winner the upstream settled, never inferred winners', async () => {
      const tennis = gmid.tennis as string;
      const cricket = gmid.cricket as string;
      const t = (await bet({ gmid: tennis, selectionId: 201, stake: 4, price: 1.8 })).json().data.bets[0];
      const c = (await bet({ gmid: cricket, selectionId: 301, stake: 4, price: 1.9 })).json().data.bets[0];
      const result = (id: string, winner: { selectionId: number; name: string }, source: string): Result => {
        const e = app.readModel.findEvent(id);
        const market = app.readModel.marketsOf(Number(id)).find((m) => m.type === 'MATCH_ODDS');
        return {
          eventId: Number(id),
          upstreamIds: {},
          sportId: e?.sportId ?? 0,
          eventName: e?.name ?? '',
          team1: e?.team1 ?? null,
          team2: e?.team2 ?? null,
          marketId: market?.id ?? '',
          winners: [winner],
          winner: winner.name,
          winnerSource: source as Result['winnerSource'],
          finalMarket: market as Result['finalMarket'],
          finalScore: null,
          completedAt: '2026-11-22T18:00:00.000Z',
        };
      };
      const rs = [
        result(tennis, { selectionId: 201, name: 'Carlos Alcaraz' }, 'settled'),
        result(cricket, { selectionId: 302, name: 'New Zealand W' }, 'inferred'),
      ];
      await records.results.prepare(rs);
      await records.results.save(records.database.db, rs);

      const res = await post('/settlements/auto', { gmids: [tennis, cricket] });
      assert.equal(res.statusCode, 200, res.body);
      const [tg, cg] = res.json().data.games;
      assert.equal(tg.settled, true);
      assert.equal(tg.source, 'recorded');
      assert.deepEqual(
        tg.bets.map((b: Json) => [b.betId, b.status, b.amount]),
        [[t.betId, 'WON', Math.round(4 * (t.price - 1) * 100) / 100]],
      );
      assert.equal(cg.settled, false);
      assert.match(cg.error, /inferred/);
      const cb = await app.inject({ url: `${P}/bets?gmid=${cricket}`, headers: H });
      assert.equal(cb.json().data.bets[0].betId, c.betId);
      assert.ok(cb.json().data.bets.every((b: Json) => b.settlement.status === 'UNSETTLED'));
      const again = await post('/settlements/auto', { gmids: [tennis] });
      assert.deepEqual(again.json().data.games[0].bets, []);
    });
  });
}
