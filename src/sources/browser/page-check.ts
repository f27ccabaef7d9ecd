/**
 * Block detection: what a page turned out to be after a navigation. HTTP 403/429/503, a bot-check
 * challenge, a login page where the app should be, a blank page, or a page whose expected elements are
 * missing (a changed layout) — each a failure with its reason. In-page code is passed as source text so
 * that nothing the TypeScript toolchain adds to functions has to exist in the page.
 */
import type { Page, Response } from 'playwright-core';
import type { FailureReason } from '../../pool/domain-pool.js';
import { BrowserSourceError } from './errors.js';

/** The failure an HTTP status means, or null when the page may be fine. */
export function statusFailure(status: number): FailureReason | null {
  if (status === 403) return 'http_403';
  if (status === 429) return 'http_429';
  if (status === 503) return 'http_503';
  if (status >= 400) return 'http_error';
  return null;
}

/** Throws the block an HTTP response shows (null response = same-document navigation: fine). */
export function checkResponse(res: Response | null, url: string): void {
  if (!res) return;
  const reason = statusFailure(res.status());
  if (reason) throw new BrowserSourceError(reason, `HTTP ${res.status()} from ${url}`);
}

/** What a page shows. */
export interface PageProbe {
  title: string;
  hasApp: boolean;
  hasLogin: boolean;
  challenge: boolean;
  /** No visible text and no rendered elements inside the body. */
  blank: boolean;
}

/** In-page probe: argument `{ ready, login }` selectors. */
const PROBE_JS = `(a) => {
  var body = document.body;
  var html = body ? body.innerHTML.slice(0, 20000) : '';
  var text = body ? (body.innerText || '').trim() : '';
  var challenge = /just a moment|checking your browser|attention required|cf-chl|challenge-form|captcha/i
    .test(document.title + ' ' + html);
  return {
    title: document.title,
    hasApp: !!document.querySelector(a.ready),
    hasLogin: !!document.querySelector(a.login),
    challenge: challenge,
    blank: text.length === 0,
  };
}`;

/** Probes the page for the app, the login page, a challenge or a blank body. */
export async function probePage(page: Page, sel: { ready: string; login: string }): Promise<PageProbe> {
  return (await page.evaluate(`(${PROBE_JS})(${JSON.stringify(sel)})`)) as PageProbe;
}

/** The failure a probe shows when the expected element did not appear. */
export function classifyProbe(p: PageProbe, expected: string, url: string): BrowserSourceError {
  if (p.challenge)
    return new BrowserSourceError('challenge', `bot-check challenge page at ${url} ("${p.title}")`);
  if (p.blank) return new BrowserSourceError('blank_page', `blank page at ${url}`);
  if (p.hasLogin) return new BrowserSourceError('login_page', `login page at ${url} where the app should be`);
  return new BrowserSourceError(
    'selector',
    `selector "${expected}" not found at ${url}: the page loaded but the site layout may have changed`,
  );
}

/**
 * Waits until one of the selectors shows; on timeout, probes the page and throws the block it shows.
 * Returns which selector matched first.
 */
export async function waitForAny(
  page: Page,
  selectors: Record<string, string>,
  timeoutMs: number,
  probe: { ready: string; login: string },
): Promise<string> {
  const entries = Object.entries(selectors);
  const either = entries.map(([, s]) => s).join(', ');
  try {
    await page.waitForSelector(either, { timeout: timeoutMs, state: 'attached' });
  } catch (err) {
    if (page.isClosed()) throw err;
    const p = await probePage(page, probe);
    throw classifyProbe(p, either, page.url());
  }
  for (const [name, s] of entries) if (await page.$(s)) return name;
  return entries[0]?.[0] ?? '';
}
