import { z } from 'zod';
import { CLOSE_CODES, ERROR_CODES } from './codes.js';
import {
  ACTIONS,
  PUSH_SCHEMAS,
  PUSH_TYPES,
  PUSHES,
  REPLIES,
  ROOM_KINDS,
  ROOMS,
  type ActionName,
  type PushSpec,
  type ReplyType,
  type RoomKind,
} from './registry.js';

/**
 * The AsyncAPI 3.0 document of `/ws`, generated from the message registry: one channel per room kind
 * (its pushes, its snapshot rule), the connection channel (actions and their replies), every push, action
 * and reply with its JSON Schema (zod → JSON Schema draft-07, what AsyncAPI schemas extend), every error
 * code and close code with its meaning.
 */

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

function ref(path: string): Json {
  return { $ref: path };
}

/** The error reply's `code`, one constant per code with its meaning. */
function errorPayload(): Json {
  const payload = jsonSchema(REPLIES.error.schema, 'output');
  const props = payload.properties as Json;
  props.code = {
    type: 'string',
    description: 'Why the frame was refused.',
    oneOf: Object.entries(ERROR_CODES).map(([code, spec]) => ({ const: code, description: spec.meaning })),
  };
  return payload;
}

function channelKey(kind: RoomKind): string {
  return `room.${kind}`;
}

function roomChannel(kind: RoomKind): Json {
  const spec = ROOMS[kind];
  const types = PUSH_TYPES.filter((t) => (PUSHES[t].rooms as readonly RoomKind[]).includes(kind));
  return {
    address: spec.param ? spec.name.replace(`<${spec.param.name}>`, `{${spec.param.name}}`) : spec.name,
    title: `Room ${spec.name}`,
    description: `${spec.doc} Snapshot on subscribe (snapshot:true, or a since older than the window or of another epoch): ${spec.snapshotDoc}`,
    messages: Object.fromEntries(types.map((t) => [t, ref(`#/components/messages/${t}`)])),
    ...(spec.param
      ? {
          parameters: {
            [spec.param.name]: { description: spec.param.doc, examples: [spec.example.split(':')[1]] },
          },
        }
      : {}),
    'x-snapshot': { pushes: spec.snapshot, description: spec.snapshotDoc },
  };
}

function connectionChannel(): Json {
  const messages: Json = {};
  for (const a of Object.keys(ACTIONS)) messages[`action.${a}`] = ref(`#/components/messages/action.${a}`);
  for (const r of Object.keys(REPLIES)) messages[`reply.${r}`] = ref(`#/components/messages/reply.${r}`);
  return {
    address: '/ws',
    title: 'Connection',
    description:
      'The WebSocket itself: client actions and the replies to them. Join rooms with subscribe; a room’s pushes arrive on its channel.',
    messages,
    'x-close-codes': Object.entries(CLOSE_CODES).map(([name, c]) => ({
      code: c.code,
      name,
      reason: c.reason,
      meaning: c.meaning,
      advice: c.advice,
      retry: c.retry,
    })),
  };
}

function messages(): Json {
  const out: Json = {};
  for (const t of PUSH_TYPES) {
    const spec: PushSpec = PUSHES[t];
    const when = Object.entries(spec.when ?? {}).map(([room, w]) => `${room}: ${w}`);
    out[t] = {
      name: t,
      title: t,
      summary: spec.doc,
      description: `Rooms: ${spec.rooms.join(', ')}${when.length ? ` (${when.join('; ')})` : ''}. Made by ${spec.producer}.`,
      contentType: 'application/json',
      payload: jsonSchema(PUSH_SCHEMAS[t], 'output'),
      'x-rooms': spec.rooms,
    };
  }
  for (const [a, spec] of Object.entries(ACTIONS)) {
    out[`action.${a}`] = {
      name: a,
      title: `action ${a}`,
      summary: spec.doc,
      contentType: 'application/json',
      payload: jsonSchema(spec.schema, 'input'),
      examples: [{ payload: JSON.parse(spec.example) as unknown }],
    };
  }
  for (const [r, spec] of Object.entries(REPLIES)) {
    out[`reply.${r}`] = {
      name: r,
      title: `reply ${r}`,
      summary: spec.doc,
      contentType: 'application/json',
      payload: r === 'error' ? errorPayload() : jsonSchema(spec.schema, 'output'),
    };
  }
  return out;
}

function operations(): Json {
  const ops: Json = {};
  for (const kind of ROOM_KINDS) {
    const ch = roomChannel(kind);
    ops[`publish.${kind}`] = {
      action: 'send',
      channel: ref(`#/channels/${channelKey(kind)}`),
      summary: `Pushes of ${ROOMS[kind].name}`,
      messages: Object.keys(ch.messages as Json).map((t) =>
        ref(`#/channels/${channelKey(kind)}/messages/${t}`),
      ),
    };
  }
  for (const [a, spec] of Object.entries(ACTIONS) as [ActionName, (typeof ACTIONS)[ActionName]][]) {
    ops[a] = {
      action: 'receive',
      channel: ref('#/channels/connection'),
      summary: spec.doc,
      messages: [ref(`#/channels/connection/messages/action.${a}`)],
      reply: {
        channel: ref('#/channels/connection'),
        messages: [...(spec.replies as readonly ReplyType[]), 'error'].map((r) =>
          ref(`#/channels/connection/messages/reply.${r}`),
        ),
      },
    };
  }
  ops.greet = {
    action: 'send',
    channel: ref('#/channels/connection'),
    summary: 'The first frame of every connection.',
    messages: [ref('#/channels/connection/messages/reply.connected')],
  };
  return ops;
}

/** Options of asyncapiDocument. */
export interface AsyncApiOptions {
  version: string;
  /** host[:port] the document is served from (the WebSocket server). */
  host: string;
  /** ws or wss. */
  protocol: 'ws' | 'wss';
}

/** The AsyncAPI 3.0.0 document of the `/ws` protocol. */
export function asyncapiDocument(opts: AsyncApiOptions): Json {
  const page = `${opts.protocol === 'wss' ? 'https' : 'http'}://${opts.host}/docs/websocket`;
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'oddsgate WebSocket protocol',
      version: opts.version,
      description:
        'The Porqpine v1 room protocol with positions and recovery. Every push carries room, seq (per room, +1 per message, the same on every instance) and ts. ' +
        'Keep the last seq of each room and the epoch of connected/subscribed; after a reconnect subscribe with since and epoch: the missed messages are replayed (recovery recovered:true), ' +
        'or, past the recovery window or in another epoch, recovered:false and a snapshot. Close codes: see the connection channel’s x-close-codes. Human page: /docs/websocket.',
      externalDocs: { url: page, description: 'The protocol as a page' },
    },
    defaultContentType: 'application/json',
    servers: {
      oddsgate: {
        host: opts.host,
        protocol: opts.protocol,
        pathname: '/ws',
        description: 'This server. With API keys configured: ?apiKey=, X-API-Key, or a login frame.',
      },
    },
    channels: {
      connection: connectionChannel(),
      ...Object.fromEntries(ROOM_KINDS.map((k) => [channelKey(k), roomChannel(k)])),
    },
    operations: operations(),
    components: { messages: messages() },
  };
}
