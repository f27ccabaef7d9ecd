import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openRecordsDb } from '../../src/records/db.js';

// The embedded database runs each statement on the event loop's thread. Between the statements of one
// transaction (the history writer's is a dozen upserts), the loop must get a turn, so sockets and timers are
// served while a long transaction runs, not only after it (the soak's loop lag, issue 15).
const dir = mkdtempSync(join(tmpdir(), 'oddsgate-pglite-yield-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('PGlite: the event loop turns between the statements of a transaction', async () => {
  const records = await openRecordsDb({ dataDir: dir });
  try {
    const turnsSeen: number[] = [];
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    await records.db.transaction().execute(async (trx) => {
      setImmediate(tick);
      for (let i = 0; i < 5; i++) {
        await sql`select ${i}::int as n`.execute(trx);
        turnsSeen.push(turns);
      }
    });
    ticking = false;
    // Each statement was followed by at least one turn of the loop (a timer-free, order-only check).
    for (let i = 1; i < turnsSeen.length; i++)
      assert.ok(turnsSeen[i]! > turnsSeen[i - 1]!, `turns after each statement: ${turnsSeen.join(', ')}`);
  } finally {
    await records.close();
  }
});
