import type { Body } from './messages.js';

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

const DATA_FIELD = Buffer.from(',"data":');

/**
 * Frames a push message `{<head>,<text>,"data":<data>}` from its header text (`{"type":…,"ts":…`,
 * without the closing brace) and a body in parts (messages.ts Body): the text parts are encoded and the
 * market data copied as bytes, so the message is never built as a string.
 */
export function frameMessage(head: string, body: Body): Buffer {
  const headLen = Buffer.byteLength(head, 'utf8');
  const textLen = body.text === '' ? 0 : Buffer.byteLength(body.text, 'utf8') + 1;
  const data = body.data;
  const dataLen = data === null ? 0 : DATA_FIELD.length + data.length;
  const frame = allocFrame(headLen + textLen + dataLen + 1);
  const buf = frame.buf;
  let at = frame.at + buf.write(head, frame.at, 'utf8');
  if (textLen > 0) {
    buf[at++] = 0x2c; // ','
    at += buf.write(body.text, at, 'utf8');
  }
  if (data !== null) {
    at += DATA_FIELD.copy(buf, at);
    at += data.copy(buf, at);
  }
  buf[at] = 0x7d; // '}'
  return buf;
}
