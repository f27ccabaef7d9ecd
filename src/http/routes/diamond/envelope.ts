import type { FastifyReply } from 'fastify';

/** Content type of every Diamond JSON body. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The Diamond success envelope `{ success: true, data, timestamp }` (ISO timestamp). */
export interface Envelope<T> {
  success: true;
  data: T;
  timestamp: string;
}

/** Wraps `data` in the success envelope; `at` is the time the data was assembled. */
export function envelope<T>(data: T, at: Date = new Date()): Envelope<T> {
  return { success: true, data, timestamp: at.toISOString() };
}

/** The success envelope serialized once (pre-serialized bodies carry their build time as `timestamp`). */
export function envelopeJson(data: unknown, at: Date = new Date()): string {
  return JSON.stringify(envelope(data, at));
}

/** The success envelope around data already serialized (`dataJson`), byte for byte as envelopeJson. */
export function envelopeJsonOf(dataJson: string, at: Date = new Date()): string {
  return `{"success":true,"data":${dataJson},"timestamp":${JSON.stringify(at.toISOString())}}`;
}

/** Sends an already serialized JSON body (a string, or its UTF-8 bytes) as-is. */
export function sendJson(reply: FastifyReply, body: string | Buffer): FastifyReply {
  return reply.header('content-type', JSON_CONTENT_TYPE).send(body);
}
