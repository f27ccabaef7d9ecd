import type { Kysely } from 'kysely';
import type { AccountDirectory, ExecutionAccount } from './types.js';

/**
 * Accounts held in memory: for tests, benchmarks and running execution without the ABP accounts table.
 * Balance changes are not part of the caller's transaction (the database-backed directory's are).
 */
export class MemoryAccounts implements AccountDirectory {
  private readonly accounts: ExecutionAccount[] = [];
  readonly outsideTransactions = true;

  add(a: Partial<ExecutionAccount> & Pick<ExecutionAccount, 'bookmaker' | 'username' | 'clientName'>): this {
    this.accounts.push({
      active: true,
      priority: 0,
      minStake: null,
      maxStake: null,
      currency: 'USD',
      balance: 1_000_000,
      ...a,
    });
    return this;
  }

  async list(clientName: string): Promise<ExecutionAccount[]> {
    return this.accounts.filter((a) => a.clientName === clientName).map((a) => ({ ...a }));
  }

  get(clientName: string, bookmaker: string, username: string): ExecutionAccount | undefined {
    return this.accounts.find(
      (a) => a.clientName === clientName && a.bookmaker === bookmaker && a.username === username,
    );
  }

  async adjustBalance(
    _db: Kysely<unknown>,
    clientName: string,
    bookmaker: string,
    username: string,
    delta: number,
  ): Promise<number | null> {
    const a = this.get(clientName, bookmaker, username);
    if (!a) return null;
    a.balance = Math.round((a.balance + delta) * 100) / 100;
    return a.balance;
  }
}
