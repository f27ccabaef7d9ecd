/**
 * The ABP WebSocket channels and the publisher the rest of the app calls (`AbpChannels.publish`). Channels
 * are either client-filtered (a message reaches only the sessions of its clientName) or global.
 */
export const CLIENT_CHANNELS = ['orders', 'bets', 'settlements', 'accounts', 'balance', 'betslip'] as const;
export const GLOBAL_CHANNELS = ['fixtures', 'currencies', 'status', 'emergency'] as const;
export type ClientChannel = (typeof CLIENT_CHANNELS)[number];
export type GlobalChannel = (typeof GLOBAL_CHANNELS)[number];
export type AbpChannel = ClientChannel | GlobalChannel;
export const ALL_CHANNELS: readonly AbpChannel[] = [...CLIENT_CHANNELS, ...GLOBAL_CHANNELS];

/** Event names of data messages. */
export type AbpEvent = 'INSERT' | 'UPDATE' | 'DELETE' | 'SETTLED' | 'STATUS';

const CLIENT_SET: ReadonlySet<string> = new Set(CLIENT_CHANNELS);
const ALL_SET: ReadonlySet<string> = new Set(ALL_CHANNELS);

/** True for a channel name the surface has. */
export function isChannel(v: string): v is AbpChannel {
  return ALL_SET.has(v);
}

/** True for a client-filtered channel. */
export function isClientChannel(v: string): v is ClientChannel {
  return CLIENT_SET.has(v);
}

/** A subscriber: one logged-in WebSocket session. */
export interface ChannelSubscriber {
  readonly clientName: string;
  /** True when the session subscribed to `channel`. */
  wants(channel: AbpChannel): boolean;
  /** Queues one data message (the subscriber assigns its own seq). */
  deliver(channel: AbpChannel, event: AbpEvent, payload: unknown, ts: number): void;
}

/** A data message as published (the relay carries it to the other instances). */
export interface ChannelMessage {
  channel: AbpChannel;
  event: AbpEvent;
  payload: unknown;
  /** The owner of a client-filtered message; absent on global channels. */
  clientName?: string | undefined;
  ts: number;
}

/**
 * Channels each instance derives from its own read model (every instance publishes the change itself):
 * never relayed, or a client would get it once per instance.
 */
export const LOCAL_CHANNELS: ReadonlySet<AbpChannel> = new Set(['fixtures']);

/**
 * The hub between publishers (accounts, betslip, orders and bets after merge, emergency switch) and the
 * WebSocket sessions: a client-filtered message goes to the sessions of its clientName only, a global one
 * to every session subscribed to the channel. In-process; with several instances the relay (src/cluster
 * channel-relay.ts) taps what is published here (`onPublish`) and hands other instances' messages to
 * `deliver`, so a client gets a push whichever instance it is connected to.
 */
export class AbpChannels {
  private readonly subscribers = new Set<ChannelSubscriber>();
  private readonly byClient = new Map<string, Set<ChannelSubscriber>>();

  private readonly taps = new Set<(m: ChannelMessage) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Listens to what is published on this instance (not to what other instances relayed); returns removal. */
  onPublish(fn: (m: ChannelMessage) => void): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  /** Adds a session; returns its removal. */
  subscribe(s: ChannelSubscriber): () => void {
    this.subscribers.add(s);
    let set = this.byClient.get(s.clientName);
    if (!set) this.byClient.set(s.clientName, (set = new Set()));
    set.add(s);
    return () => {
      this.subscribers.delete(s);
      const own = this.byClient.get(s.clientName);
      own?.delete(s);
      if (own?.size === 0) this.byClient.delete(s.clientName);
    };
  }

  /**
   * Publishes a data message. Client-filtered channels need `clientName` (a message without one is a
   * programming error and throws, so it can never leak to every client); global channels ignore it.
   * Returns the number of sessions it was queued for.
   */
  publish(channel: AbpChannel, event: AbpEvent, payload: unknown, clientName?: string): number {
    if (isClientChannel(channel) && clientName === undefined)
      throw new TypeError(`channel ${channel} needs the clientName to publish to`);
    const m: ChannelMessage = { channel, event, payload, clientName, ts: this.now() };
    const n = this.deliver(m);
    for (const tap of this.taps) tap(m);
    return n;
  }

  /** Queues a message for this instance's sessions only: publish does, and the relay with other instances' messages. */
  deliver(m: ChannelMessage): number {
    const { channel, event, payload, clientName, ts } = m;
    let targets: Iterable<ChannelSubscriber>;
    if (isClientChannel(channel)) {
      if (clientName === undefined) return 0;
      targets = this.byClient.get(clientName) ?? [];
    } else {
      targets = this.subscribers;
    }
    let n = 0;
    for (const s of targets) {
      if (!s.wants(channel)) continue;
      s.deliver(channel, event, payload, ts);
      n++;
    }
    return n;
  }

  /** Sessions subscribed now. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Whether a client has at least one session (betslip pushes skip clients nobody listens for). */
  hasClient(clientName: string): boolean {
    return this.byClient.has(clientName);
  }
}
