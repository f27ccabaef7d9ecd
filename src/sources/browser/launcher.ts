/**
 * Launches Chromium (see resolveChromium: CHROMIUM_PATH, else a system one, else the npm-shipped one) through playwright-extra with the stealth plugin. Flags suit a closed network:
 * no QUIC, no background or component traffic, no sync, no GPU; Playwright gives each launch a fresh
 * temporary user-data-dir, removed when the browser closes.
 */
import type { Browser, BrowserType } from 'playwright-core';
import { resolveChromium } from './chromium.js';

/** Command-line flags of every launch. */
export const CLOSED_NETWORK_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What a launch needs. */
export interface LaunchOptions {
  /** Chromium binary; when missing, resolveChromium picks one (a system Chromium, else the npm-shipped one). */
  executablePath?: string | undefined;
  headless?: boolean;
  /** Launch timeout (ms). */
  timeoutMs?: number;
}

let stealthChromium: Promise<BrowserType> | null = null;

/**
 * The playwright-extra launcher with the stealth plugin, created once per process on first launch (loaded
 * lazily: a server without browser sources never loads Playwright).
 */
function launcher(): Promise<BrowserType> {
  stealthChromium ??= (async () => {
    const [{ chromium }, { addExtra }, { default: StealthPlugin }] = await Promise.all([
      import('playwright-core'),
      import('playwright-extra'),
      import('puppeteer-extra-plugin-stealth'),
    ]);
    const extra = addExtra(chromium);
    const stealth = StealthPlugin();
    // Its user-agent evasion sends a CDP command it never awaits: a tab closed right after opening turns
    // that into an unhandled rejection. The context sets the same user agent instead (stealthUserAgent).
    stealth.enabledEvasions.delete('user-agent-override');
    extra.use(stealth);
    return extra;
  })();
  return stealthChromium;
}

/** Launches a stealth Chromium. */
export async function launchStealthBrowser(opts: LaunchOptions): Promise<Browser> {
  const headless = opts.headless ?? true;
  const args = CLOSED_NETWORK_ARGS.filter((a) => headless || a !== '--headless');
  const { path } = await resolveChromium({ explicit: opts.executablePath });
  return (await launcher()).launch({
    executablePath: path,
    headless,
    args: [...args],
    timeout: opts.timeoutMs ?? 30_000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/**
 * The user agent a context presents: the browser's own version as a desktop Chrome on Linux, without the
 * "HeadlessChrome" token that gives headless browsers away.
 */
export function stealthUserAgent(browserVersion: string): string {
  const major = /^(\d+)/.exec(browserVersion)?.[1] ?? '120';
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}
