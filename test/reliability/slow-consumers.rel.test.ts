import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CrowdProcs } from './helpers/crowd-procs.js';
import { pick } from './helpers/short.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { brokerStats, roomSeq } from './helpers/ws-crowd.js';

const CLIENTS = 1000;
const SLOW = 100;

describe('slow WebSocket consumers at scale', () => {
  let server: RunningServer | null = null;
  let crowd: CrowdProcs | null = null;
  after(async () => {
    await crowd?.close();
    await server?.proc.stop();
  });

  // The sum of its bounded waits (connect ≤ 180 s, cut ≤ 180 s, then 30 s and 60 s) is over the runner's
  // default per-test limit (300 s), which a loaded machine can reach.
  test(
    `${SLOW} of ${CLIENTS} clients stop reading: they are cut with 4008, the others get every message in order`,
    { timeout: 600_000 },
    async () => {
      server = await startServer({
        SOURCES: 'sim',
        SIM_RATE: '600',
        SIM_EVENTS: '200',
        WS_MAX_CONNECTIONS: '5000',
        // A smaller queue bound than the 8 MiB default, so the slow ones are cut sooner (same rule). Not
        // smaller still in the short variant: on a loaded machine a reader of a thousand-client crowd can be
        // a few hundred KB behind for a moment (measured: 256 KiB cut readers during the connect phase).
        WS_MAX_QUEUE_BYTES: String(1024 * 1024),
        // Each slow client's close frame waits behind its unread bytes until it reads again, which here is
        // after all 100 are cut (up to 120 s): with the 5 s default grace, the first ones cut were destroyed
        // first and read 1006 (CI-like load spread the cuts over more than 5 s).
        WS_CLOSE_GRACE_MS: '300000',
      });
      const s = server;
      const tConnect = Date.now();
      // The readers run at a higher CPU priority than the server: on a loaded machine they must not fall
      // behind by accident (the server would rightly cut them too).
      crowd = await CrowdProcs.connect(s.port, CLIENTS, { slowEvery: CLIENTS / SLOW, favoured: true });
      const c = crowd;
      const connectMs = Date.now() - tConnect;
      assert.equal((await c.status()).slow.count, SLOW);
      c.pauseSlow();

      // The server cuts them: its count of slow closes reaches 100, and no more.
      const t0 = Date.now();
      let stats = await brokerStats(s.port);
      while ((stats.slow_consumers_closed ?? 0) < SLOW && Date.now() - t0 < pick(180_000, 120_000)) {
        await new Promise((r) => setTimeout(r, 1000));
        stats = await brokerStats(s.port);
      }
      const cutMs = Date.now() - t0;
      assert.equal(stats.slow_consumers_closed, SLOW, `slow closes after ${cutMs} ms`);

      // Reading again, each slow client finds its connection closed; a close frame that got through says 4008.
      c.resumeSlow();
      const ended = await c.until((st) => st.slow.ended === SLOW, 30_000);
      assert.ok(ended.ok, `${SLOW - ended.status.slow.ended} slow clients still connected`);
      assert.ok(
        ended.status.slow.codes.every((code) => code === 4008),
        `close codes: ${ended.status.slow.codes.join(',')}`,
      );

      // Every reader gets every message: a fresh position is reached by all, with no gap or repeat on the way.
      const target = await roomSeq(s.port);
      const reached = await c.until((st) => st.good.minLast >= target, 60_000);
      assert.ok(reached.ok, `readers at ${reached.status.good.minLast}, room at ${target}`);
      assert.equal(reached.status.good.ended, 0, 'a reader was disconnected');
      assert.equal(reached.status.good.gaps, 0, 'readers saw a gap, a repeat or disorder');
      assert.ok(
        reached.status.good.minReceived > 100,
        `a reader got only ${reached.status.good.minReceived} messages`,
      );
      assert.equal((await brokerStats(s.port)).slow_consumers_closed, SLOW, 'no reader was cut');
      process.stderr.write(
        `slow-consumers: connected in ${connectMs} ms, ${SLOW} cut in ${cutMs} ms, readers got ≥ ${reached.status.good.minReceived} messages each, no gap\n`,
      );
      assert.ok(s.alive(), 'the server is still running');
    },
  );
});
