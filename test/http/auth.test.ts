import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { secretEquals, secretFromRequest, secretMatcher } from '../../src/core/auth.js';

describe('secretEquals', () => {
  test('accepts exactly the secret', () => {
    assert.equal(secretEquals('Lav@9868@', 'Lav@9868@'), true);
  });

  test('rejects near misses: other case, prefix, extension, trailing space, empty', () => {
    for (const given of ['lav@9868@', 'Lav@9868', 'Lav@9868@x', 'Lav@9868@ ', ' Lav@9868@', ''])
      assert.equal(secretEquals(given, 'Lav@9868@'), false, JSON.stringify(given));
  });

  test('rejects non-strings and oversized input without throwing', () => {
    for (const given of [undefined, null, 42, ['Lav@9868@'], { a: 1 }, 'x'.repeat(1_000_000)])
      assert.equal(secretEquals(given, 'Lav@9868@'), false);
  });

  test('compares unicode by its UTF-8 bytes', () => {
    assert.equal(secretEquals('pässwörd', 'pässwörd'), true);
    assert.equal(secretEquals('pa\u0308sswörd', 'pässwörd'), false, 'a decomposed ä is another secret');
  });

  test('an empty expected secret never matches (no accidental open access)', () => {
    assert.equal(secretEquals('', ''), false);
    assert.equal(secretEquals('anything', ''), false);
  });
});

describe('secretMatcher', () => {
  test('accepts any of several secrets', () => {
    const m = secretMatcher(['key-a', 'key-b']);
    assert.deepEqual(['key-a', 'key-b', 'key-c'].map(m), [true, true, false]);
  });
});

describe('secretFromRequest', () => {
  const req = (headers: Record<string, string | string[]>, query: Record<string, unknown>) =>
    ({ headers, query }) as unknown as FastifyRequest;
  const at = { header: 'x-password', query: 'password' };

  test('prefers the header; falls back to the query parameter', () => {
    assert.equal(secretFromRequest(req({ 'x-password': 'h' }, { password: 'q' }), at), 'h');
    assert.equal(secretFromRequest(req({}, { password: 'q' }), at), 'q');
    assert.equal(secretFromRequest(req({}, {}), at), undefined);
  });

  test('a repeated query parameter counts as absent; no query location means header only', () => {
    assert.equal(secretFromRequest(req({}, { password: ['a', 'b'] }), at), undefined);
    assert.equal(secretFromRequest(req({}, { password: 'q' }), { header: 'x-password' }), undefined);
  });
});
