/**
 * Builders of one scheduled event per (sport, lane, slot): names, ids, timings and model strengths,
 * all derived from a stable hash so that the same slot always yields the same event.
 */
import {
  DRAW_SELECTION_ID,
  HORSE_NAME_COUNT,
  RACECOURSES,
  RACE_DISTANCES,
  RACE_TYPES,
  horseName,
} from './names.js';
import type { CompetitionPool } from './names.js';
import { hash32, hashUnit } from './random.js';
import {
  SIM_SPORTS,
  type ScheduledEvent,
  type SimMarketSpec,
  type SimRunnerSpec,
  type SimSport,
} from './fixture.js';

/** Where a slot sits: sport, lane, slot index and its start in simulated ms. */
export interface SlotContext {
  seed: number;
  speed: number;
  sport: SimSport;
  lane: number;
  lanes: number;
  slot: number;
  /** Simulated ms (wall ms × speed). */
  slotStart: number;
  period: number;
}

const SEC = 1000;
const MIN = 60 * SEC;

function u(ctx: SlotContext, ...tag: (string | number)[]): number {
  return hashUnit(ctx.seed, ctx.sport, ctx.lane, ctx.slot, ...tag);
}

function wall(ctx: SlotContext, simMs: number): number {
  return Math.round(simMs / ctx.speed);
}

function eventId(ctx: SlotContext): string {
  return String(30_000_000 + (hash32(ctx.seed, 'evt', ctx.sport, ctx.lane, ctx.slot) % 9_000_000));
}

function marketId(ctx: SlotContext, type: string): string {
  const n = hash32(ctx.seed, 'mkt', ctx.sport, ctx.lane, ctx.slot, type) % 100_000_000;
  return `1.2${String(n).padStart(8, '0')}`;
}

/** Stable selection id of a team, player or horse name (Betfair keeps one id per runner across events). */
export function selectionIdFor(name: string, horse = false): number {
  return horse
    ? 10_000_000 + (hash32('horse', name) % 30_000_000)
    : 1000 + (hash32('team', name) % 8_999_000);
}

function runners(names: readonly string[], horse: boolean): SimRunnerSpec[] {
  const used = new Set<number>([DRAW_SELECTION_ID]);
  return names.map((name, i) => {
    let id = selectionIdFor(name, horse);
    while (used.has(id)) id++;
    used.add(id);
    return { selectionId: id, name, sortPriority: i + 1 };
  });
}

function competitionId(name: string): string {
  return String(10_000 + (hash32('competition', name) % 12_990_000));
}

/** The sides a lane may use: lanes sharing a competition get disjoint parts of its pool. */
function lanePool(
  ctx: SlotContext,
  pools: readonly CompetitionPool[],
): { pool: CompetitionPool; teams: string[] } {
  const c = ctx.lane % pools.length;
  const pool = pools[c] as CompetitionPool;
  const lanesInComp = Math.floor((ctx.lanes - 1 - c) / pools.length) + 1;
  const part = Math.floor(ctx.lane / pools.length);
  const teams = pool.teams.filter((_, i) => i % lanesInComp === part);
  return { pool, teams: teams.length >= 2 ? teams : [...pool.teams] };
}

function pickPair(ctx: SlotContext, teams: readonly string[]): [string, string] {
  const n = teams.length;
  const i = Math.floor(u(ctx, 'side1') * n);
  let j = Math.floor(u(ctx, 'side2') * (n - 1));
  if (j >= i) j++;
  return [teams[i] as string, teams[j] as string];
}

function surname(full: string): string {
  return full.split(' ').slice(1).join(' ') || full;
}

/** Simulated durations (ms) of the playing periods and breaks of a team event, in order. */
function periods(ctx: SlotContext): { play: number[]; breaks: number[] } {
  switch (ctx.sport) {
    case 'football': {
      const st1 = (1 + Math.floor(u(ctx, 'st1') * 4)) * MIN;
      const st2 = (2 + Math.floor(u(ctx, 'st2') * 6)) * MIN;
      return { play: [45 * MIN + st1, 45 * MIN + st2], breaks: [15 * MIN] };
    }
    case 'cricket': {
      const inn1 = Math.round((80 + u(ctx, 'inn1') * 12) * MIN);
      const inn2 = Math.round((75 + u(ctx, 'inn2') * 15) * MIN);
      const brk = Math.round((15 + u(ctx, 'brk') * 5) * MIN);
      return { play: [inn1, inn2], breaks: [brk] };
    }
    default:
      return { play: [Math.round((70 + u(ctx, 'len') * 79) * MIN)], breaks: [] };
  }
}

/**
 * Simulated ms between the end of play and the end of the slot: settlement (≤ 3 min) and a short
 * linger of the closed market. The event starts as late in its slot as that allows, so the time
 * before kick-off is the pre-match window and lanes' phases spread the start times.
 */
const TEAM_TAIL = 6 * MIN;
const START_GRID = 5 * MIN;

/** A football, tennis or cricket fixture with one MATCH_ODDS market. */
export function buildTeamEvent(ctx: SlotContext, pools: readonly CompetitionPool[]): ScheduledEvent {
  const { pool, teams } = lanePool(ctx, pools);
  const [a, b] = pickPair(ctx, teams);
  const p = periods(ctx);
  const total = [...p.play, ...p.breaks].reduce((x, y) => x + y, 0);
  const latest = ctx.slotStart + ctx.period - TEAM_TAIL - total;
  const start = Math.max(ctx.slotStart, Math.floor(latest / START_GRID) * START_GRID);
  const breaks: [number, number][] = [];
  let t = start;
  p.play.forEach((len, i) => {
    t += len;
    const brk = p.breaks[i];
    if (brk !== undefined) {
      breaks.push([wall(ctx, t), wall(ctx, t + brk)]);
      t += brk;
    }
  });
  const settle = t + Math.round((60 + u(ctx, 'settle') * 120) * SEC);
  const names = ctx.sport === 'football' ? [a, b, 'The Draw'] : [a, b];
  const rs = runners(names, false);
  const draw = rs[2];
  if (draw) draw.selectionId = DRAW_SELECTION_ID;
  const x0 = (u(ctx, 'x0') - 0.5) * (ctx.sport === 'tennis' ? 5 : 2.4);
  const goals = 2 + u(ctx, 'goals') * 1.4;
  const share = 0.3 + u(ctx, 'share') * 0.42;
  const market: SimMarketSpec = {
    marketId: marketId(ctx, 'MATCH_ODDS'),
    marketType: 'MATCH_ODDS',
    name: 'Match Odds',
    numberOfWinners: 1,
    bspMarket: false,
    runners: rs,
  };
  return {
    key: `${ctx.sport}:${ctx.lane}:${ctx.slot}`,
    sport: ctx.sport,
    eventTypeId: SIM_SPORTS[ctx.sport].eventTypeId,
    eventId: eventId(ctx),
    name: ctx.sport === 'tennis' ? `${surname(a)} v ${surname(b)}` : `${a} v ${b}`,
    competition: { id: competitionId(pool.name), name: pool.name },
    countryCode: pool.countryCode,
    timezone: pool.timezone,
    venue: null,
    lane: ctx.lane,
    slot: ctx.slot,
    appearAt: wall(ctx, ctx.slotStart),
    startAt: wall(ctx, start),
    endAt: wall(ctx, t),
    settleAt: wall(ctx, settle),
    removeAt: wall(ctx, ctx.slotStart + ctx.period),
    breaks,
    ...(ctx.sport === 'football'
      ? { goalRates: [goals * share, goals * (1 - share)] as const }
      : { strengths: [x0 / 2, -x0 / 2] }),
    ...(ctx.sport === 'cricket' ? { battingFirst: u(ctx, 'toss') < 0.5 ? 0 : 1 } : {}),
    markets: [market],
  };
}

/** Simulated ms from the off to the end of the slot: the race, settlement and a short linger. */
export const RACE_TAIL = 150 * SEC;
const STRIDES = [7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47];

const timeFormats = new Map<string, Intl.DateTimeFormat>();

function hhmm(ms: number, timeZone: string): string {
  let f = timeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
    timeFormats.set(timeZone, f);
  }
  return f.format(ms);
}

function raceField(ctx: SlotContext): { names: string[]; strengths: number[] } {
  const n = 6 + Math.floor(u(ctx, 'field') * 9);
  const first = hash32(ctx.seed, 'horses', ctx.lane, ctx.slot) % HORSE_NAME_COUNT;
  const stride = STRIDES[Math.floor(u(ctx, 'stride') * STRIDES.length)] as number;
  const names: string[] = [];
  const strengths: number[] = [];
  for (let i = 0; i < n; i++) {
    names.push(horseName((first + i * stride) % HORSE_NAME_COUNT));
    strengths.push((u(ctx, 's', i, 0) + u(ctx, 's', i, 1) + u(ctx, 's', i, 2) - 1.5) * 2.4);
  }
  return { names, strengths };
}

/** A horse race: one event with a WIN market and a PLACE market. */
export function buildRace(ctx: SlotContext): ScheduledEvent {
  const course = RACECOURSES[
    Math.floor(u(ctx, 'course') * RACECOURSES.length)
  ] as (typeof RACECOURSES)[number];
  const off = ctx.slotStart + ctx.period - RACE_TAIL;
  const finish = off + Math.round((65 + u(ctx, 'run') * 35) * SEC);
  const settle = finish + Math.round((5 + u(ctx, 'settle') * 10) * SEC);
  const { names, strengths } = raceField(ctx);
  const distance = RACE_DISTANCES[Math.floor(u(ctx, 'dist') * RACE_DISTANCES.length)] as string;
  const type = RACE_TYPES[Math.floor(u(ctx, 'type') * RACE_TYPES.length)] as string;
  const rs = runners(names, true);
  const win: SimMarketSpec = {
    marketId: marketId(ctx, 'WIN'),
    marketType: 'WIN',
    name: `${distance} ${type}`,
    numberOfWinners: 1,
    bspMarket: true,
    runners: rs,
  };
  const place: SimMarketSpec = {
    marketId: marketId(ctx, 'PLACE'),
    marketType: 'PLACE',
    name: 'To Be Placed',
    numberOfWinners: names.length <= 7 ? 2 : 3,
    bspMarket: true,
    runners: rs.map((r) => ({ ...r })),
  };
  const offWall = wall(ctx, off);
  return {
    key: `racing:${ctx.lane}:${ctx.slot}`,
    sport: 'racing',
    eventTypeId: SIM_SPORTS.racing.eventTypeId,
    eventId: eventId(ctx),
    name: `${hhmm(offWall, course.timezone)} ${course.venue}`,
    competition: null,
    countryCode: course.countryCode,
    timezone: course.timezone,
    venue: course.venue,
    lane: ctx.lane,
    slot: ctx.slot,
    appearAt: wall(ctx, ctx.slotStart),
    startAt: offWall,
    endAt: wall(ctx, finish),
    settleAt: wall(ctx, settle),
    removeAt: wall(ctx, ctx.slotStart + ctx.period),
    breaks: [],
    strengths,
    markets: [win, place],
  };
}
