import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AllowList, parseAllowEntry } from '../../src/config/allow-list.js';

const u = (s: string) => new URL(s);

describe('proxy allow-list entries', () => {
  test('an entry without a port allows 80 and 443 only; with a port, that port only', () => {
    const list = new AllowList(['scores.example.com', 'feed.example.com:8443']);
    assert.ok(list.allows(u('http://scores.example.com/x')));
    assert.ok(list.allows(u('https://scores.example.com/x')));
    assert.ok(list.allows(u('https://scores.example.com:80/x')), 'https on port 80 is still port 80');
    assert.ok(!list.allows(u('http://scores.example.com:8080/x')));
    assert.ok(!list.allows(u('https://scores.example.com:22/x')));
    assert.ok(list.allows(u('https://feed.example.com:8443/x')));
    assert.ok(!list.allows(u('https://feed.example.com/x')), 'not 443 when a port is named');
    assert.ok(!list.allows(u('http://feed.example.com/x')));
  });

  test('only exact entries marked +private (or PROXY_ALLOW_PRIVATE) may reach private addresses', () => {
    const list = new AllowList(['lan.example.com:8080+private', 'lan.example.com', '[::1]:9000+private']);
    assert.ok(list.mayBePrivate(u('http://lan.example.com:8080/')));
    assert.ok(!list.mayBePrivate(u('http://lan.example.com/')), 'the unmarked entry of the same host');
    assert.ok(list.mayBePrivate(u('http://[::1]:9000/')));
    assert.ok(!list.mayBePrivate(u('http://[::1]:9001/')));
    const all = new AllowList(['lan.example.com', '*.example.com'], true);
    assert.ok(all.mayBePrivate(u('https://lan.example.com/')));
    assert.ok(!all.mayBePrivate(u('https://x.example.com/')), 'wildcards never');
    assert.equal(parseAllowEntry('*.example.com+private'), null);
    assert.equal(parseAllowEntry('example.com:0'), null);
    assert.equal(parseAllowEntry('example.com:65536'), null);
  });

  test('credentials and other schemes are never allowed', () => {
    const list = new AllowList(['example.com']);
    assert.ok(!list.allows(u('http://a:b@example.com/')));
    assert.ok(!list.allows(u('ftp://example.com/')));
    assert.ok(!list.allows(u('http://evil-example.com/')));
  });
});
