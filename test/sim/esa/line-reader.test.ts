import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineReader } from '../../../src/sim/esa/line-reader.js';

function reader(max?: number): { lines: string[]; r: LineReader } {
  const lines: string[] = [];
  return { lines, r: new LineReader((l) => lines.push(l), max) };
}

test('lines split over reads and merged in one read come out whole, CRLF or LF, blank lines skipped', () => {
  const { lines, r } = reader();
  r.push(Buffer.from('{"op":"auth'));
  r.push(Buffer.from('entication"}\r\n{"op":"heartbeat"}\r\n\r\n{"op":'));
  r.push(Buffer.from('"x"}\n'));
  assert.deepEqual(lines, ['{"op":"authentication"}', '{"op":"heartbeat"}', '{"op":"x"}']);
});

test('a UTF-8 character split across reads is decoded whole', () => {
  const { lines, r } = reader();
  const bytes = Buffer.from('{"n":"Åland"}\r\n');
  r.push(bytes.subarray(0, 7)); // splits the two bytes of Å
  r.push(bytes.subarray(7));
  assert.deepEqual(lines, ['{"n":"Åland"}']);
});

test('an over-long line is dropped whole and the next line is read', () => {
  const { lines, r } = reader(10);
  r.push(Buffer.from('0123456789abc'));
  r.push(Buffer.from('def\r\nok\r\n'));
  r.push(Buffer.from('0123456789abcdef\r\nfine\r\n'));
  assert.deepEqual(lines, ['ok', 'fine']);
});
