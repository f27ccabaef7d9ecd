import { sql, type Kysely } from 'kysely';

const DAY_MS = 86_400_000;

/** The UTC day (epoch ms of its midnight) that `ms` falls in. */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The name of `table`'s partition for the UTC day starting at `day`: `<table>_pYYYYMMDD`. */
export function dayPartitionName(table: string, day: number): string {
  return `${table}_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * Makes sure the tables partitioned by day (range on a timestamptz) have a partition for each day given,
 * remembering the ones known so a day is checked once per process. Plain PostgreSQL (no extension); a
 * concurrent creator on the same server is tolerated.
 */
export class DayPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly table: string) {}

  /** Forgets partitions that were dropped, so they are made again when needed. */
  forget(names: Iterable<string>): void {
    for (const n of names) this.known.delete(n);
  }

  /** Creates the missing partitions of the days of `times` (epoch ms). */
  async ensure(db: Kysely<unknown>, times: Iterable<number>): Promise<void> {
    const days = new Set<number>();
    for (const t of times) days.add(dayStart(t));
    for (const day of days) {
      const name = dayPartitionName(this.table, day);
      if (this.known.has(name)) continue;
      const from = new Date(day).toISOString();
      const to = new Date(day + DAY_MS).toISOString();
      try {
        await sql`create table if not exists ${sql.id(name)} partition of ${sql.id(this.table)}
          for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(db);
      } catch (err) {
        // Another process created it between our check and our create.
        if (!/already exists/.test(String((err as Error).message))) throw err;
      }
      this.known.add(name);
    }
  }
}
