/**
 * verifyRedis (the start-up check of `oddsgate start`) against a scripted RESP server on 127.0.0.1, for the
 * answers the real Redis of the other tests cannot give on demand: a cluster-mode node refusing SELECT,
 * LOADING while it starts, refused credentials. No timing: the retry pause is injected.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { StartupError, verifyRedis } from '../../src/startup.js';

/** Parses complete RESP arrays of bulk strings out of `buf`; returns them and the rest. */
function parse(buf: string): { cmds: string[][]; rest: string } {
  const cmds: string[][] = [];
  let i = 0;
  for (;;) {
    if (buf[i] !== '*') break;
    const eol = buf.indexOf('\r\n', i);
    if (eol < 0) break;
    const n = Number(buf.slice(i + 1, eol));
    let j = eol + 2;
    const args: string[] = [];
    let complete = true;
    for (let k = 0; k < n; k++) {
      const e = buf.indexOf('\r\n', j);
      if (e < 0 || buf[j] !== '$') {
        complete = false;
        break;
      }
      const len = Number(buf.slice(j + 1, e));
      if (buf.length < e + 2 + len + 2) {
        complete = false;
        break;
      }
      args.push(buf.slice(e + 2, e + 2 + len));
      j = e + 2 + len + 2;
    }
    if (!complete) break;
    cmds.push(args);
    i = j;
  }
  return { cmds, rest: buf.slice(i) };
}

const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;

/** A RESP server answering each command with `reply(command, connection state)`. */
async function fakeRedis(
  reply: (cmd: string[], conn: { authed: boolean; n: number }) => string | undefined,
): Promise<{
  url: (path?: string, auth?: string) => string;
  commands: string[][];
  close: () => Promise<void>;
}> {
  const commands: string[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const conn = { authed: false, n: 0 };
    let buf = '';
    socket.on('data', (d: Buffer) => {
      const { cmds, rest } = parse(buf + d.toString('utf8'));
      buf = rest;
      for (const cmd of cmds) {
        commands.push(cmd);
        const name = (cmd[0] ?? '').toLowerCase();
        const custom = reply(cmd, conn);
        if (custom !== undefined) socket.write(custom);
        else if (name === 'info') socket.write(bulk('# Server\r\nredis_version:7.2.0\r\nloading:0\r\n'));
        else if (name === 'ping') socket.write('+PONG\r\n');
        else socket.write('+OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: (path = '', auth = '') => `redis://${auth}127.0.0.1:${port}${path}`,
    commands,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const closers: (() => Promise<void>)[] = [];
after(async () => {
  await Promise.all(closers.map((c) => c()));
});

const noWait = async () => {};

async function startupError(p: Promise<void>): Promise<StartupError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StartupError, `a StartupError, got ${String(err)}`);
    return err;
  }
  assert.fail('verifyRedis resolved');
}

describe('verifyRedis against scripted answers', () => {
  test('a cluster-mode node (SELECT refused): database 0 is fine, database 3 is an error naming it', async () => {
    const fake = await fakeRedis((cmd) =>
      cmd[0]?.toLowerCase() === 'select' ? '-ERR SELECT is not allowed in cluster mode\r\n' : undefined,
    );
    closers.push(fake.close);
    await verifyRedis(fake.url(), 0, undefined, noWait);
    await verifyRedis(fake.url('/0'), 0, undefined, noWait);
    const err = await startupError(verifyRedis(fake.url('/3'), 30, undefined, noWait));
    assert.equal(
      err.message,
      `REDIS_URL=${fake.url('/3')}: cannot use database 3: ERR SELECT is not allowed in cluster mode`,
    );
  });

  test('LOADING is waited out within REDIS_WAIT_SEC; with 0 it is an error at once', async () => {
    let pings = 0;
    const fake = await fakeRedis((cmd) => {
      if (cmd[0]?.toLowerCase() !== 'ping') return undefined;
      pings++;
      return pings <= 3 ? '-LOADING Redis is loading the dataset in memory\r\n' : undefined;
    });
    closers.push(fake.close);
    const err = await startupError(verifyRedis(fake.url(), 0, undefined, noWait));
    assert.match(
      err.message,
      /Redis not reachable: LOADING .*\(set REDIS_WAIT_SEC to wait for it at start\)$/,
    );
    const told: string[] = [];
    const logger = { info: (_o: unknown, msg: string) => void told.push(msg) };
    await verifyRedis(fake.url(), 3600, logger as never, noWait);
    assert.equal(pings, 4, 'retried until Redis answered');
    assert.equal(told.length, 1, 'the wait is logged once');
    assert.match(told[0] ?? '', /waiting up to 3600 s for Redis/);
  });

  test('refused credentials end the wait at once; the password is never in the message', async () => {
    const fake = await fakeRedis((cmd, conn) => {
      const name = cmd[0]?.toLowerCase();
      if (name === 'auth') return '-WRONGPASS invalid username-password pair or user is disabled.\r\n';
      return conn.authed ? undefined : '-NOAUTH Authentication required.\r\n';
    });
    closers.push(fake.close);
    let sleeps = 0;
    const err = await startupError(
      verifyRedis(fake.url('', ':s3cret-pass@'), 3600, undefined, async () => void sleeps++),
    );
    assert.equal(sleeps, 0, 'no retry');
    assert.match(err.message, /^REDIS_URL=redis:\/\/127\.0\.0\.1:\d+: .*(WRONGPASS|NOAUTH)/);
    assert.doesNotMatch(err.message, /s3cret/);
  });
});
