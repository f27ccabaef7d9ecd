/**
 * The execution venues' settings: off by default, switched on by EXEC_BETFAIR_EX (on/off like an operator
 * writes it), a sportsbook URL without its credentials stops the start naming the variables, and the
 * sportsbook password never reaches a log line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { REDACT_PATHS } from '../../src/logger.js';

describe('execution venues configuration', () => {
  test('no venue unless configured; EXEC_BETFAIR_EX=on and the sportsbook variables set them', () => {
    const none = loadConfig({ env: {}, configDir: null });
    assert.equal(none.execution.betfairEx, false);
    assert.equal(none.execution.sportsbook.url, undefined);
    const on = loadConfig({
      env: {
        EXEC_BETFAIR_EX: 'on',
        EXEC_SPORTSBOOK_URL: 'http://127.0.0.1:9999',
        EXEC_SPORTSBOOK_USERNAME: 'u',
        EXEC_SPORTSBOOK_PASSWORD: 'p',
        EXEC_SPORTSBOOK_SLUG: 'pinnacle',
      },
      configDir: null,
    });
    assert.equal(on.execution.betfairEx, true);
    assert.deepEqual(
      [on.execution.sportsbook.url, on.execution.sportsbook.username, on.execution.sportsbook.slug],
      ['http://127.0.0.1:9999', 'u', 'pinnacle'],
    );
    assert.equal(loadConfig({ env: { EXEC_BETFAIR_EX: 'off' }, configDir: null }).execution.betfairEx, false);
  });

  test('bad values stop the start with the variable named', () => {
    assert.throws(
      () => loadConfig({ env: { EXEC_BETFAIR_EX: 'maybe' }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && /EXEC_BETFAIR_EX/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ env: { EXEC_SPORTSBOOK_URL: 'http://127.0.0.1:9999' }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && /EXEC_SPORTSBOOK_USERNAME/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ env: { EXEC_SPORTSBOOK_SLUG: 'Not A Slug' }, configDir: null }),
      (err: unknown) => err instanceof ConfigError && /EXEC_SPORTSBOOK_SLUG/.test(err.message),
    );
  });

  test('the sportsbook password is redacted when the settings are logged', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info({ execution: { sportsbook: { username: 'u', password: 'sb-secret-value' } } }, 'venues');
    assert.ok(out.includes('[redacted]'));
    assert.ok(!out.includes('sb-secret-value'));
  });
});
