import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { makeTestApp } from '../../helpers/app.js';

const KEY = 'ws-upgrade-key-000001';

/** The HTTP status an upgrade attempt ends with (101 when it is accepted). */
function upgrade(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('upgrade', (res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', (err) => reject(err));
  });
}

describe('/ws upgrade: the key is noted on the matched route', () => {
  test('an encoded /ws path counts against the key limit like /ws does', async () => {
    const app = await makeTestApp({ config: { apiKeys: `${KEY}:2` } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      assert.equal(await upgrade(`${base}/%77s?apiKey=${KEY}`), 101);
      assert.equal(await upgrade(`${base}/ws?apiKey=${KEY}`), 101);
      assert.equal(
        await upgrade(`${base}/%77s?apiKey=${KEY}`),
        429,
        'the third upgrade is over the 2/min limit',
      );
    } finally {
      await app.close();
    }
  });

  test('wrong keys at the upgrade count as failed attempts of the address (then 429)', async () => {
    const app = await makeTestApp({ config: { apiKeys: KEY, authMaxFailures: 2 } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      // A wrong key is upgraded and closed by the broker (4001); the third try is refused before upgrading.
      assert.equal(await upgrade(`${base}/ws?apiKey=wrong-1`), 101);
      assert.equal(await upgrade(`${base}/%77s?apiKey=wrong-2`), 101);
      assert.equal(await upgrade(`${base}/ws?apiKey=${KEY}`), 429);
    } finally {
      await app.close();
    }
  });
});
