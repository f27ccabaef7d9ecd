/**
 * The npm-shipped Chromium (@sparticuz/chromium) is enough: with no system Chromium and no CHROMIUM_PATH,
 * the resolver unpacks it and the stealth launcher runs it against a page on 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveChromium } from '../../../src/sources/browser/chromium.js';
import { launchStealthBrowser } from '../../../src/sources/browser/launcher.js';

test('with no system Chromium, the npm-shipped one is found, launches and reads a page', async (t) => {
  const resolved = await resolveChromium({ systemPaths: [], pathEnv: '' });
  assert.equal(resolved.source, 'npm');
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>t</title><p id="x">served on loopback</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const browser = await launchStealthBrowser({ executablePath: resolved.path, timeoutMs: 60_000 });
  t.after(() => browser.close());
  assert.match(browser.version(), /^\d+\./);
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  assert.equal(await page.textContent('#x'), 'served on loopback');
});
