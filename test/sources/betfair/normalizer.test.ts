import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SourceEventFieldsSchema, SourceMarketSchema } from '../../../src/model/index.js';
import { lines } from '../../../src/sources/betfair/historical.js';
import { MarketCache } from '../../../src/sources/betfair/market-cache.js';
import { MarketNormalizer } from '../../../src/sources/betfair/market-normalizer.js';
import {
  combineEventStatus,
  eventStatusOf,
  marketTypeName,
} from '../../../src/sources/betfair/normalizer.js';
import type { MarketChange } from '../../../src/sources/betfair/protocol.js';
import type { SourceMarket, SourceUpdate } from '../../../src/model/index.js';
import { historicalPath, streamMessage } from './data.js';

/** What the pipeline emits for a changed market with its event: `[event?, market]`, none without a definition. */
function marketUpdates(source: string, cache: MarketCache, raw?: unknown): SourceUpdate[] {
  const out: SourceUpdate[] = [];
  new MarketNormalizer(source).append(out, cache, raw, true, undefined);
  return out;
}

/** The market in model form, or null without a definition. */
function toSourceMarket(cache: MarketCache, source: string): SourceMarket | null {
  const m = marketUpdates(source, cache).find((u) => u.kind === 'market');
  return m?.kind === 'market' ? m.market : null;
}

function basicCache(upToLine: number): MarketCache {
  const c = new MarketCache('1.132153978');
  let n = 0;
  for (const line of lines(readFileSync(historicalPath('BASIC-1.132153978'), 'utf8'))) {
    if (n++ >= upToLine) break;
    const msg = JSON.parse(line) as { pt: number; mc: MarketChange[] };
    for (const mc of msg.mc) c.apply(mc, msg.pt);
  }
  return c;
}

describe('normalizer', () => {
  test('a historical definition gives the event: ids, sport, name, start, venue, status', () => {
    const c = basicCache(1);
    const [ev, market] = marketUpdates('historical', c);
    assert.ok(ev?.kind === 'event');
    assert.equal(ev.source, 'historical');
    assert.equal(ev.upstreamEventId, '28270094');
    assert.deepEqual(ev.event, {
      sportId: 26,
      name: 'Ham 14th Jun',
      team1: null,
      team2: null,
      startTime: '2017-06-14T16:55:00.000Z',
      status: 'OPEN',
      inPlay: false,
      countryCode: 'GB',
      venue: 'Hamilton',
    });
    SourceEventFieldsSchema.parse(ev.event);
    assert.ok(market?.kind === 'market');
    assert.equal(market.upstreamEventId, '28270094');
  });

  test('the market: type, name, status, winners, start, runners by sortPriority with names', () => {
    const m = toSourceMarket(basicCache(1), 'historical');
    assert.ok(m);
    SourceMarketSchema.parse(m);
    assert.equal(m.id, '1.132153978');
    assert.equal(m.source, 'historical');
    assert.equal(m.type, 'WIN');
    assert.equal(m.name, '1m Hcap');
    assert.equal(m.status, 'OPEN');
    assert.equal(m.inPlay, false);
    assert.equal(m.minStake, null);
    assert.equal(m.maxStake, null);
    assert.equal(m.numberOfWinners, 1);
    assert.equal(m.startTime, '2017-06-14T18:55:00.000Z');
    assert.equal(m.publishedAt, 1497351220318);
    assert.equal(m.runners.length, 14);
    assert.deepEqual(m.runners.slice(0, 2), [
      {
        selectionId: 12115648,
        handicap: 0,
        name: 'Brother Mcgonagall',
        status: 'ACTIVE',
        sortPriority: 1,
        back: [],
        lay: [],
        ltp: null,
        tv: 0,
        bsp: null,
        adjustmentFactor: 22.12,
      },
      {
        selectionId: 10299545,
        handicap: 0,
        name: 'Match My Fire',
        status: 'ACTIVE',
        sortPriority: 2,
        back: [],
        lay: [],
        ltp: null,
        tv: 0,
        bsp: null,
        adjustmentFactor: 13.15,
      },
    ]);
  });

  test('the settled market: CLOSED, WINNER with BSP, REMOVED runners, event CLOSED', () => {
    const c = basicCache(480);
    const [ev, mu] = marketUpdates('historical', c);
    assert.ok(ev?.kind === 'event' && mu?.kind === 'market');
    assert.equal(ev.event.status, 'CLOSED');
    assert.equal(mu.market.status, 'CLOSED');
    const winner = mu.market.runners.find((r) => r.status === 'WINNER');
    assert.equal(winner?.selectionId, 12115648);
    assert.equal(winner?.bsp, 4.15);
    assert.equal(winner?.ltp, 1.01);
    assert.deepEqual(
      mu.market.runners.filter((r) => r.status === 'REMOVED').map((r) => r.selectionId),
      [11198538, 9606433],
    );
  });

  test('a live definition without names: readable market name, "Selection <id>", "Event <id>", virtual ladder', () => {
    const image = streamMessage('bflw_streaming_mcm_SUB_IMAGE_no_market_def.json') as {
      pt: number;
      mc: MarketChange[];
    };
    const mc = image.mc[0] as MarketChange;
    const c = new MarketCache(mc.id);
    c.apply(mc, image.pt);
    const [ev, mu] = marketUpdates('betfair', c, mc);
    assert.ok(ev?.kind === 'event' && mu?.kind === 'market');
    assert.equal(ev.event.name, 'Event 29703831');
    assert.equal(ev.event.sportId, 2);
    assert.equal(ev.event.status, 'IN_PLAY');
    assert.equal(mu.market.name, 'Match Odds');
    assert.equal(mu.market.totalMatched, 446838.78);
    assert.equal(mu.raw, mc);
    const r = mu.market.runners.find((x) => x.selectionId === 12210252);
    assert.equal(r?.name, 'Selection 12210252');
    assert.deepEqual(r?.back.slice(0, 2), [
      { price: 1.4, size: 2133.41 },
      { price: 1.39, size: 1009.12 },
    ]);
    assert.equal(r?.tv, 433126.6);
  });

  test('no definition, no update', () => {
    const c = new MarketCache('1.9');
    c.apply({ id: '1.9', rc: [{ id: 1, atb: [[2, 1]] }] }, 1);
    assert.deepEqual(marketUpdates('betfair', c), []);
  });

  test('event status: CLOSED, IN_PLAY, SUSPENDED, else OPEN; combined over an event’s markets', () => {
    assert.equal(eventStatusOf({ status: 'CLOSED', inPlay: true }), 'CLOSED');
    assert.equal(eventStatusOf({ status: 'SUSPENDED', inPlay: true }), 'IN_PLAY');
    assert.equal(eventStatusOf({ status: 'SUSPENDED', inPlay: false }), 'SUSPENDED');
    assert.equal(eventStatusOf({ status: 'OPEN' }), 'OPEN');
    assert.equal(combineEventStatus(['CLOSED', 'OPEN']), 'OPEN');
    assert.equal(combineEventStatus(['CLOSED', 'CLOSED']), 'CLOSED');
    assert.equal(combineEventStatus(['OPEN', 'IN_PLAY']), 'IN_PLAY');
    assert.equal(combineEventStatus(['SUSPENDED', 'CLOSED']), 'SUSPENDED');
  });

  test('market type names', () => {
    assert.equal(marketTypeName('MATCH_ODDS'), 'Match Odds');
    assert.equal(marketTypeName('GAME_BY_GAME_01_07'), 'Game By Game 01 07');
  });

  test('runner statuses map to the model (REMOVED_VACANT → REMOVED, unknown → ACTIVE)', () => {
    const c = new MarketCache('1.2');
    c.apply(
      {
        id: '1.2',
        marketDefinition: {
          status: 'OPEN',
          eventId: '5',
          eventTypeId: '1',
          marketType: 'MATCH_ODDS',
          runners: [
            { id: 1, status: 'REMOVED_VACANT', sortPriority: 1 },
            { id: 2, status: 'SOMETHING_NEW', sortPriority: 2 },
            { id: 3, status: 'HIDDEN', sortPriority: 3 },
          ],
        },
      },
      1,
    );
    const m = toSourceMarket(c, 'betfair');
    assert.deepEqual(
      m?.runners.map((r) => r.status),
      ['REMOVED', 'ACTIVE', 'HIDDEN'],
    );
  });
});
