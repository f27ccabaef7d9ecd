import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Records } from '../../src/records/index.js';
import { Hedger, hedgeStakeOf, type Fill } from '../../src/mm/hedger.js';
import { harness, type Harness } from '../execution/helpers.js';
import { BACKENDS, type Backend } from '../records/helpers.js';

const FIXTURE = '3000001';

function fill(i: number, over: Partial<Fill> = {}): Fill {
  return {
    fillKey: `betfair-ex:bet-${i}:1`,
    clientName: 'mm',
    marketKey: `${FIXTURE}:101`,
    fixtureId: FIXTURE,
    outcomeId: 101,
    exchange: 'betfair-ex',
    quoteBack: i % 2 === 0,
    price: 2 + (i % 5) / 10,
    size: 2 + i,
    ...over,
  };
}

test('the hedge stake makes a filled quote flat', () => {
  // backed 10 at 2.2, laid 10 × 2.2 / 2.0 = 11 at 2.0: +1 either way
  const h = hedgeStakeOf(10, 2.2, 2);
  assert.equal(h, 11);
  const r2 = (n: number) => Math.round(n * 100) / 100;
  assert.equal(r2(10 * (2.2 - 1) - h * (2 - 1)), r2(h - 10), 'won: the back wins, the lay loses');
  assert.equal(r2(-10 + h), 1, 'lost: the back loses, the lay wins');
});

// Fills reported many times at once, by two instances on their own pools (PostgreSQL) or one (PGlite):
// every fill gets exactly one hedge order of the right size, through the execution layer.
for (const make of BACKENDS) {
  describe(`MM hedger (${make.name})`, () => {
    let backend: Backend;
    const opened: Records[] = [];
    const hs: Harness[] = [];
    const hedgers: Hedger[] = [];

    before(async () => {
      backend = await make();
      opened.push(await backend.open());
      if (backend.name === 'postgres') opened.push(await backend.reopen());
      for (const records of opened) {
        const h = harness(records.database.db);
        h.quotes.set(FIXTURE, 101, true, 2.0, null).set(FIXTURE, 101, false, 2.02, null);
        h.accounts.add({ bookmaker: 'paper', username: 'hedge', clientName: 'mm', balance: 100_000 });
        hs.push(h);
        hedgers.push(
          new Hedger({ db: records.database.db, orders: h.execution.orders, repo: h.execution.repo }),
        );
      }
    });
    after(async () => {
      for (const r of opened) await r.close();
      await backend?.cleanup();
    });

    test('many concurrent reports of 30 fills give exactly one hedge each, of the right size', async () => {
      const fills = Array.from({ length: 30 }, (_, i) => fill(i));
      const calls = fills.flatMap((f, i) =>
        Array.from({ length: 4 }, (_, k) =>
          (hedgers[(i + k) % hedgers.length] as Hedger).onFill(f, {
            bookmaker: 'paper',
            price: f.quoteBack ? 2.02 : 2.0,
          }),
        ),
      );
      const outcomes = await Promise.all(calls);
      assert.equal(outcomes.filter((o) => o.kind === 'hedged').length, 30);
      const db = (opened[0] as Records).database.db;
      const orders = await sql<{ order_id: string; back: boolean; order_stake: number; meta: unknown }>`
        select order_id, back, order_stake, meta from orders where user_ref = 'mm-hedge' order by order_id`.execute(
        db,
      );
      assert.equal(orders.rows.length, 30, 'one hedge order per fill');
      const bets = await sql<{
        n: number;
        s: number;
      }>`select count(*)::int as n, sum(placed_stake) as s from bets b
        join orders o using (order_id) where o.user_ref = 'mm-hedge' and b.bet_status = 'CONFIRMED'`.execute(
        db,
      );
      assert.equal(bets.rows[0]?.n, 30, 'one confirmed hedge bet per fill');
      const paper = await sql<{ n: number }>`select count(*)::int as n from paper_bets`.execute(db);
      assert.equal(paper.rows[0]?.n, 30, 'the bookmaker saw each hedge once');
      const byFill = new Map(
        orders.rows.map((o) => {
          const m = (typeof o.meta === 'string' ? JSON.parse(o.meta) : o.meta) as { fillKey: string };
          return [m.fillKey, o];
        }),
      );
      for (const f of fills) {
        const o = byFill.get(f.fillKey);
        assert.ok(o, `hedge of ${f.fillKey}`);
        assert.equal(o.back, !f.quoteBack, 'the hedge takes the other side');
        assert.equal(Number(o.order_stake), hedgeStakeOf(f.size, f.price, f.quoteBack ? 2.02 : 2.0));
      }
      const rows = await sql<{ n: number }>`select count(*)::int as n from mm_fills
        where hedge_order_id is not null and hedge_status = 'FILLED'`.execute(db);
      assert.equal(rows.rows[0]?.n, 30);
    });

    test('a fill recorded but not hedged (crash in between) is hedged once by resume, even resumed twice at once', async () => {
      const db = (opened[0] as Records).database.db;
      const f = fill(100, { fillKey: 'betfair-ex:crashed:1', size: 7 });
      await sql`insert into mm_fills (fill_key, client_name, market_key, fixture_id, outcome_id, exchange,
        quote_back, fill_price, fill_size, hedge_bookmaker, hedge_back, hedge_stake, hedge_price)
        values (${f.fillKey}, 'mm', ${f.marketKey}, ${FIXTURE}, 101, 'betfair-ex', true, ${f.price}, 7,
          'paper', false, ${hedgeStakeOf(7, f.price, 2.02)}, 2.02)`.execute(db);
      const resumed = await Promise.all(hedgers.concat(hedgers).map((h) => h.resume()));
      assert.ok(resumed.some((n) => n >= 1));
      const o = await sql<{ n: number }>`select count(*)::int as n from orders
        where meta->>'fillKey' = ${f.fillKey}`.execute(db);
      assert.equal(o.rows[0]?.n, 1);
      const left = await sql<{
        n: number;
      }>`select count(*)::int as n from mm_fills where hedge_order_id is null`.execute(db);
      assert.equal(left.rows[0]?.n, 0, 'no fill left unhedged');
      // the same fill reported again later changes nothing
      assert.equal(
        (await (hedgers[0] as Hedger).onFill(f, { bookmaker: 'paper', price: 2.02 })).kind,
        'duplicate',
      );
    });
  });
}
