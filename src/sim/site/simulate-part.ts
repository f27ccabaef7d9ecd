/**
 * The simulated site as a part of `oddsgate simulate --site-port P`: starts it on 127.0.0.1 and gives the
 * ready line its `"site":{"url"}` entry (the shape of the other simulated endpoints' parts).
 */
import { SITE_FAULTS, startSite, type SiteFault } from './server.js';

/** Options of the site part (schedule options as the exchange's, so the matches overlap). */
export interface SitePartOptions {
  port: number;
  seed: number;
  speed: number;
  events: number;
  fault?: string | undefined;
}

/** A started endpoint: its ready-line entry and how to close it. */
export interface SitePart {
  key: 'site';
  value: { url: string };
  close(): Promise<void>;
}

/** Validates a `--site-fault` value. */
export function parseSiteFault(v: string | undefined): SiteFault {
  if (v === undefined || v === '') return 'none';
  if (!(SITE_FAULTS as readonly string[]).includes(v))
    throw new Error(`--site-fault: one of ${SITE_FAULTS.join(', ')}`);
  return v as SiteFault;
}

/** Starts the site; its URL joins the ready line as `"site":{"url":"http://127.0.0.1:P"}`. */
export async function startSitePart(opts: SitePartOptions): Promise<SitePart> {
  const site = await startSite({
    port: opts.port,
    seed: opts.seed,
    speed: opts.speed,
    events: opts.events,
    fault: parseSiteFault(opts.fault),
  });
  return { key: 'site', value: { url: site.url }, close: () => site.close() };
}
