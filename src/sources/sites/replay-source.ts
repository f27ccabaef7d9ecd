/**
 * Replays a site recording (see recorder.ts) through the same normalizer as the live browser source, so
 * fancy and bookmaker markets show up with no browser installed (the default `npm start` can use it).
 * Times are moved so the recording starts now; at the end it starts over (with times moved again).
 */
import type { SourceStatus, SourceUpdate } from '../../model/index.js';
import type { AppLogger as Logger } from '../../logger.js';
import type { Source, UpdateSink } from '../types.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import type { SiteAccountData } from './account.js';
import type { SiteProfile } from './profile.js';
import { readRecording, type SiteFrame } from './recorder.js';
import type { SiteFullMarket } from './scraped.js';
import { SiteFeed } from './site-feed.js';

/** Options of a replay. */
export interface SiteReplayOptions {
  /** Name in SOURCES (e.g. "imatchodds-replay"). */
  name: string;
  /** The live source's name the frames are emitted under (upstream ids, market id prefix). */
  feedName: string;
  profile: SiteProfile;
  file: string;
  /** 1 = as recorded, 10 = ten times faster. */
  speed: number;
  loop?: boolean;
  clock?: Clock;
  log: Logger;
}

function shiftIso(iso: string | null, ms: number): string | null {
  if (!iso) return iso;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + ms).toISOString();
}

/** Moves an update's times by `ms` (recorded start times become relative to now). */
export function shiftUpdate(u: SourceUpdate, ms: number): SourceUpdate {
  if (u.kind === 'event')
    return { ...u, event: { ...u.event, startTime: shiftIso(u.event.startTime, ms) ?? u.event.startTime } };
  if (u.kind === 'market') {
    const m = u.market;
    const publishedAt = m.publishedAt === null ? null : m.publishedAt + ms;
    return { ...u, market: { ...m, startTime: shiftIso(m.startTime, ms), publishedAt } };
  }
  return u;
}

/** A recorded site played back as a source. */
export class SiteReplaySource implements Source {
  readonly name: string;
  private readonly clock: Clock;
  private feed: SiteFeed;
  private frames: SiteFrame[] = [];
  private index = 0;
  private offset = 0;
  private loops = 0;
  private timer: NodeJS.Timeout | null = null;
  private sink: UpdateSink | null = null;
  private played = 0;
  private lastUpdateAt: number | null = null;
  private lastError: string | null = null;
  private state: SourceStatus['state'] = 'starting';

  constructor(private readonly opts: SiteReplayOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? systemClock;
    this.feed = new SiteFeed(opts.profile, opts.feedName);
  }

  /** Loads the recording and starts playing it. */
  async start(sink: UpdateSink): Promise<void> {
    this.sink = sink;
    try {
      this.frames = readRecording(this.opts.file);
    } catch (err) {
      this.state = 'disconnected';
      this.lastError = `cannot read recording ${this.opts.file}: ${(err as Error).message}`;
      throw new Error(this.lastError);
    }
    if (this.frames.length === 0) {
      this.state = 'disconnected';
      this.lastError = `recording ${this.opts.file} holds no frames`;
      return;
    }
    this.state = 'connected';
    this.restart();
  }

  /** Stops playing. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.state = 'stopped';
  }

  private restart(): void {
    this.index = 0;
    this.offset = this.clock() - (this.frames[0]?.t ?? 0);
    this.playNext();
  }

  private playNext(): void {
    const frame = this.frames[this.index];
    if (!frame) {
      if (this.opts.loop === false) return;
      this.loops++;
      this.restart();
      return;
    }
    this.play(frame);
    this.index++;
    const next = this.frames[this.index];
    const wait = next ? Math.max(0, (next.t - frame.t) / this.opts.speed) : 0;
    this.timer = setTimeout(() => this.playNext(), next ? wait : 1000);
    this.timer.unref();
  }

  private play(frame: SiteFrame): void {
    const at = frame.t + this.offset;
    const updates =
      frame.type === 'storage'
        ? this.feed.applyStorage(frame.data, at).updates
        : this.feed.applyScrape({ gmid: frame.gmid, at: frame.t, markets: frame.markets }).updates;
    this.played++;
    this.lastUpdateAt = this.clock();
    if (updates.length > 0) this.sink?.(updates.map((u) => shiftUpdate(u, this.offset)));
  }

  /** The last replayed scrape of a game (the replay's "on demand" markets). */
  async fullMarketsFor(gmid: string): Promise<SiteFullMarket[] | null> {
    return this.feed.lastView(gmid)?.markets ?? null;
  }

  /** The replayed account data. */
  accountData(): SiteAccountData | null {
    return this.feed.accountData();
  }

  /** Status: reported under the live source's name (its events carry that upstream id). */
  status(): SourceStatus {
    return {
      source: this.opts.feedName,
      kind: 'replay',
      state: this.state,
      connected: this.state === 'connected',
      lastError: this.lastError,
      lastErrorAt: null,
      lastUpdateAt: this.lastUpdateAt,
      frames: this.played,
      markets: this.feed.openMarkets,
      details: {
        sourceName: this.name,
        file: this.opts.file,
        speed: this.opts.speed,
        framesInFile: this.frames.length,
        position: this.index,
        loops: this.loops,
        sportsPolled: this.feed.sportsPolled,
      },
    };
  }

  /** The feed's name (upstream id key of its events). */
  get feedName(): string {
    return this.opts.feedName;
  }
}
