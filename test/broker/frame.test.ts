import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { frameHeadAndBody, frameText } from '../../src/broker/frame.js';
import { BodyArena } from '../../src/broker/body-arena.js';
import { composeMessage, messageHead } from '../../src/broker/messages.js';
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

test('frameHeadAndBody frames exactly the bytes of frameText(composeMessage(...)) from a stored body', () => {
  const arena = new BodyArena(4096);
  for (const len of [0, 1, 80, 126, 3000, 65_600, 200_000]) {
    const body = len === 0 ? '' : `"data":${JSON.stringify('é€x'.repeat(Math.ceil(len / 3)).slice(0, len))}`;
    const stored = arena.store(body);
    for (const room of ['all', 'market:1.23', 'event:ü']) {
      const head = messageHead('market_odds', room, 42, 1_700_000_000_000);
      const want = frameText(composeMessage('market_odds', room, 42, 1_700_000_000_000, body));
      const got = frameHeadAndBody(head, stored.chunk, stored.off, stored.len);
      assert.ok(got.equals(want), `body of ${len} chars, room ${room}`);
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
