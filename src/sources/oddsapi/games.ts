import type { SourceEventFields, SourceMarket, SourceUpdate } from '../../model/index.js';
import { ODDSAPI_SOURCE, normalizeOdds, scorePayload, settleMarket } from './normalizer.js';
import type { SportState } from './schedule.js';
import type { OddsApiEvent, OddsApiScore } from './types.js';

/** Games are forgotten this long after their start. */
const FORGET_AFTER_MS = 2 * 24 * 3600_000;

/** Per upstream game: its event fields and the markets last pushed. */
interface GameBook {
  sportKey: string;
  fields: SourceEventFields;
  markets: Map<string, SourceMarket>;
  closed: boolean;
}

/**
 * What the odds API source last told ingest about each game, so that each response becomes the right
 * updates: every book of every listed game (each poll confirms them), books a bookmaker stopped offering
 * and games no longer listed suspended, and games the scores report completed closed and settled.
 */
export class GameBooks {
  private readonly games = new Map<string, GameBook>();

  /** The updates of an odds response for `sport` (its games' states updated too). */
  fromOdds(sport: SportState, events: readonly OddsApiEvent[], now: number): SourceUpdate[] {
    const updates = normalizeOdds(events, sport.sportId, now);
    for (const ev of events) {
      const prev = sport.games.get(ev.id);
      sport.games.set(ev.id, {
        commenceAt: Date.parse(ev.commence_time),
        completed: prev?.completed ?? false,
      });
    }
    const pushed = new Map<string, Set<string>>();
    for (const u of updates) {
      if (u.kind === 'event') this.track(u.upstreamEventId, sport.key, u.event);
      if (u.kind !== 'market') continue;
      this.games.get(u.upstreamEventId)?.markets.set(u.market.id, u.market);
      let set = pushed.get(u.upstreamEventId);
      if (!set) pushed.set(u.upstreamEventId, (set = new Set()));
      set.add(u.market.id);
    }
    updates.push(...this.suspendMissing(sport.key, pushed));
    this.forget(sport, now);
    return updates;
  }

  /** The updates of a scores response: live scores, and completed games closed with settled books. */
  fromScores(sport: SportState, scores: readonly OddsApiScore[]): SourceUpdate[] {
    const out: SourceUpdate[] = [];
    for (const s of scores) {
      const state = sport.games.get(s.id);
      if (state) state.completed = s.completed;
      const game = this.games.get(s.id);
      if (!game || game.closed) continue;
      const base = { source: ODDSAPI_SOURCE, upstreamEventId: s.id } as const;
      if (s.scores && s.scores.length > 0) out.push({ ...base, kind: 'score', score: scorePayload(s) });
      if (!s.completed) continue;
      game.closed = true;
      out.push({ ...base, kind: 'event', event: { ...game.fields, status: 'CLOSED', inPlay: false } });
      for (const m of game.markets.values())
        out.push({ ...base, kind: 'market', market: settleMarket(m, s) });
    }
    return out;
  }

  /** Open books held (for the source status). */
  openMarkets(): number {
    let n = 0;
    for (const g of this.games.values()) {
      if (!g.closed) for (const m of g.markets.values()) if (m.status === 'OPEN') n++;
    }
    return n;
  }

  private track(id: string, sportKey: string, fields: SourceEventFields): void {
    const game = this.games.get(id);
    if (game) game.fields = fields;
    else this.games.set(id, { sportKey, fields, markets: new Map(), closed: false });
  }

  /** Books of `sportKey` not in this response (or of games no longer listed) are suspended, once. */
  private suspendMissing(sportKey: string, pushed: Map<string, Set<string>>): SourceUpdate[] {
    const out: SourceUpdate[] = [];
    for (const [id, game] of this.games) {
      if (game.sportKey !== sportKey || game.closed) continue;
      const kept = pushed.get(id) ?? new Set<string>();
      for (const m of game.markets.values()) {
        if (kept.has(m.id) || m.status === 'SUSPENDED') continue;
        const suspended: SourceMarket = { ...m, status: 'SUSPENDED' };
        game.markets.set(m.id, suspended);
        out.push({ kind: 'market', source: ODDSAPI_SOURCE, upstreamEventId: id, market: suspended });
      }
    }
    return out;
  }

  /** Drops games long past their start (and their state). */
  private forget(sport: SportState, now: number): void {
    for (const [id, g] of sport.games) {
      if (now - g.commenceAt < FORGET_AFTER_MS) continue;
      sport.games.delete(id);
      this.games.delete(id);
    }
  }
}
