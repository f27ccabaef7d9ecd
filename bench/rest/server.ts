import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { benchConfig, benchLogger, listenApp } from '../lib/app.js';
import { CpuProfiler } from '../lib/profile.js';
import { createSources } from '../../src/sources/registry.js';
import { SIM_SOURCE_FACTORIES } from '../../src/sim/sim-source.js';
import type { RestServerCommand, RestServerEvent } from './ipc.js';

/**
 * A REST benchmark server process. `oddsgate`: the real app on the memory store fed by the embedded
 * simulator (`SOURCES=sim`, default settings), as `npm start` runs it. `limit`: a bare Fastify whose
 * routes return, from memory, the bytes and headers oddsgate answered the same paths with (sent over IPC) — what
 * no server that does more per request can beat on this machine.
 */

const send = (m: RestServerEvent) => process.send?.(m);

async function oddsgate(): Promise<void> {
  const config = benchConfig({ sources: ['sim'], logLevel: 'error' });
  const { port } = await listenApp({
    config,
    sources: createSources(config, benchLogger('error'), SIM_SOURCE_FACTORIES),
  });
  const profiler = new CpuProfiler();
  process.on('message', (m: RestServerCommand) => {
    if (m.cmd !== 'profile') return;
    if (m.on) void profiler.start();
    else void profiler.stop().then((top) => send({ ev: 'profile', top }));
  });
  send({ ev: 'ready', port });
}

function limit(): void {
  process.once('message', (m: RestServerCommand) => {
    if (m.cmd !== 'routes') return;
    const app = Fastify({ logger: false });
    for (const r of m.routes) {
      const body = Buffer.from(r.body, 'base64');
      app.get(r.path, (_req, reply) => {
        void reply.headers(r.headers).type(r.contentType).send(body);
      });
    }
    app.listen({ port: 0, host: '127.0.0.1' }).then(
      () => send({ ev: 'ready', port: (app.server.address() as AddressInfo).port }),
      (err: unknown) => {
        process.stderr.write(`limit server: ${String(err)}\n`);
        process.exit(1);
      },
    );
  });
}

process.on('disconnect', () => process.exit(0));
if (process.argv[2] === 'limit') limit();
else void oddsgate();
