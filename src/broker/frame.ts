/**
 * WebSocket framing done once per message: a server-to-client text frame (FIN, opcode 1, unmasked, no
 * compression) in one Buffer, so the same bytes are written to every recipient (RFC 6455 §5.2).
 */

/** A frame of `payloadLen` bytes with its header written; the payload goes at the returned offset. */
function allocFrame(payloadLen: number): { buf: Buffer; at: number } {
  const at = payloadLen < 126 ? 2 : payloadLen < 65_536 ? 4 : 10;
  const buf = Buffer.allocUnsafe(at + payloadLen);
  buf[0] = 0x81;
  if (payloadLen < 126) {
    buf[1] = payloadLen;
  } else if (payloadLen < 65_536) {
    buf[1] = 126;
    buf.writeUInt16BE(payloadLen, 2);
  } else {
    buf[1] = 127;
    buf.writeUInt32BE(Math.floor(payloadLen / 2 ** 32), 2);
    buf.writeUInt32BE(payloadLen >>> 0, 6);
  }
  return { buf, at };
}

/** Frames a UTF-8 text payload. */
export function frameText(payload: string): Buffer {
  const { buf, at } = allocFrame(Buffer.byteLength(payload, 'utf8'));
  buf.write(payload, at, 'utf8');
  return buf;
}

/**
 * Frames a push message `{<head>,<body>}` from its header text (`{"type":…,"ts":…`, without the closing
 * brace) and a body kept as UTF-8 bytes (`chunk[off, off + len)`; none when len is 0): the header is
 * encoded and the body copied, so the message is never built as a string.
 */
export function frameHeadAndBody(head: string, chunk: Buffer, off: number, len: number): Buffer {
  const headLen = Buffer.byteLength(head, 'utf8');
  const frame = allocFrame(headLen + (len === 0 ? 1 : len + 2));
  const buf = frame.buf;
  let at = frame.at + buf.write(head, frame.at, 'utf8');
  if (len > 0) {
    buf[at++] = 0x2c; // ','
    at += chunk.copy(buf, at, off, off + len);
  }
  buf[at] = 0x7d; // '}'
  return buf;
}
