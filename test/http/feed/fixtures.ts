import type { SourceMarket, SourceStatus, SourceUpdate } from '../../../src/model/index.js';
import type { Source, UpdateSink } from '../../../src/sources/types.js';
import { StoreError, type Store } from '../../../src/store/types.js';
import { matchOdds, runner, sampleUpdates, SAMPLE_EVENTS } from '../../helpers/fixtures.js';

export const FOOTBALL = SAMPLE_EVENTS[0]!;
export const TENNIS = SAMPLE_EVENTS[1]!;
export const CRICKET = SAMPLE_EVENTS[2]!;
export const RACE = SAMPLE_EVENTS[3]!;

export const SCORE_URL = 'https://scores.example.com/sc/8031746d39afeab07af7ce8351ab56d30d27cd50/1234';
export const TRACKER_URL = 'https://tracker.example.com/tracker/12562643';
export const FANCY_ID = 'c5bae77612b6d55d67af728b9e2ce0f5';
export const BOOKMAKER_ID = '98d947a9e0c3';
export const BOOKMAKER_SKELETON_ID = '7e2a1f03b1d4';

function sideMarket(id: string, type: 'FANCY' | 'BOOKMAKER', name: string, priced: boolean): SourceMarket {
  const runners = priced
    ? [runner(47068057, name, 18, 16), runner(47068058, `${name} No`, 1.9, 1.95)]
    : [
        { ...runner(47068059, 'Team A', 1, 1), back: [], lay: [], ltp: null },
        { ...runner(47068060, 'Team B', 1, 1), back: [], lay: [], ltp: null },
      ];
  return matchOdds(id, runners, { source: 'browser', type, name, inPlay: true });
}

/**
 * sampleUpdates() plus what the browser source will bring: a scorecard and a tracker link, a score, a
 * priced fancy market and a priced and an unpriced bookmaker market on the cricket event.
 */
export function richUpdates(): SourceUpdate[] {
  const out = sampleUpdates();
  const cricketEvent = out.find((u) => u.kind === 'event' && u.upstreamEventId === CRICKET.bfi);
  if (cricketEvent?.kind === 'event') {
    cricketEvent.event = { ...cricketEvent.event, scoreUrl: SCORE_URL, streamUrl: TRACKER_URL };
  }
  const ev = (market: SourceMarket): SourceUpdate => ({
    kind: 'market',
    source: 'betfair',
    upstreamEventId: CRICKET.bfi,
    market,
    raw: { id: market.id },
  });
  out.push(
    ev(sideMarket(FANCY_ID, 'FANCY', "2 Over Runs Mitchell Starc 'DC' ADV.", true)),
    ev(sideMarket(BOOKMAKER_ID, 'BOOKMAKER', 'Bookmaker 0 Commission', true)),
    ev(sideMarket(BOOKMAKER_SKELETON_ID, 'BOOKMAKER', 'To Win The Toss', false)),
    {
      kind: 'score',
      source: 'betfair',
      upstreamEventId: CRICKET.bfi,
      score: { home: '182/4', away: '96/2', over: '12.3' },
    },
  );
  return out;
}

/** The tennis main market closed with a settled WINNER (Jannik Sinner). */
export function settleTennis(): SourceUpdate[] {
  const [a, b] = TENNIS.runners;
  return [
    {
      kind: 'market',
      source: 'betfair',
      upstreamEventId: TENNIS.bfi,
      market: matchOdds(
        TENNIS.marketId,
        [
          { ...a!, status: 'LOSER', back: [], lay: [] },
          { ...b!, status: 'WINNER', back: [], lay: [] },
        ],
        { source: 'betfair', status: 'CLOSED' },
      ),
    },
  ];
}

/** A source whose status a test controls (health flips). */
export class FakeSource implements Source {
  readonly name: string;
  healthy = true;
  /** Last upstream update (epoch ms); null: now. */
  lastUpdateAt: number | null = null;

  constructor(name = 'betfair') {
    this.name = name;
  }

  async start(_sink: UpdateSink): Promise<void> {}
  async stop(): Promise<void> {}

  status(): SourceStatus {
    return {
      source: this.name,
      kind: 'fake',
      state: this.healthy ? 'connected' : 'disconnected',
      connected: this.healthy,
      lastError: this.healthy ? null : 'connection reset',
      lastErrorAt: this.healthy ? null : Date.now(),
      lastUpdateAt: this.lastUpdateAt ?? Date.now(),
      frames: 10,
      markets: 4,
      details: { account: 'test' },
    };
  }
}

/**
 * Wraps a store so a test can make it unreachable: while `down` is set, ping() answers false and every
 * read or write rejects, as a store whose server is gone does.
 */
export function flakyStore(inner: Store): { store: Store; setDown(down: boolean): void } {
  let down = false;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (prop === 'ping') return async () => (down ? false : target.ping());
      if (prop === 'connect' || prop === 'close' || prop === 'tailLog') return fn.bind(target);
      return (...args: unknown[]) => {
        if (down) return Promise.reject(new StoreError('STORE_UNAVAILABLE', 'store is down (test)'));
        return fn.apply(target, args);
      };
    },
  });
  return { store, setDown: (d) => (down = d) };
}
