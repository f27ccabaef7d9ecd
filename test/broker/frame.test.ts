import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { frameMessage, frameText } from '../../src/broker/frame.js';
import { bodyText, composeMessage, messageHead, type Body } from '../../src/broker/messages.js';
import { parseClientFrame } from '../../src/broker/protocol.js';

/** ws's frame parser (not in its type declarations): an independent decoder of what we frame. */
type ReceiverLike = EventEmitter & { write(chunk: Buffer): void };
const Receiver = (createRequire(import.meta.url)('ws') as { Receiver: unknown }).Receiver as new (opts: {
  isServer: boolean;
}) => ReceiverLike;

test('frameText builds one unmasked text frame that a WebSocket receiver decodes, at every length encoding', async () => {
  for (const len of [0, 125, 126, 65_535, 65_536, 200_000]) {
    const payload = 'é'.repeat(Math.floor(len / 2)) + 'x'.repeat(len % 2);
    const frame = frameText(payload);
    const got = await new Promise<string>((resolve, reject) => {
      const r = new Receiver({ isServer: false });
      r.on('message', (data: Buffer, isBinary: boolean) =>
        isBinary ? reject(new Error('binary')) : resolve(data.toString()),
      );
      r.on('error', reject);
      r.write(frame);
    });
    assert.equal(got, payload, `length ${len}`);
    assert.equal(frame.length - Buffer.byteLength(payload), len < 126 ? 2 : len < 65_536 ? 4 : 10);
  }
});

test('frameMessage frames exactly the bytes of frameText(composeMessage(...)) from a body in parts', () => {
  const bytes = (json: string) => Buffer.from(json, 'utf8');
  const bodies: Body[] = [{ text: '', data: null }];
  for (const len of [1, 80, 126, 3000, 65_600, 200_000]) {
    const json = JSON.stringify({ name: 'é€x'.repeat(Math.ceil(len / 3)).slice(0, len) });
    bodies.push(
      { text: `"marketId":"1.${len}","matchId":"7"`, data: bytes(json) },
      { text: '', data: bytes(json) },
      { text: `"data":${json}`, data: null },
    );
  }
  for (const body of bodies) {
    for (const room of ['all', 'market:1.23', 'event:ü']) {
      for (const extra of ['', ',"snapshot":true']) {
        const head = messageHead('market_odds', room, 42, 1_700_000_000_000, extra);
        const want = frameText(
          composeMessage('market_odds', room, 42, 1_700_000_000_000, bodyText(body), extra),
        );
        assert.ok(frameMessage(head, body).equals(want), `${bodyText(body).slice(0, 40)} in ${room}`);
      }
    }
  }
});

test('parseClientFrame: actions with their fields, since as number or digit string, ids echoed', () => {
  assert.deepEqual(parseClientFrame('{"action":"subscribe","room":"all","since":"12","id":"a"}'), {
    action: 'subscribe',
    room: 'all',
    since: 12,
    id: 'a',
  });
  assert.deepEqual(parseClientFrame('{"action":"get_odds","matchId":35540213}'), {
    action: 'get_odds',
    matchId: '35540213',
  });
  assert.deepEqual(parseClientFrame('{"action":"subscribe","room":"all","since":1.5}'), {
    code: 'BAD_SINCE',
    error: 'since must be a non-negative integer',
    id: undefined,
  });
  assert.equal((parseClientFrame('{"action":"login"}') as { code: string }).code, 'BAD_FRAME');
  assert.equal((parseClientFrame('null') as { code: string }).code, 'BAD_FRAME');
});
