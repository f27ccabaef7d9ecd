import { z } from 'zod';

/**
 * An open object schema: the wire format allows more fields than it lists (a surface may gain fields, never
 * lose them), while its TypeScript type checks only the listed ones, so a handler's interface-typed body
 * (no index signature) satisfies it.
 */
export function open<S extends z.core.$ZodLooseShape>(shape: S): z.ZodObject<S> {
  return z.looseObject(shape) as unknown as z.ZodObject<S>;
}
