import { performance } from 'node:perf_hooks';
import type { Event, Market, SourceMarket } from '../../src/model/index.js';
import { composeMessage, renderBody } from '../../src/broker/messages.js';

/**
 * The benchmark message: a MATCH_ODDS market push of two runners (setBenchRunners: more) with three price
 * levels each, exactly as oddsgate renders it. The market name carries the publish time ("pt=<epoch ms,
 * fractional>") so clients measure publish-to-receive latency the same way for every contender.
 */

/** Epoch ms with sub-millisecond precision, comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Markets the publisher cycles through: more than one run publishes, so ingest never coalesces two messages. */
export const MARKETS = 10_000;
/** Events they belong to (10 markets each, a realistic event size). */
export const EVENTS = 1000;

/** The upstream event id of the n-th message's market. */
export function benchEventId(n: number): string {
  return `E${(n % MARKETS) % EVENTS}`;
}

function ladder(price: number): { price: number; size: number }[] {
  return [0, 1, 2].map((i) => ({ price: +(price - i * 0.02).toFixed(2), size: 100 + i * 250 }));
}

/** Runners per market: 2, a ~940-byte push; 9, ~3 KB, as big as the latency benchmark's racing markets. */
let runnerCount = 2;

/** Sets the runners of every benchmark market (the message size). */
export function setBenchRunners(n: number): void {
  runnerCount = n;
}

const RUNNER_NAMES = ['Home Team', 'Away Team'];

/** The n-th benchmark market update as a source would emit it. */
export function benchMarket(n: number, pt: number): SourceMarket {
  const p = 1.5 + (n % 100) / 100;
  const runner = (id: number, name: string, price: number) => ({
    selectionId: id,
    handicap: 0,
    name,
    status: 'ACTIVE' as const,
    sortPriority: id,
    back: ladder(price),
    lay: [0, 1, 2].map((i) => ({ price: +(price + 0.02 + i * 0.02).toFixed(2), size: 100 + i * 250 })),
    ltp: price,
    tv: 1000 + n,
    bsp: null,
    adjustmentFactor: null,
  });
  return {
    id: `1.${200_000_000 + (n % MARKETS)}`,
    source: 'bench',
    type: 'MATCH_ODDS',
    name: `pt=${pt.toFixed(3)}`,
    status: 'OPEN',
    inPlay: true,
    minStake: null,
    maxStake: null,
    totalMatched: 50_000 + n,
    numberOfWinners: 1,
    startTime: '2026-11-22T15:00:00.000Z',
    runners: Array.from({ length: runnerCount }, (_, i) =>
      runner(i + 1, RUNNER_NAMES[i] ?? `Runner ${i + 1}`, p + 0.5 * i),
    ),
    publishedAt: null,
  };
}

const EVENT: Event = {
  id: 1_000_001,
  upstreamIds: { bench: 'E1' },
  sportId: 1,
  name: 'Home Team v Away Team',
  competition: { id: null, name: 'Bench League' },
  team1: 'Home Team',
  team2: 'Away Team',
  startTime: '2026-11-22T15:00:00.000Z',
  status: 'IN_PLAY',
  inPlay: true,
  hasFancy: false,
  hasBookmaker: false,
  countryCode: null,
  venue: null,
  scoreUrl: null,
  streamUrl: null,
  updatedAt: 0,
};

/** The same push as oddsgate sends to room `all`, for the peers that do not run oddsgate's pipeline. */
export function benchMessage(n: number, pt: number): string {
  const now = Date.now();
  const market: Market = { ...benchMarket(n, pt), eventId: EVENT.id, updatedAt: now, version: n + 1 };
  const change = { type: 'market' as const, market };
  return composeMessage('market_odds', 'all', n + 1, now, renderBody(change, 'market_odds', EVENT));
}

/** The same push as an object (what a Socket.IO application would emit; Socket.IO serialises it once). */
export function benchObject(n: number, pt: number): Record<string, unknown> {
  return JSON.parse(benchMessage(n, pt)) as Record<string, unknown>;
}
