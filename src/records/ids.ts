import { sql, type Kysely } from 'kysely';

/** One upstream id → internal id mapping. */
export interface IdMapping {
  source: string;
  upstreamId: string;
  eventId: number;
}

const COUNTER = 'event_id';

/** The upstream-id → internal-id registry and the id counter's high-water mark. */
export class IdRepository {
  constructor(private readonly db: Kysely<unknown>) {}

  /** Every mapping, and the highest id that may have been issued (0 when none). */
  async load(): Promise<{ mappings: IdMapping[]; highWater: number }> {
    const rows = await sql<{ source: string; upstream_id: string; event_id: string | number }>`
      select source, upstream_id, event_id from event_ids`.execute(this.db);
    const hw = await sql<{ high_water: string | number }>`
      select high_water from id_counter where name = ${COUNTER}`.execute(this.db);
    const mappings = rows.rows.map((r) => ({
      source: r.source,
      upstreamId: r.upstream_id,
      eventId: Number(r.event_id),
    }));
    let highWater = hw.rows[0] ? Number(hw.rows[0].high_water) : 0;
    for (const m of mappings) if (m.eventId > highWater) highWater = m.eventId;
    return { mappings, highWater };
  }

  /**
   * Records that ids up to `upTo` may be issued (never lowers the mark), so a restart after a crash never
   * issues them again. Returns the mark now stored.
   */
  async reserve(upTo: number): Promise<number> {
    const r = await sql<{ high_water: string | number }>`
      insert into id_counter (name, high_water) values (${COUNTER}, ${upTo})
      on conflict (name) do update set high_water = greatest(id_counter.high_water, excluded.high_water)
      returning high_water`.execute(this.db);
    return Number(r.rows[0]?.high_water ?? upTo);
  }

  /** Upserts mappings (the last one for a key wins), in one statement. */
  async save(db: Kysely<unknown>, mappings: readonly IdMapping[]): Promise<void> {
    if (mappings.length === 0) return;
    const rows = mappings.map((m) => sql`(${m.source}, ${m.upstreamId}, ${m.eventId})`);
    await sql`insert into event_ids (source, upstream_id, event_id) values ${sql.join(rows)}
      on conflict (source, upstream_id) do update set event_id = excluded.event_id`.execute(db);
  }
}
