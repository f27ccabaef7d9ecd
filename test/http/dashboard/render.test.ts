import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

/**
 * The dashboard's markup for prices, without a browser: app.js (a plain script, no imports) runs in a
 * VM context with inert DOM, fetch and WebSocket stand-ins, and its ladder and best-price renderers are
 * called with feed shapes. Fancy ladders read Yes/No, suspended markets and runners are marked, and the
 * best prices across books are decimal odds with a bookmaker's quoted rate beside.
 */

type Render = (m: unknown) => string;

function loadDashboard(): { ladderHtml: Render; bestHtml: Render } {
  const element = () => ({
    addEventListener: () => undefined,
    querySelectorAll: () => [],
    insertAdjacentHTML: () => undefined,
    dataset: {},
    hidden: false,
    innerHTML: '',
    textContent: '',
    className: '',
  });
  const context = vm.createContext({
    document: { getElementById: element, querySelector: () => null, querySelectorAll: () => [] },
    window: { addEventListener: () => undefined, setInterval: () => 0, setTimeout: () => 0 },
    location: { hash: '', protocol: 'http:', host: '127.0.0.1' },
    localStorage: { getItem: () => null, setItem: () => undefined },
    fetch: () => new Promise(() => undefined),
    WebSocket: class {
      send(): void {}
      close(): void {}
    },
    requestAnimationFrame: () => 0,
    CSS: { escape: (s: string) => s },
  });
  const source = readFileSync(new URL('../../../src/http/dashboard/static/app.js', import.meta.url), 'utf8');
  vm.runInContext(source, context, { filename: 'app.js' });
  return { ladderHtml: context.ladderHtml as Render, bestHtml: context.bestHtml as Render };
}

const { ladderHtml, bestHtml } = loadDashboard();

const sel = (name: string, back: number, lay: number, status = 'ACTIVE') => ({
  name,
  status,
  back: [{ level: 1, odds: back, size: 100 }],
  lay: [{ level: 1, odds: lay, size: 100 }],
});

/** The header labels of a ladder's best back and best lay columns. */
function labels(html: string): string[] {
  return [...html.matchAll(/<th class="l1">([^<]*)<\/th>/g)].map((m) => m[1] ?? '');
}

describe('dashboard price markup', () => {
  test('a fancy ladder is labelled Yes (back) / No (lay); other markets Back / Lay', () => {
    const fancy = ladderHtml({
      market_id: 'imatchodds:1',
      type: 'FANCY',
      status: 'OPEN',
      selections: [sel('6 over runs Australia', 57, 56)],
    });
    assert.deepEqual(labels(fancy), ['Yes', 'No']);
    const odds = ladderHtml({
      market_id: '1.1',
      type: 'MATCH_ODDS',
      status: 'OPEN',
      selections: [sel('Australia', 2.1, 2.12)],
    });
    assert.deepEqual(labels(odds), ['Back', 'Lay']);
    assert.doesNotMatch(odds, /suspended|SUSPENDED/);
  });

  test('a suspended market is marked suspended, and so is a suspended runner of an open one', () => {
    const html = ladderHtml({
      market_id: 'imatchodds:2',
      type: 'BOOKMAKER',
      status: 'SUSPENDED',
      selections: [sel('Australia', 240, 242, 'SUSPENDED')],
    });
    assert.match(html, /<table class="ladder suspended"/);
    assert.match(html, /<caption>SUSPENDED<\/caption>/);
    const runner = ladderHtml({
      market_id: '1.2',
      type: 'MATCH_ODDS',
      status: 'OPEN',
      selections: [sel('Australia', 2.1, 2.12), sel('India', 1.8, 1.82, 'SUSPENDED')],
    });
    assert.match(runner, /<tr data-sel="1" class="suspended" title="SUSPENDED">/);
    assert.match(runner, /<tr data-sel="0"><td/);
  });

  test('best across books: decimal odds with the quoted rate beside; a suspended market says so', () => {
    const html = bestHtml({
      market_name: 'Bookmaker',
      status: 'OPEN',
      selections: [
        {
          name: 'Australia',
          best_back: { odds: 2.23, rate: 123, book: 'imatchodds' },
          best_lay: { odds: 2.25, rate: 125, book: 'othersite' },
        },
      ],
    });
    assert.match(html, /<td>2\.23 <small>rate 123<\/small> <small>imatchodds<\/small><\/td>/);
    assert.match(html, /best back \(decimal\)/);
    const suspended = bestHtml({
      market_name: 'Match Odds',
      status: 'SUSPENDED',
      selections: [{ name: 'Australia', best_back: null, best_lay: null }],
    });
    assert.match(suspended, /<span class="tag">SUSPENDED<\/span>/);
    assert.match(suspended, /<td><small>suspended<\/small><\/td><td><small>suspended<\/small><\/td>/);
    const runner = bestHtml({
      market_name: 'Match Odds',
      status: 'OPEN',
      selections: [
        { name: 'Ruud', suspended: false, best_back: null, best_lay: null },
        { name: 'Sinner', suspended: true, best_back: null, best_lay: null },
      ],
    });
    assert.match(runner, /<td>Ruud<\/td><td>–<\/td>/);
    assert.match(runner, /<td>Sinner<\/td><td><small>suspended<\/small><\/td>/);
  });
});
