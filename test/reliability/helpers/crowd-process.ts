import { setPriority } from 'node:os';
import { Member } from './ws-crowd.js';
import type { CrowdCommand, CrowdEvent, CrowdStatus } from './crowd-ipc.js';

/**
 * A child process holding part of a crowd of WebSocket clients (so reading a thousand connections is
 * spread over cores and the clients are never the slow side by accident). Driven over IPC by CrowdProcs.
 */

const send = (m: CrowdEvent) => process.send?.(m);

let members: Member[] = [];
let slow = new Set<Member>();
const notUpgraded = new Set<Member>();

async function connect(c: Extract<CrowdCommand, { cmd: 'connect' }>): Promise<void> {
  if (c.favoured) favour();
  for (let i = 0; i < c.count; i += 50) {
    const batch: Member[] = [];
    for (let j = i; j < Math.min(c.count, i + 50); j++) {
      const m = new Member(c.port, c.room);
      batch.push(m);
      if (c.slowEvery > 0 && (c.offset + j) % c.slowEvery === 0) slow.add(m);
    }
    members.push(...batch);
    const ok = await Promise.all(batch.map((m) => m.client.ready));
    ok.forEach((upgraded, j) => !upgraded && notUpgraded.add(batch[j] as Member));
  }
  const deadline = Date.now() + 120_000;
  while (members.some((m) => !m.subscribed && !m.client.ended) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  // Why a member is not subscribed: its upgrade failed, or its connection closed (code), or no reply yet.
  const why = members
    .filter((m) => !m.subscribed)
    .map((m) =>
      notUpgraded.has(m) ? 'upgrade failed' : m.client.ended ? `closed ${m.client.closeCode}` : 'no reply',
    );
  send({ ev: 'connected', n: members.length - why.length, why });
}

function status(): CrowdStatus {
  const good = members.filter((m) => !slow.has(m));
  const bad = [...slow];
  return {
    good: {
      count: good.length,
      minLast: Math.min(...good.map((m) => m.last)),
      gaps: good.reduce((n, m) => n + m.gaps, 0),
      ended: good.filter((m) => m.client.ended).length,
      minReceived: Math.min(...good.map((m) => m.received)),
      codes: closeCodes(good),
      endedSpan: endedSpan(good),
    },
    slow: {
      count: bad.length,
      ended: bad.filter((m) => m.client.ended).length,
      codes: closeCodes(bad),
    },
  };
}

function endedSpan(ms: readonly Member[]): [number, number] | null {
  const at = ms.flatMap((m) => (m.client.endedAt === null ? [] : [m.client.endedAt]));
  return at.length === 0 ? null : [Math.min(...at), Math.max(...at)];
}

function closeCodes(ms: readonly Member[]): number[] {
  return [...new Set(ms.filter((m) => m.client.ended).map((m) => m.client.closeCode ?? 1006))];
}

/**
 * A member that reads must keep up whatever else the machine runs: this process gets a higher CPU priority
 * than the server and other load (when allowed: root, or CAP_SYS_NICE), so a reader whose queue grows on
 * the server shows the server's doing, never a starved test client.
 */
function favour(): void {
  try {
    setPriority(-10);
  } catch {
    // not allowed: normal priority
  }
}

process.on('disconnect', () => process.exit(0));
process.on('message', (m: CrowdCommand) => {
  if (m.cmd === 'connect') void connect(m);
  else if (m.cmd === 'pause') for (const s of slow) s.client.pause();
  else if (m.cmd === 'resume') for (const s of slow) s.client.resume();
  else if (m.cmd === 'status') send({ ev: 'status', status: status() });
  else {
    for (const x of members) x.client.destroy();
    members = [];
    slow = new Set();
    process.exit(0);
  }
});
