import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';

/** Sends raw bytes on a fresh connection and resolves with the response status line's code. */
function rawStatus(port: number, request: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('no response within 5 s'));
    }, 5000);
    sock.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        clearTimeout(timer);
        sock.destroy();
        resolve(Number(m[1]));
      }
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.write(request);
  });
}

const request = (target: Buffer | string) =>
  Buffer.concat([
    Buffer.from('GET '),
    Buffer.isBuffer(target) ? target : Buffer.from(target),
    Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\nx-password: ${TEST_PASSWORD}\r\nConnection: close\r\n\r\n`),
  ]);

describe('Diamond over a real socket: hostile request lines', () => {
  let app: FastifyInstance;
  let port = 0;
  before(async () => {
    app = await makeTestApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  after(() => app.close());

  test('a normal request answers 200 (the harness works)', async () => {
    assert.equal(await rawStatus(port, request('/api/v2/diamond/sports')), 200);
  });

  test('a 1 MB query string gets 4xx, not 5xx', async () => {
    const status = await rawStatus(port, request(`/api/v2/diamond/search?q=${'a'.repeat(1024 * 1024)}`));
    assert.ok(status >= 400 && status < 500, String(status));
  });

  test('raw non-ASCII and control bytes in the request target get 4xx, not 5xx', async () => {
    const targets = [
      Buffer.concat([
        Buffer.from('/api/v2/diamond/search?q='),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
      ]),
      Buffer.concat([Buffer.from('/api/v2/diamond/games/'), Buffer.from('é😀', 'utf8')]),
      Buffer.from('/api/v2/diamond/games/%E0%A4%A'),
    ];
    for (const t of targets) {
      const status = await rawStatus(port, request(t));
      assert.ok(status >= 400 && status < 500, `${t.toString('latin1')}: ${status}`);
    }
  });
});
