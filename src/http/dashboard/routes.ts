import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sendError } from '../errors.js';
import {
  dashboardFileSchema,
  dashboardVendorSchema,
  dashboardSchema,
  faviconIcoSchema,
  faviconSvgSchema,
} from '../openapi/ops-schemas.js';

const STATIC_DIR = new URL('./static/', import.meta.url);

/** The dashboard's files and their content types (read once at start; nothing else is served). */
const ASSETS: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'util.js': 'text/javascript; charset=utf-8',
  'ladder.js': 'text/javascript; charset=utf-8',
  'board.js': 'text/javascript; charset=utf-8',
  'panels.js': 'text/javascript; charset=utf-8',
  'chart.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** The icon at the paths browsers ask for: `/favicon.svg` (linked by the page) and `/favicon.ico` (asked by default). */
const ICONS: Readonly<Record<string, { file: string; type: string }>> = {
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
  '/favicon.ico': { file: 'favicon.ico', type: 'image/x-icon' },
};

/** How long browsers keep the icon (it changes with releases only). */
const ICON_MAX_AGE_SEC = 86_400;

/** Served with every dashboard file: no inline scripts, same-origin fetches and WebSocket only. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'self'";

/** Third-party browser files served from their npm packages (no CDN): the price charts' uPlot. */
const VENDOR: Readonly<Record<string, { module: string; type: string }>> = {
  'uPlot.esm.js': { module: 'uplot/dist/uPlot.esm.js', type: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { module: 'uplot/dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
};

/** A vendor file's text, or null when its package is not installed (the page works without charts). */
function loadVendor(module: string): string | null {
  try {
    return readFileSync(createRequire(import.meta.url).resolve(module), 'utf8');
  } catch {
    return null;
  }
}

function load(name: string): string {
  return readFileSync(new URL(name, STATIC_DIR), 'utf8');
}

function loadBytes(name: string): Buffer {
  return readFileSync(new URL(name, STATIC_DIR));
}

/**
 * The live dashboard at `/` (static HTML, CSS and ES modules from ./static; no build step, no CDN): sources
 * and health, sports, live, upcoming and racing events with back/lay ladders kept current over /ws, search,
 * arbitrage and recent results, an event page with every market and the best price across books; and its
 * icon at /favicon.svg and /favicon.ico.
 */
export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  const index = load('index.html');
  const files = new Map(Object.keys(ASSETS).map((name) => [name, load(name)]));
  app.get('/', { schema: dashboardSchema }, async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('cache-control', 'no-cache')
      .send(index),
  );
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/dashboard/:file', { schema: dashboardFileSchema }, async (req, reply) => {
    const body = files.get(req.params.file);
    const type = ASSETS[req.params.file];
    if (body === undefined || type === undefined) return sendError(reply, 404, 'Not found');
    return reply
      .type(type)
      .header('content-security-policy', CSP)
      .header('cache-control', 'no-cache')
      .send(body);
  });
  const vendor = new Map(Object.entries(VENDOR).map(([name, v]) => [name, loadVendor(v.module)]));
  r.get('/dashboard/vendor/:file', { schema: dashboardVendorSchema }, async (req, reply) => {
    const body = vendor.get(req.params.file);
    const type = VENDOR[req.params.file]?.type;
    if (!body || type === undefined) return sendError(reply, 404, 'Not found');
    return reply
      .type(type)
      .header('content-security-policy', CSP)
      .header('cache-control', 'public, max-age=3600')
      .send(body);
  });
  for (const [path, icon] of Object.entries(ICONS)) {
    const bytes = loadBytes(icon.file);
    const schema = path.endsWith('.svg') ? faviconSvgSchema : faviconIcoSchema;
    app.get(path, { schema }, async (_req, reply) =>
      reply.type(icon.type).header('cache-control', `public, max-age=${ICON_MAX_AGE_SEC}`).send(bytes),
    );
  }
};
