import type { FastifyPluginAsync } from 'fastify';

/** admin routes (filled in by the admin surface). */
export const adminRoutes: FastifyPluginAsync = async () => {};
