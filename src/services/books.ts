import type { Config } from '../config/index.js';
import type { ArbLimits } from '../books/comparable.js';
import { bookClock, type BookClock, type BookTtls } from '../books/freshness.js';
import { ArbTracker } from '../books/tracker.js';
import type { Ingest } from '../ingest/ingest.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { SourceManager } from '../sources/manager.js';
import type { Lifecycle } from './lifecycle.js';

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

/**
 * Books side by side: the book clock for routes, and — where sources run — the arbitrage tracker, which
 * publishes `arb_opened` / `arb_updated` / `arb_closed` through ingest notices (sequenced, logged, pushed
 * to the `arbs` room on every instance).
 */
export function buildBooks(deps: {
  config: Config;
  readModel: ReadModel;
  sources: SourceManager;
  ingest: Ingest;
  lifecycle: Lifecycle;
}): BooksService {
  const { config, readModel, sources, ingest } = deps;
  const ttls: BookTtls = {
    defaultSec: config.books.ttlSec,
    bySource: { oddsapi: config.oddsApi.bookTtlSec },
  };
  const clock = () => bookClock(sources.statuses(), readModel.lastChangeAt, Date.now(), ttls);
  const limits: ArbLimits = { maxEdge: config.books.arbMaxEdge, maxAgeMs: config.books.arbMaxAgeMs };
  const sweepMs = config.books.sweepMs;
  const tracker =
    sources.sources.length > 0
      ? new ArbTracker({
          readModel,
          clock,
          publish: (name, data) => ingest.notice(name, data),
          total: config.books.arbTotal,
          limits,
          sweepMs,
          fullSweepMs: sweepMs * 10,
        })
      : null;
  if (tracker) deps.lifecycle.add({ name: 'arbs', start: () => tracker.start(), stop: () => tracker.stop() });
  return { ttls, limits, clock, tracker };
}
