import assert from 'node:assert/strict';

/** In an example object, this key stands for "any key" (maps keyed by market id, bfi, ...). */
export const ANY_KEY = '*';

/** JSON type of a value: "null", "array", "object", "number", "string" or "boolean". */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export interface ShapeOptions {
  /** Paths (array indexes dropped, e.g. "data.competition.id") whose value may also be null. */
  nullable?: readonly string[];
  /** Paths of arrays that may be empty although the example shows elements. */
  emptyOk?: readonly string[];
}

/**
 * Asserts that `actual` has every key of the seed example `expected` with the same JSON type, recursively
 * (extra keys are fine: additions are additive). A null in the example accepts any type; a key `*`
 * matches every key of a map; a non-empty example array requires a non-empty actual array (unless listed
 * in `emptyOk`) whose every element matches the example's first element.
 */
export function assertShape(actual: unknown, expected: unknown, opts: ShapeOptions = {}, path = ''): void {
  if (expected === null) return;
  const at = path || '$';
  if (actual === null && opts.nullable?.includes(path)) return;
  assert.equal(
    jsonType(actual),
    jsonType(expected),
    `${at}: expected ${jsonType(expected)}, got ${jsonType(actual)}`,
  );
  if (Array.isArray(expected)) {
    const sample: unknown = expected[0];
    if (sample === undefined) return;
    const list = actual as unknown[];
    if (!opts.emptyOk?.includes(path))
      assert.ok(list.length > 0, `${at}: empty array, the example has elements`);
    list.forEach((el) => assertShape(el, sample, opts, path));
    return;
  }
  if (jsonType(expected) !== 'object') return;
  const a = actual as Record<string, unknown>;
  for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
    if (k === ANY_KEY) {
      assert.ok(Object.keys(a).length > 0, `${at}: empty map, the example has entries`);
      for (const av of Object.values(a)) assertShape(av, v, opts, path ? `${path}.${ANY_KEY}` : ANY_KEY);
      continue;
    }
    assert.ok(k in a, `${at}.${k}: missing`);
    assertShape(a[k], v, opts, path ? `${path}.${k}` : k);
  }
}
