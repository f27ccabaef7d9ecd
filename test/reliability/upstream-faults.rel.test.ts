import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, until, type RunningServer } from './helpers/server.js';
import { TlsRelay } from './helpers/tls-relay.js';
import { betfairEnv, startUpstreams, type SimulatedUpstreams } from './helpers/upstream.js';

interface Account {
  source: string;
  state: string;
  last_error: string | null;
  frames: number;
  details: { stream?: Record<string, number | string | boolean | null> };
}

async function account(s: RunningServer, source: string): Promise<Account> {
  const r = await s.get('/api/v1/admin/accounts');
  const a = (r.body as { data: Account[] }).data.find((x) => x.source === source);
  if (!a) throw new Error(`no ${source} account`);
  return a;
}

/** The `stale` flags of an event's markets as /event/:id/odds renders them. */
async function staleFlags(s: RunningServer, id: number): Promise<boolean[]> {
  const r = await s.get(`/api/v1/feed/event/${id}/odds`);
  if (r.status !== 200) return [];
  return [...JSON.stringify(r.body).matchAll(/"stale":(true|false)/g)].map((m) => m[1] === 'true');
}

/** Frames keep arriving: the source's frame count moves within `ms`. */
async function flowing(s: RunningServer, source: string, ms = 15_000): Promise<void> {
  const from = (await account(s, source)).frames;
  await until(async () => (await account(s, source)).frames > from + 2, ms, `${source} frames flowing`);
}

describe('upstream faults from the simulated exchange', () => {
  let up: SimulatedUpstreams | null = null;
  let server: RunningServer | null = null;
  let relay: TlsRelay | null = null;
  after(async () => {
    await server?.proc.stop();
    await relay?.close();
    await up?.proc.stop();
  });

  test('malformed lines are counted and skipped; dropped and stalled streams reconnect and resume; a 503 marks the source degraded and its data stale, then recovers', async () => {
    up = await startUpstreams(['--speed', '10', '--events', '20']);
    // The stream goes through a relay that can add malformed lines.
    relay = new TlsRelay(up.ready.esa);
    await relay.start();
    server = await startServer({
      SOURCES: 'betfair',
      ...betfairEnv(up.ready),
      BETFAIR_STREAM_PORT: String(relay.port),
      BETFAIR_CA_FILE: relay.caFile,
    });
    const s = server;
    await until(async () => (await account(s, 'betfair')).state === 'connected', 60_000, 'betfair connected');
    await flowing(s, 'betfair');
    const events = (await s.get('/api/v1/feed/events')).body as { data: { id: number }[] };
    const id = events.data[0]?.id;
    assert.ok(id !== undefined, 'an event to watch');
    assert.ok(
      (await staleFlags(s, id)).every((x) => !x),
      'fresh while connected',
    );

    // Malformed frames: broken JSON, a non-object, an unknown op, a market change of the wrong types.
    const m0 = Number((await account(s, 'betfair')).details.stream?.malformed ?? 0);
    relay.inject([
      '{"op":"mcm","mc":[{"id":',
      'not json at all',
      '[1,2,3]',
      '{"op":"bogus"}',
      '{"op":"mcm","clk":5,"mc":"x"}',
    ]);
    await until(
      async () => Number((await account(s, 'betfair')).details.stream?.malformed ?? 0) > m0,
      15_000,
      'malformed lines counted',
    );
    await flowing(s, 'betfair');
    assert.ok(
      (await staleFlags(s, id)).every((x) => !x),
      'still fresh after malformed lines',
    );

    // Drop: the connection is cut; the source reconnects, resumes from its clock, and frames flow again.
    const d0 = (await account(s, 'betfair')).details.stream ?? {};
    await up.esaFault({ fault: 'drop' });
    await until(
      async () => {
        const st = (await account(s, 'betfair')).details.stream ?? {};
        return Number(st.disconnects) > Number(d0.disconnects) && Number(st.resumed) > Number(d0.resumed);
      },
      15_000,
      'reconnected and resumed after a drop',
    );
    await flowing(s, 'betfair');

    // Stall: the stream goes silent (no heartbeat); the watchdog reconnects within 2 × heartbeat.
    const s0 = (await account(s, 'betfair')).details.stream ?? {};
    await up.esaFault({ fault: 'stall' });
    await until(
      async () => {
        const st = (await account(s, 'betfair')).details.stream ?? {};
        return Number(st.heartbeatTimeouts) > Number(s0.heartbeatTimeouts) && st.state === 'subscribed';
      },
      20_000,
      'reconnected after a stall',
    );
    await flowing(s, 'betfair');

    // 503: the exchange says its data is degraded: the source is shown degraded, health is degraded, and
    // once the event TTL passes its markets are marked stale; when it clears, all is fresh again.
    await up.esaFault({ fault: 'degraded', on: true });
    await until(async () => (await account(s, 'betfair')).state === 'degraded', 15_000, 'source degraded');
    const health = await s.get('/api/v1/admin/health');
    assert.equal(health.status, 503);
    await until(async () => (await staleFlags(s, id)).some((x) => x), 20_000, 'markets marked stale');
    await up.esaFault({ fault: 'clear' });
    await until(
      async () => (await account(s, 'betfair')).state === 'connected',
      20_000,
      'source connected again',
    );
    await until(async () => (await staleFlags(s, id)).every((x) => !x), 20_000, 'markets fresh again');
    await until(async () => (await s.get('/api/v1/admin/health')).status === 200, 20_000, 'health ok again');

    // Authentication refused on the next connections: the source keeps trying and gets back.
    await up.esaFault({ fault: 'refuseAuth', times: 2 });
    await up.esaFault({ fault: 'drop' });
    await until(
      async () => Number((await account(s, 'betfair')).details.stream?.authFailures) >= 1,
      20_000,
      'auth refused',
    );
    await until(
      async () => (await account(s, 'betfair')).state === 'connected',
      60_000,
      'connected after refusals',
    );
    await flowing(s, 'betfair');
    assert.ok(s.alive(), 'no crash');
  });

  test('a betting site that blocks (403, then a challenge page): the browser source says so, its data goes stale, then it recovers', async () => {
    const site = await startUpstreams(['--speed', '10', '--events', '20', '--site-port', '0']);
    const url = site.ready.site?.url;
    assert.ok(url, 'the simulated site runs');
    const s = await startServer({
      SOURCES: 'imatchodds',
      IMATCHODDS_URLS: url,
      BROWSER_POLL_MS: '1000',
      BROWSER_LIVE_SCRAPES: '0',
    });
    try {
      await until(
        async () => (await account(s, 'imatchodds')).state === 'connected',
        90_000,
        'site source connected',
      );
      const events = (await s.get('/api/v1/feed/events')).body as { data: { id: number }[] };
      const id = events.data[0]?.id;
      assert.ok(id !== undefined, 'site events listed');
      for (const mode of ['forbidden', 'challenge']) {
        await site.siteFault(mode);
        await until(
          async () => (await account(s, 'imatchodds')).state !== 'connected',
          30_000,
          `${mode}: source not connected`,
        );
        const a = await account(s, 'imatchodds');
        assert.match(a.last_error ?? '', /blocked|forbidden|403|challenge/i, `${mode}: last error says why`);
        await until(
          async () => (await staleFlags(s, id)).some((x) => x),
          30_000,
          `${mode}: site markets marked stale`,
        );
        await site.siteFault('none');
        await until(
          async () => (await account(s, 'imatchodds')).state === 'connected',
          60_000,
          `${mode}: recovered`,
        );
        await until(async () => (await staleFlags(s, id)).every((x) => !x), 30_000, `${mode}: fresh again`);
      }
      assert.ok(s.alive(), 'no crash');
    } finally {
      await s.proc.stop();
      await site.proc.stop();
    }
  });
});
