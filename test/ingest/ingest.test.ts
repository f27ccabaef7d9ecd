import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { Ingest } from '../../src/ingest/ingest.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { StoreError, type Store } from '../../src/store/types.js';
import type { Change, Market, SourceUpdate } from '../../src/model/index.js';
import { isDeepFrozen } from '../../src/store/frozen.js';
import { SAMPLE_EVENTS, matchOdds, runner, sampleUpdates } from '../helpers/fixtures.js';

const silent = pino({ level: 'silent' });

async function setup(clock = () => 1_700_000_000_000) {
  const store = new MemoryStore({ logMaxLen: 10_000 });
  await store.connect();
  const ingest = new Ingest({ store, logger: silent, clock, closedMarketTtlMs: 60_000 });
  ingest.init(await store.loadSnapshot());
  return { store, ingest };
}

function closeUpdate(bfi: string, marketId: string, runners: ReturnType<typeof runner>[]): SourceUpdate {
  return {
    kind: 'market',
    source: 'betfair',
    upstreamEventId: bfi,
    market: matchOdds(marketId, runners, { source: 'betfair', status: 'CLOSED' }),
  };
}

/** Closes the event's market with its first runner the winner, then evicts once `pass()` moved the clock on. */
async function settleAndEvict(ingest: Ingest, ev: (typeof SAMPLE_EVENTS)[number], pass: () => void) {
  ingest.push([
    closeUpdate(
      ev.bfi,
      ev.marketId,
      ev.runners.map((r, i) => ({ ...r, status: i === 0 ? 'WINNER' : 'LOSER' })),
    ),
  ]);
  await ingest.drain();
  pass();
  ingest.evict();
  await ingest.drain();
}

describe('ingest', () => {
  test('gives each upstream event a stable internal id and stores events, markets and sports', async () => {
    const { store, ingest } = await setup();
    ingest.push(sampleUpdates());
    await ingest.drain();
    const snap = await store.loadSnapshot();
    assert.equal(snap.events.length, SAMPLE_EVENTS.length);
    assert.equal(snap.markets.length, SAMPLE_EVENTS.length);
    assert.deepEqual(
      snap.sports.map((s) => s.id).sort((a, b) => a - b),
      [1, 2, 3, 26],
    );
    const football = snap.events.find((e) => e.upstreamIds.betfair === '35540213');
    assert.ok(football);
    assert.equal(football.team1, 'Real Sociedad');
    assert.equal(football.team2, 'Betis');
    assert.equal(await store.findEventId('betfair', '35540213'), football.id);
    const m = snap.markets.find((x) => x.id === '1.257422429');
    assert.equal(m?.eventId, football.id);
    assert.equal(m?.version, 1);
  });

  test('what ingest commits is frozen and is the very object the memory store keeps (one copy of the state)', async () => {
    const { store, ingest } = await setup();
    const updates = sampleUpdates();
    ingest.push(updates);
    await ingest.drain();
    const snap = await store.loadSnapshot();
    assert.ok(snap.markets.length > 0);
    for (const m of snap.markets) {
      assert.equal(m, ingest.market(m.id), 'shared, not a copy');
      assert.ok(isDeepFrozen(m));
    }
    for (const e of snap.events) assert.equal(e, ingest.event(e.id));
    const logged = await store.readLog(null, 10_000);
    const lastOf = new Map(
      logged.flatMap((x) => (x.change.type === 'market' ? [[x.change.market.id, x]] : [])),
    );
    for (const m of snap.markets) {
      const entry = lastOf.get(m.id);
      assert.equal(entry?.change.type === 'market' && entry.change.market, m, 'the log holds it too');
    }
    // a later update makes a new object; what was handed out before does not change
    const first = snap.markets[0] as Market;
    const again = updates.find((u) => u.kind === 'market' && u.market.id === first.id) as SourceUpdate;
    ingest.push([again]);
    await ingest.drain();
    const next = ingest.market(first.id) as Market;
    assert.notEqual(next, first);
    assert.equal(next.version, first.version + 1);
    assert.equal(
      (await store.loadSnapshot()).markets.find((m) => m.id === first.id),
      next,
    );
  });

  test('a repeated market update bumps its version; an unchanged event writes nothing new', async () => {
    const { store, ingest } = await setup();
    ingest.push(sampleUpdates());
    await ingest.drain();
    const before = await store.readLog(null, 10_000);
    ingest.push(sampleUpdates().filter((u) => u.kind === 'event'));
    await ingest.drain();
    assert.equal(
      (await store.readLog(null, 10_000)).length,
      before.length,
      'no-op event updates are dropped',
    );
    ingest.push(
      sampleUpdates()
        .filter((u) => u.kind === 'market')
        .slice(0, 1),
    );
    await ingest.drain();
    const m = (await store.loadSnapshot()).markets.find((x) => x.id === SAMPLE_EVENTS[0]?.marketId);
    assert.equal(m?.version, 2);
  });

  test('the event is logged before its market within one commit', async () => {
    const { store, ingest } = await setup();
    ingest.push(sampleUpdates().slice(0, 2));
    await ingest.drain();
    const types = (await store.readLog(null, 100)).map((e) => e.change.type);
    assert.ok(types.indexOf('event') < types.indexOf('market'), types.join(','));
  });

  test('a closed main market with a settled WINNER records a settled result and closes the event', async () => {
    const { store, ingest } = await setup();
    ingest.push(sampleUpdates());
    await ingest.drain();
    const ev = SAMPLE_EVENTS[1]!;
    const [a, b] = ev.runners as [ReturnType<typeof runner>, ReturnType<typeof runner>];
    ingest.push([
      closeUpdate(ev.bfi, ev.marketId, [
        { ...a, status: 'LOSER', back: [], lay: [] },
        { ...b, status: 'WINNER', back: [], lay: [] },
      ]),
    ]);
    await ingest.drain();
    const id = await store.findEventId('betfair', ev.bfi);
    const result = await store.getResult(id!);
    assert.equal(result?.winnerSource, 'settled');
    assert.equal(result?.winner, 'Jannik Sinner');
    assert.deepEqual(result?.winners, [{ selectionId: 202, name: 'Jannik Sinner' }]);
    const event = (await store.loadSnapshot()).events.find((e) => e.id === id);
    assert.equal(event?.status, 'CLOSED');
  });

  test('without settlement the winner is inferred from the last priced state, tagged as favourite', async () => {
    const { store, ingest } = await setup();
    ingest.push(sampleUpdates());
    await ingest.drain();
    const ev = SAMPLE_EVENTS[0]!;
    ingest.push([
      closeUpdate(
        ev.bfi,
        ev.marketId,
        ev.runners.map((r) => ({ ...r, back: [], lay: [], ltp: null })),
      ),
    ]);
    await ingest.drain();
    const result = await store.getResult((await store.findEventId('betfair', ev.bfi))!);
    assert.equal(result?.winnerSource, 'inferred');
    assert.equal(
      result?.winner,
      'Real Sociedad (favourite)',
      'lowest back price 2.58 in the last priced frame',
    );
  });

  test('an inferred winner priced under 1.05 is not tagged', async () => {
    const { store, ingest } = await setup();
    const ev = SAMPLE_EVENTS[2]!;
    const updates = sampleUpdates().filter((u) => u.kind !== 'marketRemoved' && u.upstreamEventId === ev.bfi);
    ingest.push(updates);
    ingest.push([
      {
        kind: 'market',
        source: 'betfair',
        upstreamEventId: ev.bfi,
        market: matchOdds(
          ev.marketId,
          [runner(301, 'England W', 1.01, 1.02), runner(302, 'New Zealand W', 60, 70)],
          {
            source: 'betfair',
          },
        ),
      },
    ]);
    ingest.push([
      closeUpdate(
        ev.bfi,
        ev.marketId,
        [runner(301, 'England W', 1.01, 1.02), runner(302, 'New Zealand W', 60, 70)].map((r) => ({
          ...r,
          back: [],
          lay: [],
          ltp: null,
        })),
      ),
    ]);
    await ingest.drain();
    const result = await store.getResult((await store.findEventId('betfair', ev.bfi))!);
    assert.equal(result?.winner, 'England W');
  });

  test('closed markets are evicted after the TTL, and their closed event with them; the result stays', async () => {
    let now = 1_700_000_000_000;
    const { store, ingest } = await setup(() => now);
    ingest.push(sampleUpdates());
    await ingest.drain();
    const ev = SAMPLE_EVENTS[3]!;
    await settleAndEvict(ingest, ev, () => (now += 61_000));
    const snap = await store.loadSnapshot();
    assert.equal(
      snap.markets.some((m) => m.id === ev.marketId),
      false,
    );
    const id = await store.findEventId('betfair', ev.bfi);
    assert.equal(
      snap.events.some((e) => e.id === id),
      false,
    );
    assert.ok(await store.getResult(id!), 'the result survives eviction');
    assert.equal(snap.events.length, SAMPLE_EVENTS.length - 1);
  });

  test('with a short TTL, closed markets are evicted within a tenth of it (not every 30 s)', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    let now = 1_700_000_000_000;
    const store = new MemoryStore({ logMaxLen: 10_000 });
    const ingest = new Ingest({ store, logger: silent, clock: () => now, closedMarketTtlMs: 10_000 });
    ingest.init(await store.loadSnapshot());
    ingest.push(sampleUpdates());
    await ingest.drain();
    const ev = SAMPLE_EVENTS[3]!;
    ingest.push([closeUpdate(ev.bfi, ev.marketId, ev.runners)]);
    await ingest.drain();
    now += 10_500;
    t.mock.timers.tick(1000);
    await ingest.drain();
    assert.equal(ingest.market(ev.marketId), undefined, 'evicted by the timer 1 s later');
    assert.equal((await store.loadSnapshot()).markets.length, SAMPLE_EVENTS.length - 1);
    await ingest.close();
  });

  test('an evicted event leaves nothing in the merge state (upstream ids included); if it comes back it keeps its id', async () => {
    let now = 1_700_000_000_000;
    const { store, ingest } = await setup(() => now);
    ingest.push(sampleUpdates());
    await ingest.drain();
    const before = ingest.stateSizes();
    assert.equal(before.ids, SAMPLE_EVENTS.length);
    const ev = SAMPLE_EVENTS[3]!;
    const id = await store.findEventId('betfair', ev.bfi);
    await settleAndEvict(ingest, ev, () => (now += 61_000));
    assert.equal(ingest.event(id!), undefined);
    const after = ingest.stateSizes();
    for (const k of ['events', 'markets', 'ids', 'eventMarkets'] as const) {
      assert.equal(after[k], before[k]! - 1, `${k}: one entry fewer`);
    }
    assert.equal(after.resulted, 0, 'the result is forgotten with the event (the store keeps it)');
    // the upstream comes back to the event: the store's mapping gives it the same internal id
    ingest.push(sampleUpdates().filter((u) => u.kind !== 'marketRemoved' && u.upstreamEventId === ev.bfi));
    await ingest.drain();
    assert.ok(ingest.event(id!), 'back under its old id');
    assert.equal(ingest.stateSizes().ids, SAMPLE_EVENTS.length);
  });

  test('while the store fails, changes are kept and committed once it is back, latest state winning', async () => {
    const inner = new MemoryStore({ logMaxLen: 10_000 });
    await inner.connect();
    let down = false;
    const flaky: Store = Object.create(inner) as Store;
    flaky.commit = async (changes: readonly Change[]) => {
      if (down) throw new StoreError('STORE_UNAVAILABLE', 'down');
      return inner.commit(changes);
    };
    const ingest = new Ingest({ store: flaky, logger: silent, closedMarketTtlMs: 60_000 });
    ingest.init(await inner.loadSnapshot());
    ingest.push(sampleUpdates());
    await ingest.drain();
    down = true;
    const ev = SAMPLE_EVENTS[0]!;
    for (const price of [2.6, 2.7, 2.8]) {
      ingest.push([
        {
          kind: 'market',
          source: 'betfair',
          upstreamEventId: ev.bfi,
          market: matchOdds(ev.marketId, [runner(101, 'Real Sociedad', price, price + 0.02)], {
            source: 'betfair',
          }),
        },
      ]);
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(ingest.stats.failures > 0);
    assert.ok(ingest.stats.pending > 0);
    down = false;
    const deadline = Date.now() + 10_000;
    while (ingest.stats.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const m = (await inner.loadSnapshot()).markets.find((x) => x.id === ev.marketId);
    assert.equal(m?.runners[0]?.back[0]?.price, 2.8);
    await ingest.close();
  });
});
