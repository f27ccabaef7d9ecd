/**
 * The simulator's fixture list: a pure function of (seed, wall-clock ms) → the events that exist then.
 *
 * Each sport owns a number of lanes; a lane is an endless chain of time slots of the sport's period
 * and holds exactly one event per slot, so exactly `events` events exist at any time. Everything about
 * the event in slot k of a lane (ids, names, start time, duration) is a hash of (seed, sport, lane, k):
 * a restart at any time sees the same events with the same upstream ids. Periods and durations are in
 * simulated time and divided by `speed` into wall-clock time.
 */
import { FOOTBALL, TENNIS, CRICKET } from './names.js';
import { buildRace, buildTeamEvent, type SlotContext } from './schedule-sports.js';
import { hashUnit } from './random.js';
import type { ScheduledEvent, SimSport } from './fixture.js';

export * from './fixture.js';

/** Inputs of the schedule. */
export interface ScheduleOptions {
  seed: number;
  /** Simulated-time multiplier (durations are divided by it). */
  speed: number;
  /** Events that exist at any time (≥ 4: one lane per sport at least). */
  events: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Slot period in simulated ms per sport (racing: see racingPeriod). */
export const SPORT_PERIOD: Readonly<Record<Exclude<SimSport, 'racing'>, number>> = {
  football: 6 * HOUR,
  tennis: 4 * HOUR,
  cricket: 6 * HOUR,
};

/** Simulated ms between two race offs (across racing lanes). */
export const RACE_SPACING = MIN;

const SHARES: readonly (readonly [SimSport, number])[] = [
  ['football', 0.35],
  ['racing', 0.25],
  ['tennis', 0.2],
  ['cricket', 0.2],
];

/** Lanes per sport for a total event count: proportional shares, at least one each. */
export function lanePlan(events: number): Record<SimSport, number> {
  const total = Math.max(4, Math.floor(events));
  const plan = { football: 1, racing: 1, tennis: 1, cricket: 1 };
  let left = total - 4;
  const want = SHARES.map(([s, share]) => [s, share * total - 1] as const);
  for (const [s, w] of want) {
    const add = Math.min(left, Math.max(0, Math.floor(w)));
    plan[s] += add;
    left -= add;
  }
  for (let i = 0; left > 0; i++, left--) plan[(SHARES[i % SHARES.length] as (typeof SHARES)[number])[0]]++;
  return plan;
}

/** Racing slot period (simulated ms): races go off every RACE_SPACING across lanes, slots ≥ 3 minutes. */
export function racingPeriod(lanes: number): number {
  return Math.max(3, lanes) * RACE_SPACING;
}

function lanePhase(seed: number, sport: SimSport, lane: number, lanes: number, period: number): number {
  if (sport === 'racing') {
    // offs land on whole simulated minutes when lanes ≥ 3 (off = slot end − 150 s)
    return Math.round((lane * period) / lanes) + 30_000;
  }
  return Math.floor(hashUnit(seed, 'phase', sport, lane) * period);
}

const POOLS = { football: FOOTBALL, tennis: TENNIS, cricket: CRICKET } as const;

/**
 * The events that exist at wall-clock time `nowMs`, ordered by start time. Pure: the same options and
 * time give the same events, and any time inside an event's [appearAt, removeAt) gives that same event.
 */
export function scheduleAt(opts: ScheduleOptions, nowMs: number): ScheduledEvent[] {
  const speed = opts.speed > 0 ? opts.speed : 1;
  const tau = nowMs * speed;
  const plan = lanePlan(opts.events);
  const out: ScheduledEvent[] = [];
  for (const sport of ['football', 'tennis', 'cricket', 'racing'] as const) {
    const lanes = plan[sport];
    const period = sport === 'racing' ? racingPeriod(lanes) : SPORT_PERIOD[sport];
    for (let lane = 0; lane < lanes; lane++) {
      const phase = lanePhase(opts.seed, sport, lane, lanes, period);
      const slot = Math.floor((tau - phase) / period);
      const ctx: SlotContext = {
        seed: opts.seed,
        speed,
        sport,
        lane,
        lanes,
        slot,
        slotStart: phase + slot * period,
        period,
      };
      out.push(sport === 'racing' ? buildRace(ctx) : buildTeamEvent(ctx, POOLS[sport]));
    }
  }
  return out.sort((a, b) => a.startAt - b.startAt || a.key.localeCompare(b.key));
}
