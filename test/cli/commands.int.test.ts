/**
 * The real CLI, spawned: every command answers --help and --version without starting anything and refuses
 * unknown options; `simulate | head` ends quietly; the README's `inspect --json > file` recipe gives clean
 * JSON. Exit codes and what a user reads on stdout/stderr are asserted.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT } from '../helpers/process.js';
import { killAll, runCli } from './cli-process.js';

/** Generous: start-up compiles the TypeScript sources on a loaded machine. */
const EXIT_MS = 90_000;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const COMMANDS = ['start', 'replay', 'simulate', 'inspect', 'record', 'db', 'history'];

after(killAll);

describe('every command answers --help and --version without starting anything', () => {
  for (const cmd of COMMANDS) {
    test(`${cmd} --help, ${cmd} --version, ${cmd} --bogus`, async () => {
      // A port the command would take if it started a server (replay --help used to).
      const env = { PORT: String(await freePort()), HOST: '127.0.0.1', DIAMOND_PASSWORD: 'help-test' };
      const help = runCli([cmd, '--help'], env);
      assert.equal(await help.exit(EXIT_MS), 0, `${cmd} --help exit code (stderr: ${help.stderr()})`);
      assert.match(help.stdout(), new RegExp(`^usage: oddsgate ${cmd}\\b`));
      assert.match(help.stdout(), /-h, --help/);
      assert.match(help.stdout(), /-V, --version/);
      assert.equal(help.stderr(), '');

      const version = runCli([cmd, '--version'], env);
      assert.equal(await version.exit(EXIT_MS), 0, `${cmd} --version exit code`);
      assert.equal(version.stdout(), `oddsgate ${pkg.version}\n`);
      assert.equal(version.stderr(), '');

      const bogus = runCli([cmd, '--bogus'], env);
      assert.equal(await bogus.exit(EXIT_MS), 2, `${cmd} --bogus exit code (stdout: ${bogus.stdout()})`);
      assert.match(bogus.stderr(), new RegExp(`^${cmd}: Unknown option '--bogus'`));
      assert.match(bogus.stderr(), new RegExp(`usage: oddsgate ${cmd}\\b`));
      assert.equal(bogus.stdout(), '');
    });
  }

  test('start and replay list the environment variables they read; help <command> is <command> --help', async () => {
    const start = runCli(['help', 'start']);
    assert.equal(await start.exit(EXIT_MS), 0);
    for (const v of ['PORT', 'HOST', 'REDIS_URL', 'REDIS_WAIT_SEC', 'API_KEYS', 'SOURCES'])
      assert.match(start.stdout(), new RegExp(`\\b${v}\\b`), v);
    const replay = runCli(['replay', '--help']);
    assert.equal(await replay.exit(EXIT_MS), 0);
    assert.match(replay.stdout(), /HISTORICAL_SPEED/);
    const helpHelp = runCli(['help', '--help']);
    assert.equal(await helpHelp.exit(EXIT_MS), 0);
    assert.match(helpHelp.stdout(), /^usage: oddsgate <command>/);
    const unknown = runCli(['help', 'nope']);
    assert.equal(await unknown.exit(EXIT_MS), 2);
    assert.match(unknown.stderr(), /^help: unknown command: nope\n/);
    const top = runCli(['--version']);
    assert.equal(await top.exit(EXIT_MS), 0);
    assert.equal(top.stdout(), `oddsgate ${pkg.version}\n`);
  });
});

describe('simulate | head', () => {
  test('the reader closing stdout ends simulate quietly with exit code 0', async () => {
    const p = runCli(['simulate', '--speed', '30']);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line on stdout; stderr: ${p.stderr()}`)), EXIT_MS);
      const onData = (): void => {
        if (!p.stdout().includes('\n')) return;
        clearTimeout(timer);
        p.child.stdout?.off('data', onData);
        // What `head -1` does after its line: close the read side of the pipe.
        p.child.stdout?.destroy();
        resolve();
      };
      p.child.stdout?.on('data', onData);
    });
    const first = JSON.parse(p.stdout().split('\n')[0] as string) as { op: string };
    assert.equal(first.op, 'mcm');
    assert.equal(await p.exit(EXIT_MS), 0);
    assert.equal(p.stderr(), '', 'nothing on stderr (no EPIPE, no stack trace)');
  });
});

describe("the README's inspect --json recipe", () => {
  test('gives a file that is parseable JSON (no npm banner)', async (t) => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const m = /^(npm run [^\n>]*\binspect -- (\S+) --json) > (\S+)$/m.exec(readme);
    assert.ok(m, 'the README shows `npm run … inspect -- <file> --json > <out>`');
    const dir = mkdtempSync(join(tmpdir(), 'oddsgate-inspect-recipe-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'inspect.json');
    // The documented command, run from the project root, its output redirected to a temporary file.
    const child = spawn('sh', ['-c', `${m[1]} > '${out}'`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    t.after(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`recipe still running; stderr: ${stderr}`)), EXIT_MS);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0, stderr);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { markets: { marketId: string }[] };
    assert.equal(report.markets[0]?.marketId, '1.132153978');
  });
});
