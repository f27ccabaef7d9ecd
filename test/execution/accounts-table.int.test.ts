import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { TableAccounts } from '../../src/execution/accounts-table.js';
import type { Records } from '../../src/records/index.js';
import { BACKENDS, result, type Backend } from '../records/helpers.js';
import { harness } from './helpers.js';

/** The ABP accounts table as migration 0003 (the ABP surface's) makes it, when this branch lacks it. */
async function ensureAccountsTable(db: Kysely<unknown>): Promise<void> {
  await sql`create table if not exists abp_accounts (
    bookmaker text not null, username text not null, client_name text not null, password_sealed text not null,
    balance numeric(20, 2) not null default 0, active boolean not null default true,
    priority integer not null default 0, min_stake numeric(20, 2), max_stake numeric(20, 2),
    currency_id text not null default 'USD', verify_betslip boolean not null default false,
    meta jsonb not null default '{}', created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(), primary key (bookmaker, username))`.execute(db);
}

for (const make of BACKENDS) {
  describe(`execution over the ABP accounts table (${make.name})`, () => {
    let backend: Backend;
    let records: Records;
    before(async () => {
      backend = await make();
      records = await backend.open();
      await ensureAccountsTable(records.database.db);
    });
    after(async () => {
      await records?.close();
      await backend?.cleanup();
    });

    test('routing reads the table; placement debits and settlement credits the balance in the same transactions', async () => {
      const db = records.database.db;
      await sql`insert into abp_accounts (bookmaker, username, client_name, password_sealed, balance, priority, max_stake)
        values ('paper', 'main', 'alpha', 'sealed', 100, 5, 1000), ('paper', 'spare', 'alpha', 'sealed', 100, 1, null),
               ('paper', 'off', 'alpha', 'sealed', 100, 9, null)`.execute(db);
      await sql`update abp_accounts set active = false where username = 'off'`.execute(db);
      const h = harness(db, { accounts: new TableAccounts(db) });
      h.quotes.set('5000001', 101, true, 3.0, null);
      const input = {
        fixtureId: '5000001',
        outcomeId: 101,
        playerId: 0,
        orderStake: 40,
        orderPrice: 2.5,
        userRef: 'acc',
        testOrder: false,
        orderCurrency: 'USD',
        acceptBetterOdds: true,
        acceptPartialStake: true,
        back: true,
        expiresAt: new Date(Date.now() + 60_000),
        meta: {},
      };
      const out = await h.execution.orders.place(
        { clientName: 'alpha', bookmakers: [] },
        { ...input, requestUuid: crypto.randomUUID() },
      );
      assert.equal(out.kind, 'accepted');
      assert.ok(
        out.kind === 'accepted' && out.bets[0]?.account === 'main',
        'the highest-priority active account',
      );
      const bal = async (u: string) =>
        Number(
          (await sql<{ b: string }>`select balance as b from abp_accounts where username = ${u}`.execute(db))
            .rows[0]?.b,
        );
      assert.equal(await bal('main'), 60);
      // backing is capped by the balance: 60 left, an order of 100 fills 60 on `main`, then 40 more cannot go to `spare`
      // (one account per bookmaker), so it is partly filled
      const big = await h.execution.orders.place(
        { clientName: 'alpha', bookmakers: [] },
        { ...input, orderStake: 100, requestUuid: crypto.randomUUID() },
      );
      assert.ok(big.kind === 'accepted');
      assert.equal(big.order.orderStatus, 'PARTIALLY_FILLED');
      assert.equal(big.order.filledStake, 60);
      assert.equal(await bal('main'), 0);
      h.results.set(5000001, { ...result(5000001, new Date().toISOString()), team1: 'Home', team2: 'Away' });
      assert.equal(await h.execution.settlement.runOnce(), 2);
      // both won at 3.0: credited 40 × 3 + 60 × 3
      assert.equal(await bal('main'), 300);
      assert.ok(
        h.published.some(
          (p) => p.channel === 'balance' && (p.payload as { balance: number }).balance === 300,
        ),
      );
    });
  });
}
