/**
 * Resting (maker) orders: a bet whose venue answer leaves part of it on the book is recorded with what
 * matched (bet PLACED, order PROCESSING / PARTIALLY_FILLED), the whole stake's exposure reserved on the
 * balance; `BetLedger.applyState` moves it as matches arrive (one transaction with its audit rows, never
 * down, the same state twice changes nothing) and, when the rest ends, keeps the matched part and refunds
 * exactly the unmatched part's reserve.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { TableAccounts } from '../../src/execution/accounts-table.js';
import { BetLedger } from '../../src/execution/ledger.js';
import { ExecutionRepository, type NewOrder } from '../../src/execution/repository.js';
import type { BetRow } from '../../src/execution/rows.js';
import type { ExecutionChannel } from '../../src/execution/types.js';
import type { Records } from '../../src/records/index.js';
import { BACKENDS, type Backend } from '../records/helpers.js';

const PRICE = 3; // a lay at 3 risks 2 × stake
const order = (stake: number): NewOrder => ({
  requestUuid: randomUUID(),
  clientName: 'maker',
  fixtureId: '8100001',
  outcomeId: 101,
  playerId: 0,
  orderPrice: PRICE,
  orderStake: stake,
  userRef: 'mm-quote',
  testOrder: false,
  acceptBetterOdds: true,
  acceptPartialStake: false,
  orderCurrency: 'USD',
  back: false,
  allowedBookmakers: 'betfair-ex-mm',
  meta: {},
  expiresAt: new Date(Date.now() + 60_000),
});
const makerLeg = (stake: number) => ({
  bookmaker: 'betfair-ex-mm',
  account: 'mm',
  placedStake: stake,
  placedPrice: PRICE,
  placedCurrency: 'USD',
  testBet: false,
  sentData: { stake, price: PRICE },
  oddsInfo: { maker: true, orderStake: stake },
});

for (const make of BACKENDS) {
  describe(`resting orders (${make.name})`, () => {
    let backend: Backend;
    let records: Records;
    let db: Kysely<unknown>;
    let repo: ExecutionRepository;
    let ledger: BetLedger;
    const published: { channel: ExecutionChannel; payload: unknown }[] = [];

    const balance = async () =>
      Number(
        (
          await sql<{ balance: string }>`select balance from abp_accounts
            where bookmaker = 'betfair-ex-mm' and username = 'mm'`.execute(db)
        ).rows[0]?.balance,
      );
    const auditCount = async (orderId: number) =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from execution_audit
            where order_id = ${orderId}`.execute(db)
        ).rows[0]?.n,
      );
    /** A maker order placed: the venue answers resting with `matched` of `stake` matched at once. */
    const placeResting = async (stake: number, matched: number) => {
      const c = await repo.claimOrder(order(stake), { status: 'PROCESSING', bets: [makerLeg(stake)] });
      assert.ok(c);
      const bet = c.bets[0] as BetRow;
      const answer = {
        key: bet.betRequestId,
        bookmakerBetId: `bf-${bet.betId}`,
        status: 'accepted' as const,
        price: PRICE,
        stake,
        resting: true,
        matched,
        raw: { status: 'SUCCESS' },
      };
      return ledger.complete(c.order, [{ bet, kind: 'confirm', answer }]);
    };

    before(async () => {
      backend = await make();
      records = await backend.open();
      db = records.database.db;
      repo = new ExecutionRepository(db);
      ledger = new BetLedger(db, repo, new TableAccounts(db), {
        publish: (channel, _event, payload) => published.push({ channel, payload }),
      });
      await sql`insert into abp_accounts (bookmaker, username, client_name, password_sealed, balance)
        values ('betfair-ex-mm', 'mm', 'maker', 'x', 1000)`.execute(db);
    });
    after(async () => {
      await records?.close();
      await backend?.cleanup();
    });

    test('a resting answer records what matched; matches arrive; the rest cancelled is refunded exactly', async () => {
      const b0 = await balance();
      const placed = await placeResting(10, 0);
      const bet = placed.bets[0] as BetRow;
      assert.equal(bet.betStatus, 'PLACED');
      assert.equal(bet.placedStake, 0, 'nothing matched yet');
      assert.equal(placed.order.orderStatus, 'PROCESSING');
      assert.equal(placed.order.filledStake, 0);
      assert.equal(await balance(), b0 - 20, 'the whole lay liability reserved');
      assert.deepEqual(await repo.unresolvedBets(0), [], 'a resting bet is not an unknown placement');

      const four = await ledger.applyState(bet.betId, { matched: 4, done: false });
      assert.equal(four?.bet.betStatus, 'PLACED');
      assert.equal(four?.bet.placedStake, 4);
      assert.equal(four?.order.orderStatus, 'PARTIALLY_FILLED');
      assert.equal(four?.order.filledStake, 4);
      assert.ok(
        published.some(
          (p) => p.channel === 'orders' && (p.payload as { filledStake: number }).filledStake === 4,
        ),
      );

      const audits = await auditCount(bet.orderId);
      assert.equal(await ledger.applyState(bet.betId, { matched: 4, done: false }), null, 'same state');
      assert.equal(await ledger.applyState(bet.betId, { matched: 3, done: false }), null, 'lower matched');
      assert.equal(await auditCount(bet.orderId), audits, 'nothing written');
      assert.equal((await repo.order(bet.orderId))?.filledStake, 4);

      // cancelled at the venue with 6 matched; a late lower report of the end keeps 6
      const end = await ledger.applyState(bet.betId, { matched: 6, done: true, reason: 'cancelled' });
      assert.equal(end?.bet.betStatus, 'CONFIRMED');
      assert.equal(end?.bet.placedStake, 6);
      assert.equal(end?.order.orderStatus, 'PARTIALLY_FILLED');
      assert.equal(end?.order.filledStake, 6);
      assert.equal(await balance(), b0 - 12, 'the unmatched 4 × 2 liability back');
      assert.equal(await ledger.applyState(bet.betId, { matched: 0, done: true }), null, 'already ended');
      assert.equal(await balance(), b0 - 12);
      const trail = await sql<{ entity: string; from_status: string; to_status: string }>`
        select entity, from_status, to_status from execution_audit where order_id = ${bet.orderId}
        order by audit_id`.execute(db);
      assert.deepEqual(
        trail.rows.map((r) => `${r.entity}:${r.from_status ?? '-'}>${r.to_status}`),
        [
          'order:->PENDING',
          'order:PENDING>PROCESSING',
          'bet:->PENDING',
          'bet:PENDING>PLACED',
          'bet:PLACED>PLACED',
          'order:PROCESSING>PARTIALLY_FILLED',
          'bet:PLACED>CONFIRMED',
          'order:PARTIALLY_FILLED>PARTIALLY_FILLED',
        ],
      );
    });

    test('a quote that never matched ends CANCELLED with its whole reserve back', async () => {
      const b0 = await balance();
      const placed = await placeResting(5, 0);
      const bet = placed.bets[0] as BetRow;
      assert.equal(await balance(), b0 - 10);
      const end = await ledger.applyState(bet.betId, { matched: 0, done: true, reason: 'lapsed' });
      assert.equal(end?.bet.betStatus, 'CANCELLED');
      assert.equal(end?.order.orderStatus, 'CANCELLED');
      assert.equal(end?.order.filledStake, 0);
      assert.equal(await balance(), b0);
    });

    test('matched in full (at once or later): FILLED, the reserve stays as the liability', async () => {
      const b0 = await balance();
      const later = await placeResting(5, 2);
      assert.equal(later.order.orderStatus, 'PARTIALLY_FILLED');
      assert.equal(later.order.filledStake, 2);
      const full = await ledger.applyState((later.bets[0] as BetRow).betId, { matched: 5, done: false });
      assert.equal(full?.bet.betStatus, 'CONFIRMED');
      assert.equal(full?.order.orderStatus, 'FILLED');
      assert.equal(full?.order.filledStake, 5);
      const atOnce = await placeResting(5, 5);
      assert.equal(atOnce.order.orderStatus, 'FILLED');
      assert.equal(atOnce.bets[0]?.betStatus, 'CONFIRMED');
      assert.equal(await balance(), b0 - 20);
    });

    test('a maker bet whose answer was lost takes the venue state as its first news (reconciliation)', async () => {
      const b0 = await balance();
      const c = await repo.claimOrder(order(4), { status: 'PROCESSING', bets: [makerLeg(4)] });
      const bet = c?.bets[0] as BetRow;
      assert.equal(bet.betStatus, 'PENDING');
      assert.equal((await repo.staleOrders(0)).length, 1, 'an unresolved placement is stale');
      const found = await ledger.applyState(bet.betId, {
        matched: 0,
        done: false,
        bookmakerBetId: 'bf-lost',
      });
      assert.equal(found?.bet.betStatus, 'PLACED');
      assert.equal(found?.bet.bookmakerBetId, 'bf-lost');
      assert.equal(found?.order.orderStatus, 'PROCESSING');
      assert.equal(await balance(), b0 - 8, 'the reserve debited once the placement is known');
      assert.deepEqual(await repo.staleOrders(0), [], 'a resting order is not a stale placement');
      assert.deepEqual(await repo.unresolvedBets(0), [], 'nor its bet an unknown one');
      const one = await ledger.applyState(bet.betId, { matched: 1, done: false });
      assert.equal(one?.bet.placedStake, 1);
      assert.equal(one?.order.orderStatus, 'PARTIALLY_FILLED');
      await ledger.applyState(bet.betId, { matched: 1, done: true });
      assert.equal(await balance(), b0 - 2);
    });
  });
}
