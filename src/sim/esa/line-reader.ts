/**
 * The simulator's own reader of the stream's request lines (CRLF-terminated JSON), independent of the
 * client's framer in src/sources/betfair so a framing bug on one side is not mirrored on the other. Requests
 * are small: text is decoded as it arrives (a UTF-8 character split over reads is completed by the decoder)
 * and a line longer than `maxLineChars` is dropped whole.
 */
import { StringDecoder } from 'node:string_decoder';

export class LineReader {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** The current line went over the limit: drop text until its end. */
  private dropping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = 1024 * 1024,
  ) {}

  /** Feeds one chunk as read from the socket. */
  push(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const piece = text.slice(from, nl);
      from = nl + 1;
      if (this.dropping) {
        this.dropping = false;
        this.partial = '';
        continue;
      }
      const line = (this.partial + piece).replace(/\r$/, '');
      this.partial = '';
      if (line.length > 0 && line.length <= this.maxLineChars) this.onLine(line);
    }
    if (this.dropping) return;
    this.partial += text.slice(from);
    if (this.partial.length > this.maxLineChars) {
      this.partial = '';
      this.dropping = true;
    }
  }
}
