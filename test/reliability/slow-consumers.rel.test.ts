import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pick } from './helpers/short.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { brokerStats, roomSeq, WsCrowd } from './helpers/ws-crowd.js';

const CLIENTS = 1000;
const SLOW = 100;

describe('slow WebSocket consumers at scale', () => {
  let server: RunningServer | null = null;
  let crowd: WsCrowd | null = null;
  after(async () => {
    crowd?.close();
    await server?.proc.stop();
  });

  test(`${SLOW} of ${CLIENTS} clients stop reading: they are cut with 4008, the others get every message in order`, async () => {
    server = await startServer({
      SOURCES: 'sim',
      SIM_RATE: '900',
      SIM_EVENTS: '200',
      WS_MAX_CONNECTIONS: '5000',
      // A smaller queue bound than the 8 MiB default, so the slow ones are cut sooner (same rule).
      WS_MAX_QUEUE_BYTES: String(pick(1024 * 1024, 256 * 1024)),
    });
    crowd = await WsCrowd.connect(server.port, CLIENTS);
    const slow = crowd.members.filter((_, i) => i % (CLIENTS / SLOW) === 0);
    const good = crowd.members.filter((_, i) => i % (CLIENTS / SLOW) !== 0);
    assert.equal(slow.length, SLOW);
    for (const m of slow) m.client.pause();

    // The server cuts them: its count of slow closes reaches 100 and only the readers stay connected.
    const cutWithin = pick(120_000, 90_000);
    const t0 = Date.now();
    let stats = await brokerStats(server.port);
    while ((stats.slow_consumers_closed ?? 0) < SLOW && Date.now() - t0 < cutWithin) {
      await new Promise((r) => setTimeout(r, 1000));
      stats = await brokerStats(server.port);
    }
    assert.equal(stats.slow_consumers_closed, SLOW, `slow closes after ${Date.now() - t0} ms`);

    // Reading again, each slow client finds its connection closed; a close frame that got through says 4008.
    for (const m of slow) m.client.resume();
    const ended = await crowd.reach(slow, Number.MAX_SAFE_INTEGER, 30_000);
    assert.ok(ended, `${slow.filter((m) => !m.client.ended).length} slow clients still connected`);
    const codes = new Set(slow.map((m) => m.client.closeCode).filter((c) => c !== null));
    assert.ok(
      [...codes].every((c) => c === 4008),
      `close codes: ${[...codes].join(',')}`,
    );

    // Every reader gets every message: a fresh position is reached by all, with no gap or repeat on the way.
    const target = await roomSeq(server.port);
    assert.ok(await crowd.reach(good, target, 60_000), 'readers did not reach the room position');
    assert.equal(good.filter((m) => m.client.ended).length, 0, 'a reader was disconnected');
    assert.deepEqual(
      good.filter((m) => m.gaps > 0).map((m) => m.gaps),
      [],
      'readers saw a gap, a repeat or disorder',
    );
    const perReader = good.map((m) => m.received);
    assert.ok(Math.min(...perReader) > 100, `a reader got only ${Math.min(...perReader)} messages`);
    assert.ok(server.alive(), 'the server is still running');
  });
});
