import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Event } from '../../../model/index.js';
import { eventIds } from '../../../contracts/porqpine/events.js';
import { cacheControl, eventAsOf, isStale, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { iframeHtml, scorecardRef, streamKind, TRACKER_PRODUCT } from '../../../contracts/porqpine/media.js';
import { porqpineState } from '../../porqpine/state.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { eventParam, freshnessNow } from './context.js';
import { IdParams } from './params.js';
import { EventNotFound, feedSchema, ScorecardBody, ScoresBody, StreamBody } from './responses.js';

function origin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

/** The scorecard block of an event, with proxied URLs; nulls when the event has no scorecard. */
function scorecard(req: FastifyRequest, e: Event) {
  if (!e.scoreUrl) {
    return {
      scorecard_url: null,
      iframe_html: null,
      channel_id: null,
      hash: null,
      original_url: null,
      _proxy: null,
    };
  }
  const { hash, channel } = scorecardRef(e.scoreUrl, e.id);
  const path = `/proxy/scorecard/${hash}/${channel}`;
  const url = origin(req) + path;
  return {
    scorecard_url: url,
    iframe_html: iframeHtml(url, '245px'),
    channel_id: channel,
    hash,
    original_url: e.scoreUrl,
    _proxy: { scorecard_url: path },
  };
}

function streams(req: FastifyRequest, e: Event) {
  const out: { type: string; url: string; iframe_html?: string; original_url: string }[] = [];
  if (e.streamUrl) {
    const kind = streamKind(e.streamUrl);
    if (kind.type === 'hls') out.push({ type: 'hls', url: e.streamUrl, original_url: e.streamUrl });
    else {
      const path =
        kind.type === 'tracker'
          ? `/proxy/tracker/${kind.fixtureId}?productName=${TRACKER_PRODUCT}`
          : `/proxy?u=${encodeURIComponent(e.streamUrl)}`;
      const url = origin(req) + path;
      out.push({ type: 'tracker', url, iframe_html: iframeHtml(url, '300px'), original_url: e.streamUrl });
    }
  }
  const sc = scorecard(req, e);
  if (sc.scorecard_url && e.scoreUrl)
    out.push({ type: 'scorecard', url: sc.scorecard_url, original_url: e.scoreUrl });
  return out;
}

/** /event/:id/scores, /event/:id/scorecard, /event/:id/stream. */
export const mediaRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const single = <B extends z.ZodType>(summary: string, body: B, description?: string) => ({
    schema: feedSchema({
      summary,
      ...(description ? { description } : {}),
      params: IdParams,
      response: { 200: body, 404: EventNotFound },
    }),
  });

  r.get('/event/:id/scores', single('Live score of an event', ScoresBody), async (req, reply) => {
    const { event: e, asked } = eventParam(app, req.params.id);
    const latest = porqpineState(app).scores.get(e.id);
    const ctx = freshnessNow(app);
    const stale = latest
      ? isStale(eventAsOf({ ...e, updatedAt: latest.ts }, [], ctx), TTL_SEC.scores, ctx)
      : false;
    const data = {
      ...eventIds(e, asked),
      scores: latest?.score ?? null,
      score_url: e.scoreUrl,
      in_play: e.inPlay,
      updatedAt: latest?.ts ?? null,
      stale,
      source: latest ? (stale ? 'stale' : 'live') : 'none',
    };
    return sendJson(req, reply, { success: true, data }, cacheControl(TTL_SEC.scores));
  });

  r.get(
    '/event/:id/scorecard',
    single(
      'Scorecard iframe URL, proxied so it embeds from any origin',
      ScorecardBody,
      '`_proxy.scorecard_url` is the path of the iframe proxy (`/proxy/scorecard/:hash/:channel`).',
    ),
    async (req, reply) => {
      const { event: e, asked } = eventParam(app, req.params.id);
      const data = { ...eventIds(e, asked), ...scorecard(req, e) };
      return sendJson(req, reply, { success: true, data }, cacheControl(TTL_SEC.scorecard));
    },
  );

  r.get(
    '/event/:id/stream',
    single('Live tracker, scorecard and HLS streams (proxied iframes)', StreamBody),
    async (req, reply) => {
      const { event: e, asked } = eventParam(app, req.params.id);
      const list = streams(req, e);
      const data = { ...eventIds(e, asked), team_a: e.team1, team_b: e.team2, streams: list };
      return sendJson(req, reply, { success: true, data }, cacheControl(TTL_SEC.stream));
    },
  );
};
