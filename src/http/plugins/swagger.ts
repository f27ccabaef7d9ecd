import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import { APP_VERSION } from '../porqpine/version.js';
import { websocketDocHtml } from '../openapi/websocket-doc.js';
import { asyncApiSchema, openApiSchema, websocketDocSchema } from '../openapi/ops-schemas.js';
import { asyncapiDocument } from '../../contracts/ws/asyncapi.js';

/** A Host header fit to name the server in /asyncapi.json (anything else: localhost). */
const HOST_RE = /^[A-Za-z0-9.[\]:-]{1,255}$/;

type TransformInput = Parameters<ReturnType<typeof createJsonSchemaTransform>>[0];
type DocSchema = FastifySchema & Record<string, unknown>;

const zodToOpenApi = createJsonSchemaTransform({ skipList: [] });

/**
 * Captured example responses by "METHOD /route/pattern": real responses of a simulator-fed app, written by
 * scripts/openapi-examples.ts (`npm run openapi:examples`) and read once at start. Routes that carry their
 * own example on the success schema (`exampled`) do not need one here.
 */
export const EXAMPLES_FILE = new URL('../../../config/openapi/examples.json', import.meta.url);

function loadExamples(): Readonly<Record<string, unknown>> {
  try {
    return JSON.parse(readFileSync(EXAMPLES_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    return {}; // the document is still valid, only without captured examples
  }
}

/** Puts the captured example on the success response when its schema has none of its own. */
function withExample(schema: DocSchema, example: unknown): DocSchema {
  const response = schema.response as Record<string, Record<string, unknown>> | undefined;
  const ok = response?.['200'] ?? response?.['201'] ?? response?.['101'];
  if (ok && example !== undefined && ok.type !== 'null' && ok.examples === undefined) ok.examples = [example];
  return schema;
}

/**
 * The OpenAPI 3.1 document is built from each route's own zod schema (src/http/openapi/route-schema.ts):
 * summary, parameters, body, responses; captured examples are added from config/openapi/examples.json.
 * CORS preflight (OPTIONS) routes are left out.
 */
function transformWith(examples: Readonly<Record<string, unknown>>) {
  return (input: TransformInput) => {
    const methods = [input.route.method].flat().filter((m) => m !== 'HEAD');
    const method = methods[0] ?? 'GET';
    if (method === 'OPTIONS') return { schema: { hide: true }, url: input.url };
    const key = `${method} ${input.url}`;
    const { hide, ...schema } = (input.schema ?? {}) as DocSchema & { hide?: boolean };
    // A route that documents itself is shown even when a plugin hid it (@fastify/websocket hides /ws).
    if (hide && typeof schema.summary !== 'string') return { schema: { hide: true }, url: input.url };
    const out = zodToOpenApi({ ...input, schema } as TransformInput);
    return { ...out, schema: withExample(out.schema as DocSchema, examples[key]) };
  };
}

/** The Swagger UI's CSP as /docs serves it: framed by this origin only, no upgrade-insecure-requests. */
export function docsCsp(header: string): string {
  return header
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d.length > 0 && d !== 'upgrade-insecure-requests' && !d.startsWith('frame-ancestors'))
    .concat("frame-ancestors 'self'", "form-action 'self'")
    .join('; ');
}

/** The CSP of /docs/websocket: nothing but its own inline style (by hash), framed by this origin only. */
function websocketDocCsp(html: string): string {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `style-src ${styles.join(' ') || "'none'"}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** The document's tags: one per surface, in the order the Swagger UI lists them. */
function docTags() {
  return [
    {
      name: 'Feed (Porqpine v1)',
      description: 'Events, odds, results. Open unless API keys are configured.',
    },
    { name: 'Admin', description: 'Health and diagnostics.' },
    { name: 'Diamond v2', description: 'Password protected (x-password or ?password=).' },
    { name: 'WebSocket', description: 'The /ws room broker; protocol at /docs/websocket.' },
    { name: 'Iframe proxy', description: 'Allow-listed upstream pages with framing headers removed.' },
    { name: 'Operations', description: 'Liveness, metrics, this document.' },
    { name: 'Dashboard', description: 'The live board at /.' },
    { name: 'ABP v2', description: 'Automated bet placing at /abp (X-API-Key; seed 002).' },
    {
      name: 'Diamond v2 betting',
      description: 'Roadmap bets, settlement and the bet trace (password).',
    },
    { name: 'MM v1', description: 'The MM client API at /mm/api/v1 and /mm/ws (X-API-Key; seed 002).' },
  ];
}

/** The document's head: info, external docs, tags and the security schemes routes refer to. */
function openApiDefinition() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'oddsgate',
      version: APP_VERSION,
      description:
        'Live sports odds: Diamond v2 and Porqpine v1 REST surfaces, the /ws room broker (see ' +
        '[the WebSocket protocol](/docs/websocket)), Prometheus metrics and the iframe proxy.',
    },
    externalDocs: { url: '/docs/websocket', description: 'WebSocket protocol' },
    tags: docTags(),
    components: {
      securitySchemes: {
        ApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        ApiKeyQuery: { type: 'apiKey', in: 'query', name: 'apiKey' },
        DiamondPassword: { type: 'apiKey', in: 'header', name: 'x-password' },
        DiamondPasswordQuery: { type: 'apiKey', in: 'query', name: 'password' },
      },
    },
  } as const;
}

/** `/openapi.json`, `/asyncapi.json` (the server is this host) and the WebSocket protocol page. */
function registerDocRoutes(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: openApiSchema }, async () => app.swagger());
  // The WebSocket protocol as AsyncAPI 3.0, generated from the message registry; the server is this host.
  app.get('/asyncapi.json', { schema: asyncApiSchema }, async (req) =>
    asyncapiDocument({
      version: APP_VERSION,
      host: HOST_RE.test(req.headers.host ?? '') ? (req.headers.host as string) : 'localhost',
      protocol: req.protocol === 'https' ? 'wss' : 'ws',
    }),
  );
  const wsDoc = websocketDocHtml();
  const wsCsp = websocketDocCsp(wsDoc);
  app.get('/docs/websocket', { schema: websocketDocSchema }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', wsCsp).send(wsDoc),
  );
}

/**
 * OpenAPI 3.1 at `/openapi.json`, the interactive Swagger UI at `/docs` (assets served from the package,
 * no CDN) and the WebSocket protocol at `/docs/websocket`, both with a Content-Security-Policy (frame-ancestors
 * 'self'). Register before any route: the document is
 * collected as routes are added.
 */
export const swaggerPlugin = fp(
  async (app) => {
    await app.register(swagger, { openapi: openApiDefinition(), transform: transformWith(loadExamples()) });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { deepLinking: true, tryItOutEnabled: true },
      // The package's CSP (its inline script and style allowed by hash, everything else from 'self'),
      // framed only by this origin; without upgrade-insecure-requests, which breaks plain-HTTP installs.
      staticCSP: true,
      transformStaticCSP: docsCsp,
    });
    registerDocRoutes(app);
  },
  { name: 'openapi' },
);
