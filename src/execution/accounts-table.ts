import { sql, type Kysely, type RawBuilder } from 'kysely';
import { PREPARED } from '../records/index.js';
import type { AccountDirectory, ExecutionAccount } from './types.js';

type Row = {
  bookmaker: string;
  username: string;
  client_name: string;
  balance: string | number;
  active: boolean;
  priority: number;
  min_stake: string | number | null;
  max_stake: string | number | null;
  currency_id: string;
};

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * The ABP accounts table (`abp_accounts`, migration 0003 of the ABP surface) as execution reads it: routing
 * lists a client's accounts; a placement debits and a settlement credits the balance inside its own
 * transaction, so a bet's state and the balance never disagree. Credentials are never read here.
 */
export class TableAccounts implements AccountDirectory {
  constructor(private readonly db: Kysely<unknown>) {}

  async list(clientName: string): Promise<ExecutionAccount[]> {
    const r =
      await sql<Row>`${sql.raw(PREPARED)} select bookmaker, username, client_name, balance, active, priority, min_stake,
        max_stake, currency_id
      from abp_accounts where client_name = ${clientName} order by priority desc, bookmaker, username`.execute(
        this.db,
      );
    return r.rows.map((a) => ({
      bookmaker: a.bookmaker,
      username: a.username,
      clientName: a.client_name,
      active: a.active,
      priority: a.priority,
      minStake: num(a.min_stake),
      maxStake: num(a.max_stake),
      currency: a.currency_id,
      balance: Number(a.balance),
    }));
  }

  async adjustBalance(
    db: Kysely<unknown>,
    clientName: string,
    bookmaker: string,
    username: string,
    delta: number,
  ): Promise<number | null> {
    const r = await sql<{ balance: string | number }>`update abp_accounts
      set balance = balance + ${delta}, updated_at = now()
      where bookmaker = ${bookmaker} and username = ${username} and client_name = ${clientName}
      returning balance`.execute(db);
    return r.rows[0] ? Number(r.rows[0].balance) : null;
  }

  balanceStatement(
    clientName: string,
    bookmaker: string,
    username: string,
    delta: number,
    when: RawBuilder<unknown>,
  ): RawBuilder<unknown> {
    return sql`update abp_accounts set balance = balance + ${delta}, updated_at = now()
      where bookmaker = ${bookmaker} and username = ${username} and client_name = ${clientName} and ${when}
      returning balance`;
  }
}
