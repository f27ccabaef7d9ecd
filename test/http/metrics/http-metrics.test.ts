import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Histogram, Registry } from 'prom-client';
import {
  HTTP_BUCKETS,
  HTTP_METRIC_NAME,
  instrumentHttp,
  RouteLatencyHistogram,
} from '../../../src/metrics/http-metrics.js';

const HELP = 'HTTP request latency by route pattern, method and status code.';

/** Observations spanning every bucket, the bounds themselves, and above the last bound. */
const OBSERVATIONS: [string, string, number, number][] = [
  ['/api/v1/feed/events', 'GET', 200, 0.0002],
  ['/api/v1/feed/events', 'GET', 200, 0.0005],
  ['/api/v1/feed/events', 'GET', 304, 0.0011],
  ['/api/v1/feed/event/:id/odds', 'GET', 404, 0.003],
  ['/api/v1/feed/events', 'GET', 200, 0.02],
  ['unmatched', 'GET', 404, 0.7],
  ['/api/v1/feed/odds/unified', 'POST', 200, 12],
  ['/api/v1/feed/events', 'GET', 200, 10],
  ...HTTP_BUCKETS.map((b): [string, string, number, number] => ['/metrics', 'GET', 200, b * 0.99]),
];

test('the route histogram exposes exactly what a prom-client Histogram fed the same observations does', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const fast = new RouteLatencyHistogram(HTTP_METRIC_NAME, HELP, HTTP_BUCKETS);
  ours.registerMetric(fast as never);
  const reference = new Histogram({
    name: HTTP_METRIC_NAME,
    help: HELP,
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [theirs],
  });
  for (const [route, method, status, s] of OBSERVATIONS) {
    fast.observe(route, method, status, s);
    reference.observe({ method, route, status_code: String(status) }, s);
  }
  const text = await ours.metrics();
  assert.equal(text, await theirs.metrics());
  assert.match(
    text,
    /^oddsgate_http_request_duration_seconds_bucket\{le="0\.0005",method="GET",route="\/api\/v1\/feed\/events",status_code="200"\} 2$/m,
  );
  assert.match(
    text,
    /^oddsgate_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/feed\/events",status_code="200"\} 4$/m,
  );
  // The JSON form too (prom-client's own objects also carry an internal `exemplar` slot, left out here).
  const json = async (r: Registry) =>
    JSON.parse(
      JSON.stringify(await r.getMetricsAsJSON(), (k, v: unknown) => (k === 'exemplar' ? undefined : v)),
    );
  assert.deepEqual(await json(ours), await json(theirs));
  ours.resetMetrics();
  theirs.resetMetrics();
  assert.equal(await ours.metrics(), await theirs.metrics());
});

test('instrumentHttp counts each response under its route pattern, method and status', async () => {
  const app = Fastify({ logger: false });
  const registry = new Registry();
  instrumentHttp(app, registry);
  app.get('/event/:id', async (req, reply) =>
    (req.params as { id: string }).id === '1' ? { ok: true } : reply.code(404).send({ ok: false }),
  );
  await app.ready();
  try {
    for (const id of ['1', '1', '2']) await app.inject(`/event/${id}`);
    await app.inject('/nowhere');
    const text = await registry.metrics();
    const count = (labels: string) =>
      new RegExp(`^${HTTP_METRIC_NAME}_count\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1];
    assert.equal(count('method="GET",route="/event/:id",status_code="200"'), '2');
    assert.equal(count('method="GET",route="/event/:id",status_code="404"'), '1');
    assert.equal(count('method="GET",route="unmatched",status_code="404"'), '1');
    assert.doesNotMatch(text, /route="\/event\/1"/, 'raw URLs never become labels');
    assert.match(text, new RegExp(`^# TYPE ${HTTP_METRIC_NAME} histogram$`, 'm'));
  } finally {
    await app.close();
  }
});
