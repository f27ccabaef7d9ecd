import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { feed } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { EV, listeningApp } from '../broker/helpers.js';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const modules = realpathSync(join(root, 'node_modules'));

/** The bot a user writes in their own project: ten lines, importing the package's client export. */
const BOT = `import WebSocket from 'ws';
import { OddsgateClient, type PushMessage } from 'oddsgate/client';
const client = new OddsgateClient({ url: process.argv[2] as string, WebSocket });
client.on('subscribed', (s) => console.log('subscribed', s.room, s.seq, s.epoch.length > 0));
client.on('message', (m: PushMessage) => {
  if (m.type === 'market_odds') console.log('best', m.data.market_id, m.data.selections[0]?.back[0]?.odds);
});
await client.connect();
client.subscribe(process.argv[3] as string, { snapshot: true });
console.log('clients', (await client.request('get_stats')).data.clients);
`;

/** A mistake the types must catch: a market's id is a string, an arbitrage's edge a number. */
const WRONG = `import type { PushMessage } from 'oddsgate/client';
export function f(m: PushMessage): number {
  if (m.type === 'arb_opened') return m.data.edge_pct;
  return m.type === 'market_odds' ? m.data.market_id : 0;
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  },
};

/** Links a package of the repository's node_modules into the project (what an install would put there). */
function link(project: string, name: string): void {
  const to = join(project, 'node_modules', name);
  mkdirSync(dirname(to), { recursive: true });
  symlinkSync(join(modules, name), to, 'dir');
}

test(
  'npm pack → install the tarball in a project outside the repo → a ten-line TypeScript bot importing oddsgate/client type-checks and runs against a server',
  { timeout: 240_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oddsgate-pack-'));
    const { app, url } = await listeningApp();
    try {
      await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.client.json')], { cwd: root });
      await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: root });
      const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
      assert.ok(tarball, 'npm pack wrote a tarball');
      const listing = (await run('tar', ['-tzf', join(dir, tarball)])).stdout.split('\n');
      for (const f of [
        'package/dist/client/index.js',
        'package/dist/client/index.d.ts',
        'package/dist/client/client.d.ts',
      ])
        assert.ok(listing.includes(f), `${f} is in the tarball`);

      // The install, offline: the tarball unpacked as node_modules/oddsgate (what npm does with it), and the
      // packages the bot itself uses (ws, TypeScript's node types) and the client's type dependency (zod)
      // linked from this machine's modules — npm --offline cannot resolve the server's own dependencies here.
      const project = join(dir, 'bot');
      mkdirSync(join(project, 'node_modules'), { recursive: true });
      await run('tar', ['-xzf', join(dir, tarball), '-C', project]);
      renameSync(join(project, 'package'), join(project, 'node_modules', 'oddsgate'));
      for (const name of ['zod', 'ws', '@types/node', '@types/ws', 'undici-types']) link(project, name);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'bot', private: true, type: 'module' }),
      );
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files: ['bot.ts'] }));
      writeFileSync(join(project, 'bot.ts'), BOT);
      await run(process.execPath, [tsc, '-p', project], { cwd: project });

      writeFileSync(
        join(project, 'tsconfig.wrong.json'),
        JSON.stringify({ ...TSCONFIG, files: ['wrong.ts'] }),
      );
      writeFileSync(join(project, 'wrong.ts'), WRONG);
      const wrong = await run(process.execPath, [tsc, '-p', join(project, 'tsconfig.wrong.json')], {
        cwd: project,
      }).then(
        () => null,
        (err: { stdout: string }) => err.stdout,
      );
      assert.match(
        wrong ?? 'compiled',
        /wrong\.ts\(4,[^)]*\): error TS2322: Type 'string' is not assignable to type 'number'/,
        'pushes are typed, not any',
      );
      assert.doesNotMatch(wrong ?? '', /wrong\.ts\(3,/, 'edge_pct of arb_opened is a number');

      await feed(app, sampleUpdates());
      const room = `event:${EV.bfi}`;
      const child = run(process.execPath, [join(project, 'out', 'bot.js'), url, room], {
        cwd: project,
        timeout: 20_000,
      });
      const internal = app.readModel.findEvent(EV.bfi)?.id;
      const out = await child.then(
        (r) => r.stdout,
        (e: { stdout: string }) => e.stdout, // the bot runs until killed by the timeout
      );
      assert.match(out, new RegExp(`subscribed event:${internal} \\d+ true`));
      assert.match(out, new RegExp(`best ${EV.marketId.replace('.', '\\.')} \\d`));
      assert.match(out, /clients 1/);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
