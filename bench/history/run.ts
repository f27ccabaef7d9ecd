/**
 * `npm run bench:history [-- --pglite-ticks N --postgres-ticks N --markets N]`
 *
 * The odds-history writer against its limit. A synthetic update log (markets of three runners; each entry
 * a market version in which one runner's best price, size, LTP or volume moved, as exchange streams do) is
 * written by the real HistoryWriter — ticks packed per market-minute, 1m/1h candle upserts, runner lines,
 * checkpoint, one transaction per batch — into a fresh PGlite directory and a fresh database on the
 * machine's PostgreSQL (PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres). `limit` is a
 * plain COPY (psql's \copy: COPY FROM STDIN) of the same ticks, one row each, into a table of the same
 * server in the same run. The
 * on-disk size (pg_total_relation_size of every tick partition: heap, TOAST and index) per tick is measured
 * on PGlite twice: with the bench's full batches, and with live-like batches (a few hundred changes a
 * second, one transaction a second). `query` is the p99 of a 24-hour, 1-minute candle query of one market
 * (queryHistory, as the API runs it) on PostgreSQL. Databases and directories are dropped at the end.
 * Prints progress to stderr and one JSON line last on stdout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import pg from 'pg';
import { sql } from 'kysely';
import { Records } from '../../src/records/index.js';
import { HistoryWriter, tickOf, candlesOf, INTERVAL_MS } from '../../src/records/history/index.js';
import { queryHistory } from '../../src/records/history/query.js';
import type { LogEntry, Market, Runner } from '../../src/model/index.js';

const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const log = (s: string) => process.stderr.write(`bench:history: ${s}\n`);

/** A seeded PRNG (mulberry32): the same log every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function runner(sel: number, price: number): Runner {
  return {
    selectionId: sel,
    handicap: 0,
    name: `Runner ${sel}`,
    status: 'ACTIVE',
    sortPriority: sel % 10,
    back: [{ price, size: 100 }],
    lay: [{ price: Math.round(price * 102) / 100, size: 100 }],
    ltp: price,
    tv: 1000,
    bsp: null,
    adjustmentFactor: null,
  };
}

/**
 * `ticks` log entries over `markets` markets, `perSec` entries per second of log time from `start`: each a
 * new market version where one runner moved (so each entry is exactly one tick).
 */
function syntheticLog(ticks: number, markets: number, perSec: number, start: number): LogEntry[] {
  const rand = rng(42);
  const state: Market[] = [];
  for (let i = 0; i < markets; i++)
    state.push({
      id: `1.${200_000_000 + i}`,
      eventId: 2_000_001 + Math.floor(i / 2),
      source: 'betfair',
      type: i % 2 ? 'OVER_UNDER_25' : 'MATCH_ODDS',
      name: i % 2 ? 'Over/Under 2.5 Goals' : 'Match Odds',
      status: 'OPEN',
      inPlay: false,
      minStake: null,
      maxStake: null,
      totalMatched: 0,
      numberOfWinners: 1,
      startTime: null,
      runners: [runner(47972 + i * 3, 2), runner(47973 + i * 3, 3.5), runner(47974 + i * 3, 4.2)],
      updatedAt: start,
      publishedAt: start,
      version: 1,
    });
  const out: LogEntry[] = [];
  for (let n = 0; n < ticks; n++) {
    const ts = start + Math.floor((n * 1000) / perSec);
    const mi = Math.floor(rand() * markets);
    const m = state[mi]!;
    const ri = Math.floor(rand() * 3);
    const r = m.runners[ri]!;
    const move = rand();
    const price = Math.max(1.01, Math.round((r.back[0]!.price + (rand() < 0.5 ? -0.01 : 0.01)) * 100) / 100);
    const next: Runner =
      move < 0.4
        ? {
            ...r,
            back: [{ price, size: r.back[0]!.size }],
            lay: [{ price: price + 0.02, size: r.lay[0]!.size }],
          }
        : move < 0.8
          ? { ...r, back: [{ price: r.back[0]!.price, size: Math.round(rand() * 500_00) / 100 + 2 }] }
          : { ...r, ltp: r.back[0]!.price, tv: Math.round((r.tv + rand() * 50) * 100) / 100 };
    const runners = m.runners.slice();
    runners[ri] = next;
    const market = { ...m, runners, updatedAt: ts, version: m.version + 1 };
    state[mi] = market;
    out.push({ id: `${ts}-${n}`, ts, change: { type: 'market', market } });
  }
  return out;
}

/** The update log as the writer reads it (readLog after an id), over an array. */
function arrayLog(entries: LogEntry[]) {
  const index = new Map(entries.map((e, i) => [e.id, i]));
  return {
    kind: 'redis' as const,
    async readLog(after: string | null, limit: number) {
      const from = after === null ? 0 : (index.get(after) ?? -1) + 1;
      return entries.slice(from, from + limit);
    },
    async oldestLogId() {
      return entries[0]?.id ?? null;
    },
  };
}

const p99 = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] ?? 0;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Runs the writer over `entries` until it has written them all; rows/s and p99 batch latency. */
async function runWriter(records: Records, entries: LogEntry[], batchEntries: number) {
  const batches: number[] = [];
  let ticks = 0;
  const writer = new HistoryWriter({
    store: arrayLog(entries),
    repo: records.history,
    flushMs: 1,
    batchEntries,
    onBatch: (ms, n) => {
      batches.push(ms);
      ticks += n;
    },
  });
  const last = entries.at(-1)!.id;
  const t0 = performance.now();
  writer.start();
  const deadline = Date.now() + 15 * 60_000;
  while (writer.stats.position !== last) {
    if (Date.now() > deadline) throw new Error('writer did not finish in 15 min');
    if (writer.stats.paused) throw new Error(`writer failed: ${writer.stats.lastError}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const secs = (performance.now() - t0) / 1000;
  await writer.close();
  return {
    ticks,
    rowsPerSec: Math.round(ticks / secs),
    p99BatchMs: round(p99(batches)),
    batches: batches.length,
  };
}

async function createDb(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `oddsgate_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** COPY of the same ticks, one plain row each, into a table of the same server: ticks/s. */
async function copyLimit(url: string, entries: LogEntry[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table copy_ticks (market_key integer, ts timestamptz, selection_id integer,
      flags smallint, back integer, back_size bigint, lay integer, lay_size bigint, ltp integer, tv bigint)`);
    const keys = new Map<string, number>();
    const prev = new Map<string, string>();
    // The same change detection as the writer, so the rows are the same ticks.
    const rows: string[] = [];
    for (const e of entries) {
      if (e.change.type !== 'market') continue;
      const m = e.change.market;
      if (!keys.has(m.id)) keys.set(m.id, keys.size + 1);
      for (const r of m.runners) {
        const t = tickOf(m, r, e.ts);
        const v = `${t.flags}\t${t.back}\t${t.backSize}\t${t.lay}\t${t.laySize}\t${t.ltp}\t${t.tv}`;
        const k = `${m.id}:${r.selectionId}`;
        if (prev.get(k) === v) continue;
        prev.set(k, v);
        rows.push(`${keys.get(m.id)}\t${new Date(e.ts).toISOString()}\t${r.selectionId}\t${v}\n`);
      }
    }
    // psql's \copy is COPY ... FROM STDIN over one connection: the server's bulk-load path.
    const t0 = performance.now();
    const psql = spawn('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', '\\copy copy_ticks from stdin'], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    for (let i = 0; i < rows.length; i += 10_000)
      if (!psql.stdin.write(rows.slice(i, i + 10_000).join(''))) await once(psql.stdin, 'drain');
    psql.stdin.end();
    const [code] = (await once(psql, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`psql \\copy exited ${code}`);
    const copied = await client.query<{ n: string }>('select count(*) as n from copy_ticks');
    if (Number(copied.rows[0]?.n) !== rows.length) throw new Error('COPY did not load every row');
    return Math.round(rows.length / ((performance.now() - t0) / 1000));
  } finally {
    await client.end();
  }
}

/** p99 of a 24-hour 1-minute candle query of one market with a full day of candles. */
async function candleQuery(records: Records): Promise<number> {
  const day = Date.parse('2026-03-10T00:00:00.000Z');
  const [key] = [
    ...(
      await records.history.marketKeys([
        {
          marketId: '1.999999999',
          eventId: 2_999_999,
          source: 'betfair',
          type: 'MATCH_ODDS',
          name: 'Match Odds',
          startTime: null,
        },
      ])
    ).values(),
  ];
  const rand = rng(7);
  const ticks = [];
  for (let ts = day; ts < day + 86_400_000; ts += 2000)
    for (const sel of [1, 2, 3])
      ticks.push({
        ts,
        selectionId: sel,
        flags: 1 << 3,
        back: 200 + Math.floor(rand() * 50),
        backSize: 10000,
        lay: 260,
        laySize: 5000,
        ltp: 230,
        tv: Math.floor(ts / 1000),
      });
  const candles = candlesOf(ticks, INTERVAL_MS['1m']).map((c) => ({ ...c, marketKey: key! }));
  await records.history.write({
    blocks: [],
    candles1m: candles,
    candles1h: [],
    runners: [],
    checkpoint: null,
    gaps: [],
  });
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const a = await queryHistory(records.history, {
      eventId: 2_999_999,
      marketId: '1.999999999',
      from: day,
      to: day + 86_400_000,
      interval: '1m',
    });
    times.push(performance.now() - t0);
    if (a.points !== 3 * 1440) throw new Error(`expected ${3 * 1440} candles, got ${a.points}`);
  }
  return round(p99(times.slice(5)));
}

async function bytesPerTick(records: Records, ticks: number): Promise<number> {
  const { bytes } = await records.history.tickStorage();
  return round(bytes / ticks);
}

async function main() {
  const markets = flag('markets', 400);
  const pgliteTicks = flag('pglite-ticks', 60_000);
  const postgresTicks = flag('postgres-ticks', 200_000);
  const start = Date.parse('2026-03-09T12:00:00.000Z');
  const out: Record<string, Record<string, number>> = {};

  log(`PGlite: ${pgliteTicks} ticks over ${markets} markets`);
  let dir = await mkdtemp(join(tmpdir(), 'oddsgate-bench-history-'));
  try {
    const records = await Records.open({ dataDir: dir });
    const w = await runWriter(records, syntheticLog(pgliteTicks, markets, 20_000, start), 20_000);
    out.pglite = {
      rowsPerSec: w.rowsPerSec,
      p99BatchMs: w.p99BatchMs,
      bytesPerTick: await bytesPerTick(records, w.ticks),
    };
    await records.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // Live-like: 300 changes a second over 100 markets, one transaction a second (the writer's default).
  const liveTicks = Math.min(pgliteTicks, 30_000);
  log(`PGlite live-like batches: ${liveTicks} ticks, 300 a batch`);
  dir = await mkdtemp(join(tmpdir(), 'oddsgate-bench-history-'));
  try {
    const records = await Records.open({ dataDir: dir });
    const w = await runWriter(records, syntheticLog(liveTicks, 100, 300, start), 300);
    out.pglite!.bytesPerTickLive = await bytesPerTick(records, w.ticks);
    // What the writer's compaction makes of them once their minutes are closed (VACUUM FULL returns the
    // space the merged rows freed, which live inserts would otherwise reuse).
    while ((await records.history.compact(0, Date.parse('2100-01-01'))).more);
    await sql`vacuum full history_ticks`.execute(records.database.db);
    out.pglite!.bytesPerTickCompacted = await bytesPerTick(records, w.ticks);
    await records.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  log(`PostgreSQL: ${postgresTicks} ticks over ${markets} markets, then COPY of the same ticks`);
  const db = await createDb();
  try {
    const entries = syntheticLog(postgresTicks, markets, 20_000, start);
    const records = await Records.open({ databaseUrl: db.url, dataDir: '/nonexistent' });
    const w = await runWriter(records, entries, 20_000);
    out.postgres = {
      rowsPerSec: w.rowsPerSec,
      p99BatchMs: w.p99BatchMs,
      bytesPerTick: await bytesPerTick(records, w.ticks),
    };
    out.limit = { rowsPerSec: await copyLimit(db.url, entries) };
    out.query = { candles24hP99Ms: await candleQuery(records) };
    await records.close();
  } finally {
    await db.drop();
  }
  out.ratio = { writerVsCopy: round(out.postgres!.rowsPerSec! / out.limit!.rowsPerSec!, 2) };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();
