import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { secretFromRequest, secretMatcher } from '../../../core/auth.js';
import { sendError } from '../../errors.js';
import { refuseIfBlocked } from '../../failed-attempts.js';

/** Where the admin credential is sent. */
const ADMIN_AT = { header: 'x-admin-password' } as const;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing route of the scope it is installed in (anything but GET/HEAD/OPTIONS) needs the admin
 * credential in `x-admin-password` (DIAMOND_ADMIN_PASSWORD, compared in constant time), after the API key
 * when keys are configured. No credential configured: every change is refused (403). A wrong one (not a
 * missing one) counts as a failed attempt of the client address (429 with Retry-After past the limit).
 */
export function requireAdminForChanges(app: FastifyInstance): void {
  const password = app.config.diamondAdminPassword;
  const matches = password ? secretMatcher(password) : null;
  const attempts = app.failedAttempts;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (SAFE.has(req.method)) return;
    if (!matches)
      return sendError(reply, 403, 'Forbidden: no admin credential is configured, changes are refused');
    if (refuseIfBlocked(attempts, req, reply)) return reply;
    const given = secretFromRequest(req, ADMIN_AT);
    if (matches(given)) return;
    if (given !== undefined) attempts.fail(req.ip);
    return sendError(reply, 403, 'Forbidden: changes need the admin credential (x-admin-password)');
  });
}
