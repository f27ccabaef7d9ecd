import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp } from '../../helpers/app.js';

test('the event page chart module and uPlot (from its npm package) are served with the dashboard CSP', async () => {
  const app = await makeTestApp();
  try {
    const chart = await app.inject({ url: '/dashboard/chart.js' });
    assert.equal(chart.statusCode, 200);
    assert.match(chart.headers['content-type'] as string, /^text\/javascript/);
    assert.match(chart.body, /from '\/dashboard\/vendor\/uPlot\.esm\.js'/);
    assert.match(chart.body, /odds\/history\?interval=1s/);
    const js = await app.inject({ url: '/dashboard/vendor/uPlot.esm.js' });
    assert.equal(js.statusCode, 200);
    assert.match(js.body, /export \{ uPlot as default \}|export default uPlot/);
    assert.match(js.headers['content-security-policy'] as string, /script-src 'self'/);
    const css = await app.inject({ url: '/dashboard/vendor/uPlot.min.css' });
    assert.equal(css.statusCode, 200);
    assert.match(css.headers['content-type'] as string, /^text\/css/);
    assert.equal((await app.inject({ url: '/dashboard/vendor/other.js' })).statusCode, 404);
    // app.js loads the charts on its own, so the page works without them.
    const appJs = (await app.inject({ url: '/dashboard/app.js' })).body;
    assert.match(appJs, /import\('\.\/chart\.js'\)/);
  } finally {
    await app.close();
  }
});
