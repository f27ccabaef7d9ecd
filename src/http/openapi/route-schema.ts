import type { FastifySerializerCompiler } from 'fastify';
import type { z } from 'zod';

/**
 * What every route declares in its `schema`, all in zod through fastify-type-provider-zod: the request
 * parts it validates (a failure answers 400 in the surface's wording, src/http/surface-errors.ts) and its
 * documentation (summary, responses by status, each success response with an example). /openapi.json is
 * built from these and nothing else.
 */
export interface RouteSchema {
  summary: string;
  description?: string;
  tags?: readonly string[];
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  headers?: z.ZodType;
  /** Response schemas by status code; they type the handler and document it (see responseSerializer). */
  response: Readonly<Record<number, z.ZodType>>;
  /** Content types of the success response (default application/json). */
  produces?: readonly string[];
  security?: readonly Record<string, readonly string[]>[];
}

/** Response schemas by status code. */
export type Responses = Readonly<Record<number, z.ZodType>>;

/** What the routes of one surface share: their tag, credentials and the errors any of them can answer. */
export interface SurfaceDoc<E extends Responses = Responses> {
  tags: readonly string[];
  security?: readonly Record<string, readonly string[]>[];
  /** Error responses of every route of the surface (401, 429, ...); a route's own win. */
  errors?: E;
}

/**
 * The schema builder of a surface's routes: `feedSchema({ summary, params, response: { 200: ... } })` adds
 * the surface's tag, security and common error responses, keeping the zod types the type provider infers
 * `req.params`, `req.query` and `req.body` from.
 */
export function surfaceSchema<E extends Responses = Record<never, z.ZodType>>(surface: SurfaceDoc<E>) {
  return <S extends RouteSchema>(s: S) => ({
    tags: [...surface.tags],
    ...(surface.security ? { security: surface.security.map((x) => ({ ...x })) } : {}),
    ...s,
    // Typed too, so a handler may send the surface's errors (reply.code(401).send(...)) by their schema.
    response: { ...surface.errors, ...s.response } as Omit<E, keyof S['response']> & S['response'],
  });
}

/**
 * A success response schema with its example: the media example of /openapi.json. Routes whose example is
 * a real captured response (config/openapi/examples.json, scripts/openapi-examples.ts) need none.
 */
export function exampled<T extends z.ZodType>(schema: T, example: unknown): T {
  return schema.meta({ examples: [example] }) as T;
}

/**
 * Serializes a response object with JSON.stringify, never through its zod response schema. The response
 * schemas describe and type the routes; hot routes send bytes encoded once per data version, and a body
 * that drifted from its schema must not become a 500 in production: test/http/docs/responses.test.ts
 * parses real responses of every route with their declared schemas instead.
 */
export const responseSerializer: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);
