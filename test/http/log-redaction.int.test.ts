import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { MemoryStore } from '../../src/store/memory-store.js';

const PASSWORD = 'diamond-pass-1234';
const KEY = 'a-configured-api-key-123';

/** GET with the request target sent exactly as written (no URL normalisation); resolves with the status. */
function rawGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** Opens a WebSocket to `path` and waits until it is closed or refused, whatever the server decides. */
function wsTry(port: number, path: string): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    ws.on('open', () => ws.close());
    ws.on('error', () => resolve());
    ws.on('close', () => resolve());
  });
}

describe('secrets never reach a log, whatever the encoding of their parameter name', () => {
  let app: FastifyInstance;
  let port = 0;
  const raw: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        raw.push(chunk.toString());
        cb();
      },
    });
    const config = loadConfig({
      env: {},
      configDir: null,
      overrides: { sources: [], diamondPassword: PASSWORD, apiKeys: [KEY], logLevel: 'trace' },
    });
    app = await buildApp(
      { config, store: new MemoryStore(), sources: [], diamondPassword: PASSWORD },
      createLogger('trace', sink),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });

  after(async () => {
    await app.close();
  });

  test('percent-encoded, double-encoded and mixed-case names of password, apiKey and token', async () => {
    const http = [
      `/api/v2/diamond/sports?%70assword=SECRET-A1`,
      `/api/v2/diamond/sports?%2570assword=SECRET-A2`,
      `/api/v2/diamond/sports?PaSsWoRd=SECRET-A3`,
      `/api/v2/diamond/sports?x=1&%50ASSWORD=SECRET-A4&y=2`,
      `/api/v2/diamond/sports?password=${encodeURIComponent(PASSWORD)}`,
      `/api/v1/feed/sports?%61piKey=SECRET-B1`,
      `/api/v1/feed/sports?api%5Fkey=SECRET-B2`,
      `/api/v1/feed/sports?%252561piKey=SECRET-B3`,
      `/nowhere?%74oken=SECRET-C1`,
      `/nowhere?a=1?token=SECRET-C2`,
      `/%zz?token=SECRET-C3`,
    ];
    for (const path of http) {
      const status = await rawGet(port, path);
      assert.ok(status >= 200 && status < 500, `${path}: ${status}`);
    }
    for (const path of ['/ws?%61piKey=SECRET-D1', '/ws?%2561pi_KEY=SECRET-D2', `/ws?%61piKey=${KEY}`])
      await wsTry(port, path);
    await app.close(); // flushes every line the requests caused
    const out = raw.join('');
    assert.match(out, /incoming request/, 'requests were logged');
    assert.match(out, /%70assword=\[redacted\]/, 'the redacted parameter is still visible by name');
    assert.match(out, /%61piKey=\[redacted\]/);
    for (const secret of [/SECRET-/, new RegExp(PASSWORD), new RegExp(KEY)]) {
      const leaks = out.split('\n').filter((l) => secret.test(l));
      assert.deepEqual(leaks, [], `${secret} reached the log`);
    }
  });
});
