import fc from 'fast-check';

/** Cases per surface: FUZZ_RUNS (default 10,000, what CI runs). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** Keys that break naive object handling. */
export const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

const NASTY = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '9'.repeat(40),
  '../../../etc/passwd',
  '%00',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '😀',
  'Ω≈ç√',
  '\u202E',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '${7*7}',
  'all',
  'odds',
  'event:1000001',
  'market:1.1',
  'sport:1',
  ...POLLUTION_KEYS,
];

/** A hostile string: random text of every kind, known nasties, numbers as text, huge repeats. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '9', '%', 'é', '😀'), fc.integer({ min: 200, max: 20_000 }))
      .map(([c, n]) => c.repeat(n)),
  },
);

/** A percent-encoded path segment or query value; sometimes raw malformed percent-escapes. */
export const encoded: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: hostileString.map(safeEncode) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('%', '%zz', '%ff', '%ED%A0%80', '%C0%AF', '%2F', '..', '%2e%2e', '%00'),
  },
);

/** encodeURIComponent that survives lone surrogates (encoded as their UTF-8-ish bytes, i.e. malformed). */
export function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s]
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          return '%ED%A0%80';
        }
      })
      .join('');
  }
}

/** A JSON value nested `depth` levels (arrays or objects). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Any JSON value, including objects with pollution keys and wrong types everywhere. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string()), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A request body as text: JSON of hostile values, deep JSON, broken JSON, or nothing. */
export const hostileBody: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? 'null') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom('array', 'object' as const))
      .map(([d, k]) => deepJson(d, k)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{',
      '{"a":',
      '[1,2',
      'nul',
      '"\\ud800"',
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
    ),
  },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
