import { resolve } from 'node:path';
import { pino } from 'pino';
import type { AppLogger } from '../../../src/logger.js';
import type { Clock } from '../../../src/core/clock.js';
import { DomainPoolRegistry } from '../../../src/pool/registry.js';
import { loadSiteProfile } from '../../../src/sources/sites/profile.js';
import { SiteSource, type SiteSourceOptions } from '../../../src/sources/sites/site-source.js';
import { ROOT } from '../../helpers/process.js';

/** The shipped site profiles. */
export const SITES_DIR = resolve(ROOT, 'config/sites');

/**
 * Chromium to test with: CHROMIUM_PATH, else undefined, which the launcher resolves (a system Chromium,
 * else the npm-shipped one) and fails loudly when there is none.
 */
export const CHROMIUM: string | undefined = process.env.CHROMIUM_PATH;

/** A silent logger. */
export function quietLogger(): AppLogger {
  return pino({ level: 'silent' }) as unknown as AppLogger;
}

/** Options of a test site source. */
export interface TestSourceOptions {
  urls: string[];
  registry?: DomainPoolRegistry;
  poolClock?: Clock;
  overrides?: Partial<SiteSourceOptions>;
}

/**
 * An imatchodds source on the given URLs with short timeouts, no background scrapes and a poll interval
 * long enough that tests drive polls with pollOnce().
 */
export function testSiteSource(opts: TestSourceOptions): SiteSource {
  const registry = opts.registry ?? new DomainPoolRegistry(opts.poolClock);
  return new SiteSource({
    name: 'imatchodds',
    profile: loadSiteProfile('imatchodds', SITES_DIR),
    pool: registry.pool('imatchodds', opts.urls),
    log: quietLogger(),
    executablePath: CHROMIUM,
    headless: true,
    pollMs: 600_000,
    navTimeoutMs: 8000,
    scrapeTimeoutMs: 15_000,
    fullMarketsTtlMs: 15_000,
    tabs: 2,
    maxMemoryMb: 4000,
    liveScrapes: 0,
    ...opts.overrides,
  });
}

/** Waits until `check` holds (polling every 50 ms), failing after `ms`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
