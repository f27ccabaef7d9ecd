import { sql, type Kysely, type RawBuilder } from 'kysely';
import { DayPartitions, dayPartitionName } from '../partitions.js';
import { decodeTicks, encodeTicks } from './codec.js';
import type { Candle, Ohlc } from './candles.js';
import type { Tick } from './tick.js';

/** What history keeps of a market (its row in history_markets). */
export interface MarketMeta {
  marketId: string;
  eventId: number;
  source: string;
  type: string;
  name: string;
  startTime: string | null;
}

/** A stored market with its key. */
export interface StoredMarket extends MarketMeta {
  key: number;
}

/** A packed block of one market's ticks in one UTC minute. */
export interface TickBlock {
  marketKey: number;
  t0: number;
  data: Uint8Array;
}

/** A runner's names and lines to upsert: the batch's last pre-play tick and first in-play tick, and BSP. */
export interface RunnerUpdate {
  marketKey: number;
  selectionId: number;
  name: string;
  sortPriority: number;
  close: Tick | null;
  open: Tick | null;
  /** BSP in hundredths, 0 when unknown. */
  bsp: number;
}

/** A runner's stored lines. */
export interface RunnerLines {
  marketKey: number;
  selectionId: number;
  name: string;
  sortPriority: number;
  close: Tick | null;
  open: Tick | null;
  bsp: number;
}

/** The writer's position in the update log. */
export interface Checkpoint {
  logId: string;
  logTs: number;
  /** True when the writer stopped cleanly after writing everything it had read. */
  clean: boolean;
}

/** A stretch of the update log history did not record. */
export interface Gap {
  fromLogId: string | null;
  toLogId: string | null;
  fromAt: number | null;
  toAt: number | null;
  reason: string;
}

/** One transaction of the writer. */
export interface HistoryBatch {
  blocks: TickBlock[];
  candles1m: Array<Candle & { marketKey: number }>;
  candles1h: Array<Candle & { marketKey: number }>;
  runners: RunnerUpdate[];
  checkpoint: Checkpoint | null;
  gaps: Gap[];
}

export type CandleTable = 'history_candles_1m' | 'history_candles_1h';

const ROWS_PER_STATEMENT = 2000;
/**
 * Rows of one candle or runner upsert. The embedded database runs each statement on the event loop's
 * thread, and one upsert of every runner of a busy batch held it for 20–30 ms at rest (several times that
 * with 300 WebSocket clients: the soak's loop-lag p99 was 59–65 ms, 19 ms with the writer off); a few
 * hundred rows a statement keeps each hold short, and PostgreSQL pays one more round trip per chunk.
 */
const UPSERT_ROWS_PER_STATEMENT = 250;

/** Runs `fn` over `rows` in slices of at most `size`, one after another. */
async function inSlices<T>(rows: readonly T[], size: number, fn: (slice: readonly T[]) => Promise<void>) {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}
const CHECKPOINT = 'writer';
const MINUTE_MS = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A history_markets row as the queries select it. */
type MarketRow = {
  market_key: number;
  market_id: string;
  event_id: string | number;
  source: string;
  market_type: string;
  name: string;
  start_ms: number | null;
};

function storedOf(m: MarketRow): StoredMarket {
  return {
    key: Number(m.market_key),
    marketId: m.market_id,
    eventId: Number(m.event_id),
    source: m.source,
    type: m.market_type,
    name: m.name,
    startTime: m.start_ms === null ? null : iso(Number(m.start_ms)),
  };
}

/** Odds history tables: markets, tick blocks, candles, runner lines, checkpoint and gaps. */
export class HistoryRepository {
  private readonly tickDays = new DayPartitions('history_ticks');
  private readonly candleDays = new DayPartitions('history_candles_1m');

  constructor(private readonly db: Kysely<unknown>) {}

  /** Keys of markets (created when new; event, names and start time kept current). */
  async marketKeys(markets: readonly MarketMeta[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    await inSlices(markets, ROWS_PER_STATEMENT, async (slice) => {
      const rows = slice.map(
        (m) =>
          sql`(${m.marketId}, ${m.eventId}, ${m.source}, ${m.type}, ${m.name}, ${m.startTime}::timestamptz)`,
      );
      const r = await sql<{ market_key: number; market_id: string }>`
        insert into history_markets (market_id, event_id, source, market_type, name, start_time)
        values ${sql.join(rows)}
        on conflict (market_id) do update set event_id = excluded.event_id, name = excluded.name,
          market_type = excluded.market_type, start_time = coalesce(excluded.start_time, history_markets.start_time)
        returning market_key, market_id`.execute(this.db);
      for (const row of r.rows) out.set(row.market_id, Number(row.market_key));
    });
    return out;
  }

  /** Writes a batch in one transaction (day partitions are made first, outside it). */
  async write(batch: HistoryBatch): Promise<void> {
    await this.tickDays.ensure(
      this.db,
      batch.blocks.map((b) => b.t0),
    );
    await this.candleDays.ensure(
      this.db,
      batch.candles1m.map((c) => c.bucket),
    );
    await this.db.transaction().execute(async (trx) => {
      await inSlices(batch.blocks, ROWS_PER_STATEMENT, async (blocks) => {
        const rows = blocks.map((b) => sql`(${b.marketKey}, ${iso(b.t0)}::timestamptz, ${b.data})`);
        await sql`insert into history_ticks (market_key, t0, data) values ${sql.join(rows)}`.execute(trx);
      });
      const n = UPSERT_ROWS_PER_STATEMENT;
      await inSlices(batch.candles1m, n, (c) => this.upsertCandles(trx, 'history_candles_1m', c));
      await inSlices(batch.candles1h, n, (c) => this.upsertCandles(trx, 'history_candles_1h', c));
      await inSlices(batch.runners, n, (r) => this.upsertRunners(trx, r));
      for (const g of batch.gaps) await this.insertGap(trx, g);
      if (batch.checkpoint) await this.saveCheckpoint(trx, batch.checkpoint);
    });
  }

  private async upsertCandles(
    db: Kysely<unknown>,
    table: CandleTable,
    candles: ReadonlyArray<Candle & { marketKey: number }>,
  ): Promise<void> {
    if (candles.length === 0) return;
    // One array per column through unnest: a few parameters whatever the row count (fast to plan and bind).
    const col = <T>(f: (c: Candle & { marketKey: number }) => T) => candles.map(f);
    const ohlc = (p: 'back' | 'lay' | 'ltp') =>
      (['o', 'h', 'l', 'c'] as const).map((k) => sql`${col((c) => c[p]?.[k] ?? null)}::integer[]`);
    const merge = (p: string): RawBuilder<unknown> =>
      sql.raw(
        `${p}_o = coalesce(t.${p}_o, excluded.${p}_o), ${p}_h = greatest(t.${p}_h, excluded.${p}_h),
         ${p}_l = least(t.${p}_l, excluded.${p}_l), ${p}_c = coalesce(excluded.${p}_c, t.${p}_c)`,
      );
    await sql`insert into ${sql.id(table)} as t (market_key, selection_id, bucket,
        back_o, back_h, back_l, back_c, lay_o, lay_h, lay_l, lay_c, ltp_o, ltp_h, ltp_l, ltp_c,
        tv_prev, tv_c, ticks)
      select * from unnest(${col((c) => c.marketKey)}::integer[], ${col((c) => c.selectionId)}::integer[],
        ${col((c) => iso(c.bucket))}::timestamptz[], ${sql.join([...ohlc('back'), ...ohlc('lay'), ...ohlc('ltp')])},
        ${col((c) => c.tvPrev)}::bigint[], ${col((c) => c.tvClose)}::bigint[], ${col((c) => c.ticks)}::integer[])
      on conflict (market_key, selection_id, bucket) do update set
        ${merge('back')}, ${merge('lay')}, ${merge('ltp')},
        tv_c = excluded.tv_c, ticks = t.ticks + excluded.ticks`.execute(db);
  }

  private async upsertRunners(db: Kysely<unknown>, runners: readonly RunnerUpdate[]): Promise<void> {
    if (runners.length === 0) return;
    const col = <T>(f: (u: RunnerUpdate) => T) => runners.map(f);
    const line = (p: 'close' | 'open') => [
      sql`${col((u) => (u[p] ? iso(u[p].ts) : null))}::timestamptz[]`,
      sql`${col((u) => u[p]?.back ?? null)}::integer[]`,
      sql`${col((u) => u[p]?.backSize ?? null)}::bigint[]`,
      sql`${col((u) => u[p]?.lay ?? null)}::integer[]`,
      sql`${col((u) => u[p]?.laySize ?? null)}::bigint[]`,
      sql`${col((u) => u[p]?.ltp ?? null)}::integer[]`,
      sql`${col((u) => u[p]?.tv ?? null)}::bigint[]`,
    ];
    const fields = ['back', 'back_size', 'lay', 'lay_size', 'ltp', 'tv'];
    const closeSet = fields
      .map(
        (f) =>
          `close_${f} = case when excluded.close_at is null then r.close_${f} else excluded.close_${f} end`,
      )
      .join(', ');
    const openSet = fields
      .map((f) => `open_${f} = case when r.open_at is null then excluded.open_${f} else r.open_${f} end`)
      .join(', ');
    await sql`insert into history_runners as r (market_key, selection_id, name, sort_priority,
        close_at, close_back, close_back_size, close_lay, close_lay_size, close_ltp, close_tv,
        open_at, open_back, open_back_size, open_lay, open_lay_size, open_ltp, open_tv, bsp)
      select * from unnest(${col((u) => u.marketKey)}::integer[], ${col((u) => u.selectionId)}::integer[],
        ${col((u) => u.name)}::text[], ${col((u) => u.sortPriority)}::integer[],
        ${sql.join([...line('close'), ...line('open')])}, ${col((u) => (u.bsp === 0 ? null : u.bsp))}::integer[])
      on conflict (market_key, selection_id) do update set
        name = excluded.name, sort_priority = excluded.sort_priority,
        ${sql.raw(closeSet)}, close_at = coalesce(excluded.close_at, r.close_at),
        ${sql.raw(openSet)}, open_at = coalesce(r.open_at, excluded.open_at),
        bsp = coalesce(excluded.bsp, r.bsp)`.execute(db);
  }

  private async insertGap(db: Kysely<unknown>, g: Gap): Promise<void> {
    await sql`insert into history_gaps (from_log_id, to_log_id, from_at, to_at, reason)
      values (${g.fromLogId}, ${g.toLogId}, ${g.fromAt === null ? null : iso(g.fromAt)}::timestamptz,
        ${g.toAt === null ? null : iso(g.toAt)}::timestamptz, ${g.reason})`.execute(db);
  }

  /** Records a gap on its own (outside a batch). */
  async recordGap(g: Gap): Promise<void> {
    await this.insertGap(this.db, g);
  }

  private async saveCheckpoint(db: Kysely<unknown>, c: Checkpoint): Promise<void> {
    await sql`insert into history_checkpoint (name, log_id, log_ts, clean)
      values (${CHECKPOINT}, ${c.logId}, ${iso(c.logTs)}::timestamptz, ${c.clean})
      on conflict (name) do update set log_id = excluded.log_id, log_ts = excluded.log_ts,
        clean = excluded.clean, updated_at = now()`.execute(db);
  }

  /** Marks the checkpoint clean (or not) without moving it. */
  async markClean(clean: boolean): Promise<void> {
    await sql`update history_checkpoint set clean = ${clean}, updated_at = now()
      where name = ${CHECKPOINT}`.execute(this.db);
  }

  /** The writer's checkpoint, or null before its first write. */
  async checkpoint(): Promise<Checkpoint | null> {
    const r = await sql<{ log_id: string; ms: number; clean: boolean }>`
      select log_id, (extract(epoch from log_ts) * 1000)::float8 as ms, clean
      from history_checkpoint where name = ${CHECKPOINT}`.execute(this.db);
    const row = r.rows[0];
    return row ? { logId: row.log_id, logTs: Math.round(Number(row.ms)), clean: row.clean } : null;
  }

  /** Recorded gaps, newest first. */
  async gaps(limit = 100): Promise<Gap[]> {
    const r = await sql<{
      from_log_id: string | null;
      to_log_id: string | null;
      from_ms: number | null;
      to_ms: number | null;
      reason: string;
    }>`select from_log_id, to_log_id, (extract(epoch from from_at) * 1000)::float8 as from_ms,
        (extract(epoch from to_at) * 1000)::float8 as to_ms, reason
      from history_gaps order by id desc limit ${limit}`.execute(this.db);
    return r.rows.map((g) => ({
      fromLogId: g.from_log_id,
      toLogId: g.to_log_id,
      fromAt: g.from_ms === null ? null : Math.round(Number(g.from_ms)),
      toAt: g.to_ms === null ? null : Math.round(Number(g.to_ms)),
      reason: g.reason,
    }));
  }

  /**
   * The internal id of the event an upstream source knows as `upstreamId`, trying `sources` in order (the
   * id registry: events long gone from the live state are still found by their bfi).
   */
  async eventIdByUpstream(sources: readonly string[], upstreamId: string): Promise<number | null> {
    const r = await sql<{ source: string; event_id: string | number }>`
      select source, event_id from event_ids
      where source = any(${[...sources]}::text[]) and upstream_id = ${upstreamId}`.execute(this.db);
    for (const s of sources) {
      const row = r.rows.find((x) => x.source === s);
      if (row) return Number(row.event_id);
    }
    return null;
  }

  /** True when history holds markets of the event. */
  async hasEvent(eventId: number): Promise<boolean> {
    const r = await sql<{ n: number }>`
      select 1 as n from history_markets where event_id = ${eventId} limit 1`.execute(this.db);
    return r.rows.length > 0;
  }

  /** The markets history holds for an event. */
  async marketsOfEvent(eventId: number): Promise<StoredMarket[]> {
    const r = await sql<MarketRow>`select market_key, market_id, event_id, source, market_type, name,
        (extract(epoch from start_time) * 1000)::float8 as start_ms
      from history_markets where event_id = ${eventId} order by market_key`.execute(this.db);
    return r.rows.map(storedOf);
  }

  /** The markets with ticks in [from, to) (epoch ms), by key (the order they were first stored). */
  async marketsWithTicksBetween(from: number, to: number): Promise<StoredMarket[]> {
    const start = Math.floor(from / MINUTE_MS) * MINUTE_MS;
    const r = await sql<MarketRow>`select market_key, market_id, event_id, source, market_type, name,
        (extract(epoch from start_time) * 1000)::float8 as start_ms
      from history_markets m where exists (select 1 from history_ticks t where t.market_key = m.market_key
        and t.t0 >= ${iso(start)}::timestamptz and t.t0 < ${iso(to)}::timestamptz)
      order by market_key`.execute(this.db);
    return r.rows.map(storedOf);
  }

  /** The time of the last tick of these markets (epoch ms), or null when none. */
  async lastTickAt(keys: readonly number[]): Promise<number | null> {
    if (keys.length === 0) return null;
    const r = await sql<{ t0: number | null; data: Uint8Array | null }>`
      select (extract(epoch from t0) * 1000)::float8 as t0, data from history_ticks
      where market_key = any(${[...keys]}::integer[]) order by t0 desc limit 1`.execute(this.db);
    const row = r.rows[0];
    if (!row || row.t0 === null || !row.data) return null;
    const ticks = decodeTicks(row.data, Math.round(Number(row.t0)));
    return ticks[ticks.length - 1]?.ts ?? null;
  }

  /**
   * Ticks of one market with from ≤ ts < to, in time order. Blocks never cross a UTC minute, so only
   * blocks starting from `from`'s minute are read.
   */
  async ticks(marketKey: number, from: number, to: number): Promise<Tick[]> {
    const start = Math.floor(from / MINUTE_MS) * MINUTE_MS;
    const r = await sql<{ t0: number; data: Uint8Array }>`
      select (extract(epoch from t0) * 1000)::float8 as t0, data from history_ticks
      where market_key = ${marketKey} and t0 >= ${iso(start)}::timestamptz and t0 < ${iso(to)}::timestamptz
      order by t0`.execute(this.db);
    const out: Tick[] = [];
    for (const row of r.rows)
      for (const t of decodeTicks(row.data, Math.round(Number(row.t0))))
        if (t.ts >= from && t.ts < to) out.push(t);
    return out;
  }

  /**
   * Stored candles of one market with from ≤ bucket < to, by runner then time. The rows come back as one
   * JSON array (a day of 1-minute candles is thousands of rows: parsing one string beats decoding each).
   */
  async candles(table: CandleTable, marketKey: number, from: number, to: number): Promise<Candle[]> {
    const r = await sql<{ j: string }>`
      select coalesce(json_agg(json_build_array(selection_id, (extract(epoch from bucket) * 1000)::float8,
          back_o, back_h, back_l, back_c, lay_o, lay_h, lay_l, lay_c, ltp_o, ltp_h, ltp_l, ltp_c,
          tv_prev, tv_c, ticks) order by selection_id, bucket), '[]')::text as j
      from ${sql.id(table)}
      where market_key = ${marketKey} and bucket >= ${iso(from)}::timestamptz and bucket < ${iso(to)}::timestamptz`.execute(
      this.db,
    );
    const rows = JSON.parse(r.rows[0]?.j ?? '[]') as Array<Array<number | null>>;
    const ohlc = (row: Array<number | null>, i: number): Ohlc | null =>
      row[i] === null || row[i] === undefined
        ? null
        : { o: Number(row[i]), h: Number(row[i + 1]), l: Number(row[i + 2]), c: Number(row[i + 3]) };
    return rows.map((row) => ({
      selectionId: Number(row[0]),
      bucket: Math.round(Number(row[1])),
      back: ohlc(row, 2),
      lay: ohlc(row, 6),
      ltp: ohlc(row, 10),
      tvPrev: Number(row[14]),
      tvClose: Number(row[15]),
      ticks: Number(row[16]),
    }));
  }

  /** Names, closing and opening lines and BSP of the runners of these markets. */
  async runners(keys: readonly number[]): Promise<RunnerLines[]> {
    if (keys.length === 0) return [];
    const r = await sql<Record<string, unknown>>`
      select market_key, selection_id, name, sort_priority,
        (extract(epoch from close_at) * 1000)::float8 as close_ms, close_back, close_back_size, close_lay,
        close_lay_size, close_ltp, close_tv,
        (extract(epoch from open_at) * 1000)::float8 as open_ms, open_back, open_back_size, open_lay,
        open_lay_size, open_ltp, open_tv, bsp
      from history_runners where market_key = any(${[...keys]}::integer[])
      order by market_key, sort_priority, selection_id`.execute(this.db);
    const line = (row: Record<string, unknown>, p: 'close' | 'open', sel: number): Tick | null => {
      const ms = num(row[`${p}_ms`]);
      if (ms === null) return null;
      return {
        ts: Math.round(ms),
        selectionId: sel,
        flags: 0,
        back: num(row[`${p}_back`]) ?? 0,
        backSize: num(row[`${p}_back_size`]) ?? 0,
        lay: num(row[`${p}_lay`]) ?? 0,
        laySize: num(row[`${p}_lay_size`]) ?? 0,
        ltp: num(row[`${p}_ltp`]) ?? 0,
        tv: num(row[`${p}_tv`]) ?? 0,
      };
    };
    return r.rows.map((row) => {
      const sel = Number(row.selection_id);
      return {
        marketKey: Number(row.market_key),
        selectionId: sel,
        name: String(row.name),
        sortPriority: Number(row.sort_priority),
        close: line(row, 'close', sel),
        open: line(row, 'open', sel),
        bsp: num(row.bsp) ?? 0,
      };
    });
  }

  /**
   * Merges, for minutes that ended before `before` (and start at or after `since`), the several blocks a
   * market got in one minute (the live writer's one-a-second batches) into one block, so the per-row
   * overhead is paid once per market-minute. Each minute in its own transaction; only the rows read are
   * replaced (by ctid), so a block written meanwhile (an import) is never lost. Returns the blocks merged
   * away, and `more` when minutes were left for a next run.
   */
  async compact(since: number, before: number, maxMinutes = 500): Promise<{ merged: number; more: boolean }> {
    const groups = await sql<{ market_key: number; minute: number }>`
      select market_key, (extract(epoch from date_trunc('minute', t0)) * 1000)::float8 as minute
      from history_ticks where t0 >= ${iso(since)}::timestamptz and t0 < ${iso(before)}::timestamptz
      group by 1, 2 having count(*) > 1 order by 2 limit ${maxMinutes}`.execute(this.db);
    let merged = 0;
    for (const g of groups.rows) {
      const from = Number(g.minute);
      merged += await this.db.transaction().execute(async (trx) => {
        const rows = await sql<{ part: string; tid: string; t0: number; data: Uint8Array }>`
          select tableoid::regclass::text as part, ctid::text as tid,
            (extract(epoch from t0) * 1000)::float8 as t0, data
          from history_ticks where market_key = ${g.market_key}
            and t0 >= ${iso(from)}::timestamptz and t0 < ${iso(from + MINUTE_MS)}::timestamptz
          order by t0 for update`.execute(trx);
        if (rows.rows.length < 2) return 0;
        const ticks = rows.rows.flatMap((r) => decodeTicks(r.data, Math.round(Number(r.t0))));
        ticks.sort((a, b) => a.ts - b.ts);
        const part = rows.rows[0]!.part;
        await sql`delete from only ${sql.raw(part)} where ctid = any(${rows.rows.map((r) => r.tid)}::tid[])`.execute(
          trx,
        );
        await sql`insert into history_ticks (market_key, t0, data)
          values (${g.market_key}, ${iso(ticks[0]!.ts)}::timestamptz, ${encodeTicks(ticks)})`.execute(trx);
        return rows.rows.length - 1;
      });
    }
    return { merged, more: groups.rows.length === maxMinutes };
  }

  /**
   * Drops the day partitions of `table` whose whole day ends at or before `before` (epoch ms): retention
   * by whole days, no row-by-row delete. Returns the partitions dropped.
   */
  async dropDaysBefore(table: 'history_ticks' | 'history_candles_1m', before: number): Promise<string[]> {
    const r = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent where p.relname = ${table}`.execute(this.db);
    const dropped: string[] = [];
    for (const { name } of r.rows) {
      const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (!m) continue;
      const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      if (day + 86_400_000 > before || dayPartitionName(table, day) !== name) continue;
      await sql`drop table if exists ${sql.id(name)}`.execute(this.db);
      dropped.push(name);
    }
    this.tickDays.forget(dropped);
    this.candleDays.forget(dropped);
    return dropped;
  }

  /** On-disk bytes of the tick tables (heap, TOAST and index, every partition) and their tick count. */
  async tickStorage(): Promise<{ bytes: number; blocks: number }> {
    const r = await sql<{ bytes: string | number; blocks: string | number }>`
      select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes,
        (select count(*) from history_ticks) as blocks
      from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'history_ticks'`.execute(this.db);
    return { bytes: Number(r.rows[0]?.bytes ?? 0), blocks: Number(r.rows[0]?.blocks ?? 0) };
  }
}
