import { sql } from 'kysely';
import type { Market, SourceUpdate } from '../../model/index.js';
import { lines, readHistoricalFile } from '../../sources/betfair/historical.js';
import { createBetfairPipeline } from '../../sources/betfair/pipeline.js';
import { EVENT_ID_BASE } from '../../store/constants.js';
import type { Records } from '../service.js';
import { BatchBuilder, metaOf, RunnerState } from './batch.js';

/** Ticks per transaction of an import. */
const IMPORT_BATCH_TICKS = 50_000;
/** The id-registry source of imported recordings (as `oddsgate replay` names its events). */
export const IMPORT_SOURCE = 'historical';

/** What an import did with one file. */
export interface ImportReport {
  file: string;
  markets: string[];
  /** Markets history already held (imported before): left as they are. */
  skipped: string[];
  ticks: number;
  events: Record<string, number>;
}

/**
 * Loads a Betfair historical recording (plain or .bz2, or `oddsgate record` output) into odds history with
 * the recording's own publish times, through the same stream pipeline as `inspect` and `replay`. Events get
 * internal ids from the id registry (the same bfi keeps its id). A market history already holds is skipped,
 * so importing a file twice writes nothing twice.
 */
export async function importRecording(records: Records, path: string): Promise<ImportReport> {
  const file = await readHistoricalFile(path);
  const repo = records.history;
  const report: ImportReport = { file: path, markets: [], skipped: [], ticks: 0, events: {} };
  const ids = new Map<string, number>();
  const skip = new Map<string, boolean>();
  const queue: Array<Extract<SourceUpdate, { kind: 'market' }>> = [];
  const pipeline = createBetfairPipeline({
    source: IMPORT_SOURCE,
    maxLatencyMs: null,
    closedMarketTtlMs: Infinity,
    sink: (updates) => {
      for (const u of updates) if (u.kind === 'market') queue.push(u);
    },
  });
  const state = new RunnerState();
  let builder = new BatchBuilder(state);
  const flush = async () => {
    if (builder.ticks === 0) return;
    const keys = await repo.marketKeys(builder.markets().map(metaOf));
    await repo.write(builder.build(keys, null));
    builder.commit();
    report.ticks += builder.ticks;
    builder = new BatchBuilder(state);
  };
  for (const line of lines(file.text)) {
    pipeline.handleLine(line);
    for (const u of queue.splice(0)) {
      let already = skip.get(u.market.id);
      if (already === undefined) {
        already = await marketHeld(records, u.market.id);
        skip.set(u.market.id, already);
        (already ? report.skipped : report.markets).push(u.market.id);
      }
      if (already) continue;
      const eventId = ids.get(u.upstreamEventId) ?? (await eventIdFor(records, u.upstreamEventId));
      ids.set(u.upstreamEventId, eventId);
      report.events[u.upstreamEventId] = eventId;
      const ts = u.market.publishedAt ?? 0;
      const market: Market = { ...u.market, eventId, updatedAt: ts, version: 0 };
      builder.market(market, ts);
      if (builder.ticks >= IMPORT_BATCH_TICKS) await flush();
    }
  }
  await flush();
  return report;
}

async function marketHeld(records: Records, marketId: string): Promise<boolean> {
  const r = await sql<{
    n: number;
  }>`select 1 as n from history_markets where market_id = ${marketId}`.execute(records.database.db);
  return r.rows.length > 0;
}

/**
 * The internal id of a Betfair event: the registry's (under any Betfair-protocol source), else a new one
 * taken atomically from the id counter (so a server running on the same PostgreSQL never issues it too).
 */
async function eventIdFor(records: Records, bfi: string): Promise<number> {
  const db = records.database.db;
  const known = await records.history.eventIdByUpstream([IMPORT_SOURCE, 'betfair', 'sim'], bfi);
  if (known !== null) return known;
  const r = await sql<{ high_water: string | number }>`
    insert into id_counter (name, high_water) values ('event_id', ${EVENT_ID_BASE + 1})
    on conflict (name) do update set high_water = greatest(id_counter.high_water, ${EVENT_ID_BASE}) + 1
    returning high_water`.execute(db);
  const id = Number(r.rows[0]!.high_water);
  await records.ids.save(db, [{ source: IMPORT_SOURCE, upstreamId: bfi, eventId: id }]);
  return id;
}
