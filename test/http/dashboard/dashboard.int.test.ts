/**
 * The dashboard in real Chromium against a listening server: the simulated exchange (live, pre-play and
 * racing events, races settling into results) plus fixture sources that make what the simulator does not
 * on demand: one match priced by two books with an arbitrage between them, a suspended match, and a source
 * that stops (its card turns stale). Screenshots go to test-artifacts/ (git-ignored). Every wait is on a
 * selector or a condition in the page, never a fixed sleep.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Runner, SourceStatus, SourceUpdate } from '../../../src/model/index.js';
import type { Source, UpdateSink } from '../../../src/sources/types.js';
import { SimSource } from '../../../src/sim/sim-source.js';
import { chromiumPath } from '../../../src/sources/browser/chromium.js';
import { listeningApp } from '../../broker/helpers.js';
import { matchOdds } from '../../helpers/fixtures.js';

const ARTIFACTS = 'test-artifacts';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const KICK_OFF = new Date(Date.now() + 3 * 3600_000).toISOString();
const STARTED = new Date(Date.now() - 30 * 60_000).toISOString();

/** A source that emits fixed updates and reports connected until `disconnect()`. */
class FixtureSource implements Source {
  private connected = true;
  private lastUpdateAt = Date.now();

  constructor(
    readonly name: string,
    private readonly updates: SourceUpdate[],
  ) {}

  async start(sink: UpdateSink): Promise<void> {
    sink(this.updates);
  }
  async stop(): Promise<void> {}
  disconnect(): void {
    this.connected = false;
  }
  status(): SourceStatus {
    return {
      source: this.name,
      kind: 'fixture',
      state: this.connected ? 'connected' : 'disconnected',
      connected: this.connected,
      lastError: this.connected ? null : 'fixture stopped',
      lastErrorAt: null,
      lastUpdateAt: this.lastUpdateAt,
      frames: this.updates.length,
      markets: this.updates.filter((u) => u.kind === 'market').length,
      details: {},
    };
  }
}

function r(selectionId: number, name: string, back: number, lay: number | null): Runner {
  return {
    selectionId,
    handicap: 0,
    name,
    status: 'ACTIVE',
    sortPriority: selectionId,
    back: [{ price: back, size: 150 }],
    lay: lay === null ? [] : [{ price: lay, size: 150 }],
    ltp: null,
    tv: 0,
    bsp: null,
    adjustmentFactor: null,
  };
}

/** One upstream event with a match odds market. */
function match(
  source: string,
  id: string,
  name: string,
  runners: Runner[],
  opts: { inPlay?: boolean; status?: 'OPEN' | 'SUSPENDED'; marketId?: string } = {},
): SourceUpdate[] {
  const inPlay = opts.inPlay ?? false;
  const startTime = inPlay ? STARTED : KICK_OFF;
  return [
    {
      kind: 'event',
      source,
      upstreamEventId: id,
      event: { sportId: 1, name, startTime, inPlay, status: inPlay ? 'IN_PLAY' : 'OPEN' },
    },
    {
      kind: 'market',
      source,
      upstreamEventId: id,
      market: matchOdds(opts.marketId ?? `${source}:${id}`, runners, {
        source,
        startTime,
        inPlay,
        status: opts.status ?? 'OPEN',
      }),
    },
  ];
}

// Two books of one match whose best backs lock a profit (1/2.1 + 1/4.4 + 1/3.6 < 1).
const exchange = new FixtureSource('betfair', [
  ...match(
    'betfair',
    '3501',
    'Arbitra United v Chelsea',
    [r(1, 'Arbitra United', 2.0, 2.04), r(2, 'Chelsea', 4.4, 4.6), r(58805, 'The Draw', 3.5, 3.85)],
    { marketId: '1.3501' },
  ),
  ...match(
    'betfair',
    '3502',
    'Halted Rovers v Paused Athletic',
    [r(1, 'Halted Rovers', 1.9, 1.94), r(2, 'Paused Athletic', 4.1, 4.3), r(58805, 'The Draw', 3.6, 3.7)],
    { inPlay: true, status: 'SUSPENDED', marketId: '1.3502' },
  ),
]);
const books = new FixtureSource(
  'oddsapi',
  match(
    'oddsapi',
    'abc',
    'Arbitra United v Chelsea',
    [r(11, 'Arbitra United', 2.1, null), r(12, 'Chelsea', 3.9, null), r(58805, 'Draw', 3.6, null)],
    { marketId: 'oddsapi:abc:pinnacle:h2h' },
  ),
);
const fading = new FixtureSource(
  'fading',
  match('fading', 'f1', 'Stale Town v Fresh City', [
    r(1, 'Stale Town', 2.5, 2.56),
    r(2, 'Fresh City', 2.9, 2.96),
    r(58805, 'The Draw', 3.2, 3.3),
  ]),
);

let app: FastifyInstance;
let base = '';
let browser: Browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const sim = new SimSource({ sim: { speed: 10, seed: 11, rate: 600, events: 16 } });
  const listening = await listeningApp({ sources: [sim, exchange, books, fading] });
  app = listening.app;
  base = listening.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
  browser = await chromium.launch({ executablePath: await chromiumPath(), args: FLAGS, timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

/** The internal id of a fixture event. */
function idOf(source: string, upstreamId: string): string {
  const e = app.readModel.findByUpstream(source, upstreamId);
  assert.ok(e, `${source}:${upstreamId} is known`);
  return String(e.id);
}

/** A new page that fails the test on a script error or a failed request of the dashboard. */
async function open(width: number, height: number, hash = ''): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(`${base}/${hash}`, { waitUntil: 'domcontentloaded' });
  return { page, problems };
}

/** Texts of the elements matching `selector`. */
async function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()));
}

// Chromium as the server finds it (CHROMIUM_PATH, a system one, else the npm-shipped one): never skipped.
describe('the dashboard in Chromium (issue 16 item 6)', () => {
  test('live grid, upcoming, racing, arbitrage, results, suspended, moves and the favicon on a desktop', async () => {
    const { page, problems } = await open(1400, 1000);
    try {
      await page.waitForSelector('#conn[data-state="live"]', { timeout: 20_000 });
      await page.waitForSelector('#sources li[data-source="sim"]', { timeout: 20_000 });
      assert.match((await page.textContent('#sources')) ?? '', /sim\s*connected/);

      // Live: in-play cards with prices from the `odds` room.
      await page.waitForSelector('#events article.ev table.ladder td.p b:not(:empty)', { timeout: 30_000 });
      await page.waitForSelector('#events article.ev .tag.live', { timeout: 30_000 });
      // Upcoming: a pre-play match (the fixture's, 3 h ahead) with its prices; no card there is in play.
      const arbId = idOf('betfair', '3501');
      await page.waitForSelector(`#upcoming article.ev[data-id="${arbId}"] table.ladder`, {
        timeout: 30_000,
      });
      assert.equal(await page.$$eval('#upcoming article.ev .tag.live', (l) => l.length), 0);
      // Racing: the simulator's races, which only /socket-events lists, with their win market.
      await page.waitForSelector('#racing article.ev table.ladder td.p b:not(:empty)', { timeout: 30_000 });
      const raceSports = await texts(page, '#racing article.ev header .tag:nth-of-type(1)');
      assert.ok(raceSports.length > 0 && raceSports.every((s) => /horse racing/i.test(s)), raceSports.join());
      assert.ok((await texts(page, '#sports button')).some((t) => t.startsWith('Horse Racing')));

      // Suspended: the fixture's suspended in-play match is marked on its card.
      const haltedId = idOf('betfair', '3502');
      await page.waitForSelector(
        `#events article.ev.suspended[data-id="${haltedId}"] table.ladder.suspended`,
        {
          timeout: 30_000,
        },
      );
      assert.ok(await page.isVisible(`article.ev[data-id="${haltedId}"] .susp-tag`));

      // Every card says when it last changed.
      const ages = await texts(page, '#events article.ev time.age');
      assert.ok(ages.length > 0 && ages.every((a) => /^\d+[smh] ago$/.test(a)), ages.join());

      // Arbitrage: the fixture's arbitrage across the two books, with its legs.
      await page.waitForSelector(`#arbs li.arb a[href="#/event/${arbId}"]`, { timeout: 30_000 });
      const arb = (await page.textContent(`#arbs li.arb:has(a[href="#/event/${arbId}"])`)) ?? '';
      assert.match(arb, /Arbitra United v Chelsea/);
      assert.match(arb, /\+\d+\.\d\d%/);
      assert.match(arb, /Chelsea 4\.4 .*betfair/);
      assert.match(arb, /Arbitra United 2\.1 .*oddsapi/);

      // Results: races the simulator settles appear with their winner.
      await page.waitForSelector('#results li.result', { timeout: 90_000 });
      assert.match((await page.textContent('#results li.result')) ?? '', /won by/);

      // A price that moves is marked up or down: an arrow besides the colour (not colour alone).
      let arrows: string[] = [];
      for (let i = 0; i < 10 && arrows.length === 0; i++) {
        await page.waitForSelector('#events td.p.up, #events td.p.down', { timeout: 20_000 });
        arrows = JSON.parse(
          String(
            await page.evaluate(
              `JSON.stringify([...document.querySelectorAll('#events td.p.up b, #events td.p.down b')].map((b) => (b.parentElement.classList.contains('up') ? 'up ' : 'down ') + getComputedStyle(b, '::after').content))`,
            ),
          ),
        ) as string[];
      }
      assert.ok(arrows.length > 0, 'a marked price seen');
      for (const a of arrows) assert.match(a, /^(up "▲"|down "▼")$/);
      await page.screenshot({ path: `${ARTIFACTS}/dashboard-desktop.png` });
      await page.screenshot({ path: `${ARTIFACTS}/dashboard-desktop-full.png`, fullPage: true });

      const icon = await page.request.get(`${base}/favicon.ico`);
      assert.equal(icon.status(), 200);
      assert.equal(icon.headers()['content-type'], 'image/x-icon');
      assert.equal(await page.getAttribute('link[rel="icon"]', 'href'), '/favicon.svg');
      const svg = await page.request.get(`${base}/favicon.svg`);
      assert.equal(svg.status(), 200);
      assert.match(await svg.text(), /^<svg /);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('a deep link shows the event name; search finds an event and opens it', async () => {
    const race = [...app.readModel.events.values()].find(
      (e) => e.sportId === 26 && e.status === 'OPEN' && !e.inPlay && app.readModel.marketsOf(e.id).length > 0,
    );
    assert.ok(race, 'a simulated race is open and not off yet');
    const { page, problems } = await open(1280, 900, `#/event/${race.id}`);
    try {
      await page.waitForSelector('#event-name', { timeout: 20_000 });
      assert.equal(await page.textContent('#event-name'), race.name);
      assert.equal(await page.title(), `${race.name} · oddsgate`);
      assert.equal(await page.isVisible('#board'), false, 'the event page replaces the board');
      await page.screenshot({ path: `${ARTIFACTS}/dashboard-deep-link.png` });

      await page.fill('#search', 'stale town');
      await page.waitForSelector('#search-results a', { timeout: 10_000 });
      assert.deepEqual(await texts(page, '#search-results a'), ['Stale Town v Fresh City']);
      await page.screenshot({ path: `${ARTIFACTS}/dashboard-search.png` });
      await page.click('#search-results a');
      await page
        .locator('#event-name', { hasText: /^Stale Town v Fresh City$/ })
        .waitFor({ timeout: 10_000 });
      assert.equal(await page.isVisible('#search-results'), false);
      await page.waitForSelector('#event .market table.ladder td.p b:not(:empty)', { timeout: 10_000 });

      await page.fill('#search', 'zzqx nothing');
      await page.waitForSelector('#search-results li.empty', { timeout: 10_000 });
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('at phone width (375 px) nothing overflows sideways, and a stopped source turns its card stale', async () => {
    const { page, problems } = await open(375, 812);
    try {
      await page.waitForSelector('#events article.ev table.ladder td.p b:not(:empty)', { timeout: 30_000 });
      await page.waitForSelector('#racing article.ev table.ladder', { timeout: 30_000 });
      await page.waitForSelector('#results li', { timeout: 30_000 });
      // Evaluated in the page (a string: this file is type-checked without the DOM library).
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      assert.ok(overflow <= 0, `no horizontal scroll at 375 px (${overflow}px)`);
      const widest = Number(
        await page.evaluate(
          'Math.max(...[...document.querySelectorAll("article.ev, .side .panel, .top")].map((e) => e.getBoundingClientRect().right))',
        ),
      );
      assert.ok(widest <= 375, `cards and panels fit the screen (right edge ${widest}px)`);
      await page.screenshot({ path: `${ARTIFACTS}/dashboard-phone.png` });

      // With reduced motion asked for, prices change without any fade.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      const durations = String(
        await page.evaluate(
          `[...document.querySelectorAll('#events td.p')].slice(0, 20).map((td) => getComputedStyle(td).transitionDuration).join()`,
        ),
      );
      assert.match(durations, /^0s(,0s)*$/, durations);
      await page.emulateMedia({ reducedMotion: 'no-preference' });

      const fadingId = idOf('fading', 'f1');
      const card = `article.ev[data-id="${fadingId}"]`;
      await page.waitForSelector(`${card} table.ladder`, { timeout: 30_000 });
      assert.equal(await page.$$eval(`${card}.stale`, (l) => l.length), 0, 'fresh while its source runs');
      fading.disconnect();
      await page.waitForSelector(`${card}.stale`, { timeout: 30_000 });
      assert.match((await page.textContent(`${card} .stale-tag`)) ?? '', /stale|fading down/);
      await page.waitForSelector('#sources li[data-source="fading"] .dot.disconnected', { timeout: 10_000 });
      await page.locator(card).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ARTIFACTS}/dashboard-phone-stale.png` });
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

describe('the dashboard on a server with API keys', () => {
  const KEY = 'dashboard-key-0123456789';
  let keyed: FastifyInstance;
  let keyedBase = '';

  before(async () => {
    const source = new FixtureSource(
      'keyed',
      match(
        'keyed',
        'k1',
        'Locked Rovers v Open City',
        [r(1, 'Locked Rovers', 2.2, 2.24), r(2, 'Open City', 3.1, 3.2)],
        {
          inPlay: true,
          marketId: '1.9001',
        },
      ),
    );
    const listening = await listeningApp({ sources: [source], env: { API_KEYS: `${KEY}:600` } });
    keyed = listening.app;
    keyedBase = listening.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
  });
  after(async () => {
    await keyed?.close();
  });

  test('asks for the key, then shows the board and follows prices with it', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${keyedBase}/`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('#keybar:not([hidden])', { timeout: 20_000 });
      assert.equal(
        await page.$$eval('#events article.ev', (l) => l.length),
        0,
        'nothing shown without a key',
      );
      await page.fill('#key', KEY);
      await page.click('#keybar button[type="submit"]');
      await page.waitForSelector('#events article.ev table.ladder td.p b:not(:empty)', { timeout: 20_000 });
      assert.match(
        (await page.textContent('#events article.ev header a')) ?? '',
        /Locked Rovers v Open City/,
      );
      await page.waitForSelector('#conn[data-state="live"]', { timeout: 20_000 });
      await page.waitForSelector('#sources li[data-source="keyed"]', { timeout: 20_000 });
      assert.equal(await page.isVisible('#keybar'), false);
      assert.equal(await page.evaluate('localStorage.getItem("oddsgate.apiKey")'), KEY);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
