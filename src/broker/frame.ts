/**
 * WebSocket framing done once per message: a server-to-client text frame (FIN, opcode 1, unmasked, no
 * compression) in one Buffer, so the same bytes are written to every recipient (RFC 6455 §5.2).
 */

/** Frames a UTF-8 text payload. */
export function frameText(payload: string): Buffer {
  const len = Buffer.byteLength(payload, 'utf8');
  const headerLen = len < 126 ? 2 : len < 65_536 ? 4 : 10;
  const buf = Buffer.allocUnsafe(headerLen + len);
  buf[0] = 0x81;
  if (len < 126) {
    buf[1] = len;
  } else if (len < 65_536) {
    buf[1] = 126;
    buf.writeUInt16BE(len, 2);
  } else {
    buf[1] = 127;
    buf.writeUInt32BE(Math.floor(len / 2 ** 32), 2);
    buf.writeUInt32BE(len >>> 0, 6);
  }
  buf.write(payload, headerLen, 'utf8');
  return buf;
}
