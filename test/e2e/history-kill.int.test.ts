import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { historyKillScenario } from './history-kill.js';

// Issue 17 "Done when": killing the server mid-run and starting it again leaves no gap in the odds history,
// and its candles close at the prices the WebSocket pushed. The 10-minute version: scripts/history-soak.ts.
describe('odds history across a SIGKILL (real server, Redis log, embedded records database)', () => {
  test('no gap, and 1 s and 1 m closes equal the last pushed best back on both sides of the kill', async () => {
    const r = await historyKillScenario({ runMs: 25_000, simSpeed: 10, log: (l) => console.log(`# ${l}`) });
    console.log(`# ${JSON.stringify(r)}`);
    assert.equal(r.gaps, 0);
    assert.ok(r.ticksAfter > r.ticksBefore, 'the restarted writer went on writing');
  });
});
