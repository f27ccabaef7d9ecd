/**
 * API_KEYS entries are `key` or `key:<requests per minute>`: anything else with a colon is a configuration
 * error naming API_KEYS and the entry's position, never a key spelled like the typo; the error never
 * repeats the entry (it holds a secret). Also REDIS_WAIT_SEC, the start-up wait for Redis.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/index.js';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig({ env, configDir: null });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
}

describe('API_KEYS format', () => {
  test('`abc:xyz` is an error naming API_KEYS, not a key named "abc:xyz"', () => {
    const err = configError({ API_KEYS: 'abc:xyz' });
    assert.match(err.message, /\(API_KEYS\)/);
    assert.doesNotMatch(err.message, /abc|xyz/, 'the entry is not echoed');
  });

  test('a malformed entry is named by position with the expected form; the secret is not echoed', () => {
    const err = configError({ API_KEYS: 'alpha-key-0123456:60,bravo-secret-0123456:six' });
    assert.equal(
      err.message,
      'invalid configuration: apiKeys.1 (API_KEYS): entry 2: expected `key` or `key:<requests per minute>`',
    );
    for (const bad of [':60', 'charlie-key-0123456:60:60', 'delta-key-0123456:', 'echo-key-0123456: 60x']) {
      const e = configError({ API_KEYS: bad });
      assert.match(e.message, /\(API_KEYS\): entry 1: expected `key` or `key:<requests per minute>`/, bad);
      assert.doesNotMatch(e.message, /charlie|delta|echo/, `${bad}: not echoed`);
    }
  });

  test('well-formed entries still load: key:limit and key (default limit), spaces trimmed', () => {
    const c = loadConfig({
      env: { API_KEYS: ' alpha-key-0123456:60 , bravo-key-0123456 ' },
      configDir: null,
    });
    assert.deepEqual(
      c.apiKeys.map((k) => k.perMinute),
      [60, 600],
    );
    assert.equal(c.apiKeys.length, 2);
  });

  test('an invalid limit keeps its own reason, with the position', () => {
    const err = configError({ API_KEYS: 'alpha-key-0123456:60,bravo-key-0123456:0' });
    assert.match(err.message, /apiKeys\.1 \(API_KEYS\): entry 2: an API key limit must be at least 1/);
  });
});

describe('REDIS_WAIT_SEC', () => {
  test('defaults to 0 (fail at once), reads whole seconds, refuses negatives naming the variable', () => {
    assert.equal(loadConfig({ env: {}, configDir: null }).redisWaitSec, 0);
    assert.equal(loadConfig({ env: { REDIS_WAIT_SEC: '30' }, configDir: null }).redisWaitSec, 30);
    assert.match(configError({ REDIS_WAIT_SEC: '-1' }).message, /redisWaitSec \(REDIS_WAIT_SEC\)/);
    assert.match(configError({ REDIS_WAIT_SEC: 'soon' }).message, /redisWaitSec \(REDIS_WAIT_SEC\)/);
  });
});
