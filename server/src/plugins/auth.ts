import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@shared/errors.ts';
import { authenticate, type SessionRestriction } from '../services/auth-service.ts';

/** The routes a restricted session may still call (auth-service.ts, SessionRestriction). */
const SYNC_ROUTES = ['POST /api/sync/push', 'POST /api/sync/pull'];
const ALLOWED: Record<Exclude<SessionRestriction, null>, readonly string[]> = {
  password_change: [...SYNC_ROUTES, 'GET /api/me', 'POST /api/auth/logout', 'POST /api/auth/password'],
  retired_device: SYNC_ROUTES,
};

/** Resolves the bearer token to the caller and their scope; routes call it in onRequest. */
export async function requireAuth(req: FastifyRequest): Promise<void> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new DomainError('UNAUTHENTICATED');
  const auth = await authenticate(req.server.db, match[1]!, req.server.now());
  if (auth.restriction && !ALLOWED[auth.restriction].includes(`${req.method} ${req.routeOptions.url}`)) {
    throw new DomainError(auth.restriction === 'password_change' ? 'PASSWORD_CHANGE_REQUIRED' : 'UNAUTHENTICATED');
  }
  req.auth = auth;
}

/** Refuses callers who supervise or administer nothing (plain members). */
export async function requireSupervisor(req: FastifyRequest): Promise<void> {
  await requireAuth(req);
  if (req.auth.scope.readRoots.length === 0) throw new DomainError('FORBIDDEN');
}

/** Refuses callers who administer nothing. */
export async function requireAdmin(req: FastifyRequest): Promise<void> {
  await requireAuth(req);
  if (req.auth.scope.adminRoots.length === 0) throw new DomainError('FORBIDDEN');
}

export const authPlugin = fp(
  async (app) => {
    app.decorateRequest('auth', null as never);
  },
  { name: 'auth', dependencies: ['error-handler'] },
);
