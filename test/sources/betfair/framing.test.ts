import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LineFramer } from '../../../src/sources/betfair/framing.js';

function collect(opts: ConstructorParameters<typeof LineFramer>[1] = {}) {
  const lines: string[] = [];
  const framer = new LineFramer((l) => lines.push(l), opts);
  return { lines, framer };
}

describe('LineFramer (CRLF framing over a read buffer)', () => {
  test('several lines in one chunk come out one by one, CR dropped, empty lines skipped', () => {
    const { lines, framer } = collect();
    framer.push(Buffer.from('{"op":"a"}\r\n{"op":"b"}\r\n\r\n{"op":"c"}\n'));
    assert.deepEqual(lines, ['{"op":"a"}', '{"op":"b"}', '{"op":"c"}']);
  });

  test('a line split over chunks at every possible point is delivered once, whole', () => {
    const text = '{"op":"mcm","clk":"AAA"}\r\n{"op":"status","id":2}\r\n';
    for (let a = 1; a < text.length; a++) {
      for (const b of [a + 1, a + 7, text.length - 1]) {
        if (b <= a || b >= text.length) continue;
        const { lines, framer } = collect();
        framer.push(Buffer.from(text.slice(0, a)));
        framer.push(Buffer.from(text.slice(a, b)));
        framer.push(Buffer.from(text.slice(b)));
        assert.deepEqual(lines, ['{"op":"mcm","clk":"AAA"}', '{"op":"status","id":2}'], `cut at ${a},${b}`);
        assert.equal(framer.buffered, 0);
      }
    }
  });

  test('a CRLF split between chunks and a multi-byte character split between chunks', () => {
    const { lines, framer } = collect();
    const bytes = Buffer.from('{"name":"Göteborg – Malmö"}\r\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ö"
    framer.push(bytes.subarray(0, cut));
    framer.push(bytes.subarray(cut, bytes.length - 1)); // ends with \r
    framer.push(bytes.subarray(bytes.length - 1));
    assert.deepEqual(lines, ['{"name":"Göteborg – Malmö"}']);
  });

  test('an unterminated line waits for its end; reset() drops it', () => {
    const { lines, framer } = collect();
    framer.push(Buffer.from('{"op":"partial"'));
    assert.deepEqual(lines, []);
    assert.equal(framer.buffered, 15);
    framer.reset();
    framer.push(Buffer.from('{"op":"next"}\r\n'));
    assert.deepEqual(lines, ['{"op":"next"}']);
  });

  test('an over-long line is dropped and reported, the next line still arrives', () => {
    const dropped: number[] = [];
    const { lines, framer } = collect({ maxLineBytes: 10, onOverflow: (b) => dropped.push(b) });
    framer.push(Buffer.from('0123456789abcdef'));
    framer.push(Buffer.from('ghij\r\nok\r\n'));
    assert.deepEqual(lines, ['ok']);
    assert.equal(dropped.length, 1);
    assert.equal(framer.overflows, 1);
  });
});
