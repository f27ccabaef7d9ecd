import fp from 'fastify-plugin';
import type { ArbLimits } from './comparable.js';
import { bookClock, type BookClock, type BookTtls } from './freshness.js';
import { ArbTracker } from './tracker.js';

/** Books services of the app: the book clock now, and the arbitrage tracker on the ingest writer. */
export interface BooksService {
  /** TTLs of books per source. */
  ttls: BookTtls;
  /** Arbitrage edge ceiling and leg freshness (ARB_MAX_EDGE, ARB_MAX_AGE_MS). */
  limits: ArbLimits;
  /** The book clock now (source statuses, the read model's last change, the time). */
  clock(): BookClock;
  /** Publishes arbitrages to the `arbs` room; null on a process without sources (not the writer). */
  tracker: ArbTracker | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    books: BooksService;
  }
}

/**
 * Books side by side: the book clock for routes, and — where sources run — the arbitrage tracker, which
 * publishes `arb_opened` / `arb_updated` / `arb_closed` through ingest notices (sequenced, logged, pushed
 * to the `arbs` room on every instance).
 */
export const booksPlugin = fp(
  async (app) => {
    const ttls: BookTtls = {
      defaultSec: app.config.books.ttlSec,
      bySource: { oddsapi: app.config.oddsApi.bookTtlSec },
    };
    const clock = () => bookClock(app.sources.statuses(), app.readModel.lastChangeAt, Date.now(), ttls);
    const limits: ArbLimits = {
      maxEdge: app.config.books.arbMaxEdge,
      maxAgeMs: app.config.books.arbMaxAgeMs,
    };
    const sweepMs = app.config.books.sweepMs;
    const tracker =
      app.sources.sources.length > 0
        ? new ArbTracker({
            readModel: app.readModel,
            clock,
            publish: (name, data) => app.ingest.notice(name, data),
            total: app.config.books.arbTotal,
            limits,
            sweepMs,
            fullSweepMs: sweepMs * 10,
          })
        : null;
    app.decorate('books', { ttls, limits, clock, tracker });
    app.addHook('onReady', async () => tracker?.start());
    app.addHook('preClose', async () => tracker?.stop());
  },
  { name: 'books', dependencies: ['read-model', 'ingest'] },
);
