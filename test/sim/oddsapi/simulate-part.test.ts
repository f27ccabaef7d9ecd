import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseSimulateFlags } from '../../../src/cli/simulate.js';
import { startOddsApiPart, DEFAULT_SIM_ODDS_API_KEY } from '../../../src/sim/oddsapi/simulate-part.js';
import { readyLine } from '../../../src/cli/simulate-betfair.js';

describe('oddsgate simulate --odds-api-port', () => {
  test('the flags are accepted and validated', () => {
    assert.deepEqual(parseSimulateFlags(['--odds-api-port', '0', '--odds-api-key', 'k1']), {
      flags: { 'odds-api-port': 0, 'odds-api-key': 'k1' },
    });
    assert.ok('error' in parseSimulateFlags(['--odds-api-port', '70000']));
  });

  test('the part serves the odds API and gives the ready line "oddsApi":{"url","apiKey"}', async () => {
    const part = await startOddsApiPart({ port: 0, seed: 20261122, speed: 1, events: 40 });
    try {
      const line = JSON.parse(readyLine([part])) as { oddsApi: { url: string; apiKey: string } };
      assert.equal(line.oddsApi.apiKey, DEFAULT_SIM_ODDS_API_KEY);
      assert.match(line.oddsApi.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${line.oddsApi.url}/v4/sports?apiKey=${line.oddsApi.apiKey}`);
      assert.equal(res.status, 200);
      assert.ok(((await res.json()) as unknown[]).length >= 10);
    } finally {
      await part.close();
    }
  });
});
