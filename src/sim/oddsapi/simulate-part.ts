/**
 * The simulated odds API as a part of `oddsgate simulate --odds-api-port P`: starts it on 127.0.0.1 on the
 * exchange's schedule (prices around the running exchange's) and gives the ready line its
 * `"oddsApi":{"url","apiKey","sportsbook":{"username","password"}}` entry (the sportsbook's betting routes
 * are on the same URL).
 */
import type { ExchangeSimulator } from '../exchange.js';
import { exchangeFair, modelFair } from './pricing.js';
import { DEFAULT_SPORTSBOOK_CREDENTIALS, OddsApiSimulator } from './server.js';

/** The API key the simulated odds API accepts unless one is given. */
export const DEFAULT_SIM_ODDS_API_KEY = 'sim-odds-api-key';

/** Options of the odds API part. */
export interface OddsApiPartOptions {
  port: number;
  seed: number;
  speed: number;
  events: number;
  apiKey?: string | undefined;
  /** The exchange running in the same process: bookmakers price around its mid prices. */
  exchange?: ExchangeSimulator;
}

/** A started endpoint: its ready-line entry and how to close it. */
export interface OddsApiPart {
  key: 'oddsApi';
  value: { url: string; apiKey: string; sportsbook: { username: string; password: string } };
  close(): Promise<void>;
}

/** Starts the simulated odds API; its URL and key join the ready line as `"oddsApi":{"url","apiKey"}`. */
export async function startOddsApiPart(opts: OddsApiPartOptions): Promise<OddsApiPart> {
  const apiKey = opts.apiKey ?? DEFAULT_SIM_ODDS_API_KEY;
  const model = modelFair(opts.speed);
  const exchange = opts.exchange;
  const sim = new OddsApiSimulator({
    schedule: { seed: opts.seed, speed: opts.speed, events: opts.events },
    apiKey,
    port: opts.port,
    fair: exchange ? exchangeFair(() => exchange, model, Date.now) : model,
  });
  const url = await sim.start();
  return {
    key: 'oddsApi',
    value: { url, apiKey, sportsbook: { ...DEFAULT_SPORTSBOOK_CREDENTIALS } },
    close: () => sim.stop(),
  };
}
