import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createSecureContext, createServer } from 'node:tls';
import { generateCertificate } from '../../../src/sim/esa/cert.js';

describe('self-signed certificates for the simulated endpoints', () => {
  test('a valid self-signed CA certificate for loopback names, with its key', async () => {
    const { cert, key } = await generateCertificate({ commonName: 'test', days: 2 });
    const x = new X509Certificate(cert);
    assert.ok(x.verify(x.publicKey), 'signed by its own key');
    assert.equal(x.ca, true);
    assert.match(x.subject, /CN=test/);
    assert.ok(x.checkIP('127.0.0.1'));
    assert.ok(x.checkIP('::1'));
    assert.ok(x.checkHost('localhost'));
    assert.equal(x.checkHost('example.com'), undefined);
    assert.ok(x.checkPrivateKey(createPrivateKey(key)));
    assert.equal(x.publicKey.asymmetricKeyType, 'ec');
    const days = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86_400_000;
    assert.ok(days > 2 && days < 2.1, `valid for the days asked (${days})`);
    assert.ok(Date.parse(x.validFrom) < Date.now() - 3_000_000, 'backdated for clock skew');
  });

  test('every call makes a new key pair', async () => {
    const [a, b] = await Promise.all([generateCertificate(), generateCertificate()]);
    assert.notEqual(a.key, b.key);
  });

  test('a TLS client that trusts the PEM as its CA completes a handshake with a server using it', async () => {
    const pair = await generateCertificate({ hosts: ['127.0.0.1'] });
    const server = createServer(pair, (s) => s.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const socket = connect({ host: '127.0.0.1', port, ca: pair.cert });
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      assert.equal(socket.authorized, true);
      assert.equal(chunk.toString(), 'ok');
      socket.destroy();
    } finally {
      server.close();
    }
  });

  test('every certificate is one a TLS server accepts', async () => {
    // The hand-written DER encoder this replaced once wrote a non-minimal serial OpenSSL refused (about 1
    // start in 256): keep checking a few hundred.
    for (let i = 0; i < 300; i++) {
      const pair = await generateCertificate();
      assert.doesNotThrow(() => createSecureContext(pair), `certificate ${i}`);
    }
  });
});
