/**
 * A bounded pool of reusable browser tabs for on-demand scrapes: at most `max` tabs exist, idle ones are
 * reused, callers beyond that wait in a bounded FIFO queue (past its bound they are refused at once).
 */
import type { Page } from 'playwright-core';
import { BrowserSourceError } from './errors.js';

/** Options of a tab pool. */
export interface TabPoolOptions {
  max: number;
  /** Callers allowed to wait for a tab. */
  maxWaiting: number;
  /** Opens a new tab. */
  create: () => Promise<Page>;
}

/** A tab lent out; give it back with `release` (or `discard` when it is broken). */
export interface TabLease {
  page: Page;
  release(): void;
  discard(): void;
}

/** Bounded tab pool. */
export class TabPool {
  private readonly idle: Page[] = [];
  private size = 0;
  private readonly waiting: ((page: Page | null) => void)[] = [];

  constructor(private readonly opts: TabPoolOptions) {}

  /** Tabs open now and tabs busy now. */
  stats(): { open: number; idle: number; busy: number; waiting: number; max: number } {
    return {
      open: this.size,
      idle: this.idle.length,
      busy: this.size - this.idle.length,
      waiting: this.waiting.length,
      max: this.opts.max,
    };
  }

  /** A tab: an idle one, a new one while under the bound, else the next one released. */
  async acquire(): Promise<TabLease> {
    const page = await this.take();
    let done = false;
    return {
      page,
      release: () => {
        if (done) return;
        done = true;
        this.give(page);
      },
      discard: () => {
        if (done) return;
        done = true;
        this.drop(page);
      },
    };
  }

  /** Forgets every tab (the browser went away); waiting callers get new tabs as they can. */
  reset(): void {
    this.idle.length = 0;
    this.size = 0;
    this.pump();
  }

  /** Closes idle tabs and refuses waiting callers. */
  async close(): Promise<void> {
    for (const w of this.waiting.splice(0)) w(null);
    await Promise.all(this.idle.splice(0).map((p) => p.close().catch(() => undefined)));
    this.size = 0;
  }

  private async take(): Promise<Page> {
    while (this.idle.length > 0) {
      const p = this.idle.pop() as Page;
      if (!p.isClosed()) return p;
      this.size--;
    }
    if (this.size < this.opts.max) return this.open();
    if (this.waiting.length >= this.opts.maxWaiting) {
      throw new BrowserSourceError(
        'timeout',
        `all ${this.opts.max} scrape tabs busy and ${this.waiting.length} callers waiting`,
      );
    }
    const page = await new Promise<Page | null>((resolve) => this.waiting.push(resolve));
    if (!page) throw new BrowserSourceError('network', 'tab pool closed');
    return page;
  }

  private async open(): Promise<Page> {
    this.size++;
    try {
      return await this.opts.create();
    } catch (err) {
      this.size--;
      this.pump();
      throw err;
    }
  }

  private give(page: Page): void {
    if (page.isClosed()) return this.drop(page);
    const next = this.waiting.shift();
    if (next) next(page);
    else this.idle.push(page);
  }

  private drop(page: Page): void {
    this.size = Math.max(0, this.size - 1);
    void page.close().catch(() => undefined);
    this.pump();
  }

  /** Lets a waiter open a new tab when there is room. */
  private pump(): void {
    while (this.waiting.length > 0 && this.size < this.opts.max) {
      const next = this.waiting.shift() as (page: Page | null) => void;
      this.open().then(next, () => next(null));
    }
  }
}
