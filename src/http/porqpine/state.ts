import type { FastifyInstance } from 'fastify';
import { ResponseCache } from './response-cache.js';
import { ResultMemory } from '../../read-model/result-memory.js';
import { ScoreBoard } from '../../read-model/score-board.js';

/** State shared by the feed and admin route plugins of one app. */
export interface PorqpineState {
  responses: ResponseCache;
  scores: ScoreBoard;
  results: ResultMemory;
}

const states = new WeakMap<object, PorqpineState>();

/**
 * The Porqpine state of an app, created on first use and keyed by its read model (the one object both
 * encapsulated route plugins share). Creating it subscribes the score board and result memory to read-model changes, so
 * the feed plugin calls this at registration time.
 */
export function porqpineState(app: FastifyInstance): PorqpineState {
  const key = app.readModel;
  let st = states.get(key);
  if (!st) {
    st = {
      responses: new ResponseCache(app.readModel),
      scores: new ScoreBoard(),
      results: new ResultMemory(),
    };
    app.readModel.onChange(st.scores.onChange);
    app.readModel.onChange(st.results.onChange);
    states.set(key, st);
  }
  return st;
}
