import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OddsApiSimulator } from './server.js';

/** Modes /admin/mode switches. */
export interface ModeRequest {
  /** true: 429 until switched off; a number: the next n requests; false/0: off. */
  rateLimit?: number | boolean;
  retryAfterSec?: number;
  quotaLimit?: number;
  quotaUsed?: number;
  apiKey?: string;
  /** The sportsbook's next placements: `{kind: 'reject', code?, times?}` or `{kind: 'timeout', times?}`; null clears. */
  betFault?: { kind: 'reject' | 'timeout'; code?: string; times?: number } | null;
}

/** Writes a JSON response (admin routes carry no quota headers). */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(c as Buffer);
  }
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return {};
  }
}

/**
 * The simulator's admin routes (no API key; loopback only):
 * - POST /admin/arbs {sportKey?, eventId?, edgePct?} → 201 the planted arbitrage
 * - GET /admin/arbs; DELETE /admin/arbs/:id (the arbitrage closes on the next poll)
 * - POST /admin/mode {rateLimit?, retryAfterSec?, quotaLimit?, quotaUsed?, apiKey?, betFault?}
 * - GET /admin/stats
 */
export async function handleAdmin(
  sim: OddsApiSimulator,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  const body = await readBody(req);
  try {
    if (req.method === 'POST' && path === '/admin/arbs') {
      return writeJson(
        res,
        201,
        sim.plantArb(body as { eventId?: string; sportKey?: string; edgePct?: number }),
      );
    }
    const del = /^\/admin\/arbs\/([^/]+)$/.exec(path);
    if (req.method === 'DELETE' && del?.[1])
      return writeJson(res, sim.removeArb(del[1]) ? 200 : 404, { removed: del[1] });
    if (req.method === 'GET' && path === '/admin/arbs') return writeJson(res, 200, sim.plantedArbs());
    if (req.method === 'POST' && path === '/admin/mode')
      return writeJson(res, 200, sim.configure((body ?? {}) as ModeRequest));
    if (req.method === 'GET' && path === '/admin/stats') {
      return writeJson(res, 200, { ...sim.stats, quotaUsed: sim.quotaUsed, quotaLimit: sim.quotaLimit });
    }
    writeJson(res, 404, { message: 'not found' });
  } catch (err) {
    writeJson(res, 400, { message: (err as Error).message });
  }
}
