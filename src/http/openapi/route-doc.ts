import type { z } from 'zod';

/** The OpenAPI description of one route, kept beside (not inside) the route so handlers stay untouched. */
export interface RouteDoc {
  summary: string;
  description?: string;
  tags: readonly string[];
  params?: z.ZodObject;
  querystring?: z.ZodObject;
  body?: z.ZodType;
  headers?: z.ZodObject;
  /** Response schemas by status code. */
  response: Readonly<Record<number, z.ZodType>>;
  /** Example of the success body, when config/openapi/examples.json has none for the route. */
  example?: unknown;
  /** Content types of the success response (default application/json). */
  produces?: readonly string[];
  security?: readonly Record<string, readonly string[]>[];
}

/** Docs keyed by `METHOD /route/pattern` (the pattern as registered, e.g. `/api/v1/feed/event/:id`). */
export type RouteDocs = Readonly<Record<string, RouteDoc>>;
