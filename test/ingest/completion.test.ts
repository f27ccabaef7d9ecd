import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Ingest } from '../../src/ingest/ingest.js';
import { isGone, completionOptions } from '../../src/ingest/completion.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { matchOdds, SAMPLE_EVENTS, sampleUpdates } from '../helpers/fixtures.js';
import type { Event, Runner, SourceUpdate } from '../../src/model/index.js';

const silent = pino({ level: 'silent' });
const START = Date.parse('2026-11-22T15:00:00.000Z');
const MIN = 60_000;
const FOOTBALL = SAMPLE_EVENTS[0]!;
const TENNIS = SAMPLE_EVENTS[1]!;

async function setup(startAt = START - 10 * MIN) {
  let now = startAt;
  const clock = { set: (t: number) => (now = t), get: () => now };
  const store = new MemoryStore({ logMaxLen: 10_000 });
  await store.connect();
  const ingest = new Ingest({ store, logger: silent, clock: () => now, closedMarketTtlMs: 60 * MIN });
  ingest.init(await store.loadSnapshot());
  ingest.push(sampleUpdates());
  await ingest.drain();
  const idOf = async (bfi: string) => (await store.findEventId('betfair', bfi))!;
  return { store, ingest, clock, idOf };
}

function marketUpdate(bfi: string, marketId: string, runners: Runner[], status: 'OPEN' | 'CLOSED') {
  return {
    kind: 'market',
    source: 'betfair',
    upstreamEventId: bfi,
    market: matchOdds(marketId, runners, { source: 'betfair', status }),
  } satisfies SourceUpdate;
}

describe('completion rules', () => {
  const ev = (over: Partial<Event>): Event => ({
    id: 1_000_001,
    upstreamIds: {},
    sportId: 1,
    name: 'A v B',
    competition: null,
    team1: 'A',
    team2: 'B',
    startTime: new Date(START).toISOString(),
    status: 'IN_PLAY',
    inPlay: true,
    hasFancy: false,
    hasBookmaker: false,
    countryCode: null,
    venue: null,
    scoreUrl: null,
    streamUrl: null,
    updatedAt: START,
    ...over,
  });
  const opts = completionOptions({ goneAfterMs: 30 * MIN });

  test('football is gone 2 h + 30 min after its start when quiet for 30 min', () => {
    assert.equal(isGone(ev({}), [], START + 150 * MIN - 1, opts), false);
    assert.equal(isGone(ev({}), [], START + 150 * MIN, opts), true);
  });

  test('recent activity, a closed event or an unparsable start keep it from being gone', () => {
    const late = START + 5 * 60 * MIN;
    assert.equal(isGone(ev({ updatedAt: late - 10 * MIN }), [], late, opts), false);
    assert.equal(isGone(ev({ status: 'CLOSED' }), [], late, opts), false);
    assert.equal(isGone(ev({ startTime: 'soon' }), [], late, opts), false);
  });

  test('a greyhound race is gone much sooner than a cricket match', () => {
    const t = START + 45 * MIN;
    assert.equal(isGone(ev({ sportId: 4339 }), [], t, opts), true);
    assert.equal(isGone(ev({ sportId: 3 }), [], t, opts), false);
  });
});

describe('ingest completes events', () => {
  test('an event gone quiet after its expected end gets an inferred result; its markets and itself close', async () => {
    const { store, ingest, clock, idOf } = await setup();
    clock.set(START + 3 * 60 * MIN);
    assert.equal(
      ingest.checkCompletion(),
      2,
      'football (2 h) and the race (15 min), not tennis or cricket yet',
    );
    clock.set(START + 9 * 60 * MIN);
    assert.equal(ingest.checkCompletion(), 2, 'then tennis (4 h) and cricket (8 h)');
    await ingest.drain();
    const id = await idOf(FOOTBALL.bfi);
    const result = await store.getResult(id);
    assert.equal(result?.winnerSource, 'inferred');
    assert.equal(result?.winner, 'Real Sociedad (favourite)');
    assert.equal(result?.finalMarket.status, 'CLOSED');
    assert.equal(result?.finalMarket.runners[0]?.back[0]?.price, 2.58, 'final odds are the last prices');
    const snap = await store.loadSnapshot();
    assert.equal(snap.events.find((e) => e.id === id)?.status, 'CLOSED');
    assert.ok(snap.markets.every((m) => m.status === 'CLOSED'));
    assert.equal(ingest.checkCompletion(), 0, 'closed events are not completed twice');
    assert.equal(ingest.stats.results, 4);
  });

  test('an event still updating is not completed, however late', async () => {
    const { ingest, clock } = await setup();
    clock.set(START + 9 * 60 * MIN);
    const [a, b, c] = FOOTBALL.runners;
    ingest.push([marketUpdate(FOOTBALL.bfi, FOOTBALL.marketId, [a!, b!, c!], 'OPEN')]);
    await ingest.drain();
    clock.set(START + 9 * 60 * MIN + 5 * MIN);
    assert.equal(ingest.checkCompletion(), 3, 'the three others, not football');
  });

  test('the upstream closing the event first records an inferred result; a later settlement upgrades it', async () => {
    const { store, ingest, idOf } = await setup();
    ingest.push([
      {
        kind: 'event',
        source: 'betfair',
        upstreamEventId: TENNIS.bfi,
        event: { sportId: 2, name: TENNIS.name, startTime: new Date(START).toISOString(), status: 'CLOSED' },
      },
    ]);
    await ingest.drain();
    const id = await idOf(TENNIS.bfi);
    assert.equal((await store.getResult(id))?.winnerSource, 'inferred');
    assert.equal((await store.getResult(id))?.winner, 'Carlos Alcaraz (favourite)');
    const [a, b] = TENNIS.runners;
    ingest.push([
      marketUpdate(
        TENNIS.bfi,
        TENNIS.marketId,
        [
          { ...a!, status: 'LOSER', back: [], lay: [] },
          { ...b!, status: 'WINNER', back: [], lay: [] },
        ],
        'CLOSED',
      ),
    ]);
    await ingest.drain();
    const settled = await store.getResult(id);
    assert.equal(settled?.winnerSource, 'settled');
    assert.equal(settled?.winner, 'Jannik Sinner');
    assert.equal(
      settled?.finalMarket.runners[1]?.back[0]?.price,
      2.08,
      'empty closing ladders keep the last prices',
    );
    assert.equal(ingest.stats.results, 1, 'one event resulted');
  });

  test('a settlement arriving after oddsgate completed a quiet event replaces the inferred winner', async () => {
    const { store, ingest, clock, idOf } = await setup();
    clock.set(START + 5 * 60 * MIN);
    ingest.checkCompletion();
    await ingest.drain();
    const id = await idOf(TENNIS.bfi);
    assert.equal((await store.getResult(id))?.winnerSource, 'inferred');
    const [a, b] = TENNIS.runners;
    ingest.push([
      marketUpdate(
        TENNIS.bfi,
        TENNIS.marketId,
        [
          { ...a!, status: 'LOSER' },
          { ...b!, status: 'WINNER' },
        ],
        'CLOSED',
      ),
    ]);
    await ingest.drain();
    assert.equal((await store.getResult(id))?.winner, 'Jannik Sinner');
  });

  test('an event that never had a market is dropped when gone, with no result', async () => {
    const { store, ingest, clock } = await setup();
    ingest.push([
      {
        kind: 'event',
        source: 'betfair',
        upstreamEventId: '36000001',
        event: { sportId: 1, name: 'X v Y', startTime: new Date(START).toISOString() },
      },
    ]);
    await ingest.drain();
    const id = (await store.findEventId('betfair', '36000001'))!;
    clock.set(START + 4 * 60 * MIN);
    ingest.checkCompletion();
    await ingest.drain();
    assert.equal(
      (await store.loadSnapshot()).events.some((e) => e.id === id),
      false,
    );
    assert.equal(await store.getResult(id), null);
  });
});
