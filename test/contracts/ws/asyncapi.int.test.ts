import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { Ajv, type AnySchema } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { feed } from '../../helpers/app.js';
import { matchOdds, runner, sampleUpdates, SAMPLE_EVENTS } from '../../helpers/fixtures.js';
import { EV, listeningApp, priceUpdate, TestClient, type Msg } from '../../broker/helpers.js';
import { CLOSE_CODES, ERROR_CODES } from '../../../src/contracts/ws/codes.js';
import {
  PUSH_SCHEMAS,
  PUSH_TYPES,
  PUSHES,
  REPLIES,
  ROOM_KINDS,
  ROOMS,
} from '../../../src/contracts/ws/registry.js';
import { WS_EXAMPLES } from '../../../src/contracts/ws/examples.js';
import { arbUpdates, pinnacle, statusSource } from '../../books/arb-fixture.js';

const require = createRequire(import.meta.url);
const ASYNCAPI_3 = require('@asyncapi/specs/schemas/3.0.0-without-$id.json') as AnySchema;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const CRICKET = SAMPLE_EVENTS[2] as (typeof SAMPLE_EVENTS)[number];
const TENNIS = SAMPLE_EVENTS[1] as (typeof SAMPLE_EVENTS)[number];

type Doc = {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, unknown>; 'x-close-codes'?: unknown }>;
  operations: Record<string, unknown>;
  components: { messages: Record<string, { payload: AnySchema }> };
};

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  return ajv;
}

/** The push types the document lists (its messages that are not actions or replies). */
function docPushes(doc: Doc): string[] {
  return Object.keys(doc.components.messages)
    .filter((k) => !k.startsWith('action.') && !k.startsWith('reply.'))
    .sort();
}

describe('/asyncapi.json: the WebSocket contract, generated from the message registry', () => {
  let app: FastifyInstance;
  let url: string;
  let doc: Doc;

  before(async () => {
    ({ app, url } = await listeningApp({
      sources: [statusSource],
      config: { ws: { matchesIntervalMs: 300 } },
    }));
    await feed(app, [...sampleUpdates(), ...arbUpdates()]);
    const res = await app.inject({ url: '/asyncapi.json', headers: { host: 'odds.example:8080' } });
    assert.equal(res.statusCode, 200);
    doc = res.json() as Doc;
  });
  after(async () => {
    await app.close();
  });

  test('validates against the AsyncAPI 3.0.0 JSON schema (@asyncapi/specs); a broken copy does not', () => {
    const ajv = newAjv();
    const validate = ajv.compile(ASYNCAPI_3);
    assert.equal(validate(doc), true, JSON.stringify(validate.errors?.slice(0, 5)));
    const broken = structuredClone(doc) as Doc & { operations: Record<string, { action: string }> };
    (broken.operations.subscribe as { action: string }).action = 'publish';
    assert.equal(validate(broken), false);
    assert.equal(doc.asyncapi, '3.0.0');
    assert.match(JSON.stringify(doc), /"host":"odds\.example:8080"/);
  });

  test('lists every room (with its snapshot rule), push, action and reply of the registry, every error and close code with a distinct meaning', () => {
    assert.deepEqual(docPushes(doc), [...PUSH_TYPES].sort());
    for (const kind of ROOM_KINDS) {
      const ch = doc.channels[`room.${kind}`];
      assert.ok(ch, kind);
      const expected = PUSH_TYPES.filter((t) => (PUSHES[t].rooms as readonly string[]).includes(kind)).sort();
      assert.deepEqual(Object.keys(ch.messages).sort(), expected, `${kind} pushes`);
      for (const t of ROOMS[kind].snapshot)
        assert.ok(expected.includes(t), `${kind} snapshot ${t} is a push of it`);
    }
    assert.equal(doc.channels['room.arbs']?.address, 'arbs');
    assert.equal(doc.channels['room.event']?.address, 'event:{id}');
    const conn = doc.channels.connection;
    for (const a of ['subscribe', 'unsubscribe', 'get_stats', 'get_matches', 'get_odds', 'ping', 'login'])
      assert.ok(conn?.messages[`action.${a}`], a);
    for (const r of Object.keys(REPLIES)) assert.ok(conn?.messages[`reply.${r}`], r);
    const closes = conn?.['x-close-codes'] as { code: number; meaning: string }[];
    assert.deepEqual(
      closes.map((c) => c.code),
      Object.values(CLOSE_CODES).map((c) => c.code),
    );
    assert.equal(new Set(closes.map((c) => c.meaning)).size, closes.length, 'close meanings distinct');
    const codeSchema = (
      doc.components.messages['reply.error']?.payload as {
        properties: { code: { oneOf: { const: string; description: string }[] } };
      }
    ).properties.code.oneOf;
    assert.deepEqual(
      codeSchema.map((c) => c.const),
      Object.keys(ERROR_CODES),
    );
    assert.equal(
      new Set(codeSchema.map((c) => c.description)).size,
      codeSchema.length,
      'error meanings distinct',
    );
  });

  test('/docs/websocket renders the same registry: the arbs room and its snapshot, every push, error code with its own meaning, close code', async () => {
    const html = (await app.inject({ url: '/docs/websocket' })).body;
    for (const kind of ROOM_KINDS)
      assert.ok(
        html.includes(`<code>${ROOMS[kind].name.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code>`),
        kind,
      );
    assert.ok(html.includes(ROOMS.arbs.snapshotDoc));
    for (const t of PUSH_TYPES) assert.ok(html.includes(`<code>${t}</code>`), t);
    for (const [code, e] of Object.entries(ERROR_CODES)) {
      assert.ok(html.includes(`<code>${code}</code>`), code);
      assert.ok(
        html.includes(e.meaning.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')),
        `${code} meaning`,
      );
    }
    for (const c of Object.values(CLOSE_CODES))
      assert.ok(html.includes(`<code>${c.code}</code>`), String(c.code));
    assert.ok(html.includes('/asyncapi.json'));
  });

  test('the documented examples parse with their registry schemas', () => {
    const { market_odds, arb_opened, event_scores, subscribed, recovery, error } = WS_EXAMPLES;
    PUSH_SCHEMAS.market_odds.parse(market_odds);
    PUSH_SCHEMAS.arb_opened.parse(arb_opened);
    PUSH_SCHEMAS.event_scores.parse(event_scores);
    REPLIES.subscribed.schema.parse(subscribed);
    REPLIES.recovery.schema.parse(recovery);
    REPLIES.error.schema.parse(error);
  });

  test('a live run triggers every push the document lists, and each message the broker sends fits its documented schema', async () => {
    const c = await TestClient.connect(url);
    try {
      const arbsSub = await c.subscribe('arbs', { snapshot: true });
      const snap = await c.next((m) => m.room === 'arbs' && m.type === 'arb_opened' && m.snapshot === true);
      assert.equal(snap.seq, arbsSub.seq, 'the arbs snapshot is stamped with the room seq');
      const rest = (await app.inject({ url: '/api/v1/feed/arbs' })).json() as { data: { id: string }[] };
      assert.deepEqual(snap.data, rest.data[0], 'the arbs snapshot is the /feed/arbs entry, field for field');
      for (const room of ['all', 'odds', 'matches']) await c.subscribe(room);
      const src = { source: 'betfair', upstreamEventId: CRICKET.bfi } as const;
      await feed(app, [
        priceUpdate(5),
        {
          kind: 'market',
          ...src,
          market: matchOdds('f.9', [runner(1, '10 Over Runs', 18, 16)], {
            type: 'FANCY',
            name: '10 Over Runs',
            source: 'betfair',
          }),
        },
        {
          kind: 'market',
          ...src,
          market: matchOdds('bm.9', [runner(2, 'England W', 1.9, 1.95)], {
            type: 'BOOKMAKER',
            name: 'Bookmaker',
            source: 'betfair',
          }),
        },
        { kind: 'score', ...src, score: { runs: 88, wickets: 2 } },
        {
          kind: 'event',
          ...src,
          event: {
            sportId: 3,
            name: CRICKET.name,
            startTime: '2026-11-22T15:00:00.000Z',
            status: 'SUSPENDED',
          },
        },
      ]);
      await feed(app, [{ kind: 'marketRemoved', source: 'betfair', marketId: 'bm.9' }]);
      const closed = matchOdds(
        TENNIS.marketId,
        [
          runner(201, 'Carlos Alcaraz', 1.01, 1.02, { status: 'WINNER' }),
          runner(202, 'Jannik Sinner', 1000, 1000, { status: 'LOSER' }),
        ],
        { status: 'CLOSED', source: 'betfair' },
      );
      await feed(app, [{ kind: 'market', source: 'betfair', upstreamEventId: TENNIS.bfi, market: closed }]);
      await feed(app, [pinnacle(2.15)]);
      await c.next((m) => m.type === 'arb_updated' && m.room === 'arbs', 5000);
      await feed(app, [pinnacle(1.5, 3.0)]);
      await c.next((m) => m.type === 'arb_closed' && m.room === 'arbs', 5000);
      await feed(app, [pinnacle(2.1)]);
      await c.next((m) => m.type === 'arb_opened' && m.room === 'arbs' && m.snapshot !== true, 5000);
      await c.next((m) => m.type === 'matches_updated', 5000);

      const pushes = c.messages.filter(
        (m): m is Msg & { seq: number } => typeof m.seq === 'number' && PUSH_TYPES.includes(m.type as never),
      );
      const seen = [...new Set(pushes.map((m) => m.type))].sort();
      assert.deepEqual(seen, docPushes(doc), 'every documented push was sent, and nothing else');
      const ajv = newAjv();
      for (const m of pushes) {
        const payload = doc.components.messages[m.type]?.payload as AnySchema;
        assert.ok(
          ajv.validate(payload, m),
          `${m.type} fits its schema: ${ajv.errorsText()} ${JSON.stringify(m).slice(0, 300)}`,
        );
        assert.ok(
          (PUSHES[m.type as keyof typeof PUSHES].rooms as readonly string[]).includes(
            String(m.room).split(':')[0] as string,
          ),
          `${m.type} in ${m.room}`,
        );
      }
      for (const m of c.messages.filter(
        (x) => typeof x.seq !== 'number' || !PUSH_TYPES.includes(x.type as never),
      )) {
        const payload = doc.components.messages[`reply.${m.type}`]?.payload as AnySchema;
        assert.ok(payload, `reply ${m.type} documented`);
        assert.ok(ajv.validate(payload, m), `${m.type}: ${ajv.errorsText()}`);
      }
      assert.equal(EV.bfi.length > 0, true);
    } finally {
      await c.close();
    }
  });
});
