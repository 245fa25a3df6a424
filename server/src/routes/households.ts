import { shownOnList } from '@shared/domain/household.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AssignHousehold, Assignment, CoverageGaps, CreateHousehold, Household } from '@shared/schemas/household.ts';
import { errorReplies, IdParams, Uuid } from '@shared/schemas/common.ts';
import { requireAdmin, requireAuth, requireSupervisor } from '../plugins/auth.ts';
import * as households from '../repositories/household-repository.ts';
import * as service from '../services/household-service.ts';

export const householdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/households',
    {
      onRequest: requireAuth,
      schema: {
        querystring: Type.Object({ unitId: Type.Optional(Uuid), memberId: Type.Optional(Uuid) }),
        response: { 200: Type.Object({ households: Type.Array(Household) }), ...errorReplies(400, 401) },
      },
    },
    async (req) => ({ households: (await households.listHouseholds(app.db, req.auth.scope, req.query)).map((h) => shownOnList(h, req.auth.scope.memberId)) }),
  );

  app.get(
    '/api/households/:id',
    { onRequest: requireAuth, schema: { params: IdParams, response: { 200: Household, ...errorReplies(401, 403, 404) } } },
    async (req) => households.toHousehold(await service.readableHousehold(app.db, req.auth.scope, req.params.id)),
  );

  app.get(
    '/api/households/:id/assignments',
    {
      onRequest: requireSupervisor,
      schema: { params: IdParams, response: { 200: Type.Object({ assignments: Type.Array(Assignment) }), ...errorReplies(401, 403, 404) } },
    },
    async (req) => {
      await service.readableHousehold(app.db, req.auth.scope, req.params.id);
      return { assignments: await households.listAssignments(app.db, req.params.id) };
    },
  );

  app.post(
    '/api/admin/households',
    { onRequest: requireAdmin, schema: { body: CreateHousehold, response: { 201: Household, ...errorReplies(400, 401, 403, 404, 409, 422) } } },
    async (req, reply) => {
      reply.status(201);
      return service.createHousehold(app.db, req.auth.scope, req.body, app.config.limits, app.now());
    },
  );

  app.post(
    '/api/admin/households/:id/assign',
    { onRequest: requireAdmin, schema: { params: IdParams, body: AssignHousehold, response: { 200: Household, ...errorReplies(400, 401, 403, 404, 422) } } },
    async (req) => service.assignHousehold(app.db, req.auth.scope, req.params.id, req.body.memberId, app.config.limits, app.now()),
  );

  app.get(
    '/api/coverage/gaps',
    { onRequest: requireSupervisor, schema: { response: { 200: CoverageGaps, ...errorReplies(401, 403) } } },
    async (req) => households.coverageGaps(app.db, req.auth.scope, app.config.limits),
  );
};
