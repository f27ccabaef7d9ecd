/** `oddsgate simulate --site-port 0`: the site's URL joins the ready line and the site answers there. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnOddsgate, waitFor, type Spawned } from '../../helpers/process.js';

describe('oddsgate simulate --site-port', () => {
  let p: Spawned | undefined;
  after(async () => {
    await p?.stop(2000);
  });

  test('prints {"site":{"url"}} and serves the site with the chosen fault', async () => {
    p = spawnOddsgate(['simulate', '--site-port', '0', '--site-fault', 'forbidden', '--seconds', '30'], {});
    const spawned = p;
    const line = await waitFor(
      async () =>
        spawned
          .output()
          .split('\n')
          .find((l) => l.startsWith('{"site"')),
      15_000,
      `the ready line (output: ${spawned.output().slice(-500)})`,
    );
    const ready = JSON.parse(line) as { site: { url: string } };
    assert.match(ready.site.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(ready.site.url)).status, 403);
    await fetch(`${ready.site.url}/__sim/fault?mode=none`, { method: 'POST' });
    assert.equal((await fetch(ready.site.url)).status, 200);
  });

  test('a bad --site-fault is refused', async () => {
    const bad = spawnOddsgate(['simulate', '--site-port', '0', '--site-fault', 'nope', '--seconds', '5'], {});
    const code = await new Promise<number | null>((resolve) => bad.child.once('exit', resolve));
    assert.notEqual(code, 0);
    assert.match(bad.output(), /--site-fault/);
  });
});
