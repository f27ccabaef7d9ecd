import type { FastifyInstance } from 'fastify';

/**
 * What the admin surface reads from the WebSocket broker, when one is registered as `app.broker`:
 * `roomStats()` returning connected clients and subscribers per room. Optional, structural: the admin
 * routes work (with zeros) without a broker.
 */
export interface BrokerRoomStats {
  /** Connected WebSocket clients. */
  clients: number;
  /** Room name → subscribed clients. */
  rooms: Record<string, number>;
}

interface RoomStatsProvider {
  roomStats(): BrokerRoomStats;
}

function isProvider(v: unknown): v is RoomStatsProvider {
  return (
    typeof v === 'object' && v !== null && typeof (v as { roomStats?: unknown }).roomStats === 'function'
  );
}

/** The broker's room stats, or null when no broker (or one without `roomStats`) is registered. */
export function brokerRoomStats(app: FastifyInstance): BrokerRoomStats | null {
  const broker: unknown = (app as unknown as { broker?: unknown }).broker;
  if (!isProvider(broker)) return null;
  try {
    const s = broker.roomStats();
    return { clients: Number(s.clients) || 0, rooms: { ...s.rooms } };
  } catch {
    return null;
  }
}
