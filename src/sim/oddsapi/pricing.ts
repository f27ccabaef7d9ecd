import type { ExchangeSimulator } from '../exchange.js';
import type { ScheduledEvent } from '../fixture.js';
import { createModel } from '../models.js';
import { hashUnit } from '../random.js';
import type { SimBookmaker } from './catalog.js';

/**
 * Prices of the simulated odds API. Bookmakers quote around a fair probability per runner — the
 * simulated exchange's current mid prices when one is running in the same process, else the event's
 * pre-match model — each with its own margin on every runner, so that the books never form an
 * arbitrage among themselves or with the exchange unless one is planted on purpose.
 */

/** Fair probabilities and scores of simulated events. */
export interface FairSource {
  /** Fair win probabilities of the main market's runners (spec order), or null when unknown. */
  fair(ev: ScheduledEvent): number[] | null;
  /** The score [home, away] when known (football). */
  score(ev: ScheduledEvent): [number, number] | null;
  /** The winner (main-market runner index) once the event is settled, when known. */
  result?(ev: ScheduledEvent): number | null;
}

/** Pre-match football 1X2 from the expected goals: independent Poisson scores over 90 minutes. */
export function footballFair(rates: readonly [number, number]): number[] {
  const pmf = (mean: number) => {
    const out: number[] = [];
    let p = Math.exp(-mean);
    for (let k = 0; k <= 12; k++) {
      out.push(p);
      p = (p * mean) / (k + 1);
    }
    return out;
  };
  const ph = pmf(rates[0]);
  const pa = pmf(rates[1]);
  let home = 0;
  let draw = 0;
  ph.forEach((x, i) => pa.forEach((y, j) => (i > j ? (home += x * y) : i === j ? (draw += x * y) : 0)));
  const away = Math.max(0, 1 - home - draw);
  const sum = home + away + draw;
  return [home / sum, away / sum, draw / sum];
}

/** Poisson probabilities of 0..12 goals at `mean`. */
function goalPmf(mean: number): number[] {
  const out: number[] = [];
  let p = Math.exp(-mean);
  for (let k = 0; k <= 12; k++) {
    out.push(p);
    p = (p * mean) / (k + 1);
  }
  return out;
}

/**
 * Football lines from the expected goals (the same independent Poisson scores as the 1X2): totals 2.5
 * ([over, under] probabilities) and the half-goal handicap nearer an even bet, as the home side's line
 * (−0.5: the home side must win; +0.5: it must not lose) with [home, away] probabilities.
 */
export function footballLines(rates: readonly [number, number]): {
  totals: { line: number; fair: [number, number] };
  spreads: { homeLine: number; fair: [number, number] };
} {
  const total = goalPmf(rates[0] + rates[1]);
  const under = (total[0] ?? 0) + (total[1] ?? 0) + (total[2] ?? 0);
  const [home, away, draw] = footballFair(rates) as [number, number, number];
  const favourite = home >= away;
  const homeCovers = favourite ? home : home + draw;
  return {
    totals: { line: 2.5, fair: [1 - under, under] },
    spreads: { homeLine: favourite ? -0.5 : 0.5, fair: [homeCovers, 1 - homeCovers] },
  };
}

/** Fair probabilities from each event's pre-match model (no exchange running). */
export function modelFair(speed: number): FairSource {
  const cache = new Map<string, number[]>();
  return {
    fair(ev) {
      let p = cache.get(ev.key);
      if (!p) {
        p = ev.goalRates ? footballFair(ev.goalRates) : [...createModel(ev, speed).probs];
        if (cache.size > 10_000) cache.clear();
        cache.set(ev.key, p);
      }
      return p;
    },
    score: () => null,
  };
}

type Ladder = [number, number][] | undefined;

function best(ladder: Ladder, side: 'back' | 'lay'): number | null {
  let out: number | null = null;
  for (const [price, size] of ladder ?? []) {
    if (!(size > 0)) continue;
    if (out === null || (side === 'back' ? price > out : price < out)) out = price;
  }
  return out;
}

/**
 * Fair probabilities from the running exchange (when `exchange()` gives one): each runner's mid price
 * (best back and lay) of the event's main market, normalised; the model's when a runner has no prices.
 * Snapshots are cached 1 s.
 */
export function exchangeFair(
  exchange: () => ExchangeSimulator | null,
  fallback: FairSource,
  now: () => number,
): FairSource {
  let snap: { at: number; mids: Map<string, Map<number, number>> } | null = null;
  const mids = () => {
    const t = now();
    if (snap && t - snap.at < 1000) return snap.mids;
    const out = new Map<string, Map<number, number>>();
    for (const mc of exchange()?.snapshotMessage().mc ?? []) {
      const byRunner = new Map<number, number>();
      for (const rc of mc.rc ?? []) {
        const b = best(rc.atb as Ladder, 'back');
        const l = best(rc.atl as Ladder, 'lay');
        const mid = b !== null && l !== null ? (b + l) / 2 : (b ?? l);
        if (mid !== null) byRunner.set(rc.id, mid);
      }
      out.set(mc.id, byRunner);
    }
    snap = { at: t, mids: out };
    return out;
  };
  return {
    fair(ev) {
      const m = ev.markets[0];
      const byRunner = m ? mids().get(m.marketId) : undefined;
      const implied = m?.runners.map((r) => {
        const mid = byRunner?.get(r.selectionId);
        return mid === undefined ? null : 1 / mid;
      });
      if (!implied || implied.some((x) => x === null)) return fallback.fair(ev);
      const sum = (implied as number[]).reduce((s, x) => s + x, 0);
      return (implied as number[]).map((x) => x / sum);
    },
    result(ev) {
      const m = ev.markets[0];
      const winners = m ? (exchange()?.market(m.marketId)?.winners() ?? []) : [];
      const i = m && winners.length === 1 ? m.runners.findIndex((r) => r.selectionId === winners[0]) : -1;
      return i >= 0 ? i : null;
    },
    score(ev) {
      const s = exchange()?.eventState(ev.eventId)?.score;
      const m = s ? /^(\d+)\D+(\d+)$/.exec(s) : null;
      return m ? [Number(m[1]), Number(m[2])] : null;
    },
  };
}

const floor2 = (x: number) => Math.floor(x * 100) / 100;
const ceil2 = (x: number) => Math.ceil(x * 100) / 100;

/** A bookmaker's share of its margin on one runner in a minute bucket: 0.6–1.4 of its margin. */
function marginOn(seed: number, ev: ScheduledEvent, bm: SimBookmaker, i: number, bucket: number): number {
  return bm.margin * (0.6 + 0.8 * hashUnit(seed, 'oddsapi', ev.key, bm.key, i, bucket));
}

/** A bookmaker's back prices (decimal, floored to cents, at least 1.01), requoted every minute. */
export function backPrices(
  fair: readonly number[],
  seed: number,
  ev: ScheduledEvent,
  bm: SimBookmaker,
  now: number,
): number[] {
  const bucket = Math.floor(now / 60_000);
  return fair.map((p, i) => Math.max(1.01, floor2(1 / (p * (1 + marginOn(seed, ev, bm, i, bucket))))));
}

/** An exchange bookmaker's lay prices (ceiled to cents): never below fair. */
export function layPrices(
  fair: readonly number[],
  seed: number,
  ev: ScheduledEvent,
  bm: SimBookmaker,
  now: number,
): number[] {
  const bucket = Math.floor(now / 60_000);
  return fair.map((p, i) => ceil2(1 / Math.min(0.999, p * (1 - marginOn(seed, ev, bm, i, bucket)))));
}
