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

/** A runner in the last pre-play book. Ladders are `[price, size]`, best first. */
export interface InspectPreplayRunner {
  selectionId: number;
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
    runners: { selectionId: number; status: string | null; bsp: number | null; ltp: number | null }[];
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

const USAGE = 'usage: oddsgate inspect <file...> [--json]';

/** CLI entry of `oddsgate inspect`; returns the exit code (2: bad usage or unreadable file). */
export async function inspectCommand(
  argv: string[],
  out: (s: string) => void = console.log,
  err: (s: string) => void = console.error,
): Promise<number> {
  const files: string[] = [];
  let json = false;
  for (const a of argv) {
    if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') {
      out(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      err(`inspect: unknown option ${a}\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
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
      `    ${'selection'.padEnd(12)}${'status'.padEnd(10)}${'pre back'.padEnd(16)}${'pre lay'.padEnd(16)}${'ltp'.padEnd(8)}bsp`,
    );
    const pre = new Map((m.lastPreplay?.runners ?? []).map((x) => [x.selectionId, x]));
    for (const fr of m.final.runners) {
      const p = pre.get(fr.selectionId);
      out.push(
        `    ${String(fr.selectionId).padEnd(12)}${(fr.status ?? '-').padEnd(10)}${best(p?.back).padEnd(16)}` +
          `${best(p?.lay).padEnd(16)}${num(fr.ltp).padEnd(8)}${num(fr.bsp)}`,
      );
    }
  }
  return out.join('\n');
}
