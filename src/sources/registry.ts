import type { AppLogger as Logger } from '../logger.js';
import type { Config } from '../config/index.js';
import type { Source } from './types.js';
import { createImatchoddsReplay, createImatchoddsSource } from './sites/imatchodds.js';
import { createBetfairSource } from './betfair/factory.js';
import { HistoricalSource } from './betfair/historical-source.js';
import { createOddsApiSource } from './oddsapi/source.js';

/** Makes one source from the configuration. */
export type SourceFactory = (config: Config, logger: Logger) => Source;

/** Source name (as in SOURCES) → factory. */
export type SourceFactories = Readonly<Record<string, SourceFactory>>;

/**
 * The production sources. The simulator's in-process source (`sim`) is not one of them: production code never
 * imports src/sim, so the composition root (the CLI's `start`) passes it in as an extra factory.
 */
const FACTORIES: SourceFactories = {
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
export function knownSources(extra: SourceFactories = {}): string[] {
  return [...new Set([...Object.keys(extra), ...Object.keys(FACTORIES)])];
}

/**
 * Creates the sources named in config.sources from the production factories and `extra` (the composition
 * root's, e.g. the simulator's `sim`); an unknown name is a configuration error.
 */
export function createSources(config: Config, logger: Logger, extra: SourceFactories = {}): Source[] {
  return config.sources.map((name) => {
    const make = extra[name] ?? FACTORIES[name];
    if (!make)
      throw new Error(
        `invalid configuration: sources (SOURCES): unknown source "${name}"; known: ${knownSources(extra).join(', ')}`,
      );
    return make(config, logger.child({ source: name }));
  });
}
