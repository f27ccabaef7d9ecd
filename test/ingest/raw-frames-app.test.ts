import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feed, makeTestApp } from '../helpers/app.js';
import { SAMPLE_EVENTS, sampleUpdates } from '../helpers/fixtures.js';
import type { SourceUpdate } from '../../src/model/index.js';

test('/socket-odds stops showing frames of a market once it left the state', async () => {
  const app = await makeTestApp();
  try {
    const [football, tennis] = [SAMPLE_EVENTS[0]!, SAMPLE_EVENTS[1]!];
    const withRaw = sampleUpdates().map((u): SourceUpdate =>
      u.kind === 'market' ? { ...u, raw: { frame: u.market.id } } : u,
    );
    await feed(app, withRaw);
    const odds = async (marketId: string) =>
      (await app.inject({ url: `/api/v1/feed/socket-odds?market_id=${marketId}` })).json();
    assert.ok((await odds(football.marketId)).count > 0, 'the frame is shown while the market exists');
    assert.ok((await odds(tennis.marketId)).count > 0);

    await feed(app, [{ kind: 'marketRemoved', source: 'betfair', marketId: football.marketId }]);
    assert.equal(app.readModel.markets.has(football.marketId), false);
    assert.equal((await odds(football.marketId)).count, 0);
    assert.ok((await odds(tennis.marketId)).count > 0, 'other markets keep theirs');
  } finally {
    await app.close();
  }
});
