import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { spawnNode } from '../helpers/process.js';
import type { Records } from '../../src/records/index.js';
import { PG_ADMIN_URL, postgresBackend, type Backend } from '../records/helpers.js';
import { harness } from './helpers.js';

const BURST = 40;

async function count(db: Kysely<unknown>, q: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  return (await q.execute(db)).rows[0]?.n ?? 0;
}

// A placer SIGKILLed during a burst: after a restart's reconciliation every order is placed exactly once
// (its bet confirmed from the bookmaker's own ledger, found by idempotency key) or failed with a reason.
describe('crash recovery: SIGKILL during a burst of placements (PostgreSQL)', () => {
  let backend: Backend;
  let records: Records;
  let url: string;

  before(async () => {
    backend = await postgresBackend();
    records = await backend.open(); // migrated
    const r = await sql<{ db: string }>`select current_database() as db`.execute(records.database.db);
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${r.rows[0]?.db}`;
    url = u.toString();
  });
  after(async () => {
    await records?.close();
    await backend?.cleanup();
  });

  test(
    'every order is placed exactly once or declined/failed with a reason',
    { timeout: 120_000 },
    async () => {
      const db = records.database.db;
      const uuids = Array.from({ length: BURST }, () => randomUUID());
      const child = spawnNode(['--import', 'tsx', 'test/execution/fixtures/burst-child.ts'], {
        DATABASE_URL: url,
        BURST_UUIDS: uuids.join(','),
        ANSWER_DELAY_MS: '400',
      });
      // kill once bets sit on the bookmaker's ledger unrecorded here, while others are still being sent
      let placedUnrecorded = 0;
      for (let i = 0; i < 3000 && placedUnrecorded < 5; i++) {
        placedUnrecorded = await count(
          db,
          sql<{
            n: number;
          }>`select count(*)::int as n from paper_bets p join bets b on b.bet_request_id = p.idempotency_key
          where b.bet_status = 'PENDING'`,
        );
        if (child.child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(
        placedUnrecorded >= 5,
        `bets placed but unrecorded before the kill: ${placedUnrecorded}\n${child.output()}`,
      );
      child.child.kill('SIGKILL');
      await new Promise((r) => child.child.once('exit', r));
      const inserted = await count(db, sql<{ n: number }>`select count(*)::int as n from orders`);
      assert.ok(inserted < BURST, `the kill came mid-burst (${inserted} of ${BURST} orders in)`);
      assert.ok(
        (await count(
          db,
          sql<{ n: number }>`select count(*)::int as n from bets where bet_status in ('PENDING', 'PLACED')`,
        )) > 0,
      );

      // restart: reconciliation (at start it takes placements left by the dead process)
      const h = harness(db);
      h.quotes.set('4000001', 101, true, 2.0, null);
      h.accounts.add({ bookmaker: 'paper', username: 'main', clientName: 'alpha' });
      const report = await h.execution.reconciler.runOnce(0);
      assert.ok(report.confirmed >= 5, JSON.stringify(report));
      // the client re-sends the whole burst: known requestUuids are duplicates, the rest are placed once
      for (const requestUuid of uuids)
        await h.execution.orders.place(
          { clientName: 'alpha', bookmakers: [] },
          {
            requestUuid,
            fixtureId: '4000001',
            outcomeId: 101,
            playerId: 0,
            orderStake: 10,
            orderPrice: 1.9,
            userRef: 'burst',
            testOrder: false,
            orderCurrency: 'USD',
            acceptBetterOdds: true,
            acceptPartialStake: true,
            back: true,
            expiresAt: new Date(Date.now() + 60_000),
            meta: {},
          },
        );

      const orders = await sql<{
        request_uuid: string;
        order_status: string;
        status_reason: string | null;
        filled_stake: number;
      }>`
      select request_uuid, order_status, status_reason, filled_stake from orders`.execute(db);
      assert.equal(orders.rows.length, BURST, 'one order per requestUuid');
      assert.deepEqual(new Set(orders.rows.map((o) => o.request_uuid)), new Set(uuids));
      for (const o of orders.rows) {
        if (o.order_status === 'FILLED') assert.equal(Number(o.filled_stake), 10);
        else {
          assert.ok(['FAILED', 'REJECTED', 'EXPIRED', 'CANCELLED'].includes(o.order_status), o.order_status);
          assert.ok(o.status_reason, `a ${o.order_status} order says why`);
        }
      }
      assert.equal(
        await count(
          db,
          sql<{ n: number }>`select count(*)::int as n from bets where bet_status in ('PENDING', 'PLACED')`,
        ),
        0,
        'no placement left unresolved',
      );
      // exactly once: every bet on the bookmaker's ledger is one CONFIRMED bet here, and vice versa
      const ledger = await count(
        db,
        sql<{ n: number }>`select count(*)::int as n from paper_bets where status = 'OPEN'`,
      );
      const confirmed = await count(
        db,
        sql<{ n: number }>`select count(*)::int as n from bets where bet_status = 'CONFIRMED'`,
      );
      const matched = await count(
        db,
        sql<{
          n: number;
        }>`select count(*)::int as n from bets b join paper_bets p on p.idempotency_key = b.bet_request_id
        where b.bet_status = 'CONFIRMED' and p.status = 'OPEN' and b.bookmaker_bet_id = 'paper-' || p.paper_bet_id`,
      );
      assert.equal(ledger, confirmed);
      assert.equal(matched, confirmed);
      const filled = orders.rows.filter((o) => o.order_status === 'FILLED').length;
      assert.equal(confirmed, filled, 'one bet per filled order');
    },
  );
});
