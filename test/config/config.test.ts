import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/index.js';

describe('configuration', () => {
  test('embedded defaults need no configuration at all', () => {
    const c = loadConfig({ env: {}, configDir: null });
    assert.equal(c.port, 3001);
    assert.equal(c.redisUrl, undefined, 'no REDIS_URL → in-memory store');
    assert.equal(c.diamondPassword, undefined, 'no password → one is generated at start');
    assert.deepEqual(c.sources, ['sim', 'imatchodds-replay']);
    assert.equal(c.sim.speed, 1);
    assert.equal(c.logLevel, 'info');
  });

  test('environment variables override, with types coerced', () => {
    const c = loadConfig({
      env: {
        PORT: '8080',
        HOST: '127.0.0.1',
        REDIS_URL: 'redis://127.0.0.1:6379',
        DIAMOND_PASSWORD: 's3cret-password',
        LOG_LEVEL: 'debug',
        SOURCES: 'sim, historical',
        SIM_SPEED: '10',
        WS_CLOSE_GRACE_MS: '250',
      },
      configDir: null,
    });
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(c.diamondPassword, 's3cret-password');
    assert.equal(c.logLevel, 'debug');
    assert.deepEqual(c.sources, ['sim', 'historical']);
    assert.equal(c.sim.speed, 10);
    assert.equal(c.ws.closeGraceMs, 250);
  });

  test('config/*.json, then the CONFIG file, then env: later wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'og-config-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ port: 4000, sim: { speed: 2 } }));
    const extra = join(dir, 'extra.conf.json');
    writeFileSync(extra, JSON.stringify({ port: 5000, sim: { seed: 7 } }));
    const c = loadConfig({ env: { CONFIG: extra, SIM_SPEED: '3' }, configDir: dir });
    assert.equal(c.port, 5000);
    assert.equal(c.sim.seed, 7);
    assert.equal(c.sim.speed, 3);
  });

  test('a bad value fails fast with a message naming the key and its env variable', () => {
    assert.throws(
      () => loadConfig({ env: { PORT: 'eighty' }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && /port \(PORT\)/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ env: { SIM_SPEED: '-1' }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && /sim\.speed \(SIM_SPEED\)/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ env: { LOG_LEVEL: 'loud' }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && /logLevel \(LOG_LEVEL\)/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ env: { REDIS_URL: 'not a url' }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && /redisUrl \(REDIS_URL\)/.test(err.message),
    );
  });

  test('an unreadable or invalid CONFIG file is named in the error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'og-config-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    assert.throws(
      () => loadConfig({ env: { CONFIG: bad }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && err.message.includes('bad.json'),
    );
    assert.throws(
      () => loadConfig({ env: { CONFIG: join(dir, 'missing.json') }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && err.message.includes('missing.json'),
    );
  });

  test('prototype-pollution keys in config files are ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'og-config-'));
    writeFileSync(join(dir, 'a.json'), '{"__proto__": {"polluted": true}, "port": 4001}');
    const c = loadConfig({ env: {}, configDir: dir });
    assert.equal(c.port, 4001);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
