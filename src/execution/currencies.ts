import { sql, type Kysely } from 'kysely';

/** How long rates read from the `currencies` table are used before they are read again. */
const RATES_TTL_MS = 30_000;

/**
 * Currency conversion over the `currencies` table (USD per unit of each code). Rates are cached for 30 s:
 * an order needs them on every placement and they change rarely.
 */
export class CurrencyRates {
  private rates: Map<string, number> | null = null;
  private loadedAt = 0;

  constructor(
    private readonly db: Kysely<unknown>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The rates now (code → USD per unit). */
  async all(): Promise<ReadonlyMap<string, number>> {
    if (!this.rates || this.now() - this.loadedAt > RATES_TTL_MS) {
      const r = await sql<{ code: string; usd_rate: number }>`select code, usd_rate from currencies`.execute(
        this.db,
      );
      this.rates = new Map(r.rows.map((x) => [x.code, Number(x.usd_rate)]));
      this.loadedAt = this.now();
    }
    return this.rates;
  }

  /** Sets (or adds) a rate, effective on this instance at once and on others within 30 s. */
  async set(code: string, usdRate: number): Promise<void> {
    await sql`insert into currencies (code, usd_rate) values (${code}, ${usdRate})
      on conflict (code) do update set usd_rate = excluded.usd_rate, updated_at = now()`.execute(this.db);
    this.rates = null;
  }
}

/** A converter over a snapshot of rates: null when either currency is unknown. */
export function converter(rates: ReadonlyMap<string, number>) {
  return (amount: number, from: string, to: string): number | null => {
    if (from === to) return amount;
    const a = rates.get(from);
    const b = rates.get(to);
    if (a === undefined || b === undefined) return null;
    return (amount * a) / b;
  };
}
export type Convert = ReturnType<typeof converter>;
