import { sql, type Kysely } from 'kysely';
import { OddsgateError } from '../core/errors.js';
import type { SecretBox } from './secrets.js';

/** An account as the ABP surface shows it: the credential is always `***`. */
export interface Account {
  bookmaker: string;
  username: string;
  client: string;
  password: '***';
  balance: number;
  active: boolean;
  priority: number;
  maxStake: number | null;
  minStake: number | null;
  currencyId: string;
  verifyBetslip: boolean;
  meta: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** A new account (the credential in clear, sealed before it is written). */
export interface NewAccount {
  bookmaker: string;
  username: string;
  password: string;
  balance?: number;
  active?: boolean;
  priority?: number;
  maxStake?: number | null;
  minStake?: number | null;
  currencyId?: string;
  verifyBetslip?: boolean;
  meta?: Record<string, unknown>;
}

/** A change to an account: only the given fields change. */
export type AccountPatch = Partial<Omit<NewAccount, 'bookmaker' | 'username'>>;

/** The result of a change addressed to (bookmaker, username) by one client. */
export type Owned<T> = { ok: true; value: T } | { ok: false; reason: 'not_found' | 'forbidden' };

/** Raised when (bookmaker, username) already exists. */
export class AccountExistsError extends OddsgateError<'ERR_ACCOUNT_EXISTS'> {
  constructor() {
    super('ERR_ACCOUNT_EXISTS', 'Account already exists');
    this.name = 'AccountExistsError';
  }
}

/** Raised when a change would leave minStake above maxStake. */
export class AccountStakeError extends OddsgateError<'ERR_ACCOUNT_STAKES'> {
  constructor() {
    super('ERR_ACCOUNT_STAKES', 'minStake must not exceed maxStake');
    this.name = 'AccountStakeError';
  }
}

interface AccountRow {
  bookmaker: string;
  username: string;
  client_name: string;
  password_sealed: string;
  balance: string | number;
  active: boolean;
  priority: number;
  min_stake: string | number | null;
  max_stake: string | number | null;
  currency_id: string;
  verify_betslip: boolean;
  meta: Record<string, unknown> | string;
  created_at: Date | string;
  updated_at: Date | string;
}

const num = (v: string | number): number => Number(v);
const optNum = (v: string | number | null): number | null => (v === null ? null : Number(v));

function account(r: AccountRow): Account {
  return {
    bookmaker: r.bookmaker,
    username: r.username,
    client: r.client_name,
    password: '***',
    balance: num(r.balance),
    active: r.active,
    priority: r.priority,
    maxStake: optNum(r.max_stake),
    minStake: optNum(r.min_stake),
    currencyId: r.currency_id,
    verifyBetslip: r.verify_betslip,
    meta: typeof r.meta === 'string' ? (JSON.parse(r.meta) as Record<string, unknown>) : r.meta,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}

function isCheckViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23514';
}

/**
 * Bookmaker accounts in the records database, each owned by one client. Credentials are sealed with the
 * SecretBox (AES-256-GCM) before they reach SQL and are never returned by the listing methods; only
 * `credentials()` (for a connector) opens them. Every change is one statement (its own transaction).
 */
export class AccountRepository {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly box: SecretBox,
  ) {}

  /** A client's accounts, highest priority first (optionally one bookmaker's). */
  async list(clientName: string, bookmaker?: string): Promise<Account[]> {
    const { rows } = await sql<AccountRow>`
      select * from abp_accounts
      where client_name = ${clientName}
        and ${bookmaker === undefined ? sql`true` : sql`bookmaker = ${bookmaker}`}
      order by priority desc, bookmaker, username`.execute(this.db);
    return rows.map(account);
  }

  /** One account for `clientName`: not_found, or forbidden when another client owns it. */
  async get(clientName: string, bookmaker: string, username: string): Promise<Owned<Account>> {
    const row = await this.row(bookmaker, username);
    if (!row) return { ok: false, reason: 'not_found' };
    if (row.client_name !== clientName) return { ok: false, reason: 'forbidden' };
    return { ok: true, value: account(row) };
  }

  /** Creates an account for `clientName`; AccountExistsError when (bookmaker, username) is taken. */
  async create(clientName: string, a: NewAccount): Promise<Account> {
    try {
      const { rows } = await sql<AccountRow>`
        insert into abp_accounts (bookmaker, username, client_name, password_sealed, balance, active, priority,
                                  min_stake, max_stake, currency_id, verify_betslip, meta)
        values (${a.bookmaker}, ${a.username}, ${clientName}, ${this.box.seal(a.password)}, ${a.balance ?? 0},
                ${a.active ?? true}, ${a.priority ?? 0}, ${a.minStake ?? null}, ${a.maxStake ?? null},
                ${a.currencyId ?? 'USD'}, ${a.verifyBetslip ?? false}, ${JSON.stringify(a.meta ?? {})}::jsonb)
        returning *`.execute(this.db);
      return account(rows[0] as AccountRow);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AccountExistsError();
      if (isCheckViolation(err)) throw new AccountStakeError();
      throw err;
    }
  }

  /**
   * Changes the given fields of `clientName`'s account in one statement; the ownership check is part of
   * the statement's WHERE, so another client's row is never changed.
   */
  async update(
    clientName: string,
    bookmaker: string,
    username: string,
    p: AccountPatch,
  ): Promise<Owned<{ before: Account; after: Account }>> {
    const sets = [
      p.password !== undefined ? sql`password_sealed = ${this.box.seal(p.password)}` : null,
      p.balance !== undefined ? sql`balance = ${p.balance}` : null,
      p.active !== undefined ? sql`active = ${p.active}` : null,
      p.priority !== undefined ? sql`priority = ${p.priority}` : null,
      p.minStake !== undefined ? sql`min_stake = ${p.minStake}` : null,
      p.maxStake !== undefined ? sql`max_stake = ${p.maxStake}` : null,
      p.currencyId !== undefined ? sql`currency_id = ${p.currencyId}` : null,
      p.verifyBetslip !== undefined ? sql`verify_betslip = ${p.verifyBetslip}` : null,
      p.meta !== undefined ? sql`meta = ${JSON.stringify(p.meta)}::jsonb` : null,
      sql`updated_at = now()`,
    ].filter((s) => s !== null);
    try {
      return await this.db.transaction().execute(async (tx) => {
        const { rows: found } = await sql<AccountRow>`
          select * from abp_accounts where bookmaker = ${bookmaker} and username = ${username} for update`.execute(
          tx,
        );
        const before = found[0];
        if (!before) return { ok: false, reason: 'not_found' } as const;
        if (before.client_name !== clientName) return { ok: false, reason: 'forbidden' } as const;
        const { rows } = await sql<AccountRow>`
          update abp_accounts set ${sql.join(sets)}
          where bookmaker = ${bookmaker} and username = ${username} and client_name = ${clientName}
          returning *`.execute(tx);
        return {
          ok: true,
          value: { before: account(before), after: account(rows[0] as AccountRow) },
        } as const;
      });
    } catch (err) {
      if (isCheckViolation(err)) throw new AccountStakeError();
      throw err;
    }
  }

  /** Deletes `clientName`'s account; the deleted account, or why not. */
  async remove(clientName: string, bookmaker: string, username: string): Promise<Owned<Account>> {
    return this.db.transaction().execute(async (tx) => {
      const { rows: found } = await sql<AccountRow>`
        select * from abp_accounts where bookmaker = ${bookmaker} and username = ${username} for update`.execute(
        tx,
      );
      const row = found[0];
      if (!row) return { ok: false, reason: 'not_found' } as const;
      if (row.client_name !== clientName) return { ok: false, reason: 'forbidden' } as const;
      await sql`
        delete from abp_accounts
        where bookmaker = ${bookmaker} and username = ${username} and client_name = ${clientName}`.execute(
        tx,
      );
      return { ok: true, value: account(row) } as const;
    });
  }

  /** The credential of an account, opened (for a connector's login; never for a response or a log). */
  async credentials(
    bookmaker: string,
    username: string,
  ): Promise<{ username: string; password: string } | null> {
    const row = await this.row(bookmaker, username);
    return row ? { username: row.username, password: this.box.open(row.password_sealed) } : null;
  }

  private async row(bookmaker: string, username: string): Promise<AccountRow | null> {
    const { rows } = await sql<AccountRow>`
      select * from abp_accounts where bookmaker = ${bookmaker} and username = ${username}`.execute(this.db);
    return rows[0] ?? null;
  }
}
