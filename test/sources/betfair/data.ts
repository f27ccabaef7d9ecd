/** Paths to the real Betfair recordings in ../shared/data/betfair (read in place, never copied). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../shared/data/betfair/', import.meta.url));

/** Absolute path of a historical file. */
export function historicalPath(name: string): string {
  return `${ROOT}historical/${name}`;
}

/** Absolute path of a single stream message file. */
export function streamPath(name: string): string {
  return `${ROOT}stream/${name}`;
}

/** A stream message file parsed (an object, or an array of messages for the multi-message files). */
export function streamMessage(name: string): unknown {
  return JSON.parse(readFileSync(streamPath(name), 'utf8'));
}

/** A stream message file as one line of text (pretty-printed files are re-serialized). */
export function streamLine(name: string): string {
  return JSON.stringify(streamMessage(name));
}
