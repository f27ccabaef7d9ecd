import type { ArchivePosition } from './results.js';

/** The opaque cursor of an archive position (base64url of `v1:<ms>:<eventId>`). */
export function encodeCursor(p: ArchivePosition): string {
  return Buffer.from(`v1:${p.ms}:${p.eventId}`).toString('base64url');
}

/** The position of a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): ArchivePosition | null {
  if (cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const m = /^v1:(\d{1,15}(?:\.\d{1,6})?):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) return null;
  return { ms: Number(m[1]), eventId: Number(m[2]) };
}
