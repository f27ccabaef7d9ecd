import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from '../../src/logger.js';

test('redactUrl judges a query parameter by its decoded, folded name', () => {
  const cases: Array<[string, string]> = [
    ['/x?%70assword=S', '/x?%70assword=[redacted]'],
    ['/x?%2570assword=S', '/x?%2570assword=[redacted]'],
    ['/ws?%61piKey=S&since=4', '/ws?%61piKey=[redacted]&since=4'],
    ['/x?API-KEY=S&Api_Key=T', '/x?API-KEY=[redacted]&Api_Key=[redacted]'],
    ['/x?key=S&token=T&session=U', '/x?key=[redacted]&token=[redacted]&session=[redacted]'],
    ['/x?a=1?password=S;T&b=2', '/x?a=1?password=[redacted]&b=2'],
    ['/x?password==S%26T', '/x?password=[redacted]'],
    ['/x?tok%zzen=1&limit=5', '/x?tok%zzen=1&limit=5'],
    ['/x?monkey=1&keys=2', '/x?monkey=1&keys=2'],
    ['/x', '/x'],
  ];
  for (const [url, want] of cases) assert.equal(redactUrl(url), want, url);
});
