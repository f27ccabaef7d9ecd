import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { installErrorHandler } from '../../src/http/errors.js';
import { StoreError } from '../../src/store/types.js';

test('store errors reach callers as what they can act on: fenced → 409, unavailable or closed → 503 with Retry-After, corrupt → 500', async () => {
  const app = Fastify({ logger: false });
  installErrorHandler(app);
  app.get('/:code', async (req) => {
    throw new StoreError(
      (req.params as { code: StoreError['code'] }).code,
      'redis said no (internal detail)',
    );
  });
  try {
    const cases = [
      ['STORE_FENCED', 409, 'Another instance holds the ingest lease: send writes to it'],
      ['STORE_UNAVAILABLE', 503, 'Store unavailable, try again shortly'],
      ['STORE_CLOSED', 503, 'Store unavailable, try again shortly'],
      ['STORE_CORRUPT', 500, 'Internal server error'],
    ] as const;
    for (const [code, status, error] of cases) {
      const res = await app.inject({ url: `/${code}` });
      assert.equal(res.statusCode, status, code);
      assert.deepEqual(res.json(), { success: false, error }, code);
      assert.equal(res.headers['retry-after'], status === 503 ? '5' : undefined, code);
    }
  } finally {
    await app.close();
  }
});
