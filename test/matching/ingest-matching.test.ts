import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Ingest } from '../../src/ingest/ingest.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { MatchingService } from '../../src/matching/service.js';
import type { Event, SourceUpdate } from '../../src/model/index.js';
import { matchOdds, runner } from '../helpers/fixtures.js';

const silent = pino({ level: 'silent' });
const KICK_OFF = '2026-11-22T15:00:00.000Z';
const NOW = Date.parse('2026-11-22T12:00:00.000Z');

function eventUpdate(
  source: string,
  id: string,
  name: string,
  startTime = KICK_OFF,
  sportId = 1,
): SourceUpdate {
  return { kind: 'event', source, upstreamEventId: id, event: { sportId, name, startTime, status: 'OPEN' } };
}

function marketUpdate(source: string, id: string, marketId: string, names: [string, string]): SourceUpdate {
  return {
    kind: 'market',
    source,
    upstreamEventId: id,
    market: matchOdds(marketId, [runner(1, names[0], 2.1, 2.12), runner(2, names[1], 3.4, 3.5)], { source }),
  };
}

async function setup(store = new MemoryStore({ logMaxLen: 10_000 })) {
  await store.connect();
  const matching = new MatchingService({ store, logger: silent, windowMs: 30 * 60_000, clock: () => NOW });
  await matching.load();
  const ingest = new Ingest({
    store,
    logger: silent,
    clock: () => NOW,
    closedMarketTtlMs: 60_000,
    matcher: matching,
  });
  ingest.init(await store.loadSnapshot());
  return { store, ingest, matching };
}

async function events(store: MemoryStore): Promise<Event[]> {
  return (await store.loadSnapshot()).events;
}

describe('ingest with cross-source matching', () => {
  test('the same match from two sources becomes one event carrying both upstream ids and both books', async () => {
    const { store, ingest } = await setup();
    ingest.push([
      eventUpdate('betfair', '3501', 'Man Utd v Chelsea'),
      marketUpdate('betfair', '3501', '1.1', ['Man Utd', 'Chelsea']),
    ]);
    await ingest.drain();
    ingest.push([
      eventUpdate('oddsapi', 'abc', 'Chelsea @ Manchester United FC', '2026-11-22T15:05:00.000Z'),
      marketUpdate('oddsapi', 'abc', 'oddsapi:abc:pinnacle:h2h', ['Manchester United', 'Chelsea']),
    ]);
    await ingest.drain();
    const all = await events(store);
    assert.equal(all.length, 1);
    const [ev] = all;
    assert.deepEqual(ev?.upstreamIds, { betfair: '3501', oddsapi: 'abc' });
    assert.equal(ev?.name, 'Man Utd v Chelsea', 'the exchange (primary source) keeps naming the event');
    const markets = (await store.loadSnapshot()).markets.filter((m) => m.eventId === ev?.id);
    assert.deepEqual(markets.map((m) => m.id).sort(), ['1.1', 'oddsapi:abc:pinnacle:h2h']);
    assert.equal(await store.findEventId('oddsapi', 'abc'), ev?.id);
  });

  test('two new upstream events of one batch match each other', async () => {
    const { store, ingest } = await setup();
    ingest.push([
      eventUpdate('betfair', '3502', 'Arsenal v Spurs'),
      eventUpdate('oddsapi', 'x2', 'Arsenal vs Tottenham Hotspur'),
    ]);
    await ingest.drain();
    assert.equal((await events(store)).length, 1);
  });

  test('different matches, women’s sides and starts outside the window stay separate', async () => {
    const { store, ingest } = await setup();
    ingest.push([
      eventUpdate('betfair', '1', 'Man Utd v Chelsea'),
      eventUpdate('oddsapi', 'a', 'Manchester City v Chelsea'),
      eventUpdate('oddsapi', 'b', 'Manchester United Women v Chelsea Women'),
      eventUpdate('oddsapi', 'c', 'Manchester United v Chelsea', '2026-11-22T17:00:00.000Z'),
      eventUpdate('oddsapi', 'd', 'Manchester United v Chelsea', KICK_OFF, 2),
    ]);
    await ingest.drain();
    assert.equal((await events(store)).length, 5);
  });

  test('an ambiguous match stays separate and is listed; a manual link merges it and survives a restart', async () => {
    const store = new MemoryStore({ logMaxLen: 10_000 });
    const first = await setup(store);
    first.ingest.push([
      eventUpdate('betfair', '10', 'Man City v Leeds'),
      eventUpdate('sites', '20', 'Man Utd v Leeds'),
    ]);
    await first.ingest.drain();
    first.ingest.push([eventUpdate('oddsapi', 'm', 'Manchester v Leeds United')]);
    await first.ingest.drain();
    assert.equal((await events(store)).length, 3);
    const pending = first.matching.pending().find((p) => p.upstreamId === 'm');
    assert.equal(pending?.reason, 'ambiguous');
    assert.equal(pending?.candidates.length, 2);
    const byUp = async (s: string, u: string) => (await store.findEventId(s, u)) as number;
    const lookup = (id: number) => first.ingest.event(id);
    const city = await byUp('betfair', '10');
    await first.matching.link(await byUp('oddsapi', 'm'), city, lookup, first.ingest);
    const after = await events(store);
    assert.equal(after.length, 2);
    assert.deepEqual(after.find((e) => e.id === city)?.upstreamIds, { betfair: '10', oddsapi: 'm' });
    assert.equal(first.matching.pending().filter((p) => p.upstreamId === 'm').length, 0);
    assert.equal(
      first.matching.pending()[0]?.reason,
      'near',
      'Man Utd v Leeds at the same time is a near miss',
    );
    await first.ingest.close();

    const second = await setup(store);
    second.ingest.push([
      eventUpdate('oddsapi', 'm', 'Manchester v Leeds United'),
      marketUpdate('oddsapi', 'm', 'oddsapi:m:bet365:h2h', ['Manchester', 'Leeds']),
    ]);
    await second.ingest.drain();
    assert.equal(
      (await store.loadSnapshot()).markets.find((m) => m.id === 'oddsapi:m:bet365:h2h')?.eventId,
      city,
    );
    assert.equal(second.matching.actions().length, 1, 'the manual link is persisted');
  });

  test('unlink moves a source and its markets to an event of its own that is not matched back', async () => {
    const { store, ingest, matching } = await setup();
    ingest.push([
      eventUpdate('betfair', '7', 'Lazio v Roma'),
      marketUpdate('betfair', '7', '1.7', ['Lazio', 'Roma']),
    ]);
    await ingest.drain();
    ingest.push([
      eventUpdate('oddsapi', 'q', 'Lazio v AS Roma'),
      marketUpdate('oddsapi', 'q', 'oddsapi:q:unibet:h2h', ['Lazio', 'AS Roma']),
    ]);
    await ingest.drain();
    const id = (await store.findEventId('betfair', '7')) as number;
    const lookup = (x: number) => ingest.event(x);
    const newId = await matching.unlink(id, 'oddsapi', lookup, ingest);
    assert.notEqual(newId, id);
    const snap = await store.loadSnapshot();
    assert.deepEqual(snap.events.find((e) => e.id === id)?.upstreamIds, { betfair: '7' });
    assert.deepEqual(snap.events.find((e) => e.id === newId)?.upstreamIds, { oddsapi: 'q' });
    assert.equal(snap.markets.find((m) => m.id === 'oddsapi:q:unibet:h2h')?.eventId, newId);
    ingest.push([eventUpdate('oddsapi', 'q', 'Lazio v AS Roma')]);
    await ingest.drain();
    assert.equal(await store.findEventId('oddsapi', 'q'), newId);
    await assert.rejects(matching.unlink(newId, 'oddsapi', lookup, ingest), /only one source/);
  });
});
