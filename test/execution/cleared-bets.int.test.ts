import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccounts } from '../../src/execution/accounts-memory.js';
import { PaperConnector } from '../../src/execution/connectors/paper.js';
import { createExecution } from '../../src/execution/index.js';
import type { ClearedBet } from '../../src/execution/types.js';
import type { Records } from '../../src/records/index.js';
import { pgliteBackend, type Backend } from '../records/helpers.js';
import { FixedQuotes } from './helpers.js';

/** A bookmaker that clears its own bets (as the sportsbook and the exchange do): told which, with what profit. */
class ClearingBook extends PaperConnector {
  readonly cleared = new Map<string, ClearedBet>();
  override async clearedBets(keys: readonly string[]): Promise<ClearedBet[]> {
    return keys.flatMap((k) => (this.cleared.has(k) ? [this.cleared.get(k) as ClearedBet] : []));
  }
}

describe("settlement from the bookmaker's cleared bets", () => {
  let backend: Backend;
  let records: Records;
  before(async () => {
    backend = await pgliteBackend();
    records = await backend.open();
  });
  after(async () => {
    await records?.close();
    await backend?.cleanup();
  });

  test('a bet the bookmaker cleared settles as it says, before and without any recorded result', async () => {
    const db = records.database.db;
    const book = new ClearingBook({
      db,
      quotes: new FixedQuotes().set('6000001', 101, true, 2.0, null),
      slug: 'book',
    });
    const accounts = new MemoryAccounts().add({
      bookmaker: 'book',
      username: 'u',
      clientName: 'c',
      balance: 100,
    });
    const execution = createExecution({
      db,
      accounts,
      connectors: [book],
      results: { get: async () => null },
    });
    const out = await execution.orders.place(
      { clientName: 'c', bookmakers: [] },
      {
        requestUuid: crypto.randomUUID(),
        fixtureId: '6000001',
        outcomeId: 101,
        playerId: 0,
        orderStake: 10,
        orderPrice: 1.9,
        userRef: 'r',
        testOrder: false,
        orderCurrency: 'USD',
        acceptBetterOdds: true,
        acceptPartialStake: true,
        back: true,
        expiresAt: new Date(Date.now() + 60_000),
        meta: {},
      },
    );
    assert.ok(out.kind === 'accepted');
    const bet = out.bets[0];
    assert.ok(bet);
    assert.equal(await execution.settlement.runOnce(), 0, 'not cleared yet, no result: open');
    book.cleared.set(bet.betRequestId, {
      key: bet.betRequestId,
      bookmakerBetId: bet.bookmakerBetId ?? '',
      outcome: 'WON',
      profit: 10,
    });
    assert.equal(await execution.settlement.runOnce(), 1);
    const settled = await execution.repo.bet(bet.betId);
    assert.equal(settled?.settlementStatus, 'WON');
    assert.equal(settled?.settlementAmount, 10);
    assert.match(settled?.settlementReason ?? '', /^Cleared by book/);
    assert.equal(accounts.get('c', 'book', 'u')?.balance, 110, '100 − 10 staked + 20 returned');
    assert.equal(await execution.settlement.runOnce(), 0, 'settled once');
  });
});
