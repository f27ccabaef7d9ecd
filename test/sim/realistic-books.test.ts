/**
 * Property test over a simulated day: the books a front end sees on the simulated exchange look like a
 * real exchange's. Every liquid market (the main market — MATCH_ODDS or WIN — open, with at least
 * £1,000 matched) is sampled every simulated second, as rebuilt from the stream a subscriber gets:
 * - every runner is backable and layable, best back below best lay;
 * - the best back/lay spread is at most 3 ticks of the Betfair ladder, or wider for at most a minute;
 * - the best backs' implied probabilities sum to 100–110 %, the best lays' to 90–100 %;
 * - extreme prices (a runner backable at ≤ 1.05, or one of two sides at ≥ 50) only when the event is
 *   nearly decided: in the last 20 % of a football match or with a lead of two goals or more, in the
 *   second half of play of a tennis or cricket match or a race.
 * Deterministic: seeded simulator on a manual clock advanced in a bounded loop; no timers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { playClock } from '../../src/sim/models.js';
import type { McmMessage, PricePair, StreamMarketDefinition } from '../../src/sim/stream-types.js';
import { tickIndex } from '../../src/model/ticks.js';
import { harness } from './helpers.js';

type Ladder = Map<number, number>;
interface Market {
  def: StreamMarketDefinition | null;
  tv: number;
  runners: Map<number, { atb: Ladder; atl: Ladder }>;
  /** Simulated time (ms) since which the market has had a runner quoted wider than MAX_SPREAD. */
  wideSince: number | null;
}

const SPEED = 50;
/** One tick of the simulator is one simulated second. */
const TICK_MS = 1000 / SPEED;
const DAY_SEC = 24 * 3600;
const MAX_SPREAD = 3;
const MAX_WIDE_SEC = 60;
const LIQUID_TV = 1000;
const SPORT_OF: Record<string, string> = { '1': 'football', '2': 'tennis', '4': 'cricket', '7': 'racing' };

function apply(ladder: Ladder, pairs: PricePair[] | undefined): void {
  for (const [p, s] of pairs ?? []) {
    if (s === 0) ladder.delete(p);
    else ladder.set(p, s);
  }
}

function update(markets: Map<string, Market>, msg: McmMessage): void {
  for (const mc of msg.mc ?? []) {
    let m = markets.get(mc.id);
    if (!m || mc.img) {
      m = { def: null, tv: 0, runners: new Map(), wideSince: null };
      markets.set(mc.id, m);
    }
    if (mc.marketDefinition) m.def = mc.marketDefinition;
    if (mc.tv !== undefined) m.tv = mc.tv;
    for (const rc of mc.rc ?? []) {
      let r = m.runners.get(rc.id);
      if (!r) m.runners.set(rc.id, (r = { atb: new Map(), atl: new Map() }));
      apply(r.atb, rc.atb);
      apply(r.atl, rc.atl);
    }
  }
}

function best(l: Ladder, side: 'back' | 'lay'): number | null {
  let b: number | null = null;
  for (const p of l.keys()) if (b === null || (side === 'back' ? p > b : p < b)) b = p;
  return b;
}

interface SportSeen {
  samples: number;
  inPlay: number;
  maxBackBook: number;
  minBackBook: number;
  minLayBook: number;
  maxLayBook: number;
  maxSpread: number;
  maxWideSec: number;
  extremes: number;
}

function newSeen(): SportSeen {
  return {
    samples: 0,
    inPlay: 0,
    maxBackBook: 0,
    minBackBook: Infinity,
    minLayBook: Infinity,
    maxLayBook: 0,
    maxSpread: 0,
    maxWideSec: 0,
    extremes: 0,
  };
}

/** Runs the simulator over a simulated day; returns what it saw per sport and the first violations. */
function simulateDay(seed: number, start: number): { seen: Record<string, SportSeen>; failures: string[] } {
  const h = harness({ seed, speed: SPEED, tickMs: TICK_MS, events: 12, rate: 60 * SPEED }, start);
  const markets = new Map<string, Market>();
  const seen: Record<string, SportSeen> = {};
  const failures: string[] = [];
  const perKind = new Map<string, number>();
  /** Keeps the first few violations of each kind (a broken model breaks every market every second). */
  const fail = (kind: string, s: string): void => {
    const n = perKind.get(kind) ?? 0;
    perKind.set(kind, n + 1);
    if (n < 4) failures.push(s);
  };

  /** The event is nearly decided: late in play, or (football) two goals or more between the sides. */
  const nearlyDecided = (eventId: string, sport: string, t: number): boolean => {
    const spec = h.sim.event(eventId);
    if (!spec) return false;
    const pc = playClock(spec, t, SPEED);
    const played = pc.totalMs > 0 ? pc.playedMs / pc.totalMs : 0;
    if (sport === 'football') {
      const score = h.sim.eventState(eventId)?.score ?? '0-0';
      const [a, b] = score.split('-').map(Number) as [number, number];
      return played >= 0.8 || Math.abs(a - b) >= 2;
    }
    return played >= 0.5;
  };

  /** Checks every liquid market at clock time t (event times are clock times; SPEED simulated s per s). */
  const sample = (t: number): void => {
    for (const [id, m] of markets) {
      const def = m.def;
      if (!def || def.status !== 'OPEN' || m.tv < LIQUID_TV) {
        if (m) m.wideSince = null;
        continue;
      }
      if (def.marketType !== 'MATCH_ODDS' && def.marketType !== 'WIN') continue;
      const sport = SPORT_OF[def.eventTypeId] ?? def.eventTypeId;
      const s = (seen[sport] ??= newSeen());
      s.samples++;
      if (def.inPlay) s.inPlay++;
      const where = `${sport} ${id} ${def.eventName ?? ''} ${def.inPlay ? 'in play' : 'pre-play'} at ${new Date(t).toISOString()}`;
      let backBook = 0;
      let layBook = 0;
      let wide = false;
      let extreme = false;
      const quotes: string[] = [];
      for (const rd of def.runners) {
        if (rd.status !== 'ACTIVE') continue;
        const r = m.runners.get(rd.id);
        const bb = r ? best(r.atb, 'back') : null;
        const bl = r ? best(r.atl, 'lay') : null;
        quotes.push(`${bb}/${bl}`);
        if (bb === null || bl === null) {
          fail('missing', `${where}: runner ${rd.id} has back ${bb} lay ${bl}`);
          continue;
        }
        if (!(bb < bl)) fail('crossed', `${where}: runner ${rd.id} back ${bb} ≥ lay ${bl}`);
        const spread = tickIndex(bl) - tickIndex(bb);
        s.maxSpread = Math.max(s.maxSpread, spread);
        if (spread > MAX_SPREAD) wide = true;
        backBook += 1 / bb;
        layBook += 1 / bl;
        // ≥ 50 is extreme for one of two sides; a 3-way match's or a race's outsider is often that long
        if (bb <= 1.05 || (def.runners.length === 2 && bb >= 50)) extreme = true;
      }
      const q = quotes.join(' ');
      s.maxBackBook = Math.max(s.maxBackBook, backBook);
      s.minBackBook = Math.min(s.minBackBook, backBook);
      s.maxLayBook = Math.max(s.maxLayBook, layBook);
      s.minLayBook = Math.min(s.minLayBook, layBook);
      if (backBook < 1 || backBook > 1.1)
        fail('back book', `${where}: back book ${backBook.toFixed(4)} (${q})`);
      if (layBook > 1 || layBook < 0.9) fail('lay book', `${where}: lay book ${layBook.toFixed(4)} (${q})`);
      // a nearly decided market's outsiders are quoted wide by nature (the favourite at 1.01–1.02 leaves
      // them between ~50 and ~100 on the back and the lay side): only the extremes check applies there
      if (wide && !extreme) {
        m.wideSince ??= t;
        const sec = ((t - m.wideSince) * SPEED) / 1000;
        s.maxWideSec = Math.max(s.maxWideSec, sec);
        if (sec > MAX_WIDE_SEC) fail('wide', `${where}: wider than ${MAX_SPREAD} ticks for ${sec} s (${q})`);
      } else m.wideSince = null;
      if (extreme) {
        s.extremes++;
        if (!nearlyDecided(def.eventId, sport, t))
          fail('extreme', `${where}: extreme prices before the event is nearly decided (${q})`);
      }
    }
  };

  const drain = (): void => {
    for (const msg of h.messages) update(markets, msg);
    h.messages.length = 0;
  };
  drain();
  // stops early once every kind of violation has been seen often enough to report
  for (let sec = 0; sec < DAY_SEC && failures.length < 24; sec++) {
    h.clock.advance(TICK_MS);
    h.sim.tick();
    drain();
    sample(h.clock.now());
    if (sec % 600 === 0) {
      for (const [id, m] of markets) if (m.def?.status === 'CLOSED') markets.delete(id);
    }
  }
  h.unsubscribe();
  return { seen, failures };
}

describe('simulated books a front end can trust', () => {
  // a whole simulated day (86,400 ticks): about half a minute of CPU, more on a loaded machine
  const opts = { timeout: 900_000 };
  test(
    'a simulated day: tight spreads, 100–110 % back books, extremes only when nearly decided',
    opts,
    () => {
      const start = Date.UTC(2026, 10, 22, 6, 0, 0);
      const { seen, failures } = simulateDay(20261122, start);
      assert.deepEqual(failures, [], JSON.stringify(seen));
      for (const sport of ['football', 'tennis', 'cricket', 'racing']) {
        const s = seen[sport];
        assert.ok(s, `${sport} markets sampled`);
        assert.ok(s.samples > 20_000, `${sport}: ${s.samples} liquid samples`);
        assert.ok(s.inPlay > (sport === 'racing' ? 500 : 5000), `${sport}: ${s.inPlay} in-play samples`);
      }
    },
  );
});
