import fp from 'fastify-plugin';
import { MatchingService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Cross-source event matching (null when MATCHING_ENABLED=false). */
    matching: MatchingService | null;
  }
}

/** Creates the matching service (manual decisions loaded from the store) before ingest, which uses it. */
export const matchingPlugin = fp(
  async (app) => {
    const cfg = app.config.matching;
    let service: MatchingService | null = null;
    if (cfg.enabled) {
      service = new MatchingService({
        store: app.store,
        logger: app.log.child({ component: 'matching' }),
        windowMs: cfg.windowMin * 60_000,
      });
      await service.load();
    }
    app.decorate('matching', service);
  },
  { name: 'matching', dependencies: ['store'] },
);
