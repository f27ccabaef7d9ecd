/**
 * The API-NG side against the simulated endpoints over real HTTP/TLS on 127.0.0.1: betting operations,
 * interactive and certificate login, keep-alive before expiry, re-login on INVALID_SESSION_INFORMATION,
 * retries only on timeouts and 5xx, and runner names from the catalogue reaching the model.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../../src/core/clock.js';
import { ExchangeSimulator } from '../../../src/sim/exchange.js';
import { generateCertificate } from '../../../src/sim/esa/cert.js';
import { startBetfairSimulation, type BetfairSimulation } from '../../../src/sim/esa/index.js';
import { BetfairCatalogue, BetfairApiError } from '../../../src/sources/betfair/catalogue.js';
import { BetfairSession, BetfairSessionError } from '../../../src/sources/betfair/session.js';
import { esaHarness } from './esa-harness.js';

describe('Betfair catalogue and session against the simulated API', () => {
  let bf: BetfairSimulation;
  let sim: ExchangeSimulator;
  const open: { close(): Promise<void> }[] = [];

  before(async () => {
    const clock = new ManualClock(Date.now());
    sim = new ExchangeSimulator({ now: clock.now, seed: 11, events: 12 });
    bf = await startBetfairSimulation({ simulator: sim, now: clock.now, sessionTtlMs: 600 });
  });
  after(async () => {
    for (const c of open) await c.close();
    await bf.close();
  });

  function client(opts: { keepAliveMs?: number; timeoutMs?: number; retries?: number; url?: string } = {}) {
    const session = new BetfairSession({
      appKey: bf.ready.esa.appKey,
      username: bf.ready.identity.username,
      password: bf.ready.identity.password,
      identityUrl: bf.ready.identity.url,
      identityCertUrl: bf.ready.identity.url,
      keepAliveMs: opts.keepAliveMs ?? 3_600_000,
    });
    const catalogue = new BetfairCatalogue({
      url: opts.url ?? bf.ready.api.url,
      appKey: bf.ready.esa.appKey,
      session,
      timeoutMs: opts.timeoutMs ?? 2000,
      retries: opts.retries ?? 2,
    });
    open.push({ close: async () => (await catalogue.close(), await session.stop()) });
    return { session, catalogue };
  }

  test('event types, competitions, events, market catalogue and market books name and price the simulation', async () => {
    const { catalogue } = client();
    const types = await catalogue.listEventTypes();
    assert.deepEqual(types.map((t) => t.eventType.name).sort(), [
      'Cricket',
      'Horse Racing',
      'Soccer',
      'Tennis',
    ]);
    const football = sim.events().filter((e) => e.sport === 'football');
    const comps = await catalogue.listCompetitions({ eventTypeIds: ['1'] });
    assert.deepEqual(
      new Set(comps.map((c) => c.competition.name)),
      new Set(football.map((e) => e.competition?.name)),
    );
    const events = await catalogue.listEvents({ eventTypeIds: ['1'] });
    assert.deepEqual(events.map((e) => e.event.name).sort(), football.map((e) => e.name).sort());
    const spec = football[0]!.markets[0]!;
    const [entry] = await catalogue.listMarketCatalogue({ marketIds: [spec.marketId] }, 10);
    assert.equal(entry?.marketName, spec.name);
    assert.deepEqual(
      entry?.runners?.map((r) => [r.selectionId, r.runnerName]),
      spec.runners.map((r) => [r.selectionId, r.name]),
    );
    assert.equal(entry?.event?.name, football[0]!.name);
    const [book] = await catalogue.listMarketBook([spec.marketId], ['EX_BEST_OFFERS'], 3);
    const state = bf.hub.state.markets.get(spec.marketId)!;
    const r0 = state.runners.get(spec.runners[0]!.selectionId)!;
    const best = Math.max(...r0.atb.keys());
    assert.equal(book?.runners?.find((r) => r.selectionId === r0.id)?.ex?.availableToBack?.[0]?.price, best);
  });

  test('keepAlive before the session expires keeps one login alive', async () => {
    const { session, catalogue } = client({ keepAliveMs: 150 });
    session.start();
    const logins = bf.sessions.stats.logins;
    for (let i = 0; i < 8; i++) {
      await catalogue.listEventTypes();
      await sleep(150);
    }
    assert.equal(bf.sessions.stats.logins, logins + 1, 'one login for 1.2 s of a 0.6 s session');
    assert.ok(session.stats.keepAlives >= 4);
    assert.equal(catalogue.stats.relogins, 0);
  });

  test('an expired session answers INVALID_SESSION_INFORMATION: one new login and the call succeeds', async () => {
    const { catalogue } = client();
    await catalogue.listEventTypes();
    const logins = bf.sessions.stats.logins;
    await sleep(700); // past the 600 ms lifetime, no keepAlive
    const types = await catalogue.listEventTypes();
    assert.ok(types.length > 0);
    assert.equal(bf.sessions.stats.logins, logins + 1);
    assert.equal(catalogue.stats.relogins, 1);
  });

  test('retries: after 5xx and timeouts only, never after 4xx or a refused connection', async () => {
    const { catalogue } = client({ timeoutMs: 150 });
    bf.api.inject({ fault: 'apiStatus', status: 503, times: 2 });
    assert.ok((await catalogue.listEventTypes()).length > 0);
    assert.equal(catalogue.stats.retries, 2);
    bf.api.inject({ fault: 'apiDelay', ms: 400, times: 1 });
    assert.ok((await catalogue.listEventTypes()).length > 0);
    assert.equal(catalogue.stats.retries, 3, 'a timed-out attempt is retried');
    bf.api.inject({ fault: 'apiStatus', status: 400, times: 1 });
    await assert.rejects(
      catalogue.listEventTypes(),
      (e: unknown) => e instanceof BetfairApiError && e.code === 'HTTP_400',
    );
    assert.equal(catalogue.stats.retries, 3);
    bf.api.inject({ fault: 'apiStatus', status: 502, times: 5 });
    await assert.rejects(
      catalogue.listEventTypes(),
      (e: unknown) => e instanceof BetfairApiError && e.code === 'HTTP_502',
    );
    assert.equal(catalogue.stats.retries, 5, 'gives up after two retries');
    bf.api.inject({ fault: 'apiStatus', status: 502, times: 0 });
    const refused = client({ url: 'http://127.0.0.1:1/exchange/betting/json-rpc/v1' }).catalogue;
    await assert.rejects(refused.listEventTypes());
    assert.equal(refused.stats.retries, 0);
  });

  test('certificate login presents the client certificate', async () => {
    const clientCert = await generateCertificate({ commonName: 'oddsgate bot' });
    const url = await bf.api.startCertLogin(bf.certificate, clientCert.cert);
    const common = {
      appKey: bf.ready.esa.appKey,
      username: bf.ready.identity.username,
      password: bf.ready.identity.password,
      identityUrl: bf.ready.identity.url,
      identityCertUrl: url,
      ca: bf.certificate.cert,
    };
    const good = new BetfairSession({ ...common, cert: clientCert.cert, key: clientCert.key });
    const stranger = await generateCertificate();
    const bad = new BetfairSession({ ...common, cert: stranger.cert, key: stranger.key });
    try {
      const token = await good.token();
      assert.ok(bf.sessions.valid(token));
      assert.equal(good.status().method, 'certificate');
      await assert.rejects(
        bad.token(),
        (e: unknown) => e instanceof BetfairSessionError && e.code === 'CERT_AUTH_REQUIRED',
      );
    } finally {
      await good.stop();
      await bad.stop();
    }
  });

  test('interactive login with a wrong password is refused with Betfair’s code', async () => {
    const session = new BetfairSession({
      appKey: bf.ready.esa.appKey,
      username: bf.ready.identity.username,
      password: 'wrong',
      identityUrl: bf.ready.identity.url,
      identityCertUrl: bf.ready.identity.url,
    });
    try {
      await assert.rejects(
        session.token(),
        (e: unknown) => e instanceof BetfairSessionError && e.code === 'INVALID_USERNAME_OR_PASSWORD',
      );
    } finally {
      await session.stop();
    }
  });
});

describe('runner names from the catalogue', () => {
  test('markets streamed while the catalogue was down are renamed once it answers', async () => {
    // The first catalogue refresh fails (three attempts): the stream runs on the configured filter.
    const h = await esaHarness({
      source: { catalogueRefreshMs: 300 },
      beforeStart: (bf) => bf.api.inject({ fault: 'apiStatus', status: 500, times: 3 }),
    });
    try {
      await h.until(() => h.source.stream?.state === 'subscribed', 'a subscription on the filter');
      const first = h.updates.find((u) => u.kind === 'market');
      assert.ok(first?.kind === 'market');
      assert.ok(
        first.market.runners.every((r) => r.name.startsWith('Selection ')),
        'no names on the live stream',
      );
      const marketId = first.market.id;
      await h.until(
        () =>
          h.updates.some(
            (u) =>
              u.kind === 'market' &&
              u.market.id === marketId &&
              !u.market.runners[0]!.name.startsWith('Selection '),
          ),
        'the market re-emitted with names',
      );
      const spec = h.sim
        .events()
        .flatMap((e) => e.markets)
        .find((m) => m.marketId === marketId)!;
      const named = h.updates.filter((u) => u.kind === 'market' && u.market.id === marketId).at(-1);
      assert.ok(named?.kind === 'market');
      assert.deepEqual(
        named.market.runners.map((r) => r.name).sort(),
        spec.runners.map((r) => r.name).sort(),
      );
      await h.run(300);
      await h.caughtUp();
      h.assertEqualToReference();
    } finally {
      await h.close();
    }
  });
});
