/**
 * Authentication against the simulated Exchange Stream API over TLS: each failure code is handled as the
 * protocol defines it (relogin, fatal with slow retries, transient with backoff), and the TLS certificate
 * is verified.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCertificate } from '../../../src/sim/esa/cert.js';
import { esaHarness } from './esa-harness.js';

describe('Betfair stream authentication', () => {
  test('an unknown app key is INVALID_APP_KEY: reported, not connected, retried only slowly', async () => {
    const h = await esaHarness({ source: { appKey: 'not-the-key', backoff: { baseMs: 20, maxMs: 400 } } });
    try {
      const client = h.source.stream!;
      await h.until(() => client.stats.authFailures >= 1, 'an authentication failure');
      const st = h.source.status();
      assert.equal(st.connected, false);
      assert.equal(client.stats.lastErrorCode, 'INVALID_APP_KEY');
      assert.match(st.lastError ?? '', /INVALID_APP_KEY/);
      const connects = client.stats.connects;
      await new Promise((r) => setTimeout(r, 150));
      assert.ok(client.stats.connects <= connects + 1, 'no fast reconnect loop on a fatal code');
      assert.equal(h.source.current!.stream.size, 0, 'no market data');
    } finally {
      await h.close();
    }
  });

  test('an expired session is INVALID_SESSION_INFORMATION: the source logs in again and subscribes', async () => {
    const h = await esaHarness({ login: 'interactive' });
    try {
      await h.until(() => h.source.stream?.state === 'subscribed', 'the first subscription');
      assert.equal(h.bf.sessions.stats.logins, 1);
      h.bf.api.inject({ fault: 'expireSessions' });
      h.bf.esa.inject({ fault: 'drop' });
      await h.run(300);
      await h.until(() => h.bf.sessions.stats.logins >= 2, 'a second login');
      await h.caughtUp();
      h.assertEqualToReference();
      const session = h.source.status().details.session as { invalidated: number; method: string };
      assert.ok(session.invalidated >= 1);
      assert.equal(session.method, 'interactive');
    } finally {
      await h.close();
    }
  });

  test('a dead session token without credentials: NO_CREDENTIALS reported, never connected', async () => {
    const h = await esaHarness({ source: { sessionToken: 'expired-token' } });
    try {
      const client = h.source.stream!;
      await h.until(() => client.stats.lastErrorCode === 'NO_CREDENTIALS', 'the missing credentials');
      assert.equal(h.source.status().connected, false);
      const session = h.source.status().details.session as { invalidated: number };
      assert.ok(session.invalidated >= 1, 'the refused token was dropped');
    } finally {
      await h.close();
    }
  });

  for (const [code, fatal] of [
    ['NOT_AUTHORIZED', true],
    ['NO_APP_KEY', true],
    ['MAX_CONNECTION_LIMIT_EXCEEDED', false],
    ['TOO_MANY_REQUESTS', false],
    ['UNEXPECTED_ERROR', false],
  ] as const) {
    test(`refused with ${code}: ${fatal ? 'counted as an account problem' : 'retried with backoff'}, then recovers`, async () => {
      const h = await esaHarness();
      try {
        await h.until(() => h.source.stream?.state === 'subscribed', 'the first subscription');
        h.bf.esa.inject({ fault: 'refuseAuth', code, times: 2 });
        h.bf.esa.inject({ fault: 'drop' });
        const client = h.source.stream!;
        await h.until(() => client.stats.lastErrorCode === code, code);
        await h.run(500);
        await h.caughtUp();
        assert.equal(client.stats.authFailures, fatal ? 2 : 0);
        assert.ok(client.stats.connects >= 4, 'two refused attempts, then a good one');
        h.assertEqualToReference();
      } finally {
        await h.close();
      }
    });
  }

  test('the server certificate is verified: a different CA refuses the TLS session', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oddsgate-ca-'));
    const wrongCa = join(dir, 'other.pem');
    await writeFile(wrongCa, (await generateCertificate()).cert);
    const h = await esaHarness({ source: { caFile: wrongCa } });
    try {
      const client = h.source.stream!;
      await h.until(
        () =>
          client.stats.lastErrorCode === 'SELF_SIGNED_CERT_IN_CHAIN' ||
          client.stats.lastErrorCode === 'DEPTH_ZERO_SELF_SIGNED_CERT',
        'a certificate error',
      );
      assert.equal(client.stats.connects, 0, 'no connection was accepted');
    } finally {
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
