import type { Market, MarketStatus, Runner, RunnerStatus } from '../../model/index.js';

/**
 * One runner's prices at one change, as history stores it: prices and sizes in integer hundredths (0: no
 * price), traded volume in hundredths, runner and market status and the in-play flag packed in `flags`.
 */
export interface Tick {
  /** Epoch ms. */
  ts: number;
  selectionId: number;
  /** Bits 0–2 runner status, 3–4 market status, 5 in-play (see packFlags). */
  flags: number;
  back: number;
  backSize: number;
  lay: number;
  laySize: number;
  ltp: number;
  tv: number;
}

export const RUNNER_STATUSES: readonly RunnerStatus[] = [
  'ACTIVE',
  'SUSPENDED',
  'WINNER',
  'LOSER',
  'PLACED',
  'REMOVED',
  'HIDDEN',
];
export const MARKET_STATUSES: readonly MarketStatus[] = ['INACTIVE', 'OPEN', 'SUSPENDED', 'CLOSED'];
const IN_PLAY = 32;

/** Packs runner status, market status and in-play into one small int. */
export function packFlags(runner: RunnerStatus, market: MarketStatus, inPlay: boolean): number {
  return (
    Math.max(0, RUNNER_STATUSES.indexOf(runner)) |
    (Math.max(0, MARKET_STATUSES.indexOf(market)) << 3) |
    (inPlay ? IN_PLAY : 0)
  );
}

/** The parts of `flags`. */
export function unpackFlags(flags: number): {
  status: RunnerStatus;
  marketStatus: MarketStatus;
  inPlay: boolean;
} {
  return {
    status: RUNNER_STATUSES[flags & 7] ?? 'ACTIVE',
    marketStatus: MARKET_STATUSES[(flags >> 3) & 3] ?? 'OPEN',
    inPlay: (flags & IN_PLAY) !== 0,
  };
}

/** A price or size in integer hundredths (0 for none). */
export function hundredths(v: number | null | undefined): number {
  return v === null || v === undefined || !Number.isFinite(v) || v <= 0 ? 0 : Math.round(v * 100);
}

/** Hundredths back to a number; 0 (none) to null. */
export function fromHundredths(v: number): number | null {
  return v === 0 ? null : v / 100;
}

/** The tick of one runner of a market at `ts`. */
export function tickOf(market: Market, runner: Runner, ts: number): Tick {
  const b = runner.back[0];
  const l = runner.lay[0];
  return {
    ts,
    selectionId: runner.selectionId,
    flags: packFlags(runner.status, market.status, market.inPlay),
    back: hundredths(b?.price),
    backSize: hundredths(b?.size),
    lay: hundredths(l?.price),
    laySize: hundredths(l?.size),
    ltp: hundredths(runner.ltp),
    tv: hundredths(runner.tv),
  };
}

/** True when the stored values of two ticks differ (the time aside). */
export function tickChanged(a: Tick, b: Tick): boolean {
  return (
    a.flags !== b.flags ||
    a.back !== b.back ||
    a.backSize !== b.backSize ||
    a.lay !== b.lay ||
    a.laySize !== b.laySize ||
    a.ltp !== b.ltp ||
    a.tv !== b.tv
  );
}
