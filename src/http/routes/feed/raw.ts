import type { FastifyPluginAsync } from 'fastify';
import type { RawFrame } from '../../../ingest/raw-frames.js';
import { cacheControl } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { bfiOf } from '../../../contracts/porqpine/ids.js';
import { porqpineState } from '../../porqpine/state.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idField, limitField } from './params.js';
import { feedSchema, RawFramesBody, ScoreFramesBody } from './responses.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

const FramesQuery = z.object({
  limit: limitField(DEFAULT_LIMIT, MAX_LIMIT),
  market_id: idField('market_id', 'One market.'),
  bfi: idField('bfi', 'Every market of one Betfair event.'),
});
const ScoresQuery = z.object({ event_id: idField('event_id', 'bfi (or internal id) of the event.') });

/** /socket-odds and /socket-scores: recent raw upstream frames and the latest score frames. */
export const rawRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
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

  const oddsSchema = feedSchema({
    summary: 'Recent raw market frames',
    querystring: FramesQuery,
    response: { 200: RawFramesBody },
  });
  r.get('/socket-odds', { schema: oddsSchema }, async (req, reply) => {
    const { limit, market_id: marketId, bfi } = req.query;
    let frames: RawFrame[];
    if (marketId !== undefined) frames = app.rawFrames.forMarket(marketId, limit);
    else if (bfi !== undefined) {
      const e = app.readModel.findEvent(bfi);
      frames = e ? app.rawFrames.forEvent(e.id, limit) : [];
    } else frames = app.rawFrames.recent(limit);
    const data = frames.map(render);
    return sendJson(req, reply, { success: true, count: data.length, data }, cacheControl(0));
  });

  const scoresSchema = feedSchema({
    summary: 'Score frames of an event',
    querystring: ScoresQuery,
    response: { 200: ScoreFramesBody },
  });
  r.get('/socket-scores', { schema: scoresSchema }, async (req, reply) => {
    const eventId = req.query.event_id;
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
