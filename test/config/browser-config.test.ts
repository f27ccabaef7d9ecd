import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/index.js';

describe('browser and imatchodds configuration', () => {
  test('defaults: no Chromium path (resolved at launch), 20 s polls, 15 s full-market cache', () => {
    const c = loadConfig({ env: {}, configDir: null });
    assert.equal(c.browser.chromiumPath, undefined);
    assert.equal(c.browser.headless, true);
    assert.equal(c.browser.pollMs, 20_000);
    assert.equal(c.browser.fullMarketsTtlMs, 15_000);
    assert.deepEqual(c.imatchodds.urls, []);
    assert.equal(c.diamondAdminPassword, undefined);
  });

  test('environment keys', () => {
    const c = loadConfig({
      configDir: null,
      env: {
        CHROMIUM_PATH: '/opt/chromium',
        BROWSER_HEADLESS: 'false',
        BROWSER_POLL_MS: '5000',
        BROWSER_TABS: '3',
        IMATCHODDS_URLS: 'https://a.example, https://b.example',
        IMATCHODDS_PROXIES: 'http://p:1',
        IMATCHODDS_REPLAY_SPEED: '10',
        DIAMOND_ADMIN_PASSWORD: 'admin-password-1',
      },
    });
    assert.equal(c.browser.chromiumPath, '/opt/chromium');
    assert.equal(c.browser.headless, false);
    assert.equal(c.browser.pollMs, 5000);
    assert.equal(c.browser.tabs, 3);
    assert.deepEqual(c.imatchodds.urls, ['https://a.example', 'https://b.example']);
    assert.deepEqual(c.imatchodds.proxies, ['http://p:1']);
    assert.equal(c.imatchodds.replaySpeed, 10);
    assert.equal(c.diamondAdminPassword, 'admin-password-1');
  });

  test('a bad value names the key and its env variable', () => {
    assert.throws(
      () => loadConfig({ configDir: null, env: { BROWSER_TABS: '99' } }),
      (e: unknown) => e instanceof ConfigError && /browser\.tabs \(BROWSER_TABS\)/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ configDir: null, env: { BROWSER_HEADLESS: 'maybe' } }),
      /BROWSER_HEADLESS/,
    );
  });
});
