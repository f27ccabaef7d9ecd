import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';
import { chromiumPath } from '../../../src/sources/browser/chromium.js';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

/** A page server on its own port (so its origin differs from the API's): serves one empty HTML page. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>front</title><p>front-end</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function listening(env: NodeJS.ProcessEnv): Promise<{ app: FastifyInstance; base: string }> {
  const app = await makeTestApp({ env });
  await feed(app, sampleUpdates());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** What a script on the page sees when it fetches `url` with `x-password` (a preflighted request). */
type Seen =
  { ok: true; status: number; count: number; cacheControl: string | null } | { ok: false; error: string };

// Chromium as the server finds it (CHROMIUM_PATH, a system one, else the npm-shipped one): never skipped.
describe('a browser page on another origin calls Diamond with x-password (issue 16)', () => {
  let browser: Browser;
  let front: { server: Server; origin: string };
  const apps: FastifyInstance[] = [];

  before(async () => {
    front = await pageServer();
    browser = await chromium.launch({ executablePath: await chromiumPath(), args: FLAGS, timeout: 60_000 });
  });
  after(async () => {
    await browser?.close();
    for (const a of apps) await a.close();
    await new Promise((resolve) => front?.server.close(resolve));
  });

  async function fetchFromPage(url: string): Promise<Seen> {
    const page = await browser.newPage();
    try {
      await page.goto(`${front.origin}/`, { waitUntil: 'domcontentloaded' });
      return await page.evaluate(
        async ({ url, password }): Promise<Seen> => {
          try {
            const res = await fetch(url, { headers: { 'x-password': password } });
            const body = (await res.json()) as { data: { count: number } };
            return {
              ok: true,
              status: res.status,
              count: body.data.count,
              cacheControl: res.headers.get('cache-control'),
            };
          } catch (e) {
            return { ok: false, error: String(e) };
          }
        },
        { url, password: TEST_PASSWORD },
      );
    } finally {
      await page.close();
    }
  }

  test('default (any origin): the JSON of /api/v2/diamond/games arrives in the page', async () => {
    const { app, base } = await listening({});
    apps.push(app);
    assert.notEqual(new URL(base).origin, front.origin, 'the page and the API are different origins');
    const seen = await fetchFromPage(`${base}/api/v2/diamond/games`);
    assert.equal(seen.ok, true, JSON.stringify(seen));
    if (!seen.ok) return;
    assert.equal(seen.status, 200);
    assert.equal(seen.count, 4, 'every game of the fixture');
  });

  test('DIAMOND_CORS_ORIGINS naming the page allows it; naming another origin blocks the page', async () => {
    const allowed = await listening({ DIAMOND_CORS_ORIGINS: front.origin });
    apps.push(allowed.app);
    const ok = await fetchFromPage(`${allowed.base}/api/v2/diamond/games`);
    assert.equal(ok.ok, true, JSON.stringify(ok));

    const other = await listening({ DIAMOND_CORS_ORIGINS: 'https://elsewhere.example' });
    apps.push(other.app);
    const blocked = await fetchFromPage(`${other.base}/api/v2/diamond/games`);
    assert.equal(blocked.ok, false, 'the browser refuses the response to an origin not on the list');
  });
});
