/** The stealth browser session in real Chromium: stealth, memory, restarts, tabs closed at once. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BrowserSession } from '../../../src/sources/browser/session.js';
import { CHROMIUM, quietLogger } from '../sites/helpers.js';

describe('BrowserSession', () => {
  const session = new BrowserSession({
    executablePath: CHROMIUM,
    headless: true,
    launchTimeoutMs: 30_000,
    log: quietLogger(),
  });
  after(() => session.close());

  test('launches lazily; pages do not look headless or automated', async () => {
    assert.equal(session.running, false);
    const page = await session.newPage();
    assert.equal(session.running, true);
    const seen = (await page.evaluate('({ webdriver: navigator.webdriver, ua: navigator.userAgent })')) as {
      webdriver: boolean;
      ua: string;
    };
    assert.equal(seen.webdriver, false);
    assert.doesNotMatch(seen.ua, /Headless/);
    assert.match(seen.ua, /Chrome\/\d+/);
    await page.close();
  });

  test('reports its processes and their memory', async () => {
    const pids = await session.processIds();
    assert.ok(pids.length >= 1);
    const mb = await session.memoryMb();
    assert.ok(mb !== null && mb > 20 && mb < 4000, `memory ${mb} MB`);
  });

  test('tabs closed right after opening leave no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (r: unknown) => rejections.push(r);
    process.on('unhandledRejection', onRejection);
    try {
      for (let i = 0; i < 5; i++) await (await session.newPage()).close();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    assert.deepEqual(rejections, []);
  });

  test("a proxy gets a context of its own and carries its pages' requests", async () => {
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>via proxy</title>');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const page = await session.newPage(url);
      await page.goto('http://mirror.example.invalid/home');
      assert.equal(await page.title(), 'via proxy');
      assert.equal(seen[0], 'http://mirror.example.invalid/home');
      await page.close();
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });

  test('restart closes the browser; the next use launches a fresh one', async () => {
    const launches = session.stats.launches;
    await session.restart('test');
    assert.equal(session.running, false);
    assert.equal(session.stats.restarts, 1);
    assert.equal(session.stats.lastRestartReason, 'test');
    await (await session.newPage()).close();
    assert.equal(session.stats.launches, launches + 1);
    assert.equal(session.stats.crashes, 0, 'a requested restart is not a crash');
  });
});
