import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { loadConfig } from '../config/index.js';
import { BETFAIR_ID_SOURCES } from '../model/index.js';
import { DataDirLockedError, Records } from '../records/index.js';
import { importRecording } from '../records/history/import.js';
import { tickPoint } from '../records/history/query.js';
import { parseCommand, stdio, type CliOutput } from './args.js';

const USAGE = `usage: oddsgate history import <file...>
       oddsgate history export --event <id> [--format csv|ndjson] [--out <file>]

import   loads Betfair historical recordings (plain or .bz2, or \`oddsgate record\` output) into odds history
         with the recordings' own publish times; markets already imported are skipped.
export   writes every tick history holds of an event (internal id or bfi), all markets and runners, in time
         order per market: CSV with a header line (default) or one JSON object a line.

The records database is DATABASE_URL (PostgreSQL) when set, else the embedded PGlite in DATA_DIR (default
./data). PGlite is one process's database: while a server holds DATA_DIR this command refuses (exit 3);
stop the server, or use DATABASE_URL.

options:
  --event <id>          export: the event (internal id or bfi)
  --format csv|ndjson   export: output format (default csv)
  --out <file>          export: write to a file instead of stdout
  -h, --help            show this help
  -V, --version         show the version
`;

const CSV_COLUMNS = [
  'market_id',
  'selection_id',
  'ts',
  'time',
  'back',
  'back_size',
  'lay',
  'lay_size',
  'ltp',
  'tv',
  'status',
  'market_status',
  'in_play',
] as const;

/** `oddsgate history import|export`; returns the exit code. */
export async function historyCommand(argv: string[], io: CliOutput = stdio): Promise<number> {
  const parsed = parseCommand(
    'history',
    argv,
    { event: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    USAGE,
    { positionals: true, io },
  );
  if ('exit' in parsed) return parsed.exit;
  const [sub, ...files] = parsed.positionals;
  const v = parsed.values;
  if (sub === 'import') {
    if (files.length === 0) return usage(io, 'import: give at least one file');
    for (const f of files)
      if (!(await stat(f).catch(() => null))?.isFile()) return usage(io, `cannot read ${f}`);
  } else if (sub === 'export') {
    if (files.length > 0) return usage(io, 'export takes no file (use --out)');
    if (typeof v.event !== 'string' || !/^\d{1,15}$/.test(v.event))
      return usage(io, 'export: --event <id> is required');
    if (v.format !== undefined && v.format !== 'csv' && v.format !== 'ndjson')
      return usage(io, 'export: --format must be csv or ndjson');
  } else return usage(io, 'expected `history import` or `history export`');

  const records = await openRecords(io);
  if (!records) return 3;
  try {
    if (sub === 'import') {
      for (const f of files) {
        const r = await importRecording(records, f);
        io.err(
          `history import: ${f}: ${r.ticks} ticks of ${r.markets.length} market(s)` +
            (r.skipped.length > 0
              ? `, ${r.skipped.length} already held (skipped): ${r.skipped.join(', ')}`
              : '') +
            `; events ${Object.entries(r.events)
              .map(([bfi, id]) => `${bfi} → ${id}`)
              .join(', ')}\n`,
        );
      }
      return 0;
    }
    return await exportEvent(
      records,
      v.event as string,
      (v.format as 'csv' | 'ndjson' | undefined) ?? 'csv',
      v.out as string | undefined,
      io,
    );
  } finally {
    await records.close();
  }
}

function usage(io: CliOutput, problem: string): number {
  io.err(`history: ${problem}\n${USAGE}`);
  return 2;
}

/** The records database of the configuration, or null (said on stderr) while a server holds DATA_DIR. */
export async function openRecords(io: CliOutput, command = 'history'): Promise<Records | null> {
  const config = loadConfig();
  try {
    return await Records.open({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      io.err(`oddsgate ${command}: ${err.message}\n`);
      return null;
    }
    throw err;
  }
}

async function exportEvent(
  records: Records,
  asked: string,
  format: 'csv' | 'ndjson',
  outPath: string | undefined,
  io: CliOutput,
): Promise<number> {
  const repo = records.history;
  const viaBfi = await repo.eventIdByUpstream(['historical', ...BETFAIR_ID_SOURCES], asked);
  const eventId = (await repo.hasEvent(Number(asked))) ? Number(asked) : viaBfi;
  if (eventId === null) {
    io.err(`history export: no history of event ${asked}\n`);
    return 1;
  }
  const out: Writable = outPath ? createWriteStream(outPath) : process.stdout;
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  if (format === 'csv') await write(`${CSV_COLUMNS.join(',')}\n`);
  let n = 0;
  for (const m of await repo.marketsOfEvent(eventId)) {
    // Whole days at a time keeps memory bounded however long the market ran.
    for (const [from, to] of await dayRanges(records, m.key)) {
      for (const t of await repo.ticks(m.key, from, to)) {
        const p = tickPoint(t);
        const row = {
          market_id: m.marketId,
          selection_id: t.selectionId,
          ...p,
          time: new Date(t.ts).toISOString(),
        };
        await write(
          format === 'ndjson'
            ? `${JSON.stringify(row)}\n`
            : `${CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')}\n`,
        );
        n++;
      }
    }
  }
  if (outPath) {
    out.end();
    await once(out, 'finish');
  }
  io.err(`history export: ${n} ticks of event ${eventId}\n`);
  return 0;
}

/** The UTC days (as [from, to) ms) in which a market has ticks. */
async function dayRanges(records: Records, key: number): Promise<Array<[number, number]>> {
  const { sql } = await import('kysely');
  const r = await sql<{ day: number }>`
    select distinct (extract(epoch from date_trunc('day', t0 at time zone 'UTC')) * 1000)::float8 as day
    from history_ticks where market_key = ${key} order by 1`.execute(records.database.db);
  return r.rows.map((x) => [Number(x.day), Number(x.day) + 86_400_000]);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
