import { z } from 'zod';
import { exampled } from './route-schema.js';
import { ErrorBody, open } from './schemas.js';

/**
 * Schemas of the operations routes (health, WebSocket upgrade, metrics, docs, iframe proxy, dashboard),
 * each used by its route: validation where the route validates, and its OpenAPI documentation.
 */

const proxyErrors = {
  403: ErrorBody.describe(
    'The upstream host (or a redirect target) is not allow-listed, or resolves to a private address.',
  ),
  404: ErrorBody.describe('Unknown scorecard hash or tracker fixture.'),
  413: ErrorBody.describe('The upstream body is larger than PROXY_MAX_BYTES (before any byte was sent).'),
  502: ErrorBody.describe('The upstream failed or sent too many redirects.'),
  504: ErrorBody.describe('The upstream did not answer within PROXY_TIMEOUT_MS.'),
};
const proxyExample = '<!doctype html><html><body><div id="scorecard">IND 182/4 (18.2)</div></body></html>';
const html = exampled(
  z.string().describe('The upstream page, with X-Frame-Options and CSP frame-ancestors removed.'),
  proxyExample,
);
const page = (what: string, example: string) => exampled(z.string().describe(what), example);
const ops = ['Operations'];

export const healthzSchema = {
  summary: 'Liveness: the process answers',
  description: 'Readiness is /readyz; details are in /api/v1/admin/health.',
  tags: ops,
  response: { 200: z.object({ status: z.literal('ok') }) },
};

export const readyzSchema = {
  summary: 'Readiness for load balancers: the store answers and the read model has caught up with the log',
  description:
    '200 only when the store answers its ping and no update-log entry older than 2 s is still unapplied by ' +
    "this instance's read model; otherwise 503 with the reasons. Never cached.",
  tags: ops,
  response: {
    200: z.object({ status: z.literal('ready') }),
    503: z.object({ status: z.literal('not ready'), reasons: z.array(z.string()) }),
  },
};

export const metricsSchema = {
  summary: 'Prometheus metrics (text exposition format)',
  description:
    'oddsgate_http_request_duration_seconds, oddsgate_ws_*, oddsgate_source_*, oddsgate_ingest_*, ' +
    'oddsgate_store_*, oddsgate_domain_pool_* and the Node process defaults.',
  tags: ops,
  produces: ['text/plain'],
  response: {
    200: page(
      'Prometheus text format 0.0.4.',
      '# HELP oddsgate_ws_clients Open WebSocket connections.\n# TYPE oddsgate_ws_clients gauge\noddsgate_ws_clients 3\n',
    ),
    401: ErrorBody.describe('METRICS_TOKEN is set and `Authorization: Bearer <token>` is missing or wrong.'),
  },
};

export const wsSchema = {
  summary: 'WebSocket room broker (upgrade)',
  description:
    'Porqpine WebSocket protocol with per-room positions and recovery: see /docs/websocket. With API keys ' +
    'configured send `?apiKey=` (or X-API-Key) or a `login` frame within 10 s; a wrong key closes with 4001.',
  tags: ['WebSocket'],
  querystring: z.object({ apiKey: z.string().optional().describe('API key, when keys are configured.') }),
  security: [{}, { ApiKey: [] }, { ApiKeyQuery: [] }] as Record<string, string[]>[],
  response: {
    101: z.null().describe('Switching protocols: the connection is a WebSocket from here on.'),
    429: ErrorBody.describe('The key spent its requests per minute.'),
  },
};

export const openApiSchema = {
  summary: 'This OpenAPI 3.1 document',
  tags: ops,
  response: {
    200: exampled(open({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }), {
      openapi: '3.1.0',
      info: { title: 'oddsgate', version: '0.1.0' },
      paths: {},
    }),
  },
};

export const asyncApiSchema = {
  summary: 'The WebSocket protocol as an AsyncAPI 3.0 document',
  description:
    'Generated from the message registry the broker uses: every room (channel, with its snapshot rule), action, ' +
    'push and reply with its JSON Schema, every error code and close code (x-close-codes) with its meaning.',
  tags: ['WebSocket'],
  response: {
    200: exampled(
      open({
        asyncapi: z.literal('3.0.0'),
        channels: z.record(z.string(), z.unknown()),
        operations: z.record(z.string(), z.unknown()),
      }),
      {
        asyncapi: '3.0.0',
        info: { title: 'oddsgate WebSocket protocol', version: '0.1.0' },
        channels: { 'room.arbs': { address: 'arbs' } },
        operations: {},
      },
    ),
  },
};

export const websocketDocSchema = {
  summary: 'The WebSocket protocol: rooms, messages, positions, recovery, close codes',
  tags: ['WebSocket'],
  produces: ['text/html'],
  response: { 200: page('HTML page.', '<!doctype html><title>oddsgate WebSocket protocol</title>…') },
};

const proxyTags = ['Iframe proxy'];
const BAD_U = 'Invalid query "u": an http(s) URL is required';

export const scorecardProxySchema = {
  summary: 'Scorecard iframe, proxied (framing headers removed)',
  description:
    '`hash` is the SHA-1 of the original scorecard URL, as /event/:id/scorecard returns in `_proxy`.',
  tags: proxyTags,
  params: z.object({
    hash: z.string().describe('40 hex digits; anything else is an unknown scorecard (404).'),
    channel: z.string(),
  }),
  produces: ['text/html'],
  response: { 200: html, ...proxyErrors },
};

export const trackerProxySchema = {
  summary: 'Live tracker iframe, proxied (framing headers removed)',
  tags: proxyTags,
  params: z.object({ fixtureId: z.string().describe('3 to 15 digits; anything else is unknown (404).') }),
  querystring: z.object({
    productName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,40}$/)
      .optional()
      .catch(undefined)
      .describe('Tracker skin, e.g. v33-1-dark (anything else gets the default).'),
  }),
  produces: ['text/html'],
  response: { 200: html, ...proxyErrors },
};

export const genericProxySchema = {
  summary: 'Generic iframe proxy for an allow-listed URL',
  description:
    'Only hosts in PROXY_ALLOW_HOSTS; private and loopback addresses only when their exact host is listed.',
  tags: proxyTags,
  querystring: z.object({
    u: z
      .string({ error: BAD_U })
      .min(1, BAD_U)
      .max(4096, BAD_U)
      .refine((v) => URL.canParse(v), BAD_U)
      .describe('The http(s) URL to fetch.'),
  }),
  produces: ['text/html'],
  response: { 200: html, 400: ErrorBody.describe('Missing or invalid `u`.'), ...proxyErrors },
};

export const dashboardSchema = {
  summary: 'Live dashboard',
  description:
    'Sources, sports, live, upcoming and racing events with back/lay ladders updated over the WebSocket; search, arbitrage and recent results.',
  tags: ['Dashboard'],
  produces: ['text/html'],
  response: {
    200: page('HTML page.', '<!doctype html><html lang="en"><head><title>oddsgate live</title>…'),
  },
};

export const dashboardFileSchema = {
  summary: 'Dashboard assets (ES modules and style sheet)',
  tags: ['Dashboard'],
  params: z.object({
    file: z
      .string()
      .describe('app.js, util.js, ladder.js, board.js, panels.js, chart.js or style.css; else 404.'),
  }),
  produces: ['application/javascript', 'text/css'],
  response: { 200: page('The asset.', '/* oddsgate dashboard */'), 404: ErrorBody },
};

export const dashboardVendorSchema = {
  summary: 'Third-party dashboard files served from their npm packages (uPlot for the price charts)',
  tags: ['Dashboard'],
  params: z.object({
    file: z.string().describe('uPlot.esm.js or uPlot.min.css; else 404.'),
  }),
  produces: ['application/javascript', 'text/css'],
  response: { 200: page('The file.', '/*! uPlot v1.6.32 */'), 404: ErrorBody },
};

export const faviconSvgSchema = {
  summary: 'Dashboard icon (SVG)',
  tags: ['Dashboard'],
  produces: ['image/svg+xml'],
  response: {
    200: page('The icon.', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">…</svg>'),
  },
};

export const faviconIcoSchema = {
  summary: 'Dashboard icon (ICO, for clients that ask for it by default)',
  tags: ['Dashboard'],
  produces: ['image/x-icon'],
  response: { 200: page('The icon (32×32 PNG in an ICO container).', '(binary)') },
};
