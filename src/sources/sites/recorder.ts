/**
 * Recordings of a site source: NDJSON, one frame a line — `{"t","type":"storage","data":{key: value}}` for
 * a localStorage snapshot and `{"t","type":"scrape","gmid","markets":[...]}` for a match-page scrape. The
 * replay source plays them through the same normalizer as the live source.
 */
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import type { StorageSnapshot } from './normalize.js';
import type { ScrapedMarket } from './scraped.js';

/** A recorded localStorage snapshot. */
export interface StorageFrame {
  t: number;
  type: 'storage';
  data: StorageSnapshot;
}

/** A recorded match-page scrape. */
export interface ScrapeFrame {
  t: number;
  type: 'scrape';
  gmid: string;
  markets: ScrapedMarket[];
}

/** One frame of a recording. */
export type SiteFrame = StorageFrame | ScrapeFrame;

/** Appends frames to an NDJSON file. */
export class SiteRecorder {
  private readonly out: WriteStream;
  frames = 0;

  constructor(file: string) {
    this.out = createWriteStream(file, { flags: 'a' });
    this.out.on('error', () => undefined);
  }

  /** Appends one frame. */
  write(frame: SiteFrame): void {
    this.frames++;
    this.out.write(`${JSON.stringify(frame)}\n`);
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.out.end(() => resolve()));
  }
}

function isFrame(v: unknown): v is SiteFrame {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  if (typeof f.t !== 'number') return false;
  if (f.type === 'storage') return typeof f.data === 'object' && f.data !== null;
  return f.type === 'scrape' && typeof f.gmid === 'string' && Array.isArray(f.markets);
}

/** Reads a recording; lines that are not frames are skipped. Frames are returned in time order. */
export function readRecording(file: string): SiteFrame[] {
  const frames: SiteFrame[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const v: unknown = JSON.parse(line);
      if (isFrame(v)) frames.push(v);
    } catch {
      // a torn last line of a recording cut short
    }
  }
  return frames.sort((a, b) => a.t - b.t);
}
