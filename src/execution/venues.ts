/**
 * The execution venues the configuration names, built for the execution plugin: the `betfair-ex` connector
 * over the Betfair source's app key, credentials and endpoints (its own session, so a server that runs no
 * Betfair source can still bet there) and, with MM_ENABLED, its resting-order instance for the market maker
 * (`MM_EXCHANGE`, default `betfair-ex-mm`), and the sportsbook connector over EXEC_SPORTSBOOK_* with its
 * fixtures mapped to oddsgate's events. Each venue resolves selections from the read model.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/index.js';
import type { ReadModel } from '../read-model/read-model.js';
import { BetfairSession } from '../sources/betfair/session.js';
import { BetfairExConnector } from './connectors/betfair-ex.js';
import { exchangeQuotes, exchangeSelectionResolver } from './connectors/exchange-selection.js';
import { bookmakerBookQuotes } from './connectors/book-quotes.js';
import { SportsbookConnector } from './connectors/sportsbook.js';
import { SportsbookFixtures } from './connectors/sportsbook-fixtures.js';
import type { Connector } from './types.js';

/** Logging the venues need. */
interface VenueLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The configured venues and how to stop what they run (sessions, fixture refresh, HTTP agents). */
export interface ExecutionVenues {
  connectors: Connector[];
  close(): Promise<void>;
}

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Builds the connectors of `config.execution` (none when it names no venue). */
export async function createExecutionVenues(
  config: Config,
  readModel: ReadModel,
  logger: VenueLogger,
): Promise<ExecutionVenues> {
  const connectors: Connector[] = [];
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    if (config.execution.betfairEx) {
      const bf = await betfairEx(config, readModel);
      connectors.push(...bf.connectors);
      closers.push(bf.close);
      for (const c of bf.connectors)
        logger.info({ bookmaker: c.slug, url: config.betfair.apiUrl }, 'execution venue');
    }
    if (config.execution.sportsbook.url) {
      const sb = await sportsbook(config, readModel, logger);
      connectors.push(sb.connector);
      closers.push(sb.close);
      logger.info({ bookmaker: sb.connector.slug, url: config.execution.sportsbook.url }, 'execution venue');
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { connectors, close };
}

async function betfairEx(config: Config, readModel: ReadModel) {
  const o = config.betfair;
  if (!o.appKey) throw new Error('EXEC_BETFAIR_EX needs BETFAIR_APP_KEY');
  if (!o.sessionToken && !(o.username && o.password) && !(o.certFile && o.keyFile)) {
    throw new Error('EXEC_BETFAIR_EX needs BETFAIR_SESSION_TOKEN or BETFAIR_USERNAME and BETFAIR_PASSWORD');
  }
  const [ca, cert, key] = await Promise.all(
    [o.caFile, o.certFile, o.keyFile].map((f) => (f ? readFile(f, 'utf8') : undefined)),
  );
  const session = new BetfairSession({
    appKey: o.appKey,
    identityUrl: o.identityUrl,
    identityCertUrl: o.identityCertUrl,
    keepAliveMs: o.keepAliveMin * 60_000,
    timeoutMs: o.requestTimeoutMs,
    ...defined({ sessionToken: o.sessionToken, username: o.username, password: o.password, cert, key, ca }),
  });
  session.start();
  const options = {
    appKey: o.appKey,
    session,
    bettingUrl: o.apiUrl,
    timeoutMs: config.execution.betfairExTimeoutMs,
    resolve: exchangeSelectionResolver(readModel),
    quotes: exchangeQuotes(readModel),
    ...defined({ ca }),
  };
  const connectors = [new BetfairExConnector(options)];
  // the market maker's resting orders: the same exchange and session, LIMIT PERSIST, its own slug
  if (config.mm.enabled)
    connectors.push(new BetfairExConnector({ ...options, maker: true, slug: config.mm.exchange }));
  return {
    connectors,
    close: async () => {
      for (const c of connectors) await c.close();
      await session.stop();
    },
  };
}

async function sportsbook(config: Config, readModel: ReadModel, logger: VenueLogger) {
  const o = config.execution.sportsbook;
  let fixtures: SportsbookFixtures | null = null;
  const connector = new SportsbookConnector({
    baseUrl: o.url ?? '',
    username: o.username ?? '',
    password: o.password ?? '',
    slug: o.slug,
    timeoutMs: o.timeoutMs,
    resolve: (s) => fixtures?.resolve(s) ?? null,
    quotes: bookmakerBookQuotes(readModel, o.slug),
  });
  const map = new SportsbookFixtures({
    fetch: (id) => connector.fixtures(id),
    findEvent: (id) => readModel.findEvent(id),
  });
  fixtures = map;
  const refresh = () =>
    map.refresh().then(
      (n) => n,
      (err: unknown) => {
        logger.warn({ bookmaker: o.slug, err: String(err) }, 'sportsbook fixtures not read');
        return 0;
      },
    );
  await refresh();
  const timer = setInterval(() => void refresh(), o.fixturesRefreshSec * 1000);
  timer.unref();
  return {
    connector,
    close: async () => {
      clearInterval(timer);
      await connector.close();
    },
  };
}
