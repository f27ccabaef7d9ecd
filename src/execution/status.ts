import { hostname } from 'node:os';
import type { ExecutionPublisher } from './types.js';

/** What a `status` message is about: the execution service, a venue (bookmaker connector), its circuit. */
export type StatusComponent = 'service' | 'venue' | 'circuit';

/**
 * The payload of the ABP `status` channel (event STATUS, global): one component's new state. The document
 * names the channel ("system status changes") without a schema; this mirrors the emergency payload's
 * `reason` and `ts`. Statuses: service `up` / `paused` (emergency mode) / `down`; venue `up` / `down`;
 * circuit `closed` / `open` / `half_open`.
 */
export interface SystemStatus {
  component: StatusComponent;
  name: string;
  status: string;
  reason: string | null;
  /** The instance whose component it is (host and process): with several instances, each reports its own. */
  instance: string;
  ts: number;
}

/** This process, as `status` messages name it. */
export const INSTANCE = `${hostname()}:${process.pid}`;

/** Publishes status changes, each only when it differs from the component's last one. */
export class StatusBoard {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly publisher: ExecutionPublisher,
    private readonly now: () => number = Date.now,
  ) {}

  set(component: StatusComponent, name: string, status: string, reason: string | null = null): boolean {
    const key = `${component}:${name}`;
    if (this.last.get(key) === status) return false;
    this.last.set(key, status);
    const payload: SystemStatus = { component, name, status, reason, instance: INSTANCE, ts: this.now() };
    this.publisher.publish('status', 'STATUS', payload);
    return true;
  }

  /** The last status of every component (what a new client can be told). */
  all(): { component: string; name: string; status: string }[] {
    return [...this.last].map(([k, status]) => {
      const [component = '', name = ''] = k.split(/:(.*)/s);
      return { component, name, status };
    });
  }
}
