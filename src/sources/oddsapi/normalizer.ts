import type { Runner, SourceEventFields, SourceMarket, SourceUpdate } from '../../model/index.js';
import type { OddsApiBookmaker, OddsApiEvent, OddsApiMarket, OddsApiOutcome, OddsApiScore } from './types.js';

/**
 * The odds API normalizer: pure functions from parsed responses to model updates. Each bookmaker is a
 * book of its own: one market per (event, bookmaker, market key), id `oddsapi:<event>:<bookmaker>:<key>`.
 * `h2h_lay` (exchanges' lay prices) joins its bookmaker's `h2h` market as the lay side.
 */

/** The source name (and the key of its upstream ids). */
export const ODDSAPI_SOURCE = 'oddsapi';

/** Betfair's selection id of "The Draw", used for the draw of every match-winner market. */
const DRAW_SELECTION_ID = 58805;

/** Market type and name of each Odds API market key oddsgate reads. */
const MARKET_TYPES: Readonly<Record<string, { type: string; name: string }>> = {
  h2h: { type: 'MATCH_ODDS', name: 'Match Odds' },
  spreads: { type: 'SPREADS', name: 'Spreads' },
  totals: { type: 'TOTALS', name: 'Totals' },
};

/** The id of a bookmaker's market of an event. */
export function marketIdOf(eventId: string, bookmaker: string, key: string): string {
  return `${ODDSAPI_SOURCE}:${eventId}:${bookmaker}:${key}`;
}

/** A stable numeric selection id for an outcome name (and line): FNV-1a, 31 bits. */
export function selectionIdOf(name: string, point?: number): number {
  if (/^(the )?draw$/i.test(name.trim())) return DRAW_SELECTION_ID;
  let h = 0x811c9dc5;
  const s = `${name.trim().toLowerCase()}|${point ?? ''}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) + 1;
}

function epoch(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/** True when the event has started at `now` (the API lists in-play events until they finish). */
export function isStarted(ev: { commence_time: string }, now: number): boolean {
  const t = epoch(ev.commence_time);
  return t !== null && t <= now;
}

/** The event fields of an odds API event. */
export function eventFields(ev: OddsApiEvent, sportId: number, now: number): SourceEventFields {
  const home = ev.home_team ?? null;
  const away = ev.away_team ?? null;
  const started = isStarted(ev, now);
  return {
    sportId,
    name: home && away ? `${home} v ${away}` : ev.sport_title || ev.sport_key,
    competition: { id: ev.sport_key, name: ev.sport_title || ev.sport_key },
    team1: home,
    team2: away,
    startTime: new Date(epoch(ev.commence_time) ?? now).toISOString(),
    status: started ? 'IN_PLAY' : 'OPEN',
    inPlay: started,
  };
}

function outcomeName(o: OddsApiOutcome, key: string): string {
  if (key === 'totals' && o.point !== undefined) return `${o.name} ${o.point}`;
  return o.name;
}

function runner(o: OddsApiOutcome, key: string, i: number): Runner {
  const name = outcomeName(o, key);
  return {
    selectionId: selectionIdOf(o.name, o.point),
    handicap: o.point ?? 0,
    name,
    status: 'ACTIVE',
    sortPriority: i + 1,
    back: o.price > 1 ? [{ price: o.price, size: 0 }] : [],
    lay: [],
    ltp: null,
    tv: 0,
    bsp: null,
    adjustmentFactor: null,
  };
}

/** Runners of a market, with the lay prices of its `_lay` companion (matched by name and line). */
function runners(key: string, back: OddsApiMarket | undefined, lay: OddsApiMarket | undefined): Runner[] {
  const out = (back?.outcomes ?? []).map((o, i) => runner(o, key, i));
  for (const o of lay?.outcomes ?? []) {
    const id = selectionIdOf(o.name, o.point);
    let r = out.find((x) => x.selectionId === id);
    if (!r) out.push((r = { ...runner(o, key, out.length), back: [] }));
    if (o.price > 1) r.lay = [{ price: o.price, size: 0 }];
  }
  return out;
}

/** The markets of one bookmaker for an event. */
export function bookmakerMarkets(ev: OddsApiEvent, bm: OddsApiBookmaker, now: number): SourceMarket[] {
  const byKey = new Map(bm.markets.map((m) => [m.key, m]));
  const out: SourceMarket[] = [];
  for (const [key, meta] of Object.entries(MARKET_TYPES)) {
    const back = byKey.get(key);
    const lay = byKey.get(`${key}_lay`);
    if (!back && !lay) continue;
    const started = isStarted(ev, now);
    out.push({
      id: marketIdOf(ev.id, bm.key, key),
      source: ODDSAPI_SOURCE,
      type: meta.type,
      name: `${meta.name} - ${bm.title}`,
      status: 'OPEN',
      inPlay: started,
      minStake: null,
      maxStake: null,
      totalMatched: 0,
      numberOfWinners: 1,
      startTime: new Date(epoch(ev.commence_time) ?? now).toISOString(),
      runners: runners(key, back, lay),
      publishedAt: epoch(back?.last_update ?? lay?.last_update ?? bm.last_update),
    });
  }
  return out;
}

/** The updates of one odds response: each event, then each bookmaker's markets (the bookmaker as raw frame). */
export function normalizeOdds(events: readonly OddsApiEvent[], sportId: number, now: number): SourceUpdate[] {
  const out: SourceUpdate[] = [];
  for (const ev of events) {
    out.push({
      kind: 'event',
      source: ODDSAPI_SOURCE,
      upstreamEventId: ev.id,
      event: eventFields(ev, sportId, now),
    });
    for (const bm of ev.bookmakers) {
      for (const market of bookmakerMarkets(ev, bm, now)) {
        out.push({ kind: 'market', source: ODDSAPI_SOURCE, upstreamEventId: ev.id, market, raw: bm });
      }
    }
  }
  return out;
}

/** The numeric scores of a completed game by side, or null when they are not plain numbers. */
function finalScore(s: OddsApiScore): { home: number; away: number } | null {
  const of = (team: string | null | undefined) => s.scores?.find((x) => x.name === team)?.score;
  const home = Number(of(s.home_team));
  const away = Number(of(s.away_team));
  const plain = (x: string | undefined) => x !== undefined && /^\d+$/.test(x.trim());
  return plain(of(s.home_team)) && plain(of(s.away_team)) ? { home, away } : null;
}

/** A closed market, its runners settled from the final score when it is a match-winner market. */
export function settleMarket(m: SourceMarket, s: OddsApiScore): SourceMarket {
  const score = m.type === 'MATCH_ODDS' ? finalScore(s) : null;
  const winner =
    score === null
      ? null
      : score.home > score.away
        ? s.home_team
        : score.away > score.home
          ? s.away_team
          : 'draw';
  const settled = (r: Runner): Runner['status'] => {
    if (!winner) return r.status;
    const isWinner = winner === 'draw' ? r.selectionId === DRAW_SELECTION_ID : r.name === winner;
    return isWinner ? 'WINNER' : 'LOSER';
  };
  return {
    ...m,
    status: 'CLOSED',
    inPlay: false,
    runners: m.runners.map((r) => ({ ...r, status: settled(r) })),
  };
}

/** The score payload of a game (what `event_scores` pushes carry). */
export function scorePayload(s: OddsApiScore) {
  return {
    source: ODDSAPI_SOURCE,
    home: s.home_team ?? null,
    away: s.away_team ?? null,
    scores: s.scores ?? [],
    completed: s.completed,
    last_update: s.last_update ?? null,
  };
}
