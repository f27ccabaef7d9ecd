/**
 * `npm run bench:browser`: the browser source against the simulated site on 127.0.0.1, in real Chromium.
 *
 * - warmPollMs: one localStorage poll with the warm browser (logged in, the app refreshing), as every
 *   20 s in production — between polls the bench waits for the app's next refresh.
 * - freshBrowserPollMs: the seed's way, measured in the same run: launch a fresh browser, click Demo,
 *   wait for the app's localStorage, read it, close the browser.
 * - fullMarketsMs: an on-demand full-market scrape (match page in a pooled tab, cache cleared each time).
 *
 * Prints one JSON object; targets: warm poll ≤ 1 s, full markets ≤ 3 s (the seed reports 6–10 s).
 */
import { resolve } from 'node:path';
import { pino } from 'pino';
import type { AppLogger } from '../../src/logger.js';
import { DomainPoolRegistry } from '../../src/pool/registry.js';
import { startSite } from '../../src/sim/site/server.js';
import { chromiumPath } from '../../src/sources/browser/chromium.js';
import { BrowserSession } from '../../src/sources/browser/session.js';
import { storageKeys } from '../../src/sources/sites/normalize.js';
import { loadSiteProfile } from '../../src/sources/sites/profile.js';
import { SiteClient } from '../../src/sources/sites/site-client.js';
import { SiteSource } from '../../src/sources/sites/site-source.js';

/** CHROMIUM_PATH, else a system Chromium, else the npm-shipped one (resolved once, in main). */
let CHROMIUM = '';
const WARM_POLLS = Number(process.env.BENCH_WARM_POLLS ?? 15);
const FRESH_POLLS = Number(process.env.BENCH_FRESH_POLLS ?? 5);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 10);
const REFRESH_MS = 500;

const log = pino({ level: 'silent' }) as unknown as AppLogger;
const profile = loadSiteProfile('imatchodds', resolve('config/sites'));

interface Summary {
  median: number;
  p90: number;
  min: number;
  max: number;
  n: number;
}

function summary(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] ?? NaN;
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    median: round(at(0.5)),
    p90: round(at(0.9)),
    min: round(s[0] ?? NaN),
    max: round(s.at(-1) ?? NaN),
    n: s.length,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** The seed's way: a fresh browser per poll, demo login, read, close. */
async function freshBrowserPoll(url: string): Promise<number> {
  return timed(async () => {
    const session = new BrowserSession({
      executablePath: CHROMIUM,
      headless: true,
      launchTimeoutMs: 30_000,
      log,
    });
    const client = new SiteClient(profile, session, {
      navTimeoutMs: 15_000,
      refreshWaitMs: 5000,
      credentials: {},
      log,
    });
    try {
      await client.connect(url, null);
      const snap = await client.poll(storageKeys(profile));
      if (!snap[profile.storage.events.key]) throw new Error('no events read');
    } finally {
      client.reset();
      await session.close();
    }
  });
}

async function main(): Promise<void> {
  CHROMIUM = await chromiumPath();
  const site = await startSite({ refreshMs: REFRESH_MS });
  const source = new SiteSource({
    name: 'imatchodds',
    profile,
    pool: new DomainPoolRegistry().pool('imatchodds', [site.url]),
    log,
    executablePath: CHROMIUM,
    headless: true,
    pollMs: 3_600_000,
    navTimeoutMs: 15_000,
    scrapeTimeoutMs: 15_000,
    fullMarketsTtlMs: 15_000,
    tabs: 2,
    maxMemoryMb: 4000,
    liveScrapes: 0,
  });
  try {
    await source.start(() => undefined);
    const first = await source.pollOnce();
    if (!first.ok) throw new Error(`first poll failed: ${first.error}`);
    const warm: number[] = [];
    for (let i = 0; i < WARM_POLLS; i++) {
      await sleep(REFRESH_MS + 100);
      const out = await source.pollOnce();
      if (!out.ok) throw new Error(`poll failed: ${out.error}`);
      warm.push(out.ms);
    }
    const games = source.feed.eventList().filter((e) => e.event.hasFancy);
    if (games.length === 0) throw new Error('no fancy games on the site');
    const full: number[] = [];
    for (let i = 0; i < SCRAPES; i++) {
      source.flights.clear();
      const g = games[i % games.length];
      if (!g) break;
      full.push(await timed(() => source.fullMarketsFor(g.upstreamEventId)));
    }
    const fresh: number[] = [];
    for (let i = 0; i < FRESH_POLLS; i++) fresh.push(await freshBrowserPoll(site.url));
    const result = {
      warmPollMs: summary(warm),
      freshBrowserPollMs: summary(fresh),
      fullMarketsMs: summary(full),
      targets: { warmPollMs: 1000, fullMarketsMs: 3000 },
      chromium: CHROMIUM,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await source.stop();
    await site.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
