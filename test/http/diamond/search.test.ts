import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { SourceUpdate } from '../../../src/model/index.js';
import { foldText } from '../../../src/http/routes/diamond/search.js';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';
import { closeEvent } from './fixtures.js';

function event(id: string, sportId: number, name: string, competition: string, inPlay = false): SourceUpdate {
  return {
    kind: 'event',
    source: 'betfair',
    upstreamEventId: id,
    event: {
      sportId,
      name,
      competition: { id: null, name: competition },
      startTime: '2026-11-23T12:00:00.000Z',
      status: inPlay ? 'IN_PLAY' : 'OPEN',
      inPlay,
    },
  };
}

const EXTRA: SourceUpdate[] = [
  event('900001', 1, 'Betis Women v Sevilla Women', 'Liga F'),
  event('900002', 1, 'Real Betis B v Cordoba', 'Segunda Federacion'),
  event('900003', 1, 'Alphabetis FC v Omega', 'Sunday League'),
  event('900004', 1, 'Atlético Madrid v Sevilla', 'Spanish La Liga'),
  event('900005', 1, 'São Paulo v Grêmio', 'Brasileirão Série A'),
  event('900006', 1, 'Bayern München v Köln', 'Bundesliga'),
  event('900007', 2, 'Player A v Player B', 'Betis Open'),
];

interface Found {
  query: string;
  count: number;
  total: number;
  games: { title: string; gmid: string }[];
}

describe('Diamond /search', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp();
    await feed(app, [...sampleUpdates(), ...EXTRA]);
  });
  after(() => app.close());

  const search = async (qs: string) => {
    const res = await app.inject({
      url: `/api/v2/diamond/search?${qs}`,
      headers: { 'x-password': TEST_PASSWORD },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { success: boolean; data: Found; timestamp: string };
    assert.equal(body.success, true);
    return body.data;
  };
  const titles = async (qs: string) => (await search(qs)).games.map((g) => g.title);

  test('ranks exact team, then prefix, then competition prefix, then word start, then substring', async () => {
    assert.deepEqual(await titles('q=betis'), [
      'Real Sociedad v Betis', // team2 exactly "Betis"
      'Betis Women v Sevilla Women', // title and team1 start with it
      'Player A v Player B', // competition "Betis Open" starts with it
      'Real Betis B v Cordoba', // a word of the title starts with it
      'Alphabetis FC v Omega', // inside a word
    ]);
  });

  test('case- and accent-insensitive, both ways', async () => {
    assert.deepEqual(await titles('q=ATLETICO'), ['Atlético Madrid v Sevilla']);
    assert.deepEqual(await titles('q=atl%C3%A9tico'), ['Atlético Madrid v Sevilla']);
    assert.deepEqual(await titles('q=sao%20paulo'), ['São Paulo v Grêmio']);
    assert.deepEqual(await titles('q=munchen'), ['Bayern München v Köln']);
    assert.deepEqual(await titles('q=BRASILEIRAO'), ['São Paulo v Grêmio'], 'competition');
  });

  test('words in any order match as the weakest rank', async () => {
    assert.deepEqual(await titles('q=sevilla%20atletico'), ['Atlético Madrid v Sevilla']);
  });

  test('limit bounds the games; total counts every match', async () => {
    const r = await search('q=betis&limit=2');
    assert.equal(r.count, 2);
    assert.equal(r.total, 5);
    assert.deepEqual(
      r.games.map((g) => g.title),
      ['Real Sociedad v Betis', 'Betis Women v Sevilla Women'],
    );
    assert.equal(r.query, 'betis');
  });

  test('sport filter and the game shape', async () => {
    assert.deepEqual(await titles('q=betis&sport_id=2'), ['Player A v Player B']);
    const r = await search('q=ascot');
    assert.equal(r.games[0]!.gmid, String(app.readModel.findEvent('35580001')!.id));
  });

  test('no match → empty list', async () => {
    assert.deepEqual(await search('q=zzzz'), { query: 'zzzz', count: 0, total: 0, games: [] });
  });

  test('closed events are not found; the index follows updates', async () => {
    assert.deepEqual(await titles('q=alcaraz'), ['Carlos Alcaraz v Jannik Sinner']);
    await feed(app, [closeEvent(1)]);
    assert.deepEqual(await titles('q=alcaraz'), []);
  });
});

describe('foldText', () => {
  test('drops accents and case, spells out undecomposable letters, collapses punctuation', () => {
    assert.equal(foldText('  Atlético   MADRID!! '), 'atletico madrid');
    assert.equal(foldText('Straße Øster Łódź'), 'strasse oster lodz');
    assert.equal(foldText('Ｆｕｌｌ－ｗｉｄｔｈ'), 'full width');
    assert.equal(foldText('😀\u0000\u202e'), '');
  });
});
