import type { FastifyInstance } from 'fastify';
import { porqpineState } from '../../porqpine/state.js';

/** Entries held in memory, by key prefix: response bodies, raw frames, scores, results, read-model state. */
export function cacheByPrefix(app: FastifyInstance): Record<string, number> {
  const st = porqpineState(app);
  const raw = app.rawFrames.stats();
  return {
    ...st.responses.countsByPrefix(),
    'raw-frames:markets': raw.markets,
    'raw-frames:frames': raw.frames,
    'scores:events': st.scores.size,
    'results:remembered': st.results.size,
    'read-model:sports': app.readModel.sports.size,
    'read-model:events': app.readModel.events.size,
    'read-model:markets': app.readModel.markets.size,
  };
}

/** Total cache entries (response bodies, raw frames, scores, remembered results). */
export function cacheEntries(app: FastifyInstance): number {
  const st = porqpineState(app);
  return st.responses.size + app.rawFrames.stats().frames + st.scores.size + st.results.size;
}
