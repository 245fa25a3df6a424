import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@shared/errors.ts';
import { authenticate } from '../services/auth-service.ts';

/** Resolves the bearer token to the caller and their scope; routes call it in onRequest. */
export async function requireAuth(req: FastifyRequest): Promise<void> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new DomainError('UNAUTHENTICATED');
  req.auth = await authenticate(req.server.db, match[1]!, req.server.now());
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
