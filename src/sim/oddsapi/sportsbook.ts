/**
 * A simulated sportsbook that takes bets, in the manner of Pinnacle's public betting API: a line (price,
 * line id, min/max risk) for a money-line selection of a listed event, priced from the odds-API books of
 * one bookmaker (default `pinnacle`); placement with a `uniqueRequestId` (a repeated id answers the first
 * response and never places twice), `acceptBetterLine`, LINE_CHANGED when the price moved since the line
 * was read, stake limits, funds; bet listing by request id, bet id or date range; settlement of accepted
 * bets once the event has a result. Everything runs on the injected clock. Faults (rejections, and
 * timeouts where the bet is placed but no answer is sent) come from the admin mode.
 */
import type { ScheduledEvent } from '../fixture.js';
import { hash32, hashUnit } from '../random.js';
import { BOOKMAKERS, type SimBookmaker } from './catalog.js';
import { oddsEventId, outcomeNames, sidesOf, sportOf } from './events.js';
import { backPrices, type FairSource } from './pricing.js';

/** Pinnacle's sport ids of the simulated sports. */
export const SPORT_IDS: Readonly<Record<string, number>> = { football: 29, tennis: 33, cricket: 8 };
/** Money-line teams in the main market's runner order. */
export const TEAMS = ['TEAM1', 'TEAM2', 'DRAW'] as const;
export type Team = (typeof TEAMS)[number];

/** A placement request (already validated). */
export interface PlaceBetRequest {
  uniqueRequestId: string;
  acceptBetterLine: boolean;
  stake: number;
  winRiskStake: 'WIN' | 'RISK';
  lineId: number;
  fillType?: 'NORMAL' | 'FILLANDKILL' | 'FILLMAXLIMIT' | undefined;
  sportId: number;
  eventId: number;
  periodNumber: number;
  betType: 'MONEYLINE';
  team: Team;
}

/** A bet the sportsbook holds. */
export interface SportsbookBet {
  betId: number;
  uniqueRequestId: string;
  ev: ScheduledEvent;
  team: Team;
  price: number;
  risk: number;
  win: number;
  placedAt: number;
  live: boolean;
  status: 'PENDING_ACCEPTANCE' | 'ACCEPTED' | 'WON' | 'LOSE';
  winLoss: number | null;
  settledAt: number | null;
}

/** A placement answer. */
export interface PlaceBetResponse {
  status: 'ACCEPTED' | 'PENDING_ACCEPTANCE' | 'PROCESSED_WITH_ERROR';
  errorCode?: string;
  uniqueRequestId: string;
  straightBet?: Record<string, unknown>;
}

/** A fault the next placements show. */
export interface BetFault {
  kind: 'reject' | 'timeout';
  /** The errorCode of a rejection (default SYSTEM_ERROR_3). */
  code?: string;
  times?: number;
}

/** Options of {@link SimSportsbook}. */
export interface SimSportsbookOptions {
  now: () => number;
  seed: number;
  fair: FairSource;
  /** Events listed at a time (the odds API's). */
  listed: (now: number) => ScheduledEvent[];
  /** The bookmaker whose prices it takes (default pinnacle). */
  bookmaker?: string;
  balance?: number;
  minRisk?: number;
  maxRisk?: number;
  /** In-play limit (default a quarter of maxRisk) and acceptance delay (default 5 s). */
  liveMaxRisk?: number;
  liveDelayMs?: number;
  /** A repeated uniqueRequestId within this long answers the first response (default 30 min). */
  requestWindowMs?: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const MAX_BETS = 100_000;

/** The simulated sportsbook. */
export class SimSportsbook {
  private readonly bm: SimBookmaker;
  private readonly bets = new Map<number, SportsbookBet>();
  private readonly byRequest = new Map<string, { at: number; response: PlaceBetResponse }>();
  private readonly lines = new Map<number, number>();
  private nextBetId = 900_000_001;
  private fault: Required<BetFault> | null = null;
  private balance: number;
  readonly minRisk: number;
  readonly maxRisk: number;
  readonly liveMaxRisk: number;

  constructor(private readonly opts: SimSportsbookOptions) {
    const key = opts.bookmaker ?? 'pinnacle';
    const bm = BOOKMAKERS.find((b) => b.key === key);
    if (!bm) throw new Error(`unknown bookmaker ${key}`);
    this.bm = bm;
    this.balance = opts.balance ?? 10_000;
    this.minRisk = opts.minRisk ?? 1;
    this.maxRisk = opts.maxRisk ?? 2000;
    this.liveMaxRisk = opts.liveMaxRisk ?? this.maxRisk / 4;
  }

  /** Sets the fault the next placements show (null clears it). */
  setFault(f: BetFault | null): void {
    this.fault = f ? { kind: f.kind, code: f.code ?? 'SYSTEM_ERROR_3', times: f.times ?? 1 } : null;
  }

  /** Takes one use of the fault, if any. */
  private takeFault(): Required<BetFault> | null {
    const f = this.fault;
    if (!f) return null;
    if (--f.times <= 0) this.fault = null;
    return f;
  }

  /** The listed event with this Pinnacle-style event id, if any. */
  event(eventId: number, now = this.opts.now()): ScheduledEvent | undefined {
    return this.opts.listed(now).find((e) => Number(e.eventId) === eventId);
  }

  /** Fixtures of a sport: leagues with their events (ids, teams, start). */
  fixtures(sportId: number): Record<string, unknown> {
    const now = this.opts.now();
    const leagues = new Map<number, { id: number; name: string; events: unknown[] }>();
    for (const ev of this.opts.listed(now)) {
      if (SPORT_IDS[ev.sport] !== sportId || !sportOf(ev)) continue;
      const id = leagueId(ev);
      let league = leagues.get(id);
      if (!league) leagues.set(id, (league = { id, name: ev.competition?.name ?? '', events: [] }));
      const [home, away] = sidesOf(ev);
      league.events.push({
        id: Number(ev.eventId),
        starts: new Date(ev.startAt).toISOString(),
        home,
        away,
        liveStatus: 1,
        status: 'O',
        parentId: null,
        oddsApiId: oddsEventId(ev),
      });
    }
    return { sportId, last: now, league: [...leagues.values()] };
  }

  /** The current price of a team on an event's money line, null when it is not offered. */
  private price(ev: ScheduledEvent, team: Team, now: number): number | null {
    const i = TEAMS.indexOf(team);
    if (i >= outcomeNames(ev).length || now >= ev.endAt) return null;
    const fair = this.opts.fair.fair(ev);
    if (!fair) return null;
    return backPrices(fair, this.opts.seed, ev, this.bm, now)[i] ?? null;
  }

  /** GET line: the price, its line id and the risk limits (status NOT_EXISTS when not offered). */
  line(q: { sportId: number; eventId: number; team: Team; periodNumber: number }): Record<string, unknown> {
    const now = this.opts.now();
    const ev = this.event(q.eventId, now);
    const price =
      ev && SPORT_IDS[ev.sport] === q.sportId && q.periodNumber === 0 ? this.price(ev, q.team, now) : null;
    if (!ev || price === null) return { status: 'NOT_EXISTS' };
    const lineId = this.lineId(ev, q.team, price);
    const maxRisk = now >= ev.startAt ? this.liveMaxRisk : this.maxRisk;
    return {
      status: 'SUCCESS',
      price,
      lineId,
      altLineId: null,
      team1Score: null,
      team2Score: null,
      team1RedCards: null,
      team2RedCards: null,
      maxRiskStake: maxRisk,
      minRiskStake: this.minRisk,
      maxWinStake: round2(maxRisk * (price - 1)),
      minWinStake: round2(this.minRisk * (price - 1)),
      effectiveAsOf: new Date(now).toISOString(),
    };
  }

  private lineId(ev: ScheduledEvent, team: Team, price: number): number {
    const id = hash32('line', ev.key, team, Math.round(price * 100)) % 2_000_000_000;
    this.lines.set(id, price);
    if (this.lines.size > MAX_BETS) this.lines.delete(this.lines.keys().next().value as number);
    return id;
  }

  /**
   * Places a bet. Returns the response, and `answer: false` when a timeout fault swallows it (the bet is
   * placed all the same: a client finds it by its uniqueRequestId).
   */
  place(req: PlaceBetRequest): { response: PlaceBetResponse; answer: boolean } {
    const now = this.opts.now();
    this.forget(now);
    const seen = this.byRequest.get(req.uniqueRequestId);
    if (seen) return { response: seen.response, answer: true };
    const fault = this.takeFault();
    if (fault?.kind === 'reject') return this.remember(req, now, this.error(req, fault.code), true);
    const response = this.decide(req, now);
    return this.remember(req, now, response, fault?.kind !== 'timeout');
  }

  private decide(req: PlaceBetRequest, now: number): PlaceBetResponse {
    const ev = this.event(req.eventId, now);
    if (!ev || SPORT_IDS[ev.sport] !== req.sportId || req.periodNumber !== 0)
      return this.error(req, 'INVALID_EVENT');
    const price = this.price(ev, req.team, now);
    if (price === null) return this.error(req, 'OFFLINE_EVENT');
    const asked = this.lines.get(req.lineId);
    if (this.lineId(ev, req.team, price) !== req.lineId) {
      const better = asked !== undefined && price > asked;
      if (!better || !req.acceptBetterLine) return this.error(req, 'LINE_CHANGED');
    }
    const live = now >= ev.startAt;
    let risk = req.winRiskStake === 'RISK' ? req.stake : round2(req.stake / (price - 1));
    const max = live ? this.liveMaxRisk : this.maxRisk;
    if (risk < this.minRisk) return this.error(req, 'BELOW_MIN_BET_AMOUNT');
    if (risk > max) {
      if (req.fillType !== 'FILLMAXLIMIT') return this.error(req, 'ABOVE_MAX_BET_AMOUNT');
      risk = max;
    }
    if (risk > this.balance) return this.error(req, 'INSUFFICIENT_FUNDS');
    this.balance = round2(this.balance - risk);
    const bet: SportsbookBet = {
      betId: this.nextBetId++,
      uniqueRequestId: req.uniqueRequestId,
      ev,
      team: req.team,
      price,
      risk: round2(risk),
      win: round2(risk * (price - 1)),
      placedAt: now,
      live,
      status: live ? 'PENDING_ACCEPTANCE' : 'ACCEPTED',
      winLoss: null,
      settledAt: null,
    };
    this.bets.set(bet.betId, bet);
    if (this.bets.size > MAX_BETS) this.bets.delete(this.bets.keys().next().value as number);
    return {
      status: bet.status === 'ACCEPTED' ? 'ACCEPTED' : 'PENDING_ACCEPTANCE',
      uniqueRequestId: req.uniqueRequestId,
      straightBet: this.render(bet),
    };
  }

  private error(req: PlaceBetRequest, errorCode: string): PlaceBetResponse {
    return { status: 'PROCESSED_WITH_ERROR', errorCode, uniqueRequestId: req.uniqueRequestId };
  }

  private remember(req: PlaceBetRequest, now: number, response: PlaceBetResponse, answer: boolean) {
    this.byRequest.set(req.uniqueRequestId, { at: now, response });
    return { response, answer };
  }

  private forget(now: number): void {
    const window = this.opts.requestWindowMs ?? 30 * 60_000;
    for (const [id, seen] of this.byRequest) {
      if (now - seen.at < window && this.byRequest.size <= MAX_BETS) break;
      this.byRequest.delete(id);
    }
  }

  /** Moves bets on: live bets are accepted after the delay, and accepted bets settle once their event has a result. */
  private update(now: number): void {
    for (const bet of this.bets.values()) {
      if (bet.status === 'PENDING_ACCEPTANCE' && now >= bet.placedAt + (this.opts.liveDelayMs ?? 5000))
        bet.status = 'ACCEPTED';
      if (bet.status !== 'ACCEPTED' || now < bet.ev.settleAt) continue;
      const winner = this.result(bet.ev);
      const won = TEAMS[winner] === bet.team;
      bet.status = won ? 'WON' : 'LOSE';
      bet.winLoss = won ? bet.win : -bet.risk;
      bet.settledAt = bet.ev.settleAt;
      if (won) this.balance = round2(this.balance + bet.risk + bet.win);
    }
  }

  /** The event's winner (main-market runner index): the fair source's result, else drawn from its odds. */
  private result(ev: ScheduledEvent): number {
    const known = this.opts.fair.result?.(ev);
    if (known !== null && known !== undefined) return known;
    const fair = this.opts.fair.fair(ev) ?? [1];
    let u = hashUnit(this.opts.seed, 'result', ev.key);
    for (let i = 0; i < fair.length; i++) {
      u -= fair[i] as number;
      if (u < 0) return i;
    }
    return fair.length - 1;
  }

  /** Bets by request ids, bet ids, or placed/settled in a date range (`list`: SETTLED, RUNNING or ALL). */
  listBets(q: {
    uniqueRequestIds?: string[] | undefined;
    betIds?: number[] | undefined;
    list?: 'SETTLED' | 'RUNNING' | 'ALL' | undefined;
    from?: number | undefined;
    to?: number | undefined;
  }): Record<string, unknown>[] {
    const now = this.opts.now();
    this.update(now);
    const out: SportsbookBet[] = [];
    for (const bet of this.bets.values()) {
      if (q.uniqueRequestIds && !q.uniqueRequestIds.includes(bet.uniqueRequestId)) continue;
      if (q.betIds && !q.betIds.includes(bet.betId)) continue;
      const settled = bet.settledAt !== null;
      if (q.list === 'SETTLED' && !settled) continue;
      if (q.list === 'RUNNING' && settled) continue;
      const t = q.list === 'SETTLED' ? (bet.settledAt ?? 0) : bet.placedAt;
      if ((q.from !== undefined && t < q.from) || (q.to !== undefined && t > q.to)) continue;
      out.push(bet);
    }
    return out.map((b) => this.render(b));
  }

  /** The client balance. */
  clientBalance(): Record<string, unknown> {
    this.update(this.opts.now());
    let outstanding = 0;
    for (const b of this.bets.values()) if (b.settledAt === null) outstanding += b.risk;
    return {
      availableBalance: this.balance,
      outstandingTransactions: round2(outstanding),
      givenCredit: 0,
      currency: 'USD',
    };
  }

  private render(b: SportsbookBet): Record<string, unknown> {
    const [home, away] = sidesOf(b.ev);
    const names = outcomeNames(b.ev);
    const out: Record<string, unknown> = {
      betId: b.betId,
      wagerNumber: 1,
      uniqueRequestId: b.uniqueRequestId,
      placedAt: new Date(b.placedAt).toISOString(),
      betStatus: b.status,
      betType: 'MONEYLINE',
      win: b.win,
      risk: b.risk,
      oddsFormat: 'DECIMAL',
      customerCommission: 0,
      updateSequence: b.settledAt ?? b.placedAt,
      sportId: SPORT_IDS[b.ev.sport],
      leagueId: leagueId(b.ev),
      eventId: Number(b.ev.eventId),
      handicap: null,
      price: b.price,
      teamName: names[TEAMS.indexOf(b.team)] ?? b.team,
      team1: home,
      team2: away,
      periodNumber: 0,
      isLive: b.live ? 'TRUE' : 'FALSE',
      eventStartTime: new Date(b.ev.startAt).toISOString(),
      resultingUnit: 'Regular',
    };
    if (b.winLoss !== null) out.winLoss = b.winLoss;
    if (b.settledAt !== null) out.settledAt = new Date(b.settledAt).toISOString();
    return out;
  }
}

/** A stable numeric league id of an event's competition. */
export function leagueId(ev: ScheduledEvent): number {
  return (hash32('league', ev.competition?.name ?? ev.sport) % 900_000) + 100_000;
}
