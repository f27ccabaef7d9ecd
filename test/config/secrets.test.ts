import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const load = (env: NodeJS.ProcessEnv, overrides?: Record<string, unknown>) =>
  loadConfig({ configDir: null, env, ...(overrides ? { overrides } : {}) });

describe('secrets are at least 12 characters', () => {
  for (const [name, value] of [
    ['DIAMOND_PASSWORD', 'short-pass1'],
    ['DIAMOND_ADMIN_PASSWORD', 'admin'],
    ['METRICS_TOKEN', 'tok'],
    ['API_KEYS', 'long-enough-key-1:60,short:60'],
    ['API_KEYS', 'abc'],
  ] as const) {
    test(`${name}=${value} stops the start with a message naming ${name}`, () => {
      assert.throws(
        () => load({ [name]: value }),
        (e: unknown) =>
          e instanceof ConfigError && e.message.includes(name) && /12 characters/.test(e.message),
      );
    });
  }

  test('a short key in config/*.json form is refused too; its sha256 form is not a secret in clear', () => {
    assert.throws(
      () => load({}, { apiKeys: [{ key: 'short', perMinute: 5 }] }),
      (e: unknown) => e instanceof ConfigError && e.message.includes('API_KEYS'),
    );
    const c = load({}, { apiKeys: [{ sha256: 'a'.repeat(64), perMinute: 5 }] });
    assert.equal(c.apiKeys.length, 1);
  });

  test('12 characters and more are accepted', () => {
    const c = load({
      DIAMOND_PASSWORD: 'twelve-chars',
      DIAMOND_ADMIN_PASSWORD: 'admin-password',
      METRICS_TOKEN: 'metrics-token-1',
      API_KEYS: 'partner-key-01:60',
    });
    assert.equal(c.diamondPassword, 'twelve-chars');
    assert.equal(c.metrics.token, 'metrics-token-1');
    assert.equal(c.apiKeys[0]?.perMinute, 60);
  });
});

describe('TRUST_PROXY', () => {
  test('false by default; true, false or a list of proxy addresses', () => {
    assert.equal(load({}).trustProxy, false);
    assert.equal(load({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(load({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.deepEqual(load({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback' }).trustProxy, [
      '10.0.0.0/8',
      '127.0.0.1',
      'loopback',
    ]);
  });

  test('anything else names TRUST_PROXY', () => {
    assert.throws(
      () => load({ TRUST_PROXY: 'yes please' }),
      (e: unknown) => e instanceof ConfigError && e.message.includes('TRUST_PROXY'),
    );
  });
});
