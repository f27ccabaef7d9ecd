import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnNode, waitFor, type Spawned } from '../helpers/process.js';

// The embedded default (no REDIS_URL, no DATABASE_URL): the real server process, started twice on one
// DATA_DIR with the simulator, keeps every internal id and serves every result again.

const PASSWORD = 'records-restart';
const running: Spawned[] = [];
const dirs: string[] = [];

interface Game {
  gmid: string | number;
  bfi?: string | null;
}
interface ResultBody {
  internal_id: string;
  winner: string | null;
  completed_at: string;
}

async function getJson<T>(port: number, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-password': PASSWORD } });
  return { status: res.status, body: (await res.json()) as T };
}

function start(dataDir: string, port: number): Spawned {
  const p = spawnNode(['--import', 'tsx', 'src/cli.ts', 'start'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DIAMOND_PASSWORD: PASSWORD,
    SIM_SPEED: '100',
    LOG_LEVEL: 'info',
  });
  running.push(p);
  return p;
}

async function listening(p: Spawned, port: number): Promise<void> {
  await waitFor(
    async () => {
      if (p.child.exitCode !== null) throw new Error(`server exited: ${p.output().slice(-2000)}`);
      const r = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      return r?.ok ? true : undefined;
    },
    240_000,
    'server listening',
  );
}

/** bfi → internal id of every game served now. */
async function idsByBfi(port: number): Promise<Map<string, string>> {
  const { body } = await getJson<{ data: { games: Game[] } }>(port, '/api/v2/diamond/games');
  const m = new Map<string, string>();
  for (const g of body.data.games) if (g.bfi) m.set(String(g.bfi), String(g.gmid));
  return m;
}

async function results(port: number): Promise<ResultBody[]> {
  const { body } = await getJson<{ data: ResultBody[] }>(port, '/api/v1/feed/results?limit=500');
  return body.data;
}

/** Waits until the write-behind queue is empty, so what was seen is durable (before a SIGKILL). */
async function durable(port: number): Promise<void> {
  await waitFor(
    async () => {
      const { body } = await getJson<{ data: { records: { pending_writes: number; reachable: boolean } } }>(
        port,
        '/api/v1/admin/health',
      );
      return body.data.records.reachable && body.data.records.pending_writes === 0 ? true : undefined;
    },
    30_000,
    'records written',
  );
}

/** A `db migrate` on the DATA_DIR of a running server exits 3 naming the holder; results are untouched. */
async function refusedWhileRunning(dataDir: string, port: number, had: number): Promise<void> {
  const cli = spawnNode(['--import', 'tsx', 'src/cli.ts', 'db', 'migrate'], { DATA_DIR: dataDir });
  const code = await new Promise<number | null>((r) => cli.child.once('exit', r));
  assert.equal(code, 3, cli.output());
  assert.match(cli.output(), /in use by another oddsgate process \(pid \d+\)/);
  assert.ok((await results(port)).length >= had);
}

/** The restart scenario, stopping the first server with `signal`. */
export function restartSuite(signal: 'SIGTERM' | 'SIGKILL'): void {
  describe(`embedded default survives a restart (${signal})`, () => {
    after(async () => {
      await Promise.all(running.map((p) => p.stop(2000)));
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });
    test('same internal ids for the same upstream events; every result served again', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'oddsgate-restart-'));
      dirs.push(dataDir);
      const port = await freePort();
      const first = start(dataDir, port);
      await listening(first, port);
      const before = await waitFor(
        async () => {
          const r = await results(port);
          return r.length >= 2 ? r : undefined;
        },
        120_000,
        '≥ 2 results',
      );
      const ids = await idsByBfi(port);
      assert.ok(ids.size >= 10, `games seen (${ids.size})`);

      // A second process on the same DATA_DIR is refused with a clear message, and changes nothing
      // (checked once: it costs a process start on a loaded machine).
      if (signal === 'SIGTERM') await refusedWhileRunning(dataDir, port, before.length);

      if (signal === 'SIGKILL') {
        await durable(port);
        first.child.kill('SIGKILL');
        await new Promise((r) => first.child.once('exit', r));
      } else {
        assert.equal(await first.stop(20_000), 0, first.output().slice(-2000));
      }

      const port2 = await freePort();
      const second = start(dataDir, port2);
      await listening(second, port2);

      // Every result seen before is served again, by id and in the list.
      for (const r of before) {
        const one = await getJson<{ data: ResultBody }>(port2, `/api/v1/feed/result/${r.internal_id}`);
        assert.equal(one.status, 200, `result ${r.internal_id}`);
        assert.equal(one.body.data.winner, r.winner);
        assert.equal(one.body.data.completed_at, r.completed_at);
      }
      const listed = new Set((await results(port2)).map((r) => r.internal_id));
      for (const r of before) assert.ok(listed.has(r.internal_id), `listed ${r.internal_id}`);

      // The same upstream events keep their internal ids; no id seen before names another event.
      const again = await waitFor(
        async () => {
          const m = await idsByBfi(port2);
          const common = [...m.keys()].filter((b) => ids.has(b));
          return common.length >= 5 ? m : undefined;
        },
        60_000,
        'events seen again',
      );
      const owner = new Map([...ids].map(([bfi, id]) => [id, bfi]));
      for (const [bfi, id] of again) {
        if (ids.has(bfi)) assert.equal(id, ids.get(bfi), `event ${bfi} keeps its id`);
        const was = owner.get(id);
        if (was !== undefined) assert.equal(was, bfi, `id ${id} still names event ${was}`);
      }
      await second.stop(20_000);
    });
  });
}
