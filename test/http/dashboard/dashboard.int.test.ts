import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { SimSource } from '../../../src/sim/sim-source.js';
import { chromiumPath } from '../../../src/sources/browser/chromium.js';
import { listeningApp, sleep } from '../../broker/helpers.js';

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

let app: FastifyInstance;
let base = '';
let browser: Browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const source = new SimSource({ sim: { speed: 10, seed: 11, rate: 600, events: 16 } });
  const listening = await listeningApp({ sources: [source] });
  app = listening.app;
  base = listening.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
  for (let i = 0; i < 200 && app.readModel.markets.size === 0; i++) await sleep(25);
  browser = await chromium.launch({ executablePath: await chromiumPath(), args: FLAGS, timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await app?.close();
});

/** Every price shown in the event cards, in document order. */
async function prices(page: Page): Promise<string[]> {
  return page.$$eval('#events table.ladder td.p b', (cells) => cells.map((c) => c.textContent ?? ''));
}

test('the dashboard loads, shows live events with prices, and a price on screen changes as the simulator moves it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${base}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#events table.ladder td.p b:not(:empty)', { timeout: 15_000 });
    await page.waitForSelector('#conn[data-state="live"]', { timeout: 10_000 });
    await page.waitForSelector('#sources li', { timeout: 15_000 });
    assert.match((await page.textContent('#sources')) ?? '', /sim\s*connected/);
    await page.waitForSelector('#events .tag.live', { timeout: 20_000 });
    assert.equal(await page.textContent('#board-title'), 'Live events');
    assert.equal(await page.isVisible('#keybar'), false, 'no key prompt when the feed is open');

    const first = await prices(page);
    assert.ok(first.filter((p) => p !== '').length >= 4, `prices on screen: ${first.length}`);
    let changed = -1;
    for (let i = 0; i < 100 && changed < 0; i++) {
      await sleep(100);
      const now = await prices(page);
      changed = now.findIndex((p, j) => first[j] !== undefined && p !== first[j] && p !== '');
    }
    assert.ok(changed >= 0, 'a price on screen changed');
    await page.waitForSelector('#events td.p.flash', { timeout: 5000 });
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-desktop.png` });

    await page.setViewportSize({ width: 390, height: 844 });
    await sleep(300);
    // Evaluated in the page (a string: this file is type-checked without the DOM library).
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    assert.ok(overflow <= 1, `no horizontal scroll at phone width (${overflow}px)`);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-phone.png` });

    const id = await page.getAttribute('#events article.ev:has(td.p.l1 b:not(:empty))', 'data-id');
    await page.click(`#events article.ev[data-id="${id}"] header a`);
    await page.waitForSelector('#event .market table.ladder', { timeout: 30_000 });
    const shown = async () =>
      page.$$eval('#event td.p b', (bs) => bs.filter((b) => b.textContent !== '').length);
    for (let i = 0; i < 50 && (await shown()) === 0; i++) await sleep(100);
    assert.ok((await shown()) > 0, 'the event page shows prices');
    assert.ok((await page.$$('#event .market')).length >= 1);
    assert.equal(await page.isVisible('#sports'), false, 'the event page replaces the board');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-event.png`, fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
