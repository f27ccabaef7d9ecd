import { sql, type Kysely } from 'kysely';
import type { Result } from '../model/index.js';
import { resultTimeMs } from '../store/codec.js';
import { DayPartitions } from './partitions.js';

/** A query of the results archive: newest completion first, keyset-paginated. */
export interface ArchiveQuery {
  /** Completed at or after (epoch ms). */
  from?: number;
  /** Completed strictly before (epoch ms). */
  to?: number;
  sportId?: number;
  /** Continue after this position (from a previous page's `next`). */
  after?: ArchivePosition;
  limit: number;
}

/** A position in the archive's order: (completion ms, event id), both descending. */
export interface ArchivePosition {
  ms: number;
  eventId: number;
}

/** One page of the archive. */
export interface ArchivePage {
  results: Result[];
  /** Where the next page starts; null on the last page. */
  next: ArchivePosition | null;
}

type Row = { result: Result | string; ms: string | number; event_id: string | number };

/** The results archive: every settled or inferred result with its final prices and score. */
export class ResultRepository {
  private readonly partitions = new DayPartitions('results');

  constructor(private readonly db: Kysely<unknown>) {}

  /** Creates the day partitions `results` needs (call before `save`, outside its transaction). */
  async prepare(results: readonly Result[]): Promise<void> {
    await this.partitions.ensure(
      this.db,
      results.map((r) => resultTimeMs(r)),
    );
  }

  /** Stores results (an event's newer result replaces its older one, wherever it was filed). */
  async save(db: Kysely<unknown>, results: readonly Result[]): Promise<void> {
    if (results.length === 0) return;
    const byEvent = new Map<number, Result>();
    for (const r of results) byEvent.set(r.eventId, r);
    const list = [...byEvent.values()];
    const ids = list.map((r) => r.eventId);
    await sql`delete from results r using result_index i
      where i.event_id = any(${ids}::bigint[]) and r.event_id = i.event_id and r.completed_at = i.completed_at`.execute(
      db,
    );
    const rows = list.map((r) => {
      const at = new Date(resultTimeMs(r)).toISOString();
      return sql`(${at}::timestamptz, ${r.eventId}, ${r.sportId}, ${r.winnerSource}, ${JSON.stringify(r)}::jsonb)`;
    });
    await sql`insert into results (completed_at, event_id, sport_id, winner_source, result)
      values ${sql.join(rows)}`.execute(db);
    const index = list.map(
      (r) => sql`(${r.eventId}, ${new Date(resultTimeMs(r)).toISOString()}::timestamptz)`,
    );
    await sql`insert into result_index (event_id, completed_at) values ${sql.join(index)}
      on conflict (event_id) do update set completed_at = excluded.completed_at`.execute(db);
  }

  /** The result of an event, or null. */
  async get(eventId: number): Promise<Result | null> {
    const r = await sql<Row>`select r.result, 0 as ms, r.event_id from result_index i
      join results r on r.event_id = i.event_id and r.completed_at = i.completed_at
      where i.event_id = ${eventId}`.execute(this.db);
    return r.rows[0] ? parse(r.rows[0].result) : null;
  }

  /** The `limit` most recently completed results (what a restart loads back into memory). */
  async recent(limit: number): Promise<Result[]> {
    return (await this.page({ limit })).results;
  }

  /** How many results the archive holds. */
  async count(): Promise<number> {
    const r = await sql<{ n: string | number }>`select count(*) as n from result_index`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /** One page of the archive, newest completion first (ties: higher event id first). */
  async page(q: ArchiveQuery): Promise<ArchivePage> {
    const where = [sql`true`];
    if (q.from !== undefined) where.push(sql`completed_at >= ${new Date(q.from).toISOString()}::timestamptz`);
    if (q.to !== undefined) where.push(sql`completed_at < ${new Date(q.to).toISOString()}::timestamptz`);
    if (q.sportId !== undefined) where.push(sql`sport_id = ${q.sportId}`);
    if (q.after) {
      const at = new Date(q.after.ms).toISOString();
      where.push(sql`(completed_at, event_id) < (${at}::timestamptz, ${q.after.eventId})`);
    }
    const r = await sql<Row>`
      select result, (extract(epoch from completed_at) * 1000)::float8 as ms, event_id from results
      where ${sql.join(where, sql` and `)}
      order by completed_at desc, event_id desc
      limit ${q.limit + 1}`.execute(this.db);
    const rows = r.rows.slice(0, q.limit);
    const last = rows[rows.length - 1];
    const next =
      r.rows.length > q.limit && last
        ? { ms: Math.round(Number(last.ms)), eventId: Number(last.event_id) }
        : null;
    return { results: rows.map((x) => parse(x.result)), next };
  }
}

function parse(v: Result | string): Result {
  return typeof v === 'string' ? (JSON.parse(v) as Result) : v;
}
