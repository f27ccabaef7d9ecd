import type { Change, Event, Market, Result } from '../model/index.js';
import { renderEventSummary } from '../contracts/porqpine/events.js';
import { bfiOf } from '../contracts/porqpine/ids.js';
import { renderMarket } from '../contracts/porqpine/markets.js';
import { renderResult } from '../contracts/porqpine/results.js';
import { PUSHES, type PushType, type RoomKind } from '../contracts/ws/registry.js';
import { pushTypesOf, roomKindOf } from './rooms.js';

/**
 * Push messages: the Porqpine push types (seed 001) plus the additive `room`, `seq`, `ts`. A message is
 * `{"type","room","seq","ts", ...body}`; the body is rendered once per change and type, the header once
 * per room, so replaying from history re-composes a message without rendering it again.
 */

/** Every push type the broker sends: declared, with its rooms and schema, in the message registry. */
export type { PushType };

/**
 * The push type of a change's message in `room`: of the types the change makes (pushTypesOf), the one the
 * registry publishes to the room's kind (the `odds` room gets `match_odds` for odds markets).
 */
export function pushType(change: Change, room: string): PushType | null {
  const types = pushTypesOf(change);
  if (types.length === 1) return types[0] as PushType;
  const kind = roomKindOf(room);
  if (kind === null) return null;
  for (const t of types) if ((PUSHES[t].rooms as readonly RoomKind[]).includes(kind)) return t;
  return null;
}

function field(name: string, value: unknown): string {
  return `"${name}":${JSON.stringify(value) ?? 'null'}`;
}

/**
 * A rendered body in two parts: `text` (fields, without braces) and the market data as UTF-8 bytes
 * (`"data":` + JSON), last when present. Market data is rendered once per market object into a Buffer of
 * its own, shared by every push type of the change, by the room histories that keep the message for
 * recovery and by snapshots: one copy of each market's JSON, outside the JavaScript heap (kept as strings,
 * a 180 s recovery window at ~500 changes/s was ~400 MB of old-generation strings, over which V8 grew its
 * heap for the whole soak).
 */
export interface Body {
  text: string;
  data: Buffer | null;
}

/** Rendered market data (UTF-8 JSON) by market object. */
const marketJson = new WeakMap<Market, Buffer>();

function marketData(m: Market): Buffer {
  let bytes = marketJson.get(m);
  if (bytes === undefined) {
    const json = JSON.stringify(renderMarket(m));
    // allocUnsafeSlow: not a slice of Node's shared pool, so a kept body holds only its own bytes.
    bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json, 'utf8'));
    bytes.write(json, 0, 'utf8');
    marketJson.set(m, bytes);
  }
  return bytes;
}

function marketBody(type: PushType, m: Market, event: Event | undefined): Body {
  const matchId = String(m.eventId);
  const marketId = field('marketId', m.id);
  if (type === 'match_odds') {
    const bfi = event ? bfiOf(event) : null;
    return {
      text: `${field('bfi', bfi ?? matchId)},${field('matchId', matchId)},${marketId}`,
      data: marketData(m),
    };
  }
  return { text: `${marketId},${field('matchId', matchId)}`, data: marketData(m) };
}

function eventBody(e: Event): string {
  return `${field('matchId', String(e.id))},${field('bfi', bfiOf(e))},${field('data', renderEventSummary(e))}`;
}

function resultBody(r: Result): string {
  const rendered = renderResult(r);
  return `${field('matchId', String(r.eventId))},${field('bfi', rendered.bfi)},${field('data', rendered)}`;
}

/** The `data` of an `event_scores` push: the score with `event_id` (bfi, else internal id) as the seed reads it. */
export function scoreData(
  eventId: number,
  score: unknown,
  event: Event | undefined,
): Record<string, unknown> {
  const bfi = event ? bfiOf(event) : null;
  const ids = { event_id: bfi ?? String(eventId), internal_id: String(eventId) };
  if (typeof score === 'object' && score !== null && !Array.isArray(score)) return { ...score, ...ids };
  return { ...ids, score };
}

/**
 * Renders the body (the fields after `ts`) of a change's message of type `type`, in its two parts.
 * `event` is the change's event as the read model gives it.
 */
export function renderBodyParts(change: Change, type: PushType, event: Event | undefined): Body {
  switch (change.type) {
    case 'market':
      return marketBody(type, change.market, event);
    case 'marketRemoved':
      return textBody(`${field('matchId', String(change.eventId))},${field('marketId', change.marketId)}`);
    case 'event':
      return textBody(eventBody(change.event));
    case 'result':
      return textBody(resultBody(change.result));
    case 'score':
      return textBody(
        `${field('matchId', String(change.eventId))},${field('data', scoreData(change.eventId, change.score, event))}`,
      );
    case 'notice':
      return textBody(field('data', change.data));
    default:
      return textBody('');
  }
}

function textBody(text: string): Body {
  return { text, data: null };
}

/** The body as one string (fields after `ts`, without braces). */
export function bodyText(body: Body): string {
  if (body.data === null) return body.text;
  const data = `"data":${body.data.toString('utf8')}`;
  return body.text === '' ? data : `${body.text},${data}`;
}

/** renderBodyParts() as one string. */
export function renderBody(change: Change, type: PushType, event: Event | undefined): string {
  return bodyText(renderBodyParts(change, type, event));
}

/** The header of a message: `{"type":…,"room":…,"seq":…,"ts":…` and `extra`, without the closing brace. */
export function messageHead(type: string, room: string, seq: number, ts: number, extra = ''): string {
  return `{"type":${JSON.stringify(type)},"room":${JSON.stringify(room)},"seq":${seq},"ts":${ts}${extra}`;
}

/** Composes a full message from its header fields and a rendered body. */
export function composeMessage(
  type: string,
  room: string,
  seq: number,
  ts: number,
  body: string,
  extra = '',
): string {
  const head = messageHead(type, room, seq, ts, extra);
  return body === '' ? `${head}}` : `${head},${body}}`;
}
