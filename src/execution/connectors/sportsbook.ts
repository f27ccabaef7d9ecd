/**
 * The sportsbook connector: bets at a bookmaker speaking Pinnacle's public betting API (HTTP Basic
 * credentials): GET /v2/line for the price, line id and risk limits, POST /v2/bets/place with the
 * idempotency key as `uniqueRequestId` (a repeat answers the first response and never places twice),
 * GET /v3/bets by uniqueRequestIds for reconciliation and settlement, GET /v1/client/balance.
 *
 * A sportsbook only takes backs. The line's price must be at least the worst acceptable price; when it
 * moves before the placement, `acceptBetterOdds` lets the book take a better one (`acceptBetterLine`) and
 * LINE_CHANGED is a rejection the order can route past.
 */
import { createHash } from 'node:crypto';
import {
  type ClearedBet,
  type Connector,
  type PlacedBet,
  type PlaceRequest,
  type Quote,
  type Selection,
} from '../types.js';
import { VenueHttp, VenueHttpError } from './http.js';

/** Where a selection is offered at the sportsbook: its money line. */
export interface SportsbookSelection {
  sportId: number;
  eventId: number;
  team: 'TEAM1' | 'TEAM2' | 'DRAW';
}

/** Options of {@link SportsbookConnector}. */
export interface SportsbookOptions {
  /** Base URL of the API (e.g. the simulator's `oddsApi.url`). */
  baseUrl: string;
  username: string;
  password: string;
  /** Maps a selection to the sportsbook's event and team (null: not offered). */
  resolve: (selection: Selection) => SportsbookSelection | null;
  /** Current price for a selection (e.g. the read model's book of this bookmaker). */
  quotes?: (selection: Selection) => Quote | null;
  slug?: string;
  minStake?: number | null;
  maxStake?: number | null;
  timeoutMs?: number;
}

/** One event of the sportsbook's fixtures. */
export interface SportsbookFixture {
  id: number;
  sportId: number;
  starts: string;
  home: string;
  away: string;
}

interface Line {
  status: string;
  price?: number;
  lineId?: number;
  minRiskStake?: number;
  maxRiskStake?: number;
}

interface StraightBet {
  betId: number;
  uniqueRequestId?: string;
  betStatus: string;
  price: number;
  risk: number;
  winLoss?: number;
}

const ACCEPTED = new Set([
  'ACCEPTED',
  'PENDING_ACCEPTANCE',
  'WON',
  'LOSE',
  'HALF_WON_HALF_PUSHED',
  'HALF_LOST_HALF_PUSHED',
]);

/** The request id of an idempotency key (≤ 64 characters, stable). */
export function requestIdOf(key: string): string {
  return key.length <= 64 ? key : createHash('sha256').update(key).digest('hex');
}

/** A Pinnacle-style sportsbook behind the execution Connector interface. */
export class SportsbookConnector implements Connector {
  readonly slug: string;
  readonly limits: { minStake: number | null; maxStake: number | null };
  private readonly http: VenueHttp;
  private readonly auth: string;

  constructor(private readonly opts: SportsbookOptions) {
    this.slug = opts.slug ?? 'pinnacle';
    this.limits = { minStake: opts.minStake ?? null, maxStake: opts.maxStake ?? null };
    this.http = new VenueHttp(new URL(opts.baseUrl).origin, opts.timeoutMs ?? 10_000);
    this.auth = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
  }

  /** The book's price, only for a selection this sportsbook's API can take (its moneyline). */
  quote(selection: Selection): Quote | null {
    if (!this.opts.resolve(selection)) return null;
    return this.opts.quotes?.(selection) ?? null;
  }

  async place(req: PlaceRequest, signal?: AbortSignal): Promise<PlacedBet> {
    if (!req.selection.back) return rejected(req, 'a sportsbook takes backs only');
    const where = this.opts.resolve(req.selection);
    if (!where) return rejected(req, 'the selection is not offered');
    const line = await this.lineOf(where);
    if (line.status !== 'SUCCESS' || line.price === undefined || line.lineId === undefined)
      return rejected(req, 'line not offered', line as unknown as Record<string, unknown>);
    if (line.price < req.price)
      return rejected(
        req,
        `price ${line.price} below the requested ${req.price}`,
        line as unknown as Record<string, unknown>,
      );
    const body = placeBody(req, where, line.lineId);
    return this.postBet(req, body, signal);
  }

  /** The selection's money line now (GET /v2/line): its price, line id and risk limits. */
  private async lineOf(where: SportsbookSelection): Promise<Line> {
    const q = new URLSearchParams({
      sportId: String(where.sportId),
      eventId: String(where.eventId),
      periodNumber: '0',
      betType: 'MONEYLINE',
      team: where.team,
      oddsFormat: 'Decimal',
    });
    return (await this.get(`/v2/line?${q}`)) as Line;
  }

  /**
   * POST /v2/bets/place: a 4xx refusal or an answer without a bet is a rejection, any other failure is
   * thrown to the caller; else the bet accepted at its price and risk.
   */
  private async postBet(
    req: PlaceRequest,
    body: ReturnType<typeof placeBody>,
    signal?: AbortSignal,
  ): Promise<PlacedBet> {
    let answer: { status: string; errorCode?: string; straightBet?: StraightBet };
    try {
      answer = (await this.http.json(
        'POST',
        '/v2/bets/place',
        { authorization: this.auth },
        body,
        signal,
      )) as typeof answer;
    } catch (err) {
      if (err instanceof VenueHttpError && err.status >= 400 && err.status < 500)
        return rejected(req, `refused: HTTP ${err.status}`, { body: err.body });
      throw err;
    }
    const raw = answer as unknown as Record<string, unknown>;
    const bet = answer.straightBet;
    if (answer.status === 'PROCESSED_WITH_ERROR' || !bet)
      return rejected(req, answer.errorCode ?? answer.status, raw);
    return {
      key: req.key,
      bookmakerBetId: String(bet.betId),
      status: 'accepted',
      price: bet.price,
      stake: bet.risk,
      raw,
    };
  }

  /** A sportsbook bet cannot be cancelled. */
  async cancel(): Promise<boolean> {
    return false;
  }

  async currentOrders(keys: readonly string[]): Promise<PlacedBet[]> {
    const out: PlacedBet[] = [];
    for (const [key, bet] of await this.byKeys(keys)) {
      const raw = bet as unknown as Record<string, unknown>;
      out.push(
        ACCEPTED.has(bet.betStatus)
          ? {
              key,
              bookmakerBetId: String(bet.betId),
              status: 'accepted',
              price: bet.price,
              stake: bet.risk,
              raw,
            }
          : {
              key,
              bookmakerBetId: String(bet.betId),
              status: 'rejected',
              price: bet.price,
              stake: 0,
              reason: bet.betStatus,
              raw,
            },
      );
    }
    return out;
  }

  async clearedBets(keys: readonly string[]): Promise<ClearedBet[]> {
    const out: ClearedBet[] = [];
    for (const [key, bet] of await this.byKeys(keys)) {
      const id = String(bet.betId);
      if (bet.betStatus === 'WON')
        out.push({ key, bookmakerBetId: id, outcome: 'WON', profit: bet.winLoss ?? 0 });
      else if (bet.betStatus === 'LOSE')
        out.push({ key, bookmakerBetId: id, outcome: 'LOST', profit: bet.winLoss ?? -bet.risk });
      else if (bet.betStatus === 'CANCELLED' || bet.betStatus === 'REFUNDED')
        out.push({ key, bookmakerBetId: id, outcome: 'VOID', profit: 0 });
    }
    return out;
  }

  async balance(): Promise<number | null> {
    const b = (await this.get('/v1/client/balance')) as { availableBalance?: number };
    return typeof b.availableBalance === 'number' ? b.availableBalance : null;
  }

  /** The sportsbook's fixtures of a sport (GET /v1/fixtures): leagues with their events. */
  async fixtures(sportId: number): Promise<SportsbookFixture[]> {
    const r = (await this.get(`/v1/fixtures?sportId=${sportId}`)) as {
      league?: { events?: { id: number; starts: string; home: string; away: string }[] }[];
    };
    return (r.league ?? []).flatMap((l) => l.events ?? []).map((e) => ({ ...e, sportId }));
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.http.close();
  }

  private get(path: string): Promise<unknown> {
    return this.http.json('GET', path, { authorization: this.auth });
  }

  private async byKeys(keys: readonly string[]): Promise<[string, StraightBet][]> {
    const byId = new Map(keys.map((k) => [requestIdOf(k), k]));
    const ids = [...byId.keys()];
    const out: [string, StraightBet][] = [];
    for (let i = 0; i < ids.length; i += 10) {
      const chunk = ids
        .slice(i, i + 10)
        .map(encodeURIComponent)
        .join(',');
      const r = (await this.get(`/v3/bets?uniqueRequestIds=${chunk}`)) as { straightBets?: StraightBet[] };
      for (const bet of r.straightBets ?? []) {
        const key = byId.get(bet.uniqueRequestId ?? '');
        if (key !== undefined) out.push([key, bet]);
      }
    }
    return out;
  }
}

/** The placement of a back at the line: the idempotency key as `uniqueRequestId`, the stake as risk. */
function placeBody(req: PlaceRequest, where: SportsbookSelection, lineId: number) {
  return {
    uniqueRequestId: requestIdOf(req.key),
    acceptBetterLine: req.acceptBetterOdds,
    oddsFormat: 'DECIMAL',
    stake: req.stake,
    winRiskStake: 'RISK',
    lineId,
    fillType: 'NORMAL',
    sportId: where.sportId,
    eventId: where.eventId,
    periodNumber: 0,
    betType: 'MONEYLINE',
    team: where.team,
  };
}

function rejected(req: PlaceRequest, reason: string, raw: Record<string, unknown> = {}): PlacedBet {
  return { key: req.key, bookmakerBetId: '', status: 'rejected', price: req.price, stake: 0, reason, raw };
}
