/**
 * `npm run bench:stream [-- --rounds N]`
 *
 * Replays the real Betfair files in ../shared/data/betfair/historical through the listener and the
 * market cache (listener → market stream → market caches) as fast as possible, and beside it a bare
 * `JSON.parse` of the same lines (the limit: no stream client can beat parsing its input). Both count
 * market changes (`mc` entries) per second over the same lines, decompressed and split beforehand.
 * The full pipeline (plus the normalizer emitting model updates) is reported too. Rounds are
 * interleaved A-B-B-A per file and the medians over rounds are reported (the machine is shared).
 * Prints one JSON object: {"files", "oddsgate": {"updatesPerSec"}, "limit": {"updatesPerSec"}, "ratio", ...}.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { lines, readHistoricalFile } from '../../src/sources/betfair/historical.js';
import { BetfairStreamListener } from '../../src/sources/betfair/listener.js';
import { MarketStream } from '../../src/sources/betfair/market-stream.js';
import { createBetfairPipeline } from '../../src/sources/betfair/pipeline.js';

const DATA = resolve(fileURLToPath(new URL('../../../shared/data/betfair/historical', import.meta.url)));

function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

interface Corpus {
  files: string[];
  /** Lines per file (each file is a separate stream: a fresh listener and cache per file). */
  lines: string[][];
  /** Market changes in all lines. */
  updates: number;
}

async function load(): Promise<Corpus> {
  const names = (await readdir(DATA)).filter((f) => !f.endsWith('.json')).sort();
  const files: string[] = [];
  const all: string[][] = [];
  let updates = 0;
  for (const name of names) {
    const file = await readHistoricalFile(join(DATA, name));
    const ls = [...lines(file.text)];
    for (const l of ls) {
      try {
        const mc = (JSON.parse(l) as { mc?: unknown[] }).mc;
        if (Array.isArray(mc)) updates += mc.length;
      } catch {
        // a truncated last line: parsed (and rejected) by both contenders alike
      }
    }
    files.push(name);
    all.push(ls);
  }
  return { files, lines: all, updates };
}

/** Seconds to run `fn` over one file's lines. */
function time(ls: string[], fn: (ls: string[]) => void): number {
  const t0 = performance.now();
  fn(ls);
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/**
 * One round: every file through the limit and a contender in A-B-B-A order (so drift in machine load
 * falls on both alike); returns the seconds each took over all files.
 */
function round(corpus: Corpus, contender: (ls: string[]) => void): { limit: number; contender: number } {
  let l = 0;
  let c = 0;
  for (const ls of corpus.lines) {
    l += time(ls, limit);
    c += time(ls, contender);
    c += time(ls, contender);
    l += time(ls, limit);
  }
  return { limit: l / 2, contender: c / 2 };
}

function limit(ls: string[]): void {
  let n = 0;
  for (const l of ls) {
    try {
      if ((JSON.parse(l) as { op?: unknown }).op) n++;
    } catch {
      n--;
    }
  }
  if (n === -1) throw new Error('unreachable');
}

function listenerAndCache(ls: string[]): void {
  const stream = new MarketStream({ maxLatencyMs: null, closedMarketTtlMs: Infinity });
  const listener = new BetfairStreamListener({ marketStream: stream });
  for (const l of ls) listener.handleLine(l);
}

function fullPipeline(ls: string[]): void {
  let n = 0;
  const p = createBetfairPipeline({
    source: 'bench',
    sink: (u) => (n += u.length),
    maxLatencyMs: null,
    closedMarketTtlMs: Infinity,
  });
  for (const l of ls) p.handleLine(l);
  if (n < 0) throw new Error('unreachable');
}

async function main(): Promise<void> {
  const rounds = flag('rounds', 15);
  const corpus = await load();
  const cache: { limit: number; contender: number }[] = [];
  const pipeline: { limit: number; contender: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    cache.push(round(corpus, listenerAndCache));
    pipeline.push(round(corpus, fullPipeline));
  }
  // Medians over the rounds: the machine is shared, so single runs swing widely; each round's ratio
  // compares runs made back to back.
  const rate = (s: number) => Math.round(corpus.updates / s);
  const ratio = (rs: { limit: number; contender: number }[]) =>
    Math.round(median(rs.map((r) => r.limit / r.contender)) * 1000) / 1000;
  const out = {
    files: corpus.files.length,
    oddsgate: { updatesPerSec: rate(median(cache.map((r) => r.contender))) },
    limit: { updatesPerSec: rate(median(cache.map((r) => r.limit))) },
    ratio: ratio(cache),
    updates: corpus.updates,
    lines: corpus.lines.reduce((n, l) => n + l.length, 0),
    rounds,
    pipelineWithNormalizer: {
      updatesPerSec: rate(median(pipeline.map((r) => r.contender))),
      ratio: ratio(pipeline),
    },
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:stream: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
