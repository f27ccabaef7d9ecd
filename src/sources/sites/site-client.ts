/**
 * The browser side of a site source: opens the site on a domain, logs in (the Demo button or the
 * username/password form), reads localStorage after the app has refreshed it, and scrapes match pages in
 * pooled tabs. Every navigation is checked for blocks (HTTP 403/429/503, a challenge, a login page where
 * the app should be, a blank page, missing elements) and fails with that reason.
 */
import type { Page } from 'playwright-core';
import type { AppLogger as Logger } from '../../logger.js';
import { BrowserSourceError } from '../browser/errors.js';
import { checkResponse, waitForAny } from '../browser/page-check.js';
import type { BrowserSession } from '../browser/session.js';
import { matchUrl, type SiteProfile } from './profile.js';
import { readStorage, readStorageKey, scrapeMatchPage, type PageScrape } from './page-scripts.js';
import type { StorageSnapshot } from './normalize.js';

/** Timing options of the client. */
export interface SiteClientOptions {
  navTimeoutMs: number;
  /** How long a poll waits for the app to rewrite localStorage before reloading the page. */
  refreshWaitMs: number;
  credentials: { username?: string | undefined; password?: string | undefined };
  log: Logger;
}

/** Site operations over one browser session. */
export class SiteClient {
  private page: Page | null = null;
  private domain: string | null = null;
  private proxy: string | null = null;
  private lastRefreshed: string | null = null;

  constructor(
    private readonly profile: SiteProfile,
    private readonly session: BrowserSession,
    private readonly opts: SiteClientOptions,
  ) {}

  /** The domain the client is logged in on, or null. */
  get base(): string | null {
    return this.page && !this.page.isClosed() ? this.domain : null;
  }

  /** The proxy of the current domain. */
  get currentProxy(): string | null {
    return this.proxy;
  }

  /** Forgets the page (the browser went away or the domain changes). */
  reset(): void {
    const p = this.page;
    this.page = null;
    this.domain = null;
    this.lastRefreshed = null;
    if (p && !p.isClosed()) void p.close().catch(() => undefined);
  }

  private get probe(): { ready: string; login: string } {
    return { ready: this.profile.app.readySelector, login: this.profile.login.loginPage };
  }

  /** Opens the site on `base` and logs in when the login page shows. */
  async connect(base: string, proxy: string | null): Promise<void> {
    this.reset();
    const page = await this.session.newPage(proxy);
    this.page = page;
    this.proxy = proxy;
    const url = `${base}/`;
    checkResponse(
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: this.opts.navTimeoutMs }),
      url,
    );
    const shown = await waitForAny(
      page,
      { app: this.probe.ready, login: this.probe.login },
      this.opts.navTimeoutMs,
      this.probe,
    );
    if (shown === 'login') await this.login(page, url);
    await page.waitForFunction(
      `!!window.localStorage.getItem(${JSON.stringify(this.profile.app.refreshedKey)})`,
      undefined,
      {
        timeout: this.opts.navTimeoutMs,
      },
    );
    this.domain = base;
  }

  private async login(page: Page, url: string): Promise<void> {
    const l = this.profile.login;
    if (l.mode === 'demo') {
      await page.click(l.demoButton, { timeout: this.opts.navTimeoutMs });
    } else {
      const { username, password } = this.opts.credentials;
      if (!username || !password) {
        throw new BrowserSourceError(
          'login_page',
          `form login needs ${l.form.usernameEnv} and ${l.form.passwordEnv}`,
        );
      }
      await page.fill(l.form.username, username, { timeout: this.opts.navTimeoutMs });
      await page.fill(l.form.password, password, { timeout: this.opts.navTimeoutMs });
      await page.click(l.form.submit, { timeout: this.opts.navTimeoutMs });
    }
    try {
      await page.waitForSelector(this.probe.ready, { timeout: this.opts.navTimeoutMs, state: 'attached' });
    } catch {
      throw new BrowserSourceError('login_page', `login did not succeed at ${url} (${l.mode} login)`);
    }
    this.opts.log.info({ domain: url, mode: l.mode }, 'logged in');
  }

  /**
   * Reads the profile's localStorage keys once the app has rewritten them since the last read. A login
   * page where the app should be is a failure; an app that stopped refreshing is reloaded once (the reload
   * shows any block that started meanwhile).
   */
  async poll(keys: readonly string[]): Promise<StorageSnapshot> {
    const page = this.page;
    if (!page || page.isClosed() || !this.domain)
      throw new BrowserSourceError('browser_crash', 'no open page');
    await this.ensureApp(page);
    if (!(await this.waitRefreshed(page))) {
      const url = `${this.domain}/`;
      checkResponse(
        await page.goto(url, { waitUntil: 'domcontentloaded', timeout: this.opts.navTimeoutMs }),
        url,
      );
      await this.ensureApp(page);
      if (!(await this.waitRefreshed(page))) {
        throw new BrowserSourceError('timeout', `the app at ${url} stopped refreshing localStorage`);
      }
    }
    const snap = await readStorage(page, keys);
    this.lastRefreshed = snap[this.profile.app.refreshedKey] ?? null;
    return snap;
  }

  private async ensureApp(page: Page): Promise<void> {
    const shown = await waitForAny(
      page,
      { app: this.probe.ready, login: this.probe.login },
      this.opts.navTimeoutMs,
      this.probe,
    );
    if (shown === 'login') {
      throw new BrowserSourceError(
        'login_page',
        `login page at ${page.url()} where the app should be (session expired)`,
      );
    }
  }

  private async waitRefreshed(page: Page): Promise<boolean> {
    const key = this.profile.app.refreshedKey;
    if (this.lastRefreshed === null) return (await readStorageKey(page, key)) !== null;
    const expr = `window.localStorage.getItem(${JSON.stringify(key)}) !== ${JSON.stringify(this.lastRefreshed)}`;
    try {
      await page.waitForFunction(expr, undefined, { timeout: this.opts.refreshWaitMs, polling: 50 });
      return true;
    } catch (err) {
      if (page.isClosed()) throw err;
      return false;
    }
  }

  /** Opens a match page in `tab` and scrapes its market blocks. */
  async scrape(tab: Page, gmid: string, siteSportId: string): Promise<PageScrape & { url: string }> {
    const base = this.base;
    if (!base) throw new BrowserSourceError('network', 'not connected to the site yet');
    const url = matchUrl(this.profile, base, gmid, siteSportId);
    checkResponse(
      await tab.goto(url, { waitUntil: 'domcontentloaded', timeout: this.opts.navTimeoutMs }),
      url,
    );
    const ready = this.profile.match.readySelector;
    const shown = await waitForAny(tab, { match: ready, login: this.probe.login }, this.opts.navTimeoutMs, {
      ready,
      login: this.probe.login,
    });
    if (shown === 'login')
      throw new BrowserSourceError('login_page', `login page at ${url} where the match should be`);
    return { ...(await scrapeMatchPage(tab, this.profile)), url };
  }
}
