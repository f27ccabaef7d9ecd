import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

/**
 * The dashboard's markup and client-side rules, without a browser: its ES modules (static/*.js, plain
 * browser modules that touch the DOM only when called) are imported as they are served, and called with
 * feed shapes. Fancy ladders read Yes/No, suspended markets and runners are marked, best prices across
 * books are decimal odds with a bookmaker's quoted rate beside, arbitrage pushes are read in either field
 * naming, and events are sorted into live, upcoming and racing with their stale reasons.
 */

type Render = (m: unknown, ...rest: unknown[]) => string;

/** A dashboard module, imported by URL (the static files are JavaScript, outside the type-checked tree). */
async function dashboardModule(name: string): Promise<Record<string, unknown>> {
  const url = new URL(`../../../src/http/dashboard/static/${name}`, import.meta.url);
  return (await import(url.href)) as Record<string, unknown>;
}

const ladder = await dashboardModule('ladder.js');
const ladderHtml = ladder.ladderHtml as Render;
const bestHtml = ladder.bestHtml as Render;

const sel = (name: string, back: number, lay: number, status = 'ACTIVE') => ({
  name,
  status,
  back: [{ level: 1, odds: back, size: 100 }],
  lay: [{ level: 1, odds: lay, size: 100 }],
});

/** The header labels of a ladder's best back and best lay columns. */
function labels(html: string): string[] {
  return [...html.matchAll(/<th class="l1">([^<]*)<\/th>/g)].map((m) => m[1] ?? '');
}

describe('dashboard price markup', () => {
  test('a fancy ladder is labelled Yes (back) / No (lay); other markets Back / Lay', () => {
    const fancy = ladderHtml({
      market_id: 'imatchodds:1',
      type: 'FANCY',
      status: 'OPEN',
      selections: [sel('6 over runs Australia', 57, 56)],
    });
    assert.deepEqual(labels(fancy), ['Yes', 'No']);
    const odds = ladderHtml({
      market_id: '1.1',
      type: 'MATCH_ODDS',
      status: 'OPEN',
      selections: [sel('Australia', 2.1, 2.12)],
    });
    assert.deepEqual(labels(odds), ['Back', 'Lay']);
    assert.doesNotMatch(odds, /suspended|SUSPENDED/);
  });

  test('a suspended market is marked suspended, and so is a suspended runner of an open one', () => {
    const html = ladderHtml({
      market_id: 'imatchodds:2',
      type: 'BOOKMAKER',
      status: 'SUSPENDED',
      selections: [sel('Australia', 240, 242, 'SUSPENDED')],
    });
    assert.match(html, /<table class="ladder suspended"/);
    assert.match(html, /<caption>SUSPENDED<\/caption>/);
    const runner = ladderHtml({
      market_id: '1.2',
      type: 'MATCH_ODDS',
      status: 'OPEN',
      selections: [sel('Australia', 2.1, 2.12), sel('India', 1.8, 1.82, 'SUSPENDED')],
    });
    assert.match(runner, /<tr data-sel="1" class="suspended" title="SUSPENDED">/);
    assert.match(runner, /<tr data-sel="0"><td/);
  });

  test('best across books: decimal odds with the quoted rate beside; a suspended market says so', () => {
    const html = bestHtml({
      market_name: 'Bookmaker',
      status: 'OPEN',
      selections: [
        {
          name: 'Australia',
          best_back: { odds: 2.23, rate: 123, book: 'imatchodds' },
          best_lay: { odds: 2.25, rate: 125, book: 'othersite' },
        },
      ],
    });
    assert.match(html, /<td>2\.23 <small>rate 123<\/small> <small>imatchodds<\/small><\/td>/);
    assert.match(html, /best back \(decimal\)/);
    const suspended = bestHtml({
      market_name: 'Match Odds',
      status: 'SUSPENDED',
      selections: [{ name: 'Australia', best_back: null, best_lay: null }],
    });
    assert.match(suspended, /<span class="tag">SUSPENDED<\/span>/);
    assert.match(suspended, /<td><small>suspended<\/small><\/td><td><small>suspended<\/small><\/td>/);
    const runner = bestHtml({
      market_name: 'Match Odds',
      status: 'OPEN',
      selections: [
        { name: 'Ruud', suspended: false, best_back: null, best_lay: null },
        { name: 'Sinner', suspended: true, best_back: null, best_lay: null },
      ],
    });
    assert.match(runner, /<td>Ruud<\/td><td>–<\/td>/);
    assert.match(runner, /<td>Sinner<\/td><td><small>suspended<\/small><\/td>/);
  });
});

describe('dashboard ladders on the board and price moves', () => {
  const moveOf = ladder.moveOf as (a: string, b: string) => string;

  test('a race card shows its first runners only, and says how many rows its patches keep', () => {
    const race = {
      market_id: '1.9',
      type: 'WIN',
      status: 'OPEN',
      selections: Array.from({ length: 9 }, (_, i) => sel(`Horse ${i + 1}`, 3 + i, 3.2 + i)),
    };
    const html = ladderHtml(race, 6);
    assert.equal([...html.matchAll(/<tr data-sel=/g)].length, 6);
    assert.match(html, /data-rows="6"/);
    assert.doesNotMatch(html, /Horse 7/);
    assert.equal([...ladderHtml(race).matchAll(/<tr data-sel=/g)].length, 9, 'the event page shows all');
  });

  test('a price move is up or down by its number, none when either side is blank', () => {
    assert.equal(moveOf('2.1', '2.12'), 'up');
    assert.equal(moveOf('10', '9.8'), 'down');
    assert.equal(moveOf('2.1', '2.1'), '');
    assert.equal(moveOf('', '2.1'), '', 'a price appearing is not a move');
    assert.equal(moveOf('2.1', ''), '', 'a price leaving is not a move');
  });
});

describe('dashboard arbitrage panel', async () => {
  const panels = await dashboardModule('panels.js');
  const arbs = panels.arbs as Map<string, { event_name: string; edge_pct: number; legs: unknown[] }>;
  const applyArbPush = panels.applyArbPush as (type: string, data: unknown) => void;
  const setArbs = panels.setArbs as (list: unknown[]) => void;
  const arbsHtml = panels.arbsHtml as () => string;

  const rest = {
    id: '1000005:MATCH_ODDS',
    internal_id: '1000005',
    event_name: 'Arsenal v Everton',
    market_name: 'Match Odds',
    in_play: false,
    edge_pct: 2.5,
    total: 100,
    profit: 2.5,
    legs: [
      { name: 'Arsenal', odds: 2.2, book: 'sim', stake: 46.6 },
      { name: 'Everton', odds: 2.05, book: 'oddsapi/bet365', stake: 50 },
    ],
  };
  /** The same arbitrage as the `arbs` room pushed it before pushes followed the REST naming. */
  const camel = {
    id: '1000006:MATCH_ODDS',
    eventId: 1000006,
    eventName: 'Lyon v Reims',
    marketName: 'Match Odds',
    inPlay: true,
    edgePct: 4,
    total: 100,
    profit: 4,
    legs: [
      { name: 'Lyon', price: 2.3, book: 'sim', stake: 45 },
      { name: 'Reims', price: 2.1, book: 'oddsapi/pinnacle', stake: 49 },
    ],
  };

  test('REST rows and pushes in either naming read the same; best edge first; closed ones leave', () => {
    setArbs([rest]);
    applyArbPush('arb_opened', camel);
    applyArbPush('arb_opened', { ...rest, id: '1000007:MATCH_ODDS', event_name: 'Nice v Lens', edge_pct: 1 });
    const html = arbsHtml();
    const order = [...html.matchAll(/data-arb="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, ['1000006:MATCH_ODDS', '1000005:MATCH_ODDS', '1000007:MATCH_ODDS']);
    assert.match(html, /<a href="#\/event\/1000006">Lyon v Reims<\/a> <span class="tag live">live<\/span>/);
    assert.match(html, /\+4\.00%/);
    assert.match(html, /Lyon <b>2\.3<\/b> <small>sim<\/small> <small>stake 45\.00<\/small>/);
    applyArbPush('arb_updated', { ...camel, edgePct: 3 });
    assert.equal(arbs.get('1000006:MATCH_ODDS')?.edge_pct, 3);
    applyArbPush('arb_closed', { id: '1000006:MATCH_ODDS', eventId: 1000006 });
    applyArbPush('arb_closed', { id: '1000007:MATCH_ODDS', internal_id: '1000007' });
    assert.deepEqual([...arbs.keys()], ['1000005:MATCH_ODDS']);
    setArbs([]);
    assert.match(arbsHtml(), /No arbitrage across books now/);
  });

  test('results and search results escape what they show', () => {
    const resultsHtml = panels.resultsHtml as (l: unknown[]) => string;
    const searchHtml = panels.searchHtml as (b: unknown) => string;
    const html = resultsHtml([
      {
        internal_id: '1000013',
        name: '06:28 Epsom',
        sport: 'Horse Racing',
        completed_at: new Date(Date.now() - 90_000).toISOString(),
        winner: '<b>Highland</b>',
        final_scores: null,
      },
    ]);
    assert.match(html, /won by <b>&#60;b&#62;Highland&#60;\/b&#62;<\/b> · <time>1m ago<\/time>/);
    const found = searchHtml({
      success: true,
      query: 'ars',
      data: [{ id: 1000040, name: 'Arsenal v Everton', sport: 'Football', in_play: true }],
    });
    assert.match(found, /<a href="#\/event\/1000040">Arsenal v Everton<\/a>/);
    assert.match(searchHtml({ success: true, query: '<x>', data: [] }), /Nothing matches “&#60;x&#62;”/);
    assert.match(searchHtml({ success: false, error: 'q must contain letters or digits' }), /q must contain/);
  });
});

describe('dashboard board: sections, main markets, stale and suspended', async () => {
  const b = await dashboardModule('board.js');
  const board = b.board as { events: Map<string, unknown>; sources: Map<string, boolean>; wsUp: boolean };
  const mergeEvents = b.mergeEvents as (s: unknown[], c: unknown[]) => Map<string, Record<string, unknown>>;
  const sectionOf = b.sectionOf as (e: unknown) => string;
  const isMain = b.isMain as (m: unknown, c: unknown) => boolean;
  const staleReason = b.staleReason as (e: unknown) => string;
  const cardHtml = b.cardHtml as (e: unknown) => string;

  const socket = [
    {
      id: 31181976,
      internal_id: 1000016,
      name: '06:31 Leicester',
      sport: 'Horse Racing',
      status: 'Open',
      in_play: false,
      start_time: '2026-12-06T06:31:00.000Z',
      updatedAt: 1,
      stale: false,
      sources: { sim: '31181976' },
    },
    {
      id: 34813536,
      internal_id: 1000011,
      name: 'Paris St-G v Nantes',
      sport: 'Football',
      status: 'Suspended',
      in_play: true,
      updatedAt: 5,
      stale: true,
      sources: { sim: '34813536' },
    },
  ];
  const catalogue = [
    {
      id: 1000011,
      name: 'Paris St-G v Nantes',
      sport: 'Football',
      in_play: true,
      start_time: '2026-12-06T06:10:00.000Z',
      updatedAt: 4,
      stale: false,
      sources: { sim: '34813536' },
    },
    {
      id: 1000040,
      name: 'Arsenal v Everton',
      sport: 'Football',
      in_play: false,
      start_time: '2026-12-06T08:15:00.000Z',
      updatedAt: 3,
      stale: false,
      sources: { imatchodds: 'x' },
    },
  ];

  test('racing goes to its own section, pre-play to upcoming (priced or not), in-play to live', () => {
    const events = mergeEvents(socket, catalogue);
    assert.deepEqual([...events.keys()].sort(), ['1000011', '1000016', '1000040']);
    assert.equal(sectionOf(events.get('1000016')), 'racing');
    assert.equal(sectionOf(events.get('1000011')), 'live');
    assert.equal(sectionOf(events.get('1000040')), 'upcoming');
    assert.equal(sectionOf({ sport: 'Greyhound', in_play: true }), 'racing', 'greyhounds race too');
    const psg = events.get('1000011');
    assert.equal(psg?.start_time, '2026-12-06T06:10:00.000Z', 'the catalogue fills what the live row lacks');
    assert.equal(psg?.stale, true, 'the live row judges staleness');
    assert.equal(psg?.suspended, true);
    assert.equal(events.get('1000040')?.priced, false);
  });

  test('the main market: match odds over a race win market over any other', () => {
    const win = { market_id: 'w', type: 'WIN' };
    const place = { market_id: 'p', type: 'PLACE' };
    const mo = { market_id: 'm', type: 'MATCH_ODDS' };
    assert.equal(isMain(place, undefined), true);
    assert.equal(isMain(win, place), true);
    assert.equal(isMain(place, win), false);
    assert.equal(isMain(mo, win), true);
    assert.equal(isMain(win, mo), false);
    assert.equal(isMain({ ...win }, win), true, 'the same market replaces itself');
  });

  test('stale: connection down, the server says so, or every known source of the event is down', () => {
    const e = { id: '1', name: 'A v B', sport: 'Football', stale: false, sources: ['sim', 'other'] };
    board.wsUp = false;
    assert.equal(staleReason(e), 'not connected');
    board.wsUp = true;
    board.sources = new Map([['sim', true]]);
    assert.equal(staleReason(e), '');
    assert.equal(staleReason({ ...e, stale: true }), 'stale');
    board.sources = new Map([['sim', false]]);
    assert.equal(staleReason(e), 'sim down', 'a source the health does not list is not judged');
    board.sources = new Map([
      ['sim', false],
      ['other', true],
    ]);
    assert.equal(staleReason(e), '', 'one connected source keeps the event fresh');
  });

  test('a card carries its stale reason, its suspension and when it was last updated', () => {
    board.wsUp = true;
    board.sources = new Map([['sim', false]]);
    const events = mergeEvents(socket, catalogue);
    const html = cardHtml(events.get('1000011'));
    assert.match(html, /<article class="ev stale suspended" data-id="1000011">/);
    assert.match(html, /<span class="stale-tag" role="status">stale<\/span>/, 'the server judged it stale');
    const down = cardHtml({ ...events.get('1000011'), stale: false });
    assert.match(down, /<span class="stale-tag" role="status">sim down<\/span>/);
    assert.match(html, /<time class="age" data-as-of="5">/);
    board.sources = new Map([['sim', true]]);
    const fresh = cardHtml({ ...events.get('1000040'), stale: false });
    assert.match(fresh, /<article class="ev" data-id="1000040">/);
    assert.match(fresh, /no prices yet/);
  });
});
