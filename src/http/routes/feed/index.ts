import type { FastifyPluginAsync } from 'fastify';

/** feed routes (filled in by the feed surface). */
export const feedRoutes: FastifyPluginAsync = async () => {};
