import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Content type of every JSON body. */
const JSON_TYPE = 'application/json; charset=utf-8';

/** A weak ETag of a response body (content hash, so it holds across instances and restarts). */
export function etagOf(body: string | Buffer): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** True when the request's If-None-Match names `etag` (weak comparison, `*` matches). */
export function matchesEtag(req: FastifyRequest, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const want = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === want;
  });
}

/**
 * Sends a pre-serialized JSON body (a string, or the bytes encoded once) with `Cache-Control` and, when
 * given, an `ETag`; answers 304 with no body when the client already holds that version.
 */
export function sendBody(
  req: FastifyRequest,
  reply: FastifyReply,
  body: string | Buffer,
  cacheControl: string,
  etag?: string,
): FastifyReply {
  reply.header('cache-control', cacheControl);
  if (etag) {
    reply.header('etag', etag);
    if (matchesEtag(req, etag)) return reply.code(304).send();
  }
  return reply.header('content-type', JSON_TYPE).send(body);
}

/** Serializes `payload` and sends it as sendBody does, with an ETag of the body. */
export function sendJson(
  req: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  cacheControl: string,
  withEtag = false,
): FastifyReply {
  const body = JSON.stringify(payload);
  return sendBody(req, reply, body, cacheControl, withEtag ? etagOf(body) : undefined);
}
