import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Member } from '@shared/schemas/account.ts';
import {
  GrantsReply, MoveMember, OkReply, PeopleQuery, PeopleReply, Person, ResetPasswordReply, RevokeGrant, UnitSearchQuery, UnitSearchReply, UnlockReply,
} from '@shared/schemas/admin-people.ts';
import { errorReplies, IdParams } from '@shared/schemas/common.ts';
import { requireAdmin } from '../plugins/auth.ts';
import * as accounts from '../services/account-service.ts';
import * as org from '../services/org-service.ts';
import * as people from '../services/people-service.ts';

/**
 * The admin console's people side (issue 10): unit search, people, moving members, disabling
 * and re-enabling logins, grants, password resets and unlocks. Members are addressed by member
 * id where the act is a member's (move); every account act takes the user id, members and staff alike.
 */
export const adminPeopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = { onRequest: requireAdmin };
  const lock = () => people.lockRule(app.config, app.now());

  app.get('/api/admin/units', { ...admin, schema: { querystring: UnitSearchQuery, response: { 200: UnitSearchReply, ...errorReplies(400, 401, 403) } } }, async (req) => ({
    units: await org.searchUnits(app.db, req.auth.scope, req.query),
  }));

  app.get('/api/admin/people', { ...admin, schema: { querystring: PeopleQuery, response: { 200: PeopleReply, ...errorReplies(400, 401, 403, 404) } } }, async (req) =>
    people.listPeople(app.db, req.auth.scope, req.query, lock()),
  );

  app.get('/api/admin/people/:id', { ...admin, schema: { params: IdParams, response: { 200: Person, ...errorReplies(400, 401, 403, 404) } } }, async (req) =>
    people.getPerson(app.db, req.auth.scope, req.params.id, lock()),
  );

  app.post(
    '/api/admin/members/:id/move',
    { ...admin, schema: { params: IdParams, body: MoveMember, response: { 200: Member, ...errorReplies(400, 401, 403, 404, 422) } } },
    async (req) => people.moveMember(app.db, req.auth.scope, req.params.id, req.body, app.config.limits, app.now()),
  );

  const personReplies = { 200: Person, ...errorReplies(400, 401, 403, 404, 422) };
  app.post('/api/admin/users/:id/disable', { ...admin, schema: { params: IdParams, response: personReplies } }, async (req) => {
    await people.disableUser(app.db, req.auth.scope, req.params.id, app.now());
    return people.getPerson(app.db, req.auth.scope, req.params.id, lock());
  });

  app.post('/api/admin/users/:id/enable', { ...admin, schema: { params: IdParams, response: personReplies } }, async (req) => {
    await people.enableUser(app.db, req.auth.scope, req.params.id);
    return people.getPerson(app.db, req.auth.scope, req.params.id, lock());
  });

  app.get('/api/admin/users/:id/grants', { ...admin, schema: { params: IdParams, response: { 200: GrantsReply, ...errorReplies(400, 401, 403, 404) } } }, async (req) => ({
    grants: await people.listUserGrants(app.db, req.auth.scope, req.params.id),
  }));

  app.delete('/api/admin/grants', { ...admin, schema: { body: RevokeGrant, response: { 200: OkReply, ...errorReplies(400, 401, 403, 404, 422) } } }, async (req) => {
    await people.revokeGrant(app.db, req.auth.scope, req.body);
    return { ok: true as const };
  });

  app.post(
    '/api/admin/users/:id/reset-password',
    { ...admin, schema: { params: IdParams, response: { 200: ResetPasswordReply, ...errorReplies(400, 401, 403, 404, 422) } } },
    async (req, reply) => {
      // Shown once: no cache may keep it.
      reply.header('cache-control', 'no-store');
      return accounts.resetPassword(app.db, req.auth.scope, req.params.id, app.now());
    },
  );

  app.post('/api/admin/users/:id/unlock', { ...admin, schema: { params: IdParams, response: { 200: UnlockReply, ...errorReplies(400, 401, 403, 404, 422) } } }, async (req) =>
    accounts.unlockUser(app.db, req.auth.scope, req.params.id),
  );
};
