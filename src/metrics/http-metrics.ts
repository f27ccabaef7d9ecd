import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

/** Latency buckets (seconds): sub-millisecond cached reads up to slow scrapes. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * `oddsgate_http_request_duration_seconds{method,route,status_code}`: every HTTP response, labelled by the
 * route pattern (never the raw URL, so ids cannot grow the series) or `unmatched`.
 */
export function instrumentHttp(app: FastifyInstance, registry: Registry): void {
  const latency = new Histogram({
    name: 'oddsgate_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = { method: req.method, route, status_code: String(reply.statusCode) };
    latency.observe(labels, reply.elapsedTime / 1000);
  });
}
