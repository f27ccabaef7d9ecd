import { sql, type Kysely } from 'kysely';
import { NO_PUBLISHER, type ExecutionPublisher } from './types.js';

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
    private readonly publisher: ExecutionPublisher = NO_PUBLISHER,
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

  /**
   * Sets (or adds) a rate, effective on this instance at once and on others within 30 s, and pushes it on
   * the global `currencies` channel (UPDATE, `{currencyId, usdRate, updatedAt}` — the document's
   * `currencyInfo` with the time). A rate set to its current value changes nothing and pushes nothing.
   */
  async set(code: string, usdRate: number): Promise<CurrencyRate> {
    const r = await sql<{ code: string; usd_rate: number; updated_at: Date | string; changed: boolean }>`
      with prev as (select usd_rate from currencies where code = ${code})
      insert into currencies (code, usd_rate) values (${code}, ${usdRate})
      on conflict (code) do update set usd_rate = excluded.usd_rate,
        updated_at = case when currencies.usd_rate = excluded.usd_rate then currencies.updated_at else now() end
      returning code, usd_rate, updated_at,
        coalesce((select usd_rate from prev) is distinct from ${usdRate}::float8, true) as changed`.execute(
      this.db,
    );
    this.rates = null;
    const row = r.rows[0] as { code: string; usd_rate: number; updated_at: Date | string; changed: boolean };
    const rate = rateOf(row);
    if (row.changed) this.publisher.publish('currencies', 'UPDATE', rate);
    return rate;
  }

  /** Every rate with its last change (GET /api/v1/admin/currencies). */
  async list(): Promise<CurrencyRate[]> {
    const r = await sql<{ code: string; usd_rate: number; updated_at: Date | string }>`
      select code, usd_rate, updated_at from currencies order by code`.execute(this.db);
    return r.rows.map(rateOf);
  }
}

/** A rate as the `currencies` channel and the admin route show it. */
export interface CurrencyRate {
  currencyId: string;
  usdRate: number;
  updatedAt: string;
}

function rateOf(r: { code: string; usd_rate: number; updated_at: Date | string }): CurrencyRate {
  return {
    currencyId: r.code,
    usdRate: Number(r.usd_rate),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
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
