/**
 * Domain failover in real Chromium: two simulated sites on 127.0.0.1 in one pool. The first blocks (403)
 * and the source moves to the second; then both block in other ways (challenge page, blank page) and the
 * cooldown table follows seed §8, checked against a controllable clock; when the blocks lift the healthy
 * domain is taken again and its failures reset.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/core/clock.js';
import { startSite, type SiteServer } from '../../../src/sim/site/server.js';
import type { DomainView } from '../../../src/pool/domain-pool.js';
import { DomainPoolRegistry } from '../../../src/pool/registry.js';
import type { SiteSource } from '../../../src/sources/sites/site-source.js';
import { testSiteSource } from './helpers.js';

const SEC = 1000;

describe('domain pool failover', () => {
  let a: SiteServer;
  let b: SiteServer;
  let source: SiteSource;
  const clock = new ManualClock();
  const registry = new DomainPoolRegistry(clock.now);
  const domain = (site: SiteServer): DomainView => {
    const d = registry
      .get('imatchodds')
      ?.list()
      .find((x) => x.url === site.url);
    assert.ok(d, `domain ${site.url} in the pool`);
    return d;
  };

  before(async () => {
    a = await startSite({ refreshMs: 500, fault: 'forbidden' });
    b = await startSite({ refreshMs: 500 });
    source = testSiteSource({ urls: [a.url, b.url], registry });
    await source.start(() => undefined);
  });

  after(async () => {
    await source?.stop();
    await a?.close();
    await b?.close();
  });

  test('the first domain answers 403: cooldown 30 s and the poll moves to the second', async () => {
    const out = await source.pollOnce();
    assert.equal(out.ok, true, out.error);
    assert.equal(out.domain, b.url);
    const da = domain(a);
    assert.equal(da.lastFailureReason, 'http_403');
    assert.equal(da.consecutiveFailures, 1);
    assert.equal(da.cooldownUntil, clock.now() + 30 * SEC);
    assert.equal(da.healthy, false);
    const db = domain(b);
    assert.equal(db.healthy, true);
    assert.equal(db.lastSuccessAt, clock.now());
    assert.equal(db.score, 1.2, 'recent success');
    assert.equal(source.status().state, 'connected');
    const shown = source.status().details['domains'] as { url: string; lastFailureReason: string | null }[];
    assert.deepEqual(
      shown.map((d) => [d.url, d.lastFailureReason]),
      [
        [a.url, 'http_403'],
        [b.url, null],
      ],
    );
  });

  test('a challenge page and a blank page: each a failure with its reason, cooldowns escalate', async () => {
    clock.advance(10 * SEC);
    b.setFault('challenge');
    a.setFault('blank');
    // a poll may still read what the app stored just before the block: poll until the block shows
    let out = await source.pollOnce();
    for (let i = 0; i < 3 && out.ok; i++) out = await source.pollOnce();
    assert.equal(out.ok, false);
    const db = domain(b);
    assert.equal(db.lastFailureReason, 'challenge');
    assert.equal(db.consecutiveFailures, 1);
    assert.equal(db.cooldownUntil, clock.now() + 30 * SEC);
    const da = domain(a);
    assert.equal(da.lastFailureReason, 'blank_page', 'A (cooldown ending first) was tried next');
    assert.equal(da.consecutiveFailures, 2);
    assert.equal(da.cooldownUntil, clock.now() + 2 * 60 * SEC);
    const st = source.status();
    assert.notEqual(st.state, 'connected');
    assert.match(st.lastError ?? '', /^(blank_page|challenge|http_403):/);
  });

  test('blocks lifted: the domain whose cooldown ends first is healthy again and its failures reset', async () => {
    a.setFault('none');
    b.setFault('none');
    clock.advance(31 * SEC);
    assert.equal(domain(b).healthy, true);
    assert.equal(domain(a).healthy, false, 'A still cooling down (2 min)');
    const out = await source.pollOnce();
    assert.equal(out.ok, true, out.error);
    assert.equal(out.domain, b.url);
    const db = domain(b);
    assert.equal(db.consecutiveFailures, 0);
    assert.equal(db.cooldownUntil, null);
    assert.equal(db.failures, 1, 'the failure stays in the success rate');
    assert.equal(source.status().state, 'connected');
  });

  test('domains added and removed at runtime', async () => {
    const pool = registry.get('imatchodds');
    assert.ok(pool);
    pool.remove(a.url);
    assert.deepEqual(
      pool.list().map((d) => d.url),
      [b.url],
    );
    pool.add(a.url);
    assert.equal(pool.size, 2);
    assert.equal(domain(a).consecutiveFailures, 0, 'a re-added domain starts fresh');
  });

  test('over the memory threshold the browser is restarted after the poll; the next poll relaunches it', async () => {
    await source.stop();
    const small = testSiteSource({ urls: [b.url], overrides: { maxMemoryMb: 1 } });
    try {
      await small.start(() => undefined);
      const first = await small.pollOnce();
      assert.equal(first.ok, true, first.error);
      assert.equal(small.session.stats.restarts, 1);
      assert.match(small.session.stats.lastRestartReason ?? '', /^memory \d+ MB > 1 MB$/);
      assert.equal(small.session.running, false);
      const second = await small.pollOnce();
      assert.equal(second.ok, true, second.error);
      assert.equal(small.session.stats.launches, 2);
      assert.equal(small.session.stats.crashes, 0);
    } finally {
      await small.stop();
    }
  });
});
