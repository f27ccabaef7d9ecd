import { z } from 'zod';
import type { RouteDocs } from './route-doc.js';
import { ErrorBody } from './schemas.js';

const proxyErrors = {
  403: ErrorBody.describe(
    'The upstream host (or a redirect target) is not allow-listed, or resolves to a private address.',
  ),
  404: ErrorBody.describe('Unknown scorecard hash or tracker fixture.'),
  413: ErrorBody.describe('The upstream body is larger than PROXY_MAX_BYTES (before any byte was sent).'),
  502: ErrorBody.describe('The upstream failed or sent too many redirects.'),
  504: ErrorBody.describe('The upstream did not answer within PROXY_TIMEOUT_MS.'),
};
const html = z.string().describe('The upstream page, with X-Frame-Options and CSP frame-ancestors removed.');
const proxyExample = '<!doctype html><html><body><div id="scorecard">IND 182/4 (18.2)</div></body></html>';

const TextPage = (what: string) => z.string().describe(what);

/** Operations routes: health, WebSocket, metrics, docs, iframe proxy, dashboard. */
export const OPS_DOCS: RouteDocs = {
  'GET /healthz': {
    summary: 'Liveness: the process answers',
    description: 'Readiness is /readyz; details are in /api/v1/admin/health.',
    tags: ['Operations'],
    response: { 200: z.object({ status: z.literal('ok') }) },
  },
  'GET /readyz': {
    summary: 'Readiness for load balancers: the store answers and the read model has caught up with the log',
    description:
      '200 only when the store answers its ping and no update-log entry older than 2 s is still unapplied by ' +
      "this instance's read model; otherwise 503 with the reasons. Never cached.",
    tags: ['Operations'],
    response: {
      200: z.object({ status: z.literal('ready') }),
      503: z.object({ status: z.literal('not ready'), reasons: z.array(z.string()) }),
    },
  },
  'GET /metrics': {
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'oddsgate_http_request_duration_seconds, oddsgate_ws_*, oddsgate_source_*, oddsgate_ingest_*, ' +
      'oddsgate_store_*, oddsgate_domain_pool_* and the Node process defaults.',
    tags: ['Operations'],
    produces: ['text/plain'],
    response: {
      200: TextPage('Prometheus text format 0.0.4.'),
      401: ErrorBody.describe(
        'METRICS_TOKEN is set and `Authorization: Bearer <token>` is missing or wrong.',
      ),
    },
    example:
      '# HELP oddsgate_ws_clients Open WebSocket connections.\n# TYPE oddsgate_ws_clients gauge\noddsgate_ws_clients 3\n',
  },
  'GET /ws': {
    summary: 'WebSocket room broker (upgrade)',
    description:
      'Porqpine WebSocket protocol with per-room positions and recovery: see /docs/websocket. With API keys ' +
      'configured send `?apiKey=` (or X-API-Key) or a `login` frame within 10 s; a wrong key closes with 4001.',
    tags: ['WebSocket'],
    querystring: z.object({ apiKey: z.string().optional().describe('API key, when keys are configured.') }),
    security: [{}, { ApiKey: [] }, { ApiKeyQuery: [] }],
    response: {
      101: z.null().describe('Switching protocols: the connection is a WebSocket from here on.'),
      429: ErrorBody.describe('The key spent its requests per minute.'),
    },
  },
  'GET /openapi.json': {
    summary: 'This OpenAPI 3.1 document',
    tags: ['Operations'],
    response: { 200: z.looseObject({ openapi: z.string(), paths: z.looseObject({}) }) },
    example: { openapi: '3.1.0', info: { title: 'oddsgate', version: '0.1.0' }, paths: {} },
  },
  'GET /asyncapi.json': {
    summary: 'The WebSocket protocol as an AsyncAPI 3.0 document',
    description:
      'Generated from the message registry the broker uses: every room (channel, with its snapshot rule), action, ' +
      'push and reply with its JSON Schema, every error code and close code (x-close-codes) with its meaning.',
    tags: ['WebSocket'],
    response: {
      200: z.looseObject({
        asyncapi: z.literal('3.0.0'),
        channels: z.looseObject({}),
        operations: z.looseObject({}),
      }),
    },
    example: {
      asyncapi: '3.0.0',
      info: { title: 'oddsgate WebSocket protocol', version: '0.1.0' },
      channels: { 'room.arbs': { address: 'arbs' } },
      operations: {},
    },
  },
  'GET /docs/websocket': {
    summary: 'The WebSocket protocol: rooms, messages, positions, recovery, close codes',
    tags: ['WebSocket'],
    produces: ['text/html'],
    response: { 200: TextPage('HTML page.') },
    example: '<!doctype html><title>oddsgate WebSocket protocol</title>…',
  },
  'GET /proxy/scorecard/:hash/:channel': {
    summary: 'Scorecard iframe, proxied (framing headers removed)',
    description:
      '`hash` is the SHA-1 of the original scorecard URL, as /event/:id/scorecard returns in `_proxy`.',
    tags: ['Iframe proxy'],
    params: z.object({ hash: z.string().regex(/^[0-9a-f]{40}$/), channel: z.string() }),
    produces: ['text/html'],
    response: { 200: html, ...proxyErrors },
    example: proxyExample,
  },
  'GET /proxy/tracker/:fixtureId': {
    summary: 'Live tracker iframe, proxied (framing headers removed)',
    tags: ['Iframe proxy'],
    params: z.object({ fixtureId: z.string().regex(/^\d{3,15}$/) }),
    querystring: z.object({ productName: z.string().optional().describe('Tracker skin, e.g. v33-1-dark.') }),
    produces: ['text/html'],
    response: { 200: html, ...proxyErrors },
    example: proxyExample,
  },
  'GET /proxy': {
    summary: 'Generic iframe proxy for an allow-listed URL',
    description:
      'Only hosts in PROXY_ALLOW_HOSTS; private and loopback addresses only when their exact host is listed.',
    tags: ['Iframe proxy'],
    querystring: z.object({ u: z.string().url().describe('The http(s) URL to fetch.') }),
    produces: ['text/html'],
    response: { 200: html, 400: ErrorBody.describe('Missing or invalid `u`.'), ...proxyErrors },
    example: proxyExample,
  },
  'GET /': {
    summary: 'Live dashboard',
    description:
      'Sources, sports, live, upcoming and racing events with back/lay ladders updated over the WebSocket; search, arbitrage and recent results.',
    tags: ['Dashboard'],
    produces: ['text/html'],
    response: { 200: TextPage('HTML page.') },
    example: '<!doctype html><html lang="en"><head><title>oddsgate live</title>…',
  },
  'GET /dashboard/:file': {
    summary: 'Dashboard assets (ES modules and style sheet)',
    tags: ['Dashboard'],
    params: z.object({
      file: z.enum(['app.js', 'util.js', 'ladder.js', 'board.js', 'panels.js', 'chart.js', 'style.css']),
    }),
    produces: ['application/javascript', 'text/css'],
    response: { 200: TextPage('The asset.'), 404: ErrorBody },
    example: '/* oddsgate dashboard */',
  },
  'GET /dashboard/vendor/:file': {
    summary: 'Third-party dashboard files served from their npm packages (uPlot for the price charts)',
    tags: ['Dashboard'],
    params: z.object({ file: z.enum(['uPlot.esm.js', 'uPlot.min.css']) }),
    produces: ['application/javascript', 'text/css'],
    response: { 200: TextPage('The file.'), 404: ErrorBody },
    example: '/*! uPlot v1.6.32 */',
  },
  'GET /favicon.svg': {
    summary: 'Dashboard icon (SVG)',
    tags: ['Dashboard'],
    produces: ['image/svg+xml'],
    response: { 200: TextPage('The icon.') },
    example: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">…</svg>',
  },
  'GET /favicon.ico': {
    summary: 'Dashboard icon (ICO, for clients that ask for it by default)',
    tags: ['Dashboard'],
    produces: ['image/x-icon'],
    response: { 200: TextPage('The icon (32×32 PNG in an ICO container).') },
    example: '(binary)',
  },
};
