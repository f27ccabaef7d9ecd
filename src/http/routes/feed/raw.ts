import type { FastifyPluginAsync } from 'fastify';
import type { RawFrame } from '../../../ingest/raw-frames.js';
import { HttpError } from '../../errors.js';
import { cacheControl } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { bfiOf, ID_PATTERN } from '../../../contracts/porqpine/ids.js';
import { porqpineState } from '../../porqpine/state.js';
import { intParam } from './context.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

type Query = { limit?: unknown; market_id?: unknown; bfi?: unknown; event_id?: unknown };

function idQuery(raw: unknown, name: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !ID_PATTERN.test(raw.trim())) throw new HttpError(400, `Invalid ${name}`);
  return raw.trim();
}

/** /socket-odds and /socket-scores: recent raw upstream frames and the latest score frames. */
export const rawRoutes: FastifyPluginAsync = async (app) => {
  const render = (f: RawFrame) => {
    const e = app.readModel.events.get(f.eventId);
    return {
      market_id: f.marketId,
      bfi: e ? bfiOf(e) : null,
      internal_id: String(f.eventId),
      source: f.source,
      version: f.version,
      received_at: new Date(f.ts).toISOString(),
      ts: f.ts,
      frame: f.frame,
    };
  };

  app.get<{ Querystring: Query }>('/socket-odds', async (req, reply) => {
    const limit = intParam(req.query.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT);
    const marketId = idQuery(req.query.market_id, 'market_id');
    const bfi = idQuery(req.query.bfi, 'bfi');
    let frames: RawFrame[];
    if (marketId !== undefined) frames = app.rawFrames.forMarket(marketId, limit);
    else if (bfi !== undefined) {
      const e = app.readModel.findEvent(bfi);
      frames = e ? app.rawFrames.forEvent(e.id, limit) : [];
    } else frames = app.rawFrames.recent(limit);
    const data = frames.map(render);
    return sendJson(req, reply, { success: true, count: data.length, data }, cacheControl(0));
  });

  app.get<{ Querystring: Query }>('/socket-scores', async (req, reply) => {
    const eventId = idQuery(req.query.event_id, 'event_id');
    const scores = porqpineState(app).scores;
    const events =
      eventId === undefined ? [...app.readModel.events.values()] : [app.readModel.findEvent(eventId)];
    const data = [];
    for (const e of events) {
      const s = e ? scores.get(e.id) : undefined;
      if (!e || !s) continue;
      data.push({
        event_id: bfiOf(e) ?? String(e.id),
        internal_id: String(e.id),
        bfi: bfiOf(e),
        data: s.score,
        received_at: new Date(s.ts).toISOString(),
        ts: s.ts,
      });
    }
    return sendJson(req, reply, { success: true, count: data.length, data }, cacheControl(0));
  });
};
