/**
 * `oddsgate inspect <file...> [--json]`: replays Betfair historical files / stream recordings through the
 * stream pipeline and prints, per market, the winners, the last pre-play book, the first in-play publish
 * time and the final state (statuses, BSPs, last traded prices).
 */
import { stat } from 'node:fs/promises';
import type { PriceLevel } from '../model/index.js';
import { lines, readHistoricalFile } from '../sources/betfair/historical.js';
import type { MarketSnapshot } from '../sources/betfair/market-cache.js';
import { createBetfairPipeline } from '../sources/betfair/pipeline.js';
import { parseCommand } from './args.js';

/** A runner in the last pre-play book. Ladders are `[price, size]`, best first. */
export interface InspectPreplayRunner {
  selectionId: number;
  /** The runner's name from the market definition (historical files and `record` output), else null. */
  name: string | null;
  status: string | null;
  back: [number, number][];
  lay: [number, number][];
  ltp: number | null;
  /** The runner's `tv` as the upstream gave it (per-message volume in official PRO files). */
  totalMatched: number;
}

/** A market as `inspect` reports it. */
export interface InspectMarket {
  marketId: string;
  /** As in the market definition: a string (as betfairlightweight gives it), null without definition. */
  eventId: string | null;
  /** As in the market definition: a string ("7" horse racing), null without definition. */
  eventTypeId: string | null;
  /** Event and market names from the market definition (historical files and `record` output), else null. */
  eventName: string | null;
  marketName: string | null;
  marketType: string | null;
  /** Final definition status (OPEN, SUSPENDED, CLOSED, ...). */
  status: string | null;
  inPlay: boolean;
  /** Selection ids whose final status is WINNER. */
  winners: number[];
  /** The market after its last update that left it OPEN and not in play. */
  lastPreplay: { pt: number | null; totalMatched: number; runners: InspectPreplayRunner[] } | null;
  firstInplayPt: number | null;
  final: {
    pt: number | null;
    status: string | null;
    runners: {
      selectionId: number;
      name: string | null;
      status: string | null;
      bsp: number | null;
      ltp: number | null;
    }[];
  };
}

/** What `inspect` reports for one file. `lines` and `malformed` are additions to the documented shape. */
export interface InspectResult {
  file: string;
  /** The final `clk`, null when the file carries none. */
  clk: string | null;
  markets: InspectMarket[];
  lines: number;
  malformed: number;
  malformedError: string | null;
}

const pairs = (ladder: readonly PriceLevel[]): [number, number][] => ladder.map((l) => [l.price, l.size]);

function preplayOf(m: MarketSnapshot): NonNullable<InspectMarket['lastPreplay']> {
  return {
    pt: m.publishTime,
    totalMatched: m.totalMatched,
    runners: m.runners.map((r) => ({
      selectionId: r.selectionId,
      name: r.name,
      status: r.status,
      back: pairs(r.back),
      lay: pairs(r.lay),
      ltp: r.ltp,
      totalMatched: r.tv,
    })),
  };
}

function marketOf(
  m: MarketSnapshot,
  preplay: MarketSnapshot | undefined,
  inplayPt: number | null,
): InspectMarket {
  const d = m.definition;
  return {
    marketId: m.marketId,
    eventId: d?.eventId !== undefined ? String(d.eventId) : null,
    eventTypeId: d?.eventTypeId !== undefined ? String(d.eventTypeId) : null,
    eventName: typeof d?.eventName === 'string' ? d.eventName : null,
    marketName: typeof d?.name === 'string' ? d.name : null,
    marketType: d?.marketType ?? null,
    status: m.status,
    inPlay: m.inPlay,
    winners: m.runners.filter((r) => r.status === 'WINNER').map((r) => r.selectionId),
    lastPreplay: preplay ? preplayOf(preplay) : null,
    firstInplayPt: inplayPt,
    final: {
      pt: m.publishTime,
      status: m.status,
      runners: m.runners.map((r) => ({
        selectionId: r.selectionId,
        name: r.name,
        status: r.status,
        bsp: r.bsp,
        ltp: r.ltp,
      })),
    },
  };
}

/** Replays one file and reports every market it holds (in order of first appearance). */
export async function inspectFile(path: string): Promise<InspectResult> {
  const file = await readHistoricalFile(path);
  const last = new Map<string, MarketSnapshot>();
  const preplay = new Map<string, MarketSnapshot>();
  const firstInplay = new Map<string, number | null>();
  const pipeline = createBetfairPipeline({
    source: 'inspect',
    maxLatencyMs: null,
    closedMarketTtlMs: Infinity,
    sink: (updates) => {
      for (const u of updates) {
        if (u.kind !== 'market') continue;
        const snap = pipeline.stream.get(u.market.id)?.snapshot();
        if (!snap) continue;
        last.set(snap.marketId, snap);
        if (snap.status === 'OPEN' && !snap.inPlay) preplay.set(snap.marketId, snap);
        if (snap.inPlay && !firstInplay.has(snap.marketId)) firstInplay.set(snap.marketId, snap.publishTime);
      }
    },
  });
  for (const line of lines(file.text)) pipeline.handleLine(line);
  // Markets that never produced an update (no definition) are still listed, from the cache.
  for (const cache of pipeline.stream.markets())
    if (!last.has(cache.marketId)) last.set(cache.marketId, cache.snapshot());
  const st = pipeline.status();
  return {
    file: path,
    clk: st.clk,
    markets: [...last.values()].map((m) =>
      marketOf(m, preplay.get(m.marketId), firstInplay.get(m.marketId) ?? null),
    ),
    lines: file.lineCount,
    malformed: st.malformed,
    malformedError: st.lastMalformed ? st.lastMalformed.error : null,
  };
}

const USAGE = `usage: oddsgate inspect <file...> [options]

Replays Betfair stream recordings (historical files, plain or .bz2, or \`oddsgate record\` output) and
prints per market its event, market and runner names, winners, BSPs, last pre-play book and final state.
A file that is not a stream recording is an error (exit 1).

options:
  --json          one JSON object per file on stdout (messages go to stderr)
  -h, --help      show this help
  -V, --version   show the version
`;

/**
 * Why `r` is not a stream recording (no line of it is a stream message), or null when it is one. A file
 * with some unreadable lines is still a recording: those are reported as skipped.
 */
export function notARecording(r: InspectResult): string | null {
  if (r.lines === 0) return 'not a Betfair stream recording (empty)';
  if (r.malformed >= r.lines)
    return `not a Betfair stream recording (no line of ${r.lines} is a stream message: ${r.malformedError})`;
  return null;
}

/**
 * CLI entry of `oddsgate inspect`; returns the exit code (2: bad usage or unreadable file, 1: a file could
 * not be replayed or is not a stream recording). `out` gets only reports (JSON with --json), `err` the rest.
 */
export async function inspectCommand(
  argv: string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): Promise<number> {
  const args = parseCommand('inspect', argv, { json: { type: 'boolean' } }, USAGE, {
    positionals: true,
    io: { out: (s) => out(s.replace(/\n$/, '')), err: (s) => err(s.replace(/\n$/, '')) },
  });
  if ('exit' in args) return args.exit;
  const files = args.positionals;
  const json = args.values.json === true;
  if (files.length === 0) {
    err(`inspect: give at least one file\n${USAGE}`);
    return 2;
  }
  for (const f of files) {
    const s = await stat(f).catch(() => null);
    if (!s?.isFile()) {
      err(`inspect: cannot read ${f}: no such file`);
      return 2;
    }
  }
  let code = 0;
  for (const f of files) {
    let result: InspectResult;
    try {
      result = await inspectFile(f);
    } catch (e) {
      err(`inspect: ${f}: ${e instanceof Error ? e.message : String(e)}`);
      code = 1;
      continue;
    }
    const not = notARecording(result);
    if (not) {
      err(`inspect: ${f}: ${not}`);
      code = 1;
      continue;
    }
    if (result.malformed > 0)
      err(`inspect: ${f}: ${result.malformed} malformed line(s) skipped: ${result.malformedError}`);
    out(json ? JSON.stringify(result) : formatTable(result));
  }
  return code;
}

const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());
const num = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : String(n));
const best = (l: [number, number][] | undefined): string => (l && l[0] ? `${l[0][0]}@${l[0][1]}` : '-');

/** A readable report of one file: a header, then per market a line and a runner table. */
export function formatTable(r: InspectResult): string {
  const out = [
    `${r.file}  lines=${r.lines}  clk=${r.clk ?? '-'}  markets=${r.markets.length}  malformed=${r.malformed}`,
  ];
  for (const m of r.markets) {
    out.push(
      `  market ${m.marketId}  ${m.marketType ?? '?'}  ${m.status ?? '?'}${m.inPlay ? ' in-play' : ''}  ` +
        `event ${m.eventId ?? '?'} (type ${m.eventTypeId ?? '?'})  first in-play ${iso(m.firstInplayPt)}  ` +
        `winners ${m.winners.join(',') || '-'}`,
    );
    out.push(
      `    ${m.eventName ?? '(event name not in the file)'} / ${m.marketName ?? '(market name not in the file)'}`,
    );
    out.push(
      `    ${'selection'.padEnd(12)}${'status'.padEnd(10)}${'pre back'.padEnd(16)}${'pre lay'.padEnd(16)}${'ltp'.padEnd(8)}${'bsp'.padEnd(8)}name`,
    );
    const pre = new Map((m.lastPreplay?.runners ?? []).map((x) => [x.selectionId, x]));
    for (const fr of m.final.runners) {
      const p = pre.get(fr.selectionId);
      out.push(
        `    ${String(fr.selectionId).padEnd(12)}${(fr.status ?? '-').padEnd(10)}${best(p?.back).padEnd(16)}` +
          `${best(p?.lay).padEnd(16)}${num(fr.ltp).padEnd(8)}${num(fr.bsp).padEnd(8)}${fr.name ?? '-'}`,
      );
    }
  }
  return out.join('\n');
}
