import assert from 'node:assert/strict';

/** JSON type of a value: "null", "array", "object", "number", "string" or "boolean". */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Asserts that `actual` has every key of `expected` with the same JSON type, recursively. Arrays: every
 * element of `actual` is checked against the first element of `expected` (an empty expected array only
 * checks the type). Extra keys in `actual` are allowed (additions are additive).
 */
export function assertShape(actual: unknown, expected: unknown, path = '$'): void {
  assert.equal(
    jsonType(actual),
    jsonType(expected),
    `${path}: expected ${jsonType(expected)}, got ${jsonType(actual)}`,
  );
  if (Array.isArray(expected)) {
    const sample = expected[0];
    if (sample === undefined) return;
    (actual as unknown[]).forEach((el, i) => assertShape(el, sample, `${path}[${i}]`));
    return;
  }
  if (jsonType(expected) !== 'object') return;
  const a = actual as Record<string, unknown>;
  for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
    assert.ok(k in a, `${path}.${k}: missing`);
    assertShape(a[k], v, `${path}.${k}`);
  }
}

/** Asserts a ladder is numeric `{price,size}` levels, best first (back: descending, lay: ascending). */
export function assertLadder(levels: unknown, side: 'back' | 'lay', path = '$'): void {
  assert.ok(Array.isArray(levels), `${path}: not an array`);
  let prev: number | null = null;
  for (const l of levels as { price: unknown; size: unknown }[]) {
    assert.deepEqual(Object.keys(l).sort(), ['price', 'size'], `${path}: level keys`);
    assert.equal(typeof l.price, 'number', `${path}: price not numeric`);
    assert.equal(typeof l.size, 'number', `${path}: size not numeric`);
    const p = l.price as number;
    if (prev !== null)
      assert.ok(side === 'back' ? p < prev : p > prev, `${path}: ${side} ladder not best first`);
    prev = p;
  }
}
