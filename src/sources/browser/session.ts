/**
 * One warm browser and one context per source, reused across polls. The browser is launched on first use,
 * noticed when it crashes (the next use relaunches it), and restarted on request (a hang, a memory
 * threshold). The context is recreated only when the proxy changes (a different domain of the pool).
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AppLogger as Logger } from '../../logger.js';
import { launchStealthBrowser, stealthUserAgent } from './launcher.js';
import { messageOf, withTimeout } from './errors.js';

/** Options of a browser session. */
export interface BrowserSessionOptions {
  /** Chromium binary; undefined: resolveChromium picks one. */
  executablePath?: string | undefined;
  headless: boolean;
  launchTimeoutMs: number;
  log: Logger;
}

/** Counters shown in the source status. */
export interface BrowserSessionStats {
  launches: number;
  restarts: number;
  crashes: number;
  lastRestartReason: string | null;
  lastLaunchMs: number | null;
}

const CLOSE_TIMEOUT_MS = 5000;

/** A lazily launched, crash-aware stealth browser with one context. */
export class BrowserSession {
  readonly stats: BrowserSessionStats = {
    launches: 0,
    restarts: 0,
    crashes: 0,
    lastRestartReason: null,
    lastLaunchMs: null,
  };
  private browser: Browser | null = null;
  private context: BrowserContext | null = null;
  private contextProxy: string | null = null;
  private opening: Promise<BrowserContext> | null = null;
  private readonly expectedClose = new WeakSet<Browser>();
  private readonly crashListeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly opts: BrowserSessionOptions) {}

  /** True while a browser is running. */
  get running(): boolean {
    return this.browser?.isConnected() ?? false;
  }

  /** Calls `fn` whenever the browser goes away without being asked to. */
  onCrash(fn: () => void): () => void {
    this.crashListeners.add(fn);
    return () => this.crashListeners.delete(fn);
  }

  /** The context (launching the browser if needed); a different proxy gets a new context. */
  async getContext(proxy: string | null = null): Promise<BrowserContext> {
    if (this.closed) throw new Error('browser session closed');
    if (this.context && this.running && this.contextProxy === proxy) return this.context;
    if (!this.opening) {
      this.opening = this.open(proxy).finally(() => {
        this.opening = null;
      });
    }
    const ctx = await this.opening;
    return this.contextProxy === proxy ? ctx : this.getContext(proxy);
  }

  /** A new tab in the context. */
  async newPage(proxy: string | null = null): Promise<Page> {
    const ctx = await this.getContext(proxy);
    return ctx.newPage();
  }

  /** Closes the browser; the next use launches a fresh one. */
  async restart(reason: string): Promise<void> {
    this.stats.restarts++;
    this.stats.lastRestartReason = reason;
    this.opts.log.warn({ reason }, 'restarting browser');
    await this.shutdown();
  }

  /** Closes the browser for good. */
  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    await this.shutdown();
  }

  /** Process ids of the browser and its children (renderers, GPU, utility), via CDP. */
  async processIds(): Promise<number[]> {
    const b = this.browser;
    if (!b?.isConnected()) return [];
    return this.pidsOf(b);
  }

  private async pidsOf(b: Browser): Promise<number[]> {
    const cdp = await b.newBrowserCDPSession();
    try {
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { id: number }[] };
      return info.processInfo.map((p) => p.id).filter((id) => id > 0);
    } finally {
      await cdp.detach().catch(() => undefined);
    }
  }

  /**
   * Memory of the browser's processes in MB (Linux /proc): the sum of their proportional set sizes, so
   * pages shared between Chromium's processes count once; RSS where PSS is not available. Null when unknown.
   */
  async memoryMb(): Promise<number | null> {
    const pids = await this.processIds().catch(() => []);
    if (pids.length === 0) return null;
    let kb = 0;
    for (const pid of pids) kb += await processMemoryKb(pid);
    return kb > 0 ? Math.round(kb / 1024) : null;
  }

  private async open(proxy: string | null): Promise<BrowserContext> {
    if (!this.running) await this.launch();
    const browser = this.browser;
    if (!browser) throw new Error('browser did not start');
    if (this.context) {
      const old = this.context;
      this.context = null;
      await old.close().catch(() => undefined);
    }
    this.context = await browser.newContext({
      ...(proxy ? { proxy: { server: proxy } } : {}),
      userAgent: stealthUserAgent(browser.version()),
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      serviceWorkers: 'block',
    });
    this.contextProxy = proxy;
    return this.context;
  }

  private async launch(): Promise<void> {
    const t0 = Date.now();
    const browser = await launchStealthBrowser({
      executablePath: this.opts.executablePath,
      headless: this.opts.headless,
      timeoutMs: this.opts.launchTimeoutMs,
    });
    this.stats.launches++;
    this.stats.lastLaunchMs = Date.now() - t0;
    browser.on('disconnected', () => this.onDisconnected(browser));
    this.browser = browser;
    this.context = null;
    this.opts.log.info({ ms: this.stats.lastLaunchMs, launches: this.stats.launches }, 'browser launched');
  }

  private onDisconnected(browser: Browser): void {
    if (this.browser === browser) {
      this.browser = null;
      this.context = null;
    }
    if (this.expectedClose.has(browser) || this.closed) return;
    this.stats.crashes++;
    this.opts.log.warn({ crashes: this.stats.crashes }, 'browser disconnected unexpectedly');
    for (const fn of this.crashListeners) fn();
  }

  private async shutdown(): Promise<void> {
    const b = this.browser;
    this.browser = null;
    this.context = null;
    if (!b) return;
    this.expectedClose.add(b);
    const pids = b.isConnected()
      ? await withTimeout(this.pidsOf(b), 1000, 'process info').catch(() => [])
      : [];
    await withTimeout(b.close(), CLOSE_TIMEOUT_MS, 'browser close').catch((err: unknown) => {
      this.opts.log.warn({ err: messageOf(err) }, 'browser did not close cleanly; killing its processes');
      for (const pid of pids) killQuietly(pid);
    });
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function processMemoryKb(pid: number): Promise<number> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const pss = /^Pss:\s+(\d+)\s+kB/m.exec(rollup);
  if (pss?.[1]) return Number(pss[1]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
}
