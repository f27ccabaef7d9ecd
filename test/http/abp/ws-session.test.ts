import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { AbpChannels } from '../../../src/execution/channels.js';
import type { ApiKeyRepository } from '../../../src/execution/keys.js';
import { ABP_CLOSE, AbpWsSession } from '../../../src/http/routes/abp/ws-session.js';
import { KeyConnections } from '../../../src/http/routes/keyed-session.js';

/** A socket whose writes never complete (a reader that stopped reading). */
class StuckSocket extends EventEmitter {
  sent: string[] = [];
  closedWith: number | null = null;
  send(text: string): void {
    this.sent.push(text);
  }
  close(code: number): void {
    this.closedWith = code;
    this.emit('close');
  }
}

test('a reader that does not drain is closed once 2,000 messages wait (4003)', async () => {
  const socket = new StuckSocket();
  const channels = new AbpChannels();
  const keys = {
    check: async () => ({ ok: true, client: { keyId: 'k', clientName: 'c', bookmakers: [], rateLimit: 60 } }),
  } as unknown as ApiKeyRepository;
  const session = new AbpWsSession(socket as unknown as WebSocket, {
    keys,
    channels,
    connections: new KeyConnections(),
    limits: {
      loginTimeoutMs: 60_000,
      pingIntervalMs: 60_000,
      pongTimeoutMs: 60_000,
      ackRedeliverMs: 60_000,
      ackBuffer: 100,
      outputQueue: 2000,
      maxConnectionsPerKey: 5,
    },
    nextSubscriptionId: () => 1,
    log: console as never,
  });
  socket.emit(
    'message',
    Buffer.from(JSON.stringify({ type: 'login', apiKey: 'x', channels: ['status'] })),
    false,
  );
  for (let i = 0; i < 10 && channels.size === 0; i++) await Promise.resolve();
  assert.equal(channels.size, 1);
  // login_ok is the first of the queued messages; 1,999 more fit.
  for (let i = 0; i < 1999; i++) channels.publish('status', 'STATUS', { i });
  assert.equal(socket.closedWith, null);
  channels.publish('status', 'STATUS', { i: 'one too many' });
  assert.equal(socket.closedWith, ABP_CLOSE.SLOW_CONSUMER);
  assert.equal(socket.sent.length, 2000);
  assert.equal(channels.size, 0, 'unsubscribed on close');
  void session;
});
