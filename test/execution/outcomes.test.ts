import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FULL_TIME_RESULT,
  decodeOutcome,
  handicapMarket,
  marketOfGroup,
  outcomeOf,
  totalsMarket,
} from '../../src/execution/outcomes.js';

test('the document’s ids: 101 home "1", 102 draw "X", 103 away "2"', () => {
  assert.deepEqual(
    [101, 102, 103].map((id) => {
      const o = decodeOutcome(id);
      return [o?.side, o?.outcomeName, o?.market.marketId];
    }),
    [
      ['home', '1', 101],
      ['draw', 'X', 101],
      ['away', '2', 101],
    ],
  );
  assert.equal(marketOfGroup({ type: 'MATCH_ODDS', line: null }), FULL_TIME_RESULT);
  assert.equal(marketOfGroup({ type: 'BOOKMAKER', line: null }), FULL_TIME_RESULT);
  assert.equal(marketOfGroup({ type: 'FANCY', line: null }), null);
});

test('totals and handicap ids are computed from the line and decode back (README table)', () => {
  const t = totalsMarket(2.5)!;
  assert.equal(t.marketId, 10250);
  assert.equal(outcomeOf(t, 'over')?.outcomeId, 102501);
  assert.equal(outcomeOf(t, 'under')?.outcomeId, 102502);
  const h = handicapMarket(-1.5)!;
  assert.equal(h.marketId, 101994);
  assert.equal(outcomeOf(h, 'home')?.outcomeId, 1019941);
  assert.equal(outcomeOf(h, 'away')?.outcomeId, 1019942);
  for (const line of [0.25, 0.5, 1, 2.5, 3.75, 160.5, 899.75]) {
    for (const side of ['over', 'under'] as const) {
      const o = outcomeOf(totalsMarket(line)!, side)!;
      const back = decodeOutcome(o.outcomeId)!;
      assert.deepEqual([back.side, back.market.line, back.market.marketType], [side, line, 'TOTALS']);
    }
  }
  for (const line of [-499.75, -10.5, -0.25, 0, 0.5, 7.25, 499.75]) {
    for (const side of ['home', 'away'] as const) {
      const o = outcomeOf(handicapMarket(line)!, side)!;
      const back = decodeOutcome(o.outcomeId)!;
      assert.deepEqual([back.side, back.market.line, back.market.marketType], [side, line, 'SPREADS']);
    }
  }
});

test('ids outside the catalogue decode to null', () => {
  for (const id of [0, -1, 100, 104, 10250, 102503, 999_999_999, 1.5, Number.NaN])
    assert.equal(decodeOutcome(id), null, String(id));
  assert.equal(totalsMarket(2.3), null, 'not a quarter line');
  assert.equal(totalsMarket(0), null);
  assert.equal(handicapMarket(500), null);
  assert.equal(outcomeOf(totalsMarket(2.5)!, 'home'), null);
});
