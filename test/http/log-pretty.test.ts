import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { prettyLine, prettyStream } from '../../src/log-pretty.js';
import { loggerOptions } from '../../src/logger.js';

test('a JSON log line becomes time, level, message and key=value fields', () => {
  const line = JSON.stringify({
    level: 40,
    time: Date.UTC(2026, 0, 2, 12, 34, 56, 789),
    pid: 1,
    hostname: 'h',
    msg: 'careful',
    source: 'sim',
    n: 3,
    obj: { a: 1 },
  });
  assert.equal(prettyLine(line), '12:34:56.789 WARN  careful source=sim n=3 obj={"a":1}');
  assert.equal(
    prettyLine(line, true),
    '12:34:56.789 \x1b[33mWARN \x1b[0m careful source=sim n=3 obj={"a":1}',
  );
  assert.equal(prettyLine('not json'), 'not json');
  assert.equal(prettyLine('[1,2]'), '[1,2]');
});

test('pretty output keeps redaction: secrets stay [redacted]', async () => {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString());
      cb();
    },
  });
  const logger = pino(loggerOptions('info'), prettyStream(sink));
  logger.info({ password: 'hunter2', req: { url: '/x?apiKey=SECRET' } }, 'hello');
  await new Promise((r) => setImmediate(r));
  const text = out.join('');
  assert.match(text, / INFO {2}hello password=\[redacted\]/);
  assert.ok(!text.includes('hunter2') && !text.includes('SECRET'), text);
});
