import { readFile } from 'node:fs/promises';
import Bunzip from 'seek-bzip';

/** A Betfair historical file (or a recording of the stream) loaded into memory. */
export interface HistoricalFile {
  path: string;
  /** The file was bzip2-compressed (detected by the `BZh` magic bytes, not the name). */
  compressed: boolean;
  /** Decompressed text. */
  text: string;
  /** Non-empty lines. */
  lineCount: number;
  /** The text does not end with a newline: its last line may have been cut off. */
  unterminated: boolean;
}

/** True when the buffer starts with the bzip2 magic `BZh` followed by a block size digit. */
export function isBzip2(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x42 && buf[1] === 0x5a && buf[2] === 0x68 && buf[3]! >= 0x31;
}

/**
 * Reads a historical file: plain NDJSON or bzip2 (seek-bzip, multistream). Decoding is synchronous and
 * whole-file (official market files are a few MB). Throws only when the file cannot be read or decoded.
 */
export async function readHistoricalFile(path: string): Promise<HistoricalFile> {
  const buf = await readFile(path);
  const compressed = isBzip2(buf);
  const text = (compressed ? Bunzip.decode(buf, undefined, true) : buf).toString('utf8');
  const lineCount = countLines(text);
  return { path, compressed, text, lineCount, unterminated: text.length > 0 && !text.endsWith('\n') };
}

/** Number of non-empty lines (as {@link lines} yields them), without slicing. */
export function countLines(text: string): number {
  let n = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (stop > start) n++;
    start = end + 1;
  }
  return n;
}

/**
 * The non-empty lines of a text (`\n` or `\r\n`), without copying the whole text into an array.
 * A truncated last line is yielded as it is: the listener reports it as malformed.
 */
export function* lines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (stop > start) yield text.slice(start, stop);
    start = end + 1;
  }
}
