// The odds-history soak of issue 17's "Done when": the real server (Redis update log, embedded records
// database) with the simulator at 10× for N minutes, SIGKILLed halfway and started again on the same data;
// fails unless the history has no gap and its 1 s and 1 m closes equal the last best back a WebSocket client
// saw pushed in every bucket it watched. Needs Redis on 127.0.0.1:6379. Prints a JSON report last.
// Run: npx tsx scripts/history-soak.ts --minutes 10 [--speed 10]
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { historyKillScenario } from '../test/e2e/history-kill.js';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, speed: { type: 'string', default: '10' } },
});
const args = z
  .object({
    minutes: z.coerce
      .number()
      .positive()
      .max(24 * 60),
    speed: z.coerce.number().positive().max(1000),
  })
  .parse(values);

const report = await historyKillScenario({
  runMs: (args.minutes * 60_000) / 2,
  simSpeed: args.speed,
  log: (l) => console.error(`[${new Date().toISOString()}] ${l}`),
});
console.log(JSON.stringify({ minutes: args.minutes, speed: args.speed, ...report }));
