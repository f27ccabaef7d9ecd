/**
 * Makes the imatchodds recording the replay source plays (`npx tsx scripts/make-site-recording.ts [file]`):
 * runs the simulated site and the live browser source against it with recording on, polls a few times and
 * scrapes the fancy/bookmaker games between polls. Needs Chromium (CHROMIUM_PATH, else resolveChromium's pick).
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import type { AppLogger } from '../src/logger.js';
import { DomainPoolRegistry } from '../src/pool/registry.js';
import { loadSiteProfile } from '../src/sources/sites/profile.js';
import { SiteSource } from '../src/sources/sites/site-source.js';
import { startSite } from '../src/sim/site/server.js';

/** Options of a recording run. */
export interface RecordOptions {
  file: string;
  /** Storage snapshots to record. */
  polls: number;
  /** Wall ms between polls. */
  intervalMs: number;
  /** Events of the simulated schedule. */
  events: number;
  /** Chromium binary; undefined: resolveChromium picks one. */
  chromiumPath?: string | undefined;
}

/** Records `polls` snapshots (and the scrapes between them) of a fresh simulated site to `file`. */
export async function recordSite(opts: RecordOptions): Promise<{ frames: number }> {
  rmSync(opts.file, { force: true });
  const site = await startSite({ events: opts.events, refreshMs: 1000 });
  const source = new SiteSource({
    name: 'imatchodds',
    profile: loadSiteProfile('imatchodds', resolve('config/sites')),
    pool: new DomainPoolRegistry().pool('imatchodds', [site.url]),
    log: pino({ level: 'warn' }) as unknown as AppLogger,
    executablePath: opts.chromiumPath,
    headless: true,
    pollMs: 3_600_000,
    navTimeoutMs: 15_000,
    scrapeTimeoutMs: 15_000,
    fullMarketsTtlMs: 0,
    tabs: 2,
    maxMemoryMb: 4000,
    liveScrapes: 0,
    recordFile: opts.file,
  });
  try {
    await source.start(() => undefined);
    for (let i = 0; i < opts.polls; i++) {
      const out = await source.pollOnce();
      if (!out.ok) throw new Error(`poll failed: ${out.error}`);
      const games = source.feed.eventList().filter((e) => e.event.hasFancy || e.event.hasBookmaker);
      for (const g of games) await source.fullMarketsFor(g.upstreamEventId);
      await new Promise((r) => setTimeout(r, opts.intervalMs));
    }
    return { frames: (source.status().details['recordedFrames'] as number | null) ?? 0 };
  } finally {
    await source.stop();
    await site.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = resolve(process.argv[2] ?? 'config/recordings/imatchodds-sim-site.ndjson');
  recordSite({
    file,
    polls: 8,
    intervalMs: 4000,
    events: 12,
    chromiumPath: process.env.CHROMIUM_PATH,
  }).then(
    (r) => console.log(`recorded ${r.frames} frames to ${file}`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
