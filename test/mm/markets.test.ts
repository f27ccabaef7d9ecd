/**
 * What the engine sees of the books: selectors pick events by fixture, sport or tournament; the fair price
 * is the de-margined consensus of the books oddsgate holds for the event (one exchange book here);
 * suspension and the in-play turn come from the exchange market the quotes rest on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { SourceUpdate } from '../../src/model/index.js';
import { marketState, selectedMarkets } from '../../src/mm/markets.js';
import { fairPrices } from '../../src/mm/pricing.js';
import { MmStrategySchema } from '../../src/config/mm.js';
import { feed, makeTestApp } from '../helpers/app.js';
import { matchOdds, runner } from '../helpers/fixtures.js';

const STRATEGY = MmStrategySchema.parse({});
const START = new Date(Date.now() + 3600_000).toISOString();

function event(
  id: string,
  competition: string,
  status: 'OPEN' | 'SUSPENDED',
  inPlay: boolean,
): SourceUpdate[] {
  return [
    {
      kind: 'event',
      source: 'sim',
      upstreamEventId: id,
      event: {
        sportId: 1,
        name: `Home ${id} v Away ${id}`,
        competition: { id: competition, name: `League ${competition}` },
        startTime: START,
        status: 'OPEN',
        inPlay,
      },
    },
    {
      kind: 'market',
      source: 'sim',
      upstreamEventId: id,
      market: matchOdds(
        `1.${id}`,
        [
          runner(1, 'Home', 2.0, 2.02, { sortPriority: 1 }),
          runner(2, 'Away', 3.5, 3.55, { sortPriority: 2 }),
          runner(3, 'The Draw', 4.0, 4.1, { sortPriority: 3 }),
        ],
        { source: 'sim', status, inPlay, startTime: START },
      ),
    },
  ];
}

describe('MM markets from the read model', () => {
  let app: FastifyInstance;
  const idOf = (name: string) => String([...app.readModel.events.values()].find((e) => e.name === name)?.id);

  before(async () => {
    app = await makeTestApp();
    await feed(app, [
      ...event('11', 'c1', 'OPEN', false),
      ...event('12', 'c2', 'SUSPENDED', false),
      ...event('13', 'c1', 'OPEN', true),
    ]);
  });
  after(async () => app?.close());

  test('selectors pick every match-winner outcome of the events they name', () => {
    const a = idOf('Home 11 v Away 11');
    const byFixture = selectedMarkets(app.readModel, [{ selector: `fixture:${a}`, strategy: STRATEGY }], 100);
    assert.deepEqual(byFixture.map((m) => m.marketKey).sort(), [`${a}:101`, `${a}:102`, `${a}:103`]);
    const byTournament = selectedMarkets(
      app.readModel,
      [{ selector: 'tournament:c1', strategy: STRATEGY }],
      100,
    );
    assert.deepEqual(new Set(byTournament.map((m) => m.fixtureId)), new Set([a, idOf('Home 13 v Away 13')]));
    assert.equal(
      selectedMarkets(app.readModel, [{ selector: 'sport:1', strategy: STRATEGY }], 100).length,
      9,
    );
    assert.equal(
      selectedMarkets(app.readModel, [{ selector: 'sport:2', strategy: STRATEGY }], 100).length,
      0,
    );
    // the cap goes first to events it quotes: the in-play one (cancelInPlay) comes last
    const capped = selectedMarkets(app.readModel, [{ selector: 'tournament:c1', strategy: STRATEGY }], 3);
    assert.deepEqual(new Set(capped.map((m) => m.fixtureId)), new Set([a]));
  });

  test('fair price: the book de-margined; suspension and in play from the exchange market', () => {
    const a = idOf('Home 11 v Away 11');
    const m = selectedMarkets(app.readModel, [{ selector: `fixture:${a}`, strategy: STRATEGY }], 100);
    const home = m.find((x) => x.outcomeId === 101)!;
    const s = marketState(app.readModel, home, []);
    const expected = fairPrices(
      [{ book: 'sim', prices: { home: 2.0, away: 3.5, draw: 4.0 } }],
      ['home', 'away', 'draw'],
    );
    assert.ok(s.fair !== null && Math.abs(s.fair - (expected?.odds.home as number)) < 1e-9, `fair ${s.fair}`);
    assert.ok(s.fair > 2.0, 'the margin is taken out: fair is longer than the best back');
    assert.deepEqual([s.suspended, s.inPlay, s.gone], [false, false, false]);
    assert.deepEqual(
      marketState(app.readModel, home, ['another-book']).fair,
      null,
      'no chosen book: no fair price',
    );

    const b = idOf('Home 12 v Away 12');
    assert.equal(
      marketState(app.readModel, { ...home, fixtureId: b, marketKey: `${b}:101` }, []).suspended,
      true,
    );
    const c = idOf('Home 13 v Away 13');
    assert.equal(
      marketState(app.readModel, { ...home, fixtureId: c, marketKey: `${c}:101` }, []).inPlay,
      true,
    );
    assert.equal(
      marketState(app.readModel, { ...home, fixtureId: '999999', marketKey: '999999:101' }, []).gone,
      true,
    );
  });
});
