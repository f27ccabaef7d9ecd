import type { ScheduledEvent } from '../fixture.js';
import type { SimBookmaker, SimOddsSport } from './catalog.js';
import { backPrices, footballLines, layPrices } from './pricing.js';
import { oddsEventId, outcomeNames, sidesOf, type PlantedArb } from './events.js';

/** ISO time without milliseconds, as the API writes it. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** What one /odds event entry is built from. */
export interface OddsEntryInput {
  ev: ScheduledEvent;
  sport: SimOddsSport;
  bookmakers: readonly SimBookmaker[];
  markets: readonly string[];
  fair: readonly number[];
  seed: number;
  now: number;
  /** Arbitrages planted on this event (their legs replace the bookmakers' prices). */
  plants: readonly PlantedArb[];
}

/** One entry of a GET /v4/sports/{sport}/odds response. */
export function oddsEntry(i: OddsEntryInput) {
  const [home, away] = sidesOf(i.ev);
  const names = outcomeNames(i.ev);
  const updated = iso(Math.floor(i.now / 60_000) * 60_000);
  const outcomes = (prices: number[]) => names.map((name, k) => ({ name, price: prices[k] }));
  return {
    id: oddsEventId(i.ev),
    sport_key: i.sport.key,
    sport_title: i.sport.title,
    commence_time: iso(i.ev.startAt),
    home_team: home,
    away_team: away,
    bookmakers: i.bookmakers.map((bm) => {
      const back = backPrices(i.fair, i.seed, i.ev, bm, i.now);
      for (const p of i.plants) {
        for (const l of p.legs) if (l.bookmaker === bm.key) back[names.indexOf(l.outcome)] = l.price;
      }
      const markets = [];
      if (i.markets.includes('h2h'))
        markets.push({ key: 'h2h', last_update: updated, outcomes: outcomes(back) });
      if (bm.exchange && i.markets.includes('h2h_lay')) {
        const lay = layPrices(i.fair, i.seed, i.ev, bm, i.now);
        markets.push({ key: 'h2h_lay', last_update: updated, outcomes: outcomes(lay) });
      }
      markets.push(...lineMarkets(i, bm, updated));
      return { key: bm.key, title: bm.title, last_update: updated, markets };
    }),
  };
}

/** Football's `totals` (2.5) and `spreads` (±0.5) markets, when asked for, priced from the goal rates. */
function lineMarkets(i: OddsEntryInput, bm: SimBookmaker, updated: string) {
  const rates = i.ev.goalRates;
  if (!rates) return [];
  const [home, away] = sidesOf(i.ev);
  const lines = footballLines(rates);
  const out = [];
  if (i.markets.includes('totals')) {
    const [over, under] = backPrices(lines.totals.fair, i.seed, i.ev, bm, i.now);
    const point = lines.totals.line;
    out.push({
      key: 'totals',
      last_update: updated,
      outcomes: [
        { name: 'Over', price: over, point },
        { name: 'Under', price: under, point },
      ],
    });
  }
  if (i.markets.includes('spreads')) {
    const [h, a] = backPrices(lines.spreads.fair, i.seed, i.ev, bm, i.now);
    const point = lines.spreads.homeLine;
    out.push({
      key: 'spreads',
      last_update: updated,
      outcomes: [
        { name: home, price: h, point },
        { name: away, price: a, point: -point },
      ],
    });
  }
  return out;
}

/** One entry of a GET /v4/sports/{sport}/scores response (`score` [home, away] when known). */
export function scoreEntry(
  ev: ScheduledEvent,
  sport: SimOddsSport,
  now: number,
  score: [number, number] | null,
) {
  const [home, away] = sidesOf(ev);
  const started = ev.startAt <= now;
  const s = started ? score : null;
  return {
    id: oddsEventId(ev),
    sport_key: sport.key,
    sport_title: sport.title,
    commence_time: iso(ev.startAt),
    completed: now >= ev.endAt,
    home_team: home,
    away_team: away,
    scores: s
      ? [
          { name: home, score: String(s[0]) },
          { name: away, score: String(s[1]) },
        ]
      : null,
    last_update: started ? new Date(Math.min(now, ev.endAt)).toISOString() : null,
  };
}
