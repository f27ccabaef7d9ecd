import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Records } from '../../src/records/index.js';
import type { SystemStatus } from '../../src/execution/status.js';
import { pgliteBackend, type Backend } from '../records/helpers.js';
import { harness, type Harness } from './helpers.js';

// The global `status` channel: the execution service, each venue and each bookmaker's circuit, pushed when
// they change (and only then).
describe('status channel: service, venue and circuit changes', () => {
  let backend: Backend;
  let records: Records;
  let h: Harness;

  before(async () => {
    backend = await pgliteBackend();
    records = await backend.open();
    h = harness(records.database.db, {
      guard: { breakerFailures: 2, maxAttempts: 1, halfOpenAfterMs: 60_000, retryDelayMs: 1 },
      reconcileIntervalMs: 3_600_000,
      settleIntervalMs: 3_600_000,
    });
  });
  after(async () => {
    await records?.close();
    await backend?.cleanup();
  });

  const statuses = () =>
    h.published
      .filter((p) => p.channel === 'status')
      .map((p) => {
        const s = p.payload as SystemStatus;
        assert.equal(p.event, 'STATUS');
        assert.equal(p.clientName, undefined, 'a global channel');
        assert.equal(typeof s.ts, 'number');
        assert.match(s.instance, /:\d+$/);
        return `${s.component}:${s.name}:${s.status}`;
      });

  test('start: the service and every venue are up', () => {
    h.execution.start();
    assert.deepEqual(statuses(), ['venue:paper:up', 'venue:paper-b:up', 'service:execution:up']);
  });

  test('consecutive failures open a bookmaker circuit; emergency pauses the service, off resumes it', async () => {
    h.quotes.set('7000001', 101, true, 2.0);
    h.accounts.add({ bookmaker: 'paper', username: 'p', clientName: 'alpha' });
    h.faults.set('paper', () => 'transient');
    const order = () =>
      h.execution.orders.place(
        { clientName: 'alpha', bookmakers: [] },
        {
          requestUuid: randomUUID(),
          fixtureId: '7000001',
          outcomeId: 101,
          playerId: 0,
          orderStake: 5,
          orderPrice: 1.5,
          userRef: 's',
          testOrder: false,
          orderCurrency: 'USD',
          acceptBetterOdds: true,
          acceptPartialStake: true,
          back: true,
          expiresAt: new Date(Date.now() + 60_000),
          meta: {},
        },
      );
    await order();
    assert.ok(!statuses().some((s) => s.startsWith('circuit:')), 'one failure: still closed');
    await order();
    assert.equal(statuses().at(-1), 'circuit:paper:open');
    const open = h.published.filter((p) => p.channel === 'status').at(-1)?.payload as SystemStatus;
    assert.match(String(open.reason), /consecutive failures/);

    const before = statuses().length;
    await h.execution.emergency.set(true, 'maintenance');
    await h.execution.emergency.set(true, 'maintenance');
    await h.execution.emergency.set(false, null);
    assert.deepEqual(statuses().slice(before), ['service:execution:paused', 'service:execution:up']);
  });

  test('stop: the service and the venues go down', async () => {
    const before = statuses().length;
    await h.execution.stop();
    assert.deepEqual(statuses().slice(before), [
      'service:execution:down',
      'venue:paper:down',
      'venue:paper-b:down',
    ]);
  });
});
