/**
 * The market maker's database lease: of the instances sharing one database, only the holder of the `mm`
 * row of `mm_lease` quotes, adopts resting quotes and hedges. `acquire` takes the row when it is free or
 * expired, or renews it when this holder has it, in one conditional upsert (atomic on PostgreSQL and PGlite:
 * two instances racing for an expired lease get one row each way, exactly one of them sees itself as holder).
 * Times come from the injected clock, so a lease expires by the clock the engine runs on.
 */
import { sql, type Kysely } from 'kysely';

export interface MmLeaseOptions {
  db: Kysely<unknown>;
  /** Who this instance is (unique per running engine). */
  holder: string;
  /** How long a taken or renewed lease lasts without renewal. */
  ttlMs: number;
  now?: () => number;
  /** The lease row's name (one per engine kind). */
  name?: string;
}

export class MmLease {
  private readonly now: () => number;
  private readonly name: string;
  private heldUntil = -Infinity;

  constructor(private readonly opts: MmLeaseOptions) {
    this.now = opts.now ?? Date.now;
    this.name = opts.name ?? 'mm';
  }

  get holder(): string {
    return this.opts.holder;
  }

  /** True while the last successful `acquire` is not expired by this instance's clock. */
  held(): boolean {
    return this.now() < this.heldUntil;
  }

  /**
   * Takes the lease (free or expired) or renews it (ours). Returns null when this instance holds it now,
   * otherwise who does.
   */
  async acquire(): Promise<string | null> {
    const now = this.now();
    const at = new Date(now);
    const until = new Date(now + this.opts.ttlMs);
    const r = await sql<{ holder: string }>`
      insert into mm_lease (name, holder, expires_at, acquired_at)
      values (${this.name}, ${this.opts.holder}, ${until}, ${at})
      on conflict (name) do update set
        holder = excluded.holder,
        expires_at = excluded.expires_at,
        acquired_at = case when mm_lease.holder = excluded.holder then mm_lease.acquired_at else excluded.acquired_at end
      where mm_lease.holder = excluded.holder or mm_lease.expires_at <= ${at}
      returning holder`.execute(this.opts.db);
    if (r.rows[0]?.holder === this.opts.holder) {
      this.heldUntil = now + this.opts.ttlMs;
      return null;
    }
    this.heldUntil = -Infinity;
    const other = await sql<{ holder: string }>`
      select holder from mm_lease where name = ${this.name}`.execute(this.opts.db);
    return other.rows[0]?.holder ?? 'unknown';
  }

  /** Gives the lease up (only if this instance holds it): another instance takes it at its next cycle. */
  async release(): Promise<void> {
    this.heldUntil = -Infinity;
    await sql`delete from mm_lease where name = ${this.name} and holder = ${this.opts.holder}`.execute(
      this.opts.db,
    );
  }
}
