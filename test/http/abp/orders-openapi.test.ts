import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { swaggerPlugin } from '../../../src/http/plugins/swagger.js';
import { analyticsRoutes } from '../../../src/http/routes/abp/analytics.js';
import { orderRoutes } from '../../../src/http/routes/abp/orders.js';

// Until the /abp plugin mounts them in the app (test/http/docs/openapi.test.ts then covers them), the order
// and analytics routes are documented and checked here: summary, schemas and example for each.
test('ABP order and analytics routes: in a valid OpenAPI 3.1 document, each with a summary, schema and example', async () => {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swaggerPlugin);
  await app.register(
    async (s) => {
      await s.register(orderRoutes);
      await s.register(analyticsRoutes);
    },
    { prefix: '/abp' },
  );
  await app.ready();
  try {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors)?.slice(0, 2000));
    const want = [
      ['post', '/abp/place-orders'],
      ['post', '/abp/cancel-orders'],
      ['post', '/abp/cancel-all-orders'],
      ['get', '/abp/orders'],
      ['get', '/abp/bets'],
      ['get', '/abp/bets/{bet_id}'],
      ['get', '/abp/positions'],
      ['get', '/abp/pnl'],
    ] as const;
    for (const [m, p] of want) {
      const op = doc.paths[p]?.[m];
      assert.ok(op?.summary, `${m} ${p}: summary`);
      const ok = op.responses['200'].content['application/json'];
      assert.ok(ok.schema && ok.example !== undefined, `${m} ${p}: schema and example`);
    }
    assert.ok(doc.paths['/abp/place-orders'].post.requestBody, 'the body schema is documented');
  } finally {
    await app.close();
  }
});
