import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, isOddsgateError, OddsgateError } from '../../src/core/errors.js';
import { TimeoutError, withTimeout } from '../../src/core/timeout.js';
import { ConfigError } from '../../src/config/index.js';
import { StoreError } from '../../src/store/types.js';
import { MatchingError } from '../../src/matching/service.js';
import { DataDirLockedError } from '../../src/records/lock.js';
import { BlockedAddressError } from '../../src/http/proxy/guarded-lookup.js';
import { HttpError } from '../../src/http/errors.js';
import { OddsApiError } from '../../src/sources/oddsapi/errors.js';
import { BrowserSourceError, BrowserTimeoutError, reasonOf } from '../../src/sources/browser/errors.js';
import { withTimeout as browserTimeout } from '../../src/sources/browser/errors.js';
import { SiteProfileError } from '../../src/sources/sites/profile.js';
import { StartupError } from '../../src/startup.js';
import { HistoryQueryError } from '../../src/records/history/query.js';
import { BetfairApiError } from '../../src/sources/betfair/catalogue.js';
import { BetfairSessionError } from '../../src/sources/betfair/session.js';
import { BetfairStreamError } from '../../src/sources/betfair/stream-errors.js';
import { TransientConnectorError, UnknownOutcomeError } from '../../src/execution/types.js';
import { AbpHttpError } from '../../src/contracts/abp/errors.js';
import { SecretOpenError } from '../../src/execution/secrets.js';
import { AccountExistsError, AccountStakeError } from '../../src/execution/accounts.js';

test('every error oddsgate defines is an OddsgateError whose code is listed in ERROR_CODES', () => {
  const own: [Error, string, string][] = [
    [new ConfigError('x'), 'CONFIG_INVALID', 'ConfigError'],
    [new StoreError('STORE_FENCED', 'x'), 'STORE_FENCED', 'StoreError'],
    [new MatchingError('CONFLICT', 'x'), 'CONFLICT', 'MatchingError'],
    [new DataDirLockedError('/d', 1), 'ERR_DATA_DIR_LOCKED', 'DataDirLockedError'],
    [new BlockedAddressError('h'), 'ERR_PROXY_BLOCKED_ADDRESS', 'BlockedAddressError'],
    [new HttpError(418, 'x'), 'ERR_HTTP', 'HttpError'],
    [new OddsApiError('QUOTA_EXHAUSTED', 'x'), 'QUOTA_EXHAUSTED', 'OddsApiError'],
    [new BrowserSourceError('http_403', 'x'), 'ERR_BROWSER', 'BrowserSourceError'],
    [new BrowserTimeoutError('goto', 5), 'ERR_BROWSER', 'BrowserTimeoutError'],
    [new SiteProfileError('x'), 'SITE_PROFILE_INVALID', 'SiteProfileError'],
    [new StartupError('x'), 'ERR_STARTUP', 'StartupError'],
    [new TimeoutError('x', 5), 'ERR_TIMEOUT', 'TimeoutError'],
    [new HistoryQueryError('x'), 'ERR_HISTORY_QUERY', 'HistoryQueryError'],
    [new TransientConnectorError('x'), 'EXEC_TRANSIENT', 'TransientConnectorError'],
    [new UnknownOutcomeError('x'), 'EXEC_UNKNOWN_OUTCOME', 'UnknownOutcomeError'],
    [new AbpHttpError(404, { detail: 'x' }), 'ERR_ABP_HTTP', 'AbpHttpError'],
    [new SecretOpenError(), 'ERR_SECRET_OPEN', 'SecretOpenError'],
    [new AccountExistsError(), 'ERR_ACCOUNT_EXISTS', 'AccountExistsError'],
    [new AccountStakeError(), 'ERR_ACCOUNT_STAKES', 'AccountStakeError'],
  ];
  for (const [err, code, name] of own) {
    assert.ok(err instanceof OddsgateError, name);
    assert.equal((err as OddsgateError).code, code, name);
    assert.equal(err.name, name);
    assert.ok(Object.hasOwn(ERROR_CODES, code), `${code} is listed`);
    assert.ok(isOddsgateError(err, code));
    assert.equal(isOddsgateError(err, 'SOMETHING_ELSE'), false);
  }
});

test("Betfair's errors carry Betfair's own codes through unchanged", () => {
  for (const err of [
    new BetfairApiError('INVALID_SESSION_INFORMATION', 'x'),
    new BetfairSessionError('INVALID_SESSION_INFORMATION', 'x'),
    new BetfairStreamError('INVALID_SESSION_INFORMATION', 'x'),
  ]) {
    assert.ok(isOddsgateError(err, 'INVALID_SESSION_INFORMATION'));
  }
  assert.equal(isOddsgateError(new Error('plain')), false);
});

test('withTimeout rejects with TimeoutError, or with the error the caller makes (the browser transport)', async () => {
  // The deadline timer is unref'd (it never holds the process): keep the loop alive while waiting on it.
  const alive = setInterval(() => {}, 1000);
  const never = new Promise<never>(() => {});
  await assert.rejects(withTimeout(never, 1, 'op'), (e) => isOddsgateError(e, 'ERR_TIMEOUT'));
  await assert.rejects(browserTimeout(never, 1, 'page'), (e) => {
    assert.ok(e instanceof BrowserTimeoutError);
    assert.equal(reasonOf(e), 'timeout');
    return true;
  });
  assert.equal(await withTimeout(Promise.resolve(7), 1000, 'op'), 7);
  clearInterval(alive);
});
