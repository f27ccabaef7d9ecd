import type { AppLogger as Logger } from '../logger.js';
import type { Config } from '../config/index.js';
import type { Source } from './types.js';
import { createImatchoddsReplay, createImatchoddsSource } from './sites/imatchodds.js';
import { createBetfairSource } from './betfair/factory.js';
import { createSimSource } from '../sim/sim-source.js';
import { HistoricalSource } from './betfair/historical-source.js';
import { createOddsApiSource } from './oddsapi/source.js';

type SourceFactory = (config: Config, logger: Logger) => Source;

/** Source name (as in SOURCES) → factory. */
const FACTORIES: Record<string, SourceFactory> = {
  sim: createSimSource,
  historical: (config, logger) =>
    new HistoricalSource({
      files: config.historical.files,
      speed: config.historical.speed,
      closedMarketTtlMs: config.closedMarketTtlSec * 1000,
      logger,
    }),
  imatchodds: createImatchoddsSource,
  'imatchodds-replay': createImatchoddsReplay,
  oddsapi: createOddsApiSource,
  betfair: createBetfairSource,
};

/** Names accepted in SOURCES. */
export function knownSources(): string[] {
  return Object.keys(FACTORIES);
}

/** Creates the sources named in config.sources; an unknown name is a configuration error. */
export function createSources(config: Config, logger: Logger): Source[] {
  return config.sources.map((name) => {
    const make = FACTORIES[name];
    if (!make)
      throw new Error(
        `invalid configuration: sources (SOURCES): unknown source "${name}"; known: ${knownSources().join(', ')}`,
      );
    return make(config, logger.child({ source: name }));
  });
}
