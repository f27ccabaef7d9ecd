import { z } from 'zod';
import { CLOSE_CODES, ERROR_CODES, type ErrorCodeName } from './codes.js';
import {
  ArbClosedData,
  ArbData,
  BrokerStats,
  EventSummary,
  MarketData,
  ResultData,
  ScoreData,
} from './payloads.js';

/**
 * The WebSocket message registry of `/ws`: every room, push type, client action and reply declared once —
 * zod schema, rooms, snapshot rule, doc text. The broker (which rooms a change goes to, what a snapshot
 * holds, how frames are parsed), `/docs/websocket`, `/asyncapi.json` and the client SDK's types are derived
 * from these declarations. Adding a push or room is one declaration here plus its producer (the change or
 * notice that makes it, src/broker/messages.ts; a room's snapshot, src/broker/snapshot.ts: both are
 * records keyed by these names, so the compiler asks for them).
 */

/** A room kind: its name pattern, what it carries and what a snapshot of it holds. */
export interface RoomSpec {
  /** The room name as a client writes it (`<…>` is a parameter). */
  name: string;
  /** A room name that exists on a fresh start, for examples. */
  example: string;
  /** The parameter of a parameterised room, null for fixed names. */
  param: { name: string; doc: string; pattern: RegExp } | null;
  doc: string;
  /** Push types of a snapshot of this room (`subscribe` with `snapshot:true`, or a `since` too old). */
  snapshot: readonly PushType[];
  /** What the snapshot is, for a person. */
  snapshotDoc: string;
}

/** The room kinds (`event` for `event:<id>` rooms), each declared in ROOMS. */
export const ROOM_KINDS = ['all', 'odds', 'matches', 'arbs', 'sport', 'event', 'market'] as const;
/** A room kind. */
export type RoomKind = (typeof ROOM_KINDS)[number];

/** The header of every push: `type`, `room`, `seq` (per room, +1 per message), `ts`, and `snapshot`. */
const pushHeader = {
  room: z.string().describe('The room this message was published to (canonical name).'),
  seq: z
    .number()
    .int()
    .min(0)
    .describe(
      'Position in the room: +1 per message, the same on every instance; a snapshot carries the room seq it is current at.',
    ),
  ts: z.number().describe('Epoch ms of the change (of the snapshot, for snapshot messages).'),
  snapshot: z.literal(true).optional().describe('Part of a snapshot (current state at seq), not a change.'),
};

/** One push type: the rooms it goes to, its body fields and what it means. */
export interface PushSpec {
  /** Room kinds it is published to, in publishing order. */
  rooms: readonly RoomKind[];
  /** Rooms it reaches only sometimes, and when. */
  when?: Partial<Record<RoomKind, string>>;
  /** Fields after the header. */
  body: z.ZodRawShape;
  doc: string;
  /** What makes it (the producer). */
  producer: string;
}

const matchId = z.string().describe('Internal event id.');
const marketId = z.string();
const bfi = z.string().nullable().describe('Betfair event id, when known.');
const marketBody = { marketId, matchId, data: MarketData };

/** Every push type the broker sends. */
export const PUSHES = {
  market_odds: {
    rooms: ['all', 'sport', 'event', 'market'],
    body: marketBody,
    doc: 'An odds market changed (prices, status, in-play).',
    producer: 'a market change of an odds market',
  },
  match_odds: {
    rooms: ['odds'],
    body: {
      bfi: z.string().describe('bfi, else the internal event id.'),
      matchId,
      marketId,
      data: MarketData,
    },
    doc: 'An odds market changed, as the odds room carries it (keyed by bfi as in Porqpine).',
    producer: 'a market change of an odds market',
  },
  fancy_update: {
    rooms: ['all', 'sport', 'event', 'market'],
    body: marketBody,
    doc: 'A fancy (line) market changed.',
    producer: 'a market change of a FANCY market',
  },
  bookmaker_add: {
    rooms: ['all', 'sport', 'event', 'market'],
    body: marketBody,
    doc: 'A bookmaker market appeared or changed.',
    producer: 'a market change of a BOOKMAKER market',
  },
  bookmaker_remove: {
    rooms: ['all', 'sport', 'event', 'market'],
    body: { matchId, marketId },
    doc: 'A bookmaker market was removed.',
    producer: 'a bookmaker market removed',
  },
  event_update: {
    rooms: ['all', 'sport', 'event', 'matches'],
    when: { matches: 'only when what the match list shows changed (name, status, time, teams, ...)' },
    body: { matchId, bfi, data: EventSummary },
    doc: 'Event metadata changed (oddsgate addition).',
    producer: 'an event change (not closing)',
  },
  remove_match_from_list: {
    rooms: ['all', 'matches', 'event'],
    body: { matchId, bfi, data: z.union([ResultData, EventSummary]) },
    doc: 'The match ended: its result (ResultData) when known, else the closed event (EventSummary). Sent once per event.',
    producer: 'a result, or an event closing',
  },
  event_scores: {
    rooms: ['all', 'event'],
    body: { matchId, data: ScoreData },
    doc: 'The latest score of an event.',
    producer: 'a score change',
  },
  matches_updated: {
    rooms: ['all', 'matches'],
    body: { data: z.array(EventSummary).describe('Every event not closed, as /events lists it.') },
    doc: 'The full match list.',
    producer: 'the matches notice, every WS_MATCHES_INTERVAL_MS on the ingest writer',
  },
  arb_opened: {
    rooms: ['all', 'arbs'],
    body: { data: ArbData },
    doc: 'An arbitrage appeared (the same object as a GET /api/v1/feed/arbs entry).',
    producer: 'the arbitrage tracker (src/books) on the ingest writer',
  },
  arb_updated: {
    rooms: ['all', 'arbs'],
    body: { data: ArbData },
    doc: 'An arbitrage changed its prices, books or sizes.',
    producer: 'the arbitrage tracker',
  },
  arb_closed: {
    rooms: ['all', 'arbs'],
    body: { data: ArbClosedData },
    doc: 'An arbitrage vanished.',
    producer: 'the arbitrage tracker',
  },
} as const satisfies Record<string, PushSpec>;

/** Every push type. */
export type PushType = keyof typeof PUSHES;

/** The push types, in declaration order. */
export const PUSH_TYPES = Object.keys(PUSHES) as PushType[];

/** True when `name` is a push type. */
export function isPushType(name: string): name is PushType {
  return Object.hasOwn(PUSHES, name);
}

type ObjectOf<S> = S extends z.ZodRawShape ? z.ZodObject<S> : never;
type PushSchemaOf<T extends PushType> = ObjectOf<
  { type: z.ZodLiteral<T> } & typeof pushHeader & (typeof PUSHES)[T]['body']
>;

function pushSchema<T extends PushType>(type: T): PushSchemaOf<T> {
  return z
    .object({ type: z.literal(type), ...pushHeader, ...PUSHES[type].body })
    .describe(PUSHES[type].doc) as unknown as PushSchemaOf<T>;
}

/** The zod schema of each push message (header + body). */
export const PUSH_SCHEMAS = Object.fromEntries(PUSH_TYPES.map((t) => [t, pushSchema(t)])) as {
  [T in PushType]: PushSchemaOf<T>;
};

/** A push message of one type. */
export type PushMessageOf<T extends PushType> = z.infer<PushSchemaOf<T>>;
/** Any push message (discriminated by `type`). */
export type PushMessage = { [T in PushType]: PushMessageOf<T> }[PushType];

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const SPORT = /^[A-Za-z0-9 ._-]{1,40}$/;

/** Every room kind. */
export const ROOMS = {
  all: {
    name: 'all',
    example: 'all',
    param: null,
    doc: 'Every push of every room but match_odds (the odds room has those).',
    snapshot: ['event_update', 'market_odds', 'fancy_update', 'bookmaker_add', 'event_scores'],
    snapshotDoc: 'Every open event with its markets and latest score.',
  },
  odds: {
    name: 'odds',
    example: 'odds',
    param: null,
    doc: 'match_odds for every odds market (Betfair-style match and line markets; not fancy or bookmaker).',
    snapshot: ['match_odds'],
    snapshotDoc: 'Every odds market as match_odds.',
  },
  matches: {
    name: 'matches',
    example: 'matches',
    param: null,
    doc: 'The match list: matches_updated every WS_MATCHES_INTERVAL_MS, event_update when what the list shows changes, remove_match_from_list when a match ends.',
    snapshot: ['matches_updated'],
    snapshotDoc: 'One matches_updated with the current list.',
  },
  arbs: {
    name: 'arbs',
    example: 'arbs',
    param: null,
    doc: 'Arbitrages across books as GET /api/v1/feed/arbs lists them (same fields): arb_opened, arb_updated, arb_closed. Suspect ones are never published.',
    snapshot: ['arb_opened'],
    snapshotDoc: 'Every current arbitrage as arb_opened, best edge first.',
  },
  sport: {
    name: 'sport:<id>',
    example: 'sport:1',
    param: { name: 'id', doc: 'Sport id or name (sport:1 or sport:Football).', pattern: SPORT },
    doc: 'Every push of the events of one sport but scores (event_scores go to all and event rooms).',
    snapshot: ['event_update', 'market_odds', 'fancy_update', 'bookmaker_add'],
    snapshotDoc: 'Every open event of the sport with its markets.',
  },
  event: {
    name: 'event:<id>',
    example: 'event:1000001',
    param: {
      name: 'id',
      doc: 'Internal event id or bfi (Betfair event id); the reply names the canonical room (internal id).',
      pattern: ID,
    },
    doc: 'Every market, score and status change of one event.',
    snapshot: ['event_update', 'market_odds', 'fancy_update', 'bookmaker_add', 'event_scores'],
    snapshotDoc: 'The event (unless closed), its markets and its latest score.',
  },
  market: {
    name: 'market:<id>',
    example: 'market:1.234567890',
    param: { name: 'id', doc: 'Market id.', pattern: ID },
    doc: 'One market.',
    snapshot: ['market_odds', 'fancy_update', 'bookmaker_add'],
    snapshotDoc: 'The market.',
  },
} as const satisfies Record<RoomKind, RoomSpec>;

// ---- client → server actions -----------------------------------------------------------------------

const requestId = z
  .union([z.string().max(64), z.number().refine(Number.isFinite)])
  .optional()
  .catch(undefined)
  .describe('Correlation id, echoed in the reply (string ≤ 64 chars or number).');

const since = z
  .union([
    z.number().int().min(0).refine(Number.isSafeInteger),
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
  ])
  .nullish()
  .describe('Resume after this seq of the room: the missed messages are replayed, or a snapshot sent.');

/** One client action: its frame schema, the error code of each field that fails, and its reply. */
export interface ActionSpec {
  schema: z.ZodObject;
  /** Error code when this field is invalid (others: BAD_FRAME). */
  fieldErrors?: Partial<Record<string, ErrorCodeName>>;
  doc: string;
  example: string;
  /** The reply type(s). */
  replies: readonly ReplyType[];
}

/** Every action a client may send. */
export const ACTIONS = {
  subscribe: {
    schema: z.object({
      action: z.literal('subscribe'),
      room: z.string().describe('A room name (see the rooms).'),
      since,
      snapshot: z
        .boolean()
        .optional()
        .catch(undefined)
        .describe('Send the room’s current state (messages with snapshot:true) after the reply.'),
      epoch: z
        .string()
        .max(64)
        .optional()
        .catch(undefined)
        .describe(
          'The log epoch the client’s since belongs to; when it is not the server’s, since is not replayed: recovered:false and a snapshot.',
        ),
      id: requestId,
    }),
    fieldErrors: { room: 'BAD_ROOM', since: 'BAD_SINCE' },
    doc: 'Join a room; with since (and epoch), replay what was missed (or get a snapshot); with snapshot, get the current state first.',
    example: '{"action":"subscribe","room":"event:1000001","since":41,"epoch":"k3v9q2","id":1}',
    replies: ['subscribed', 'recovery'],
  },
  unsubscribe: {
    schema: z.object({ action: z.literal('unsubscribe'), room: z.string(), id: requestId }),
    fieldErrors: { room: 'BAD_ROOM' },
    doc: 'Leave a room (idempotent).',
    example: '{"action":"unsubscribe","room":"odds"}',
    replies: ['unsubscribed'],
  },
  get_stats: {
    schema: z.object({ action: z.literal('get_stats'), id: requestId }),
    doc: 'Broker counters.',
    example: '{"action":"get_stats","id":2}',
    replies: ['stats'],
  },
  get_matches: {
    schema: z.object({ action: z.literal('get_matches'), id: requestId }),
    doc: 'The current match list.',
    example: '{"action":"get_matches","id":3}',
    replies: ['matches'],
  },
  get_odds: {
    schema: z.object({
      action: z.literal('get_odds'),
      matchId: z.union([z.string(), z.number()]).transform(String).describe('Internal event id or bfi.'),
      id: requestId,
    }),
    doc: 'Every market of an event, as GET /api/v1/feed/event/:id/odds returns it.',
    example: '{"action":"get_odds","matchId":"1000001","id":7}',
    replies: ['odds'],
  },
  ping: {
    schema: z.object({ action: z.literal('ping'), id: requestId }),
    doc: 'Answered by pong.',
    example: '{"action":"ping"}',
    replies: ['pong'],
  },
  login: {
    schema: z.object({ action: z.literal('login'), apiKey: z.string(), id: requestId }),
    doc: 'Authenticate when API keys are configured (or pass ?apiKey= / the X-API-Key header).',
    example: '{"action":"login","apiKey":"…"}',
    replies: ['login'],
  },
} as const satisfies Record<string, ActionSpec>;

/** Every action name. */
export type ActionName = keyof typeof ACTIONS;
/** A parsed client action (after the schema's transforms). */
export type ClientAction = { [A in ActionName]: z.output<(typeof ACTIONS)[A]['schema']> }[ActionName];
/** A client action as sent (before transforms). */
export type ClientFrame = { [A in ActionName]: z.input<(typeof ACTIONS)[A]['schema']> }[ActionName];

// ---- server replies --------------------------------------------------------------------------------

const replyId = z.union([z.string(), z.number()]).optional().describe('The request’s id, echoed.');
const epoch = z
  .string()
  .describe(
    'The update log’s epoch: changes when the log is reset or the store replaced; seqs of another epoch mean nothing.',
  );

/** Every reply (and the `connected` greeting). */
export const REPLIES = {
  connected: {
    schema: z.object({
      type: z.literal('connected'),
      clientId: z.string(),
      stats: BrokerStats,
      auth: z.enum(['ok', 'required']),
      epoch,
    }),
    doc: 'The first frame of every connection.',
  },
  subscribed: {
    schema: z.object({
      type: z.literal('subscribed'),
      room: z.string().describe('The canonical room (event rooms by internal id).'),
      seq: z.number().int().min(0).describe('The room’s last seq: messages after it follow.'),
      epoch,
      requested: z.string().optional().describe('The room as asked, when not canonical (bfi, sport name).'),
      already: z.literal(true).optional().describe('Already in the room: nothing changed, no burst follows.'),
      id: replyId,
    }),
    doc: 'Reply to subscribe (also sent when an event asked for by an unknown id appears).',
  },
  recovery: {
    schema: z.object({
      type: z.literal('recovery'),
      room: z.string(),
      recovered: z.boolean().describe('true: count missed messages follow; false: a snapshot follows.'),
      since: z.number().int(),
      seq: z.number().int(),
      epoch,
      count: z.number().int().optional(),
    }),
    doc: 'After subscribed, when since was given.',
  },
  unsubscribed: {
    schema: z.object({ type: z.literal('unsubscribed'), room: z.string(), id: replyId }),
    doc: 'Reply to unsubscribe.',
  },
  stats: {
    schema: z.object({ type: z.literal('stats'), data: BrokerStats, id: replyId }),
    doc: 'Reply to get_stats.',
  },
  matches: {
    schema: z.object({
      type: z.literal('matches'),
      count: z.number().int(),
      data: z.array(EventSummary),
      id: replyId,
    }),
    doc: 'Reply to get_matches.',
  },
  odds: {
    schema: z.object({
      type: z.literal('odds'),
      matchId: z.string(),
      data: z.looseObject({
        internal_id: z.string(),
        match_odds: z.array(MarketData),
        fancy: z.array(MarketData),
        bookmaker: z.array(MarketData),
      }),
      id: replyId,
    }),
    doc: 'Reply to get_odds: the data of GET /api/v1/feed/event/:id/odds.',
  },
  login: {
    schema: z.object({ type: z.literal('login'), ok: z.literal(true), id: replyId }),
    doc: 'Reply to an accepted login.',
  },
  pong: {
    schema: z.object({ type: z.literal('pong'), ts: z.number(), id: replyId }),
    doc: 'Reply to ping.',
  },
  error: {
    schema: z.object({
      type: z.literal('error'),
      error: z.string().describe('What went wrong, for a person.'),
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCodeName, ...ErrorCodeName[]]),
      id: replyId,
      action: z.string().optional(),
      retryAfter: z.number().optional().describe('RATE_LIMITED: seconds until the key’s window renews.'),
    }),
    doc: 'A refused frame; the connection stays open (but after AUTH_CONFLICT, closed 4001).',
  },
} as const satisfies Record<string, { schema: z.ZodObject; doc: string }>;

/** Every reply type. */
export type ReplyType = keyof typeof REPLIES;
/** A reply of one type. */
export type ReplyOf<T extends ReplyType> = z.infer<(typeof REPLIES)[T]['schema']>;
/** Any reply. */
export type Reply = { [T in ReplyType]: ReplyOf<T> }[ReplyType];
/** Any frame the server sends. */
export type ServerMessage = PushMessage | Reply;

export { CLOSE_CODES, ERROR_CODES };
