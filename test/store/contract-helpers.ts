/** Shared helpers of the store contract suite. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Change, LogEntry } from '../../src/model/index.js';
import type { Store } from '../../src/store/types.js';
import { compareLogIds } from '../../src/store/log-id.js';
import { market } from './fixtures.js';

/** A store under test and how to remove what it left behind. */
export interface StoreHandle {
  store: Store;
  cleanup(): Promise<void>;
}

/** Makes a fresh, connected, empty store. */
export type MakeStore = (opts?: { logMaxLen?: number; logMaxAgeMs?: number }) => Promise<StoreHandle>;

/** Polls `check` until it is true, at most `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Collects what a tail delivers. */
export function collect(
  store: Store,
  after: string | null,
): { entries: LogEntry[]; batches: number; stop(): void } {
  const out = { entries: [] as LogEntry[], batches: 0, stop: () => {} };
  out.stop = store.tailLog(after, (entries) => {
    out.batches++;
    out.entries.push(...entries);
  });
  return out;
}

/** Test helper. */
export function ids(entries: readonly LogEntry[]): string[] {
  return entries.map((e) => e.id);
}

/** Test helper. */
export function assertIncreasing(list: readonly string[]): void {
  for (let i = 1; i < list.length; i++) {
    assert.ok(compareLogIds(list[i - 1] as string, list[i] as string) < 0, `${list[i - 1]} < ${list[i]}`);
  }
}

/** Test helper. */
export function marketChanges(n: number, eventId: number, tag: string): Change[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'market', market: market(`1.${tag}${i}`, eventId) }));
}

/** Test helper. */
export const byId = <T extends { id: number | string }>(a: T, b: T): number =>
  String(a.id).localeCompare(String(b.id));
