import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CreateGrant, CreateMember, CreateStaff, Member, UpdateMember } from '@shared/schemas/account.ts';
import { errorReplies, IdParams, Uuid } from '@shared/schemas/common.ts';
import { requireAdmin, requireSupervisor } from '../plugins/auth.ts';
import * as members from '../repositories/member-repository.ts';
import * as accounts from '../services/account-service.ts';

export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/members',
    {
      onRequest: requireSupervisor,
      schema: { querystring: Type.Object({ unitId: Type.Optional(Uuid) }), response: { 200: Type.Object({ members: Type.Array(Member) }), ...errorReplies(401, 403) } },
    },
    async (req) => ({ members: await members.listMembers(app.db, req.auth.scope, req.query) }),
  );

  app.post(
    '/api/admin/members',
    { onRequest: requireAdmin, schema: { body: CreateMember, response: { 201: Member, ...errorReplies(400, 401, 403, 404, 409, 422) } } },
    async (req, reply) => {
      reply.status(201);
      return accounts.createMember(app.db, req.auth.scope, req.body);
    },
  );

  app.post(
    '/api/admin/staff',
    { onRequest: requireAdmin, schema: { body: CreateStaff, response: { 201: Type.Object({ userId: Uuid }), ...errorReplies(400, 401, 403, 404, 409, 422) } } },
    async (req, reply) => {
      reply.status(201);
      return accounts.createStaff(app.db, req.auth.scope, req.body);
    },
  );

  app.patch(
    '/api/admin/members/:id',
    { onRequest: requireAdmin, schema: { params: IdParams, body: UpdateMember, response: { 200: Member, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => accounts.updateMember(app.db, req.auth.scope, req.params.id, req.body),
  );

  app.post(
    '/api/admin/grants',
    { onRequest: requireAdmin, schema: { body: CreateGrant, response: { 201: Type.Object({ ok: Type.Literal(true) }), ...errorReplies(400, 401, 403, 404) } } },
    async (req, reply) => {
      reply.status(201);
      return accounts.grantRole(app.db, req.auth.scope, req.body);
    },
  );
};
