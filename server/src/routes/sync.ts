import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '@shared/errors.ts';
import { errorReplies } from '@shared/schemas/common.ts';
import { PullBody, PushBody, PushReply } from '@shared/sync/protocol.ts';
import { requireAuth } from '../plugins/auth.ts';
import { authenticate } from '../services/auth-service.ts';
import { push } from '../sync/push-service.ts';
import { pull } from '../sync/pull-service.ts';
import { resolvePullScope } from '../access/pull-scope.ts';
import { notePull } from '../sync/sync-clients.ts';
import { pullPosition, readPullState, usableCursor } from '../sync/pull-state.ts';

/** A session made for one device may only sync that device. */
function assertOwnDevice(sessionClientId: string | null, clientId: string) {
  if (sessionClientId && sessionClientId !== clientId) throw new DomainError('CLIENT_NOT_YOURS');
}

export const syncRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/sync/push',
    {
      onRequest: requireAuth,
      // Up to 500 mutations with their typed text.
      bodyLimit: 8 * 1024 * 1024,
      schema: { body: PushBody, response: { 200: PushReply, ...errorReplies(400, 401, 403, 409) } },
    },
    async (req) => {
      assertOwnDevice(req.auth.clientId, req.body.clientId);
      const { reply } = await push(app.db, req.auth.scope, req.body, app.now(), req.lang, req.headers['user-agent']);
      return reply;
    },
  );

  app.post(
    '/api/sync/pull',
    // No response schema: rows go out as built (a serializer would only copy them again).
    { onRequest: requireAuth, schema: { body: PullBody } },
    async (req) => {
      assertOwnDevice(req.auth.clientId, req.body.clientId);
      const now = app.now();
      const { clientId, cursor, telemetry } = req.body;
      // 1. One statement: the device's row, the caller's scope and its spaces' versions.
      const { state, client } = await readPullState(app.db, req.auth.scope, clientId);
      if (client && client.user_id !== req.auth.scope.userId) throw new DomainError('CLIENT_NOT_YOURS');
      if (client?.revoked_at) {
        return { cursor: '', more: false, lastMutationId: 0, patch: [], wipe: (client.revoke_kind === 'retire' ? 'retire' : 'lost') as 'retire' | 'lost' };
      }
      // 2. Telemetry and the cursor's position, only if they changed.
      await notePull(app.db, client, {
        clientId, userId: req.auth.scope.userId, telemetry, now,
        position: pullPosition(usableCursor(cursor, state), state),
        resolutionMs: app.config.lastPullResolutionMs,
        userAgent: req.headers['user-agent'],
      });
      // 3. Nothing new: answered from step 1; otherwise a page read in its own snapshot.
      return pull(app.db, req.auth.scope, clientId, cursor, { pageSize: app.config.pullPageSize, pageBytes: app.config.pullPageBytes }, state);
    },
  );

  // Browsers cannot set headers on a WebSocket, so the token comes in the query string.
  app.get('/api/sync/poke', { websocket: true }, async (socket, req) => {
    const token = new URL(req.url, 'http://x').searchParams.get('token') ?? '';
    try {
      const auth = await authenticate(app.db, token, app.now());
      const ps = await resolvePullScope(app.db, auth.scope);
      const remove = app.pokes.add({
        memberId: auth.scope.memberId,
        prefixes: ps.prefixes,
        anchorPaths: ps.anchorPaths,
        spaceIds: ps.spaceIds,
        send: (m) => socket.send(m),
      });
      socket.on('close', remove);
      socket.send(JSON.stringify({ type: 'hello' }));
    } catch (err) {
      const code = err instanceof DomainError ? err.code : 'INTERNAL';
      socket.close(4401, code);
    }
  });
};
