/**
 * What the simulated betting site shows: its events (the simulator's schedule, so the same teams and
 * start times as the simulated exchange), their summary markets, and the Match Odds, BookMaker and Fancy
 * markets of a match page. Everything is a pure function of (options, wall-clock ms): prices move every
 * `tickMs` and a restart shows the same site.
 */
import { scheduleAt, type ScheduledEvent, type ScheduleOptions, type SimSport } from '../schedule.js';
import { hash32, hashUnit } from '../random.js';

/** The site's own sport ids (Betfair-like; the site profile maps them to canonical ids). */
export const SITE_SPORTS: Readonly<Record<SimSport, { etid: number; name: string }>> = {
  football: { etid: 1, name: 'Football' },
  tennis: { etid: 2, name: 'Tennis' },
  cricket: { etid: 4, name: 'Cricket' },
  racing: { etid: 7, name: 'Horse Racing' },
};

/** Options of the site's data. */
export interface SiteDataOptions extends ScheduleOptions {
  /** Prices move once per tick (ms). */
  tickMs: number;
}

/** A price box as the site keeps it (numbers; the page renders them as text). */
export interface SitePrice {
  odds: number;
  size: number;
}

/** A runner (selection) of a site market. */
export interface SiteRunner {
  sid: number;
  nat: string;
  status: 'ACTIVE' | 'SUSPENDED';
  back: SitePrice[];
  lay: SitePrice[];
}

/** A market of the site. */
export interface SiteMarket {
  mid: string;
  mname: string;
  mtype: 'MATCH_ODDS' | 'BOOKMAKER' | 'FANCY';
  status: 'OPEN' | 'SUSPENDED';
  min: number;
  max: number;
  runners: SiteRunner[];
}

/** An event as the site's app stores it in localStorage. */
export interface SiteEvent {
  gmid: number;
  etid: number;
  ename: string;
  cname: string;
  stime: string;
  iplay: boolean;
  f: boolean;
  bm: boolean;
  tv: string;
  summaryMarkets: SiteMarket[];
}

/** The markets a match page renders. */
export interface SiteMatchMarkets {
  matchOdds: SiteMarket[];
  bookmaker: SiteMarket[];
  fancy: SiteMarket[];
}

/** The site's id of a scheduled event (7 digits, like the seed's gmids). */
export function siteGmid(ev: ScheduledEvent, seed: number): number {
  return 5_000_000 + (hash32(seed, 'site-gmid', ev.key) % 4_000_000);
}

function visible(ev: ScheduledEvent, now: number): boolean {
  return now >= ev.appearAt && now < ev.endAt;
}

/** The events the site lists at `now` (from appearance to the end of play), by start time. */
export function siteFixtures(opts: SiteDataOptions, now: number): ScheduledEvent[] {
  return scheduleAt(opts, now).filter((ev) => visible(ev, now));
}

/** Win probabilities of the main market's runners at a tick (a slow wobble around the schedule's strengths). */
function probabilities(ev: ScheduledEvent, opts: SiteDataOptions, tick: number): number[] {
  const n = ev.markets[0]?.runners.length ?? 2;
  const base: number[] =
    ev.goalRates !== undefined
      ? [Math.log(ev.goalRates[0] + 0.2), Math.log(ev.goalRates[1] + 0.2), Math.log(0.9)]
      : [...(ev.strengths ?? new Array<number>(n).fill(0))];
  const logits = base.map(
    (x, i) => x + 0.25 * Math.sin(tick / 23 + i * 1.7 + hashUnit(opts.seed, ev.key) * 6),
  );
  const m = Math.max(...logits);
  const exp = logits.map((x) => Math.exp(x - m));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((x) => Math.min(0.97, Math.max(0.02, x / sum)));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Liquidity with the spread of sizes a site shows: 100 .. 2,500,000. */
function size(seed: number, ...parts: (string | number)[]): number {
  const u = hashUnit(seed, 'size', ...parts);
  return Math.round(100 * Math.pow(25_000, u));
}

function ladder(price: number, dir: 1 | -1, seed: number, key: string, tag: string): SitePrice[] {
  return [0, 1, 2].map((i) => ({
    odds: Math.max(1.01, round2(price + dir * i * (price < 2 ? 0.01 : price < 4 ? 0.05 : 0.2))),
    size: size(seed, key, tag, i),
  }));
}

/** The Match Odds market of an event at a tick (three price levels each side). */
export function matchOddsMarket(ev: ScheduledEvent, opts: SiteDataOptions, tick: number): SiteMarket {
  const spec = ev.markets[0];
  const probs = probabilities(ev, opts, tick);
  const gmid = siteGmid(ev, opts.seed);
  const suspended = hashUnit(opts.seed, ev.key, 'mo-susp', tick) < 0.03;
  return {
    mid: String(gmid * 10 + 1),
    mname: 'Match Odds',
    mtype: 'MATCH_ODDS',
    status: suspended ? 'SUSPENDED' : 'OPEN',
    min: 100,
    max: 50_000,
    runners: (spec?.runners ?? []).map((r, i) => {
      const p = probs[i] ?? 0.5;
      const back = Math.max(1.01, round2(0.99 / p));
      const lay = round2(back + (back < 2 ? 0.01 : back < 4 ? 0.05 : 0.2));
      const key = `${ev.key}:${i}:${tick}`;
      return {
        sid: r.selectionId,
        nat: r.name,
        status: suspended ? 'SUSPENDED' : 'ACTIVE',
        back: ladder(back, -1, opts.seed, key, 'b'),
        lay: ladder(lay, 1, opts.seed, key, 'l'),
      };
    }),
  };
}

/** The BookMaker market: rates in the Indian style (back 85 = 1.85), one level each side. */
export function bookmakerMarket(ev: ScheduledEvent, opts: SiteDataOptions, tick: number): SiteMarket {
  const probs = probabilities(ev, opts, tick);
  const gmid = siteGmid(ev, opts.seed);
  const suspended = hashUnit(opts.seed, ev.key, 'bm-susp', tick) < 0.08;
  const names = ev.markets[0]?.runners ?? [];
  return {
    mid: String(gmid * 10 + 2),
    mname: 'Bookmaker',
    mtype: 'BOOKMAKER',
    status: suspended ? 'SUSPENDED' : 'OPEN',
    min: 100,
    max: 500_000,
    runners: names.map((r, i) => {
      const rate = Math.max(1, Math.round((0.97 / (probs[i] ?? 0.5) - 1) * 100));
      return {
        sid: r.selectionId,
        nat: r.name,
        status: suspended ? 'SUSPENDED' : 'ACTIVE',
        back: [{ odds: rate, size: 500_000 }],
        lay: [{ odds: rate + 2, size: 500_000 }],
      };
    }),
  };
}

const FANCY_LINES: readonly { label: (team: string) => string; base: number; spread: number }[] = [
  { label: (t) => `6 over runs ${t}`, base: 48, spread: 8 },
  { label: (t) => `10 over runs ${t}`, base: 78, spread: 10 },
  { label: (t) => `20 over runs ${t}`, base: 162, spread: 18 },
  { label: (t) => `Fall of 1st wkt ${t}`, base: 28, spread: 10 },
  { label: (t) => `${t} boundaries`, base: 21, spread: 5 },
];

/** Fancy lines of a cricket event: one market per line, No (lay) = the line, Yes (back) = line + 1. */
export function fancyMarkets(ev: ScheduledEvent, opts: SiteDataOptions, tick: number): SiteMarket[] {
  const batting = ev.markets[0]?.runners[ev.battingFirst ?? 0]?.name ?? 'Team';
  const gmid = siteGmid(ev, opts.seed);
  return FANCY_LINES.map((line, i) => {
    const drift = Math.round(line.spread * Math.sin(tick / 17 + i));
    const no = line.base + drift;
    const suspended = hashUnit(opts.seed, ev.key, 'fancy-susp', i, tick) < 0.1;
    const status = suspended ? 'SUSPENDED' : 'ACTIVE';
    return {
      mid: `${gmid}${String(i + 1).padStart(2, '0')}`,
      mname: line.label(batting),
      mtype: 'FANCY',
      status: suspended ? 'SUSPENDED' : 'OPEN',
      min: 100,
      max: 200_000,
      runners: [
        {
          sid: i + 1,
          nat: line.label(batting),
          status,
          back: [{ odds: no + 1, size: 100 }],
          lay: [{ odds: no, size: 100 }],
        },
      ],
    } satisfies SiteMarket;
  });
}

function tv(ev: ScheduledEvent, gmid: number): string {
  return `<iframe style='height: 230px; width: 100%;' src='https://score.example/score/${gmid}'></iframe>`;
}

/** An event as the site stores it (summary market = Match Odds only, as on the real site). */
export function siteEvent(ev: ScheduledEvent, opts: SiteDataOptions, now: number): SiteEvent {
  const gmid = siteGmid(ev, opts.seed);
  const tick = Math.floor(now / opts.tickMs);
  return {
    gmid,
    etid: SITE_SPORTS[ev.sport].etid,
    ename: ev.name,
    cname: ev.competition?.name ?? ev.venue ?? '',
    stime: new Date(ev.startAt).toISOString(),
    iplay: now >= ev.startAt && now < ev.endAt,
    f: ev.sport === 'cricket',
    bm: ev.sport === 'cricket' || ev.sport === 'football',
    tv: ev.sport === 'racing' ? '' : tv(ev, gmid),
    summaryMarkets: [matchOddsMarket(ev, opts, tick)],
  };
}

/** Every event the site lists at `now`. */
export function siteEvents(opts: SiteDataOptions, now: number): SiteEvent[] {
  return siteFixtures(opts, now).map((ev) => siteEvent(ev, opts, now));
}

/** The sports list the app stores: one entry per sport with events. */
export function siteSports(events: readonly SiteEvent[]): { etid: number; ename: string; count: number }[] {
  return Object.values(SITE_SPORTS)
    .map((s) => ({ etid: s.etid, ename: s.name, count: events.filter((e) => e.etid === s.etid).length }))
    .filter((s) => s.count > 0);
}

/** The scheduled event behind a site gmid at `now`, if it is listed. */
export function findFixture(opts: SiteDataOptions, now: number, gmid: number): ScheduledEvent | undefined {
  return siteFixtures(opts, now).find((ev) => siteGmid(ev, opts.seed) === gmid);
}

/** What a match page shows for an event at `now`. */
export function matchMarkets(ev: ScheduledEvent, opts: SiteDataOptions, now: number): SiteMatchMarkets {
  const tick = Math.floor(now / opts.tickMs);
  return {
    matchOdds: [matchOddsMarket(ev, opts, tick)],
    bookmaker: ev.sport === 'cricket' || ev.sport === 'football' ? [bookmakerMarket(ev, opts, tick)] : [],
    fancy: ev.sport === 'cricket' ? fancyMarkets(ev, opts, tick) : [],
  };
}
