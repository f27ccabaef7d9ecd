import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { feed } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { ROOT, spawnNode, waitFor } from '../helpers/process.js';
import { listeningApp } from '../broker/helpers.js';

const require = createRequire(import.meta.url);

/** The README's client SDK example, as printed. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Client SDK'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the README has a TypeScript client example');
  return block;
}

test(
  'the README client example runs as printed against a fresh server (it used to crash with "not connected")',
  { timeout: 60_000 },
  async () => {
    const { app, url } = await listeningApp();
    const dir = mkdtempSync(join(tmpdir(), 'oddsgate-readme-'));
    try {
      await feed(app, sampleUpdates());
      const code = readmeExample()
        .replace("from 'oddsgate/client'", `from '${pathToFileURL(join(ROOT, 'src/client/index.ts')).href}'`)
        .replace("from 'ws'", `from '${pathToFileURL(require.resolve('ws')).href}'`)
        .replace('ws://127.0.0.1:3001/ws', url);
      assert.ok(code.includes(url), 'the example connects to the default port');
      const file = join(dir, 'example.mts');
      writeFileSync(file, `${code}\nclient.close();\n`);
      const run = spawnNode(['--import', 'tsx', file], {});
      const exit = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
      const out = run.output();
      assert.equal(exit, 0, out);
      assert.match(out, /^\d+ Match Odds \d/m, 'market_odds with best prices');
      assert.match(out, /^1$/m, 'get_stats: one client');
      await waitFor(
        async () => (app.broker.clientCount() === 0 ? true : undefined),
        5000,
        'the client closed',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await app.close();
    }
  },
);
