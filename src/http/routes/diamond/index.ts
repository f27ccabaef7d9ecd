import type { FastifyPluginAsync } from 'fastify';

export interface DiamondOptions {
  password: string;
}

/** Diamond v2 routes (filled in by the Diamond surface). */
export const diamondRoutes: FastifyPluginAsync<DiamondOptions> = async () => {};
