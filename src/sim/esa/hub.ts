/**
 * The hub between the simulated exchange and the stream connections: takes every simulator message once,
 * turns its market definitions into live-stream ones (the live stream carries no event, market or runner
 * names: clients get those from the catalogue), keeps the server's book state and a bounded history of
 * changes by clock (for RESUB_DELTA), and fans each entry out to the connections.
 */
import type { ExchangeSimulator } from '../exchange.js';
import type { McmMessage, StreamMarketChange, StreamMarketDefinition } from '../stream-types.js';
import { BookState } from './book-state.js';

/** One simulator message after translation: its clock, publish time and market changes. */
export interface HubEntry {
  readonly clk: number;
  readonly pt: number;
  readonly mc: readonly StreamMarketChange[];
}

/** Options of {@link EsaHub}. */
export interface EsaHubOptions {
  /** Entries kept for resubscription; an older clock gets images instead of deltas. Default 20 000. */
  historySize?: number;
  /** Closed markets are dropped from the server state this long after closing (publish time). Default 30 min. */
  closedRetentionMs?: number;
}

/** A market definition as the live stream sends it: without the names that only historical files carry. */
export function liveDefinition(def: StreamMarketDefinition): StreamMarketDefinition {
  const { name: _name, eventName: _eventName, runners, ...rest } = def;
  return {
    ...rest,
    runners: runners.map(({ name: _n, ...r }) => r),
  } as unknown as StreamMarketDefinition;
}

/** Fans the simulator's stream out to connections, with state and history for images and resubscriptions. */
export class EsaHub {
  readonly state = new BookState();
  initialClk = '';
  clk = 0;
  pt = 0;
  private readonly history: HubEntry[] = [];
  private readonly historySize: number;
  private readonly retentionMs: number;
  private readonly defs = new WeakMap<StreamMarketDefinition, StreamMarketDefinition>();
  private readonly listeners = new Set<(e: HubEntry) => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly sim: ExchangeSimulator,
    opts: EsaHubOptions = {},
  ) {
    this.historySize = opts.historySize ?? 20_000;
    this.retentionMs = opts.closedRetentionMs ?? 30 * 60_000;
  }

  /** Subscribes to the simulator (its first message is the image the state starts from). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.sim.subscribe((msg) => this.onMessage(msg));
  }

  /** Unsubscribes from the simulator. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Registers a listener for every entry; returns its remover. */
  onEntry(listener: (e: HubEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Entries after `clk`, oldest first; null when the history no longer reaches back that far (or the clock
   * is from the future).
   */
  since(clk: number): HubEntry[] | null {
    if (clk > this.clk) return null;
    if (clk === this.clk) return [];
    const first = this.history[0];
    if (!first || first.clk > clk + 1) return null;
    return this.history.slice(clk + 1 - first.clk);
  }

  /** Ids of the markets the server holds. */
  marketIds(): string[] {
    return [...this.state.markets.keys()];
  }

  private onMessage(msg: McmMessage): void {
    const clk = Number(msg.clk);
    if (msg.ct === 'SUB_IMAGE') {
      this.initialClk = msg.initialClk ?? this.initialClk;
      for (const mc of msg.mc ?? []) this.state.apply(this.translate(mc), msg.pt);
      this.clk = clk;
      this.pt = msg.pt;
      return;
    }
    const mc = (msg.mc ?? []).map((m) => this.translate(m));
    for (const m of mc) this.state.apply(m, msg.pt);
    this.clk = clk;
    this.pt = msg.pt;
    const entry: HubEntry = { clk, pt: msg.pt, mc };
    this.remember(entry);
    this.state.purgeClosed(msg.pt, this.retentionMs);
    for (const l of this.listeners) l(entry);
  }

  private remember(entry: HubEntry): void {
    const last = this.history[this.history.length - 1];
    if (last && last.clk !== entry.clk - 1) this.history.length = 0; // clocks must be contiguous
    this.history.push(entry);
    if (this.history.length > this.historySize)
      this.history.splice(0, this.history.length - this.historySize);
  }

  private translate(mc: StreamMarketChange): StreamMarketChange {
    const def = mc.marketDefinition;
    if (!def) return mc;
    let live = this.defs.get(def);
    if (!live) this.defs.set(def, (live = liveDefinition(def)));
    return { ...mc, marketDefinition: live };
  }
}
