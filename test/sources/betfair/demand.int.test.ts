/**
 * Demand-driven subscriptions against the simulated exchange: markets clients ask for join the
 * subscription (clocks kept: only they arrive as images), leave it when demand expires, the subscription
 * limit is respected and reported, and the order stream's counts show in /api/v1/admin/accounts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp } from '../../helpers/app.js';
import { esaHarness } from './esa-harness.js';

type Subscription = {
  marketIds: string[];
  demanded: number;
  dropped: number;
  limit: number;
  wanted: number;
  subscribed: number;
};
const subscription = (st: { details: Record<string, unknown> }) => st.details.subscription as Subscription;

describe('demand-driven Betfair subscriptions', () => {
  test('an event clients ask for is subscribed (named, deltas kept) and unsubscribed when demand expires', async () => {
    const h = await esaHarness({
      source: {
        filter: { eventTypeIds: ['7'], marketTypes: ['WIN'], countryCodes: [], inPlayOnly: false },
        demandWindowMs: 1500,
      },
    });
    try {
      await h.until(() => h.source.stream?.state === 'subscribed', 'the first subscription');
      const football = h.sim.events().find((e) => e.sport === 'football');
      assert.ok(football, 'the simulation has a football event');
      const marketId = football.markets[0]!.marketId;
      assert.ok(
        !subscription(h.source.status()).marketIds.includes(marketId),
        'not in the configured filter',
      );
      const images = h.source.current!.status().images;

      h.source.demandEvent(football.eventId, []);
      await h.until(
        () => h.source.current!.stream.get(marketId) !== undefined,
        'the demanded market in the cache',
      );
      await h.run(500);
      await h.caughtUp();
      h.assertEqualToReference();
      const st = subscription(h.source.status());
      assert.equal(st.demanded, 1);
      assert.ok(st.marketIds.includes(marketId));
      assert.equal(h.source.stream!.stats.connects, 1, 'resubscribed on the same connection');
      assert.equal(h.source.current!.status().images, images + 1, 'only the new market arrived as an image');
      const named = h.updates.find((u) => u.kind === 'market' && u.market.id === marketId);
      assert.ok(
        named?.kind === 'market' &&
          named.market.runners.some((r) => r.name === football.markets[0]!.runners[0]!.name),
      );

      await h.until(() => !subscription(h.source.status()).marketIds.includes(marketId), 'demand to expire');
      await h.until(
        () => h.updates.some((u) => u.kind === 'marketRemoved' && u.marketId === marketId),
        'the market to be removed from the current state',
      );
      await h.run(300);
      await h.caughtUp();
      h.assertEqualToReference(); // the unsubscribed market left the cache too
      const server = h.bf.esa.state().connections as { subscribedMarkets: number | null }[];
      assert.equal(server[0]?.subscribedMarkets, subscription(h.source.status()).marketIds.length);
    } finally {
      await h.close();
    }
  });

  test('the market limit is respected and reported; Betfair refusing a subscription lowers it', async () => {
    const h = await esaHarness({ events: 12, source: { marketLimit: 4 }, sim: { subscriptionLimit: 3 } });
    try {
      await h.until(() => h.source.stream?.state === 'subscribed', 'a subscription');
      await h.until(
        () =>
          subscription(h.source.status()).limit <= 3 &&
          (h.bf.esa.state().connections as { subscribedMarkets: number | null }[])[0]?.subscribedMarkets !==
            null,
        'an accepted subscription',
      );
      const st = subscription(h.source.status());
      assert.ok(st.wanted > st.limit, 'more markets wanted than allowed');
      assert.equal(st.marketIds.length, st.limit);
      assert.equal(st.dropped, st.wanted - st.limit);
      assert.ok(h.source.stream!.stats.refusedSubscriptions >= 1, 'SUBSCRIPTION_LIMIT_EXCEEDED was seen');
      assert.equal(
        h.source.stream!.stats.connects,
        1,
        'SUBSCRIPTION_LIMIT_EXCEEDED does not close the connection',
      );
      await h.run(300);
      await h.caughtUp();
      h.assertEqualToReference();
    } finally {
      await h.close();
    }
  });

  test('GET /event/:id/odds on an event known by its bfi engages the Betfair stream for it', async () => {
    const h = await esaHarness({
      source: { filter: { eventTypeIds: ['7'], marketTypes: ['WIN'], countryCodes: [], inPlayOnly: false } },
    });
    const app = await makeTestApp({ sources: [h.source] });
    try {
      await h.until(() => h.source.stream?.state === 'subscribed', 'the first subscription');
      const tennis = h.sim.events().find((e) => e.sport === 'tennis');
      assert.ok(tennis);
      app.ingest.push([
        {
          kind: 'event',
          source: 'sim',
          upstreamEventId: tennis.eventId,
          event: { sportId: 2, name: tennis.name, startTime: new Date(tennis.startAt).toISOString() },
        },
      ]);
      await app.settle();
      const event = app.readModel.findByUpstream('sim', tennis.eventId);
      assert.ok(event);
      const res = await app.inject(`/api/v1/feed/event/${event.id}/odds`);
      assert.equal(res.statusCode, 200);
      const marketId = tennis.markets[0]!.marketId;
      await h.until(() => h.source.current!.stream.get(marketId) !== undefined, 'the tennis market streamed');
      await h.until(() => {
        const served = app.readModel.findByUpstream('betfair', tennis.eventId);
        return served !== undefined && app.readModel.marketsOf(served.id).some((m) => m.id === marketId);
      }, 'the market served by the app');
    } finally {
      await app.close();
      await h.close();
    }
  });

  test('orders placed on the account arrive on the order stream and are counted in /admin/accounts', async () => {
    const h = await esaHarness();
    const app = await makeTestApp({ sources: [h.source] });
    try {
      await h.until(() => h.source.stream?.state === 'subscribed', 'the first subscription');
      const [marketId] = subscription(h.source.status()).marketIds;
      const selectionId = h.bf.hub.state.markets.get(marketId!)!.definition!.runners[0]!.id;
      h.bf.orders.place({ marketId: marketId!, selectionId, side: 'B', price: 2.5, size: 10, matched: 4 });
      h.bf.orders.place({ marketId: marketId!, selectionId, side: 'L', price: 2.6, size: 5 });
      await h.until(() => h.source.orderCounts().orders === 2, 'two orders in the order cache');
      const runner = h.source.current!.orders.get(marketId!)!.runner(selectionId)!;
      assert.deepEqual(runner.matchedBacks, [{ price: 2.5, size: 4 }]);
      const res = await app.inject('/api/v1/admin/accounts');
      const row = (
        res.json() as { data: { source: string; orders: { markets: number; orders: number } }[] }
      ).data.find((r) => r.source === 'betfair');
      assert.deepEqual(
        { markets: row?.orders.markets, orders: row?.orders.orders },
        { markets: 1, orders: 2 },
      );
    } finally {
      await app.close();
      await h.close();
    }
  });
});
