/**
 * The imatchodds sources (`SOURCES=imatchodds`, `SOURCES=imatchodds-replay`): the site profile
 * config/sites/imatchodds.json read through the browser, or a recording of it replayed.
 */
import { resolve } from 'node:path';
import type { Config } from '../../config/index.js';
import type { AppLogger as Logger } from '../../logger.js';
import { sharedDomainPools, type DomainPoolRegistry } from '../../pool/registry.js';
import { loadSiteProfile } from './profile.js';
import { SiteReplaySource } from './replay-source.js';
import { SiteSource } from './site-source.js';

/** Profile (and pool, and upstream id) name of the site. */
export const IMATCHODDS = 'imatchodds';

/** The live imatchodds source: IMATCHODDS_URLS overrides the profile's URL pool. */
export function createImatchoddsSource(
  config: Config,
  logger: Logger,
  pools: DomainPoolRegistry = sharedDomainPools,
): SiteSource {
  const profile = loadSiteProfile(IMATCHODDS, config.browser.sitesDir);
  const urls = config.imatchodds.urls.length > 0 ? config.imatchodds.urls : profile.urls;
  const b = config.browser;
  const form = profile.login.form;
  return new SiteSource({
    name: IMATCHODDS,
    profile,
    pool: pools.pool(IMATCHODDS, urls, config.imatchodds.proxies),
    log: logger,
    executablePath: b.chromiumPath,
    headless: b.headless,
    pollMs: b.pollMs,
    navTimeoutMs: b.navTimeoutMs,
    scrapeTimeoutMs: b.scrapeTimeoutMs,
    fullMarketsTtlMs: b.fullMarketsTtlMs,
    tabs: b.tabs,
    maxMemoryMb: b.maxMemoryMb,
    liveScrapes: b.liveScrapes,
    credentials: { username: process.env[form.usernameEnv], password: process.env[form.passwordEnv] },
    recordFile: b.recordFile,
  });
}

/** The imatchodds recording replayed (no browser needed); emits under the name "imatchodds". */
export function createImatchoddsReplay(config: Config, logger: Logger): SiteReplaySource {
  return new SiteReplaySource({
    name: `${IMATCHODDS}-replay`,
    feedName: IMATCHODDS,
    profile: loadSiteProfile(IMATCHODDS, config.browser.sitesDir),
    file: resolve(config.imatchodds.replayFile),
    speed: config.imatchodds.replaySpeed,
    log: logger,
  });
}
