import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { TableAccounts } from '../../src/execution/accounts-table.js';
import { BetLedger, type BetOutcome } from '../../src/execution/ledger.js';
import { ExecutionRepository, type NewOrder } from '../../src/execution/repository.js';
import { NO_PUBLISHER } from '../../src/execution/types.js';
import type { Records } from '../../src/records/index.js';
import { BACKENDS, type Backend } from '../records/helpers.js';
import { counts } from './helpers.js';

const order = (requestUuid = randomUUID()): NewOrder => ({
  requestUuid,
  clientName: 'alpha',
  fixtureId: '8000001',
  outcomeId: 101,
  playerId: 0,
  orderPrice: 1.9,
  orderStake: 20,
  userRef: 'cc',
  testOrder: false,
  acceptBetterOdds: true,
  acceptPartialStake: true,
  orderCurrency: 'USD',
  back: true,
  allowedBookmakers: '*',
  meta: {},
  expiresAt: new Date(Date.now() + 60_000),
});
const leg = (bookmaker: string, stake: number) => ({
  bookmaker,
  account: 'main',
  placedStake: stake,
  placedPrice: 1.9,
  placedCurrency: 'USD',
  testBet: false,
  sentData: { stake, price: 1.9 },
  oddsInfo: { quotedPrice: 2, orderStake: stake },
});

async function audit(db: Kysely<unknown>, orderId: number): Promise<string[]> {
  const r = await sql<{ entity: string; from_status: string | null; to_status: string }>`
    select entity, from_status, to_status from execution_audit where order_id = ${orderId} order by audit_id`.execute(
    db,
  );
  return r.rows.map((x) => `${x.entity}:${x.from_status ?? '-'}>${x.to_status}`);
}

// The placement's two statements: the claim writes the routed order with its bets, keys and audit rows
// (or nothing, for a duplicate); the completion moves the bets, the balance and the order at once, and
// leaves the order alone when a bet had already moved (reconciliation came first).
for (const make of BACKENDS) {
  describe(`claimOrder and completeOrder (${make.name})`, () => {
    let backend: Backend;
    let records: Records;
    let db: Kysely<unknown>;
    let repo: ExecutionRepository;

    before(async () => {
      backend = await make();
      records = await backend.open();
      db = records.database.db;
      repo = new ExecutionRepository(db);
      await sql`insert into abp_accounts (bookmaker, username, client_name, password_sealed, balance)
        values ('paper', 'main', 'alpha', 'x', 100), ('paper-b', 'main', 'alpha', 'x', 100)`.execute(db);
    });
    after(async () => {
      await records?.close();
      await backend?.cleanup();
    });

    test('a claim writes order, bets with their keys and every audit row; a duplicate writes nothing', async () => {
      const o = order();
      const c = await repo.claimOrder(o, {
        status: 'PROCESSING',
        bets: [leg('paper', 12), leg('paper-b', 8)],
      });
      assert.ok(c);
      assert.equal(c.order.orderStatus, 'PROCESSING');
      assert.deepEqual(
        c.bets.map((b) => [b.betRequestId, b.betStatus, b.bookmaker, b.placedStake, b.requestUuid]),
        [
          [`${c.order.orderId}-0`, 'PENDING', 'paper', 12, o.requestUuid],
          [`${c.order.orderId}-1`, 'PENDING', 'paper-b', 8, o.requestUuid],
        ],
      );
      assert.deepEqual(await audit(db, c.order.orderId), [
        'order:->PENDING',
        'order:PENDING>PROCESSING',
        'bet:->PENDING',
        'bet:->PENDING',
      ]);
      const before = await counts(db);
      assert.equal(await repo.claimOrder(o, { status: 'REJECTED', bets: [] }), null);
      assert.deepEqual(await counts(db), before);
      const declined = await repo.claimOrder(order(), {
        status: 'REJECTED',
        patch: { statusReason: 'No active accounts' },
        bets: [],
      });
      assert.equal(declined?.order.statusReason, 'No active accounts');
      assert.deepEqual(await audit(db, declined!.order.orderId), [
        'order:->PENDING',
        'order:PENDING>REJECTED',
      ]);
    });

    test('completion: bets, balances and the final state in one statement; a bet moved first leaves the order to finalize', async () => {
      const ledger = new BetLedger(db, repo, new TableAccounts(db), NO_PUBLISHER);
      const confirm = (bet: BetOutcome['bet'], stake: number): Extract<BetOutcome, { kind: 'confirm' }> => ({
        bet,
        kind: 'confirm',
        answer: {
          key: bet.betRequestId,
          bookmakerBetId: `x-${bet.betId}`,
          status: 'accepted',
          price: 2,
          stake,
          raw: {},
        },
      });
      const balance = async (bookmaker: string) =>
        Number(
          (
            await sql<{ balance: string }>`select balance from abp_accounts
              where bookmaker = ${bookmaker} and username = 'main'`.execute(db)
          ).rows[0]?.balance,
        );
      const b0 = { paper: await balance('paper'), paperB: await balance('paper-b') };

      const one = await repo.claimOrder(order(), {
        status: 'PROCESSING',
        bets: [leg('paper', 12), leg('paper-b', 8)],
      });
      const done = await ledger.complete(one!.order, [confirm(one!.bets[0]!, 12), confirm(one!.bets[1]!, 8)]);
      assert.equal(done.order.orderStatus, 'FILLED');
      assert.equal(done.order.filledStake, 20);
      assert.deepEqual(
        done.bets.map((b) => b.betStatus),
        ['CONFIRMED', 'CONFIRMED'],
      );
      assert.equal(await balance('paper'), b0.paper - 12);
      assert.equal(await balance('paper-b'), b0.paperB - 8);
      assert.deepEqual((await audit(db, one!.order.orderId)).slice(4), [
        'bet:PENDING>CONFIRMED',
        'bet:PENDING>CONFIRMED',
        'order:PROCESSING>FILLED',
      ]);

      // reconciliation confirmed the second bet first: its debit is not made twice, the order is finalized
      const two = await repo.claimOrder(order(), {
        status: 'PROCESSING',
        bets: [leg('paper', 5), leg('paper-b', 15)],
      });
      await ledger.confirm(two!.bets[1]!, confirm(two!.bets[1]!, 15).answer, 'reconciled');
      const mid = { paper: await balance('paper'), paperB: await balance('paper-b') };
      const raw = await repo.completeOrder(
        two!.order.orderId,
        [
          { betId: two!.bets[0]!.betId, from: ['PENDING', 'PLACED'], to: 'CONFIRMED', patch: {}, note: {} },
          { betId: two!.bets[1]!.betId, from: ['PENDING', 'PLACED'], to: 'CONFIRMED', patch: {}, note: {} },
        ],
        { status: 'FILLED', patch: { filledStake: 20 } },
      );
      assert.equal(raw.order, null, 'not every bet moved: the order is left alone');
      assert.equal(raw.bets[1], null);
      assert.equal(raw.bets[0]?.betStatus, 'CONFIRMED');
      assert.equal((await repo.order(two!.order.orderId))?.orderStatus, 'PROCESSING');
      const fin = await ledger.finalize(two!.order.orderId);
      assert.equal(fin?.orderStatus, 'FILLED');
      assert.equal(await balance('paper-b'), mid.paperB, 'the reconciled bet was debited once');
    });
  });
}
