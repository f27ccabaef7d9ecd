import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { generateCertificate } from '../../../src/sim/esa/cert.js';

describe('self-signed certificates for the simulated endpoints', () => {
  test('a valid self-signed CA certificate for loopback names, with its key', () => {
    const { cert, key } = generateCertificate({ commonName: 'test', days: 2 });
    const x = new X509Certificate(cert);
    assert.ok(x.verify(x.publicKey), 'signed by its own key');
    assert.equal(x.ca, true);
    assert.match(x.subject, /CN=test/);
    assert.ok(x.checkIP('127.0.0.1'));
    assert.ok(x.checkHost('localhost'));
    assert.ok(x.checkPrivateKey(createPrivateKey(key)));
    const days = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86_400_000;
    assert.ok(days > 2 && days < 2.1, `valid for the days asked (${days})`);
  });

  test('every call makes a new key pair', () => {
    assert.notEqual(generateCertificate().key, generateCertificate().key);
  });

  test('every certificate is valid DER a TLS server accepts (serials are minimal positive INTEGERs)', () => {
    // A serial starting 0x00 0x0X is a non-minimal INTEGER that OpenSSL refuses ("illegal padding"): about
    // one certificate in 256 before the fix, so 2,000 of them all but surely met one.
    for (let i = 0; i < 2000; i++) {
      const pair = generateCertificate();
      assert.doesNotThrow(() => createSecureContext(pair), `certificate ${i}`);
    }
  });
});
