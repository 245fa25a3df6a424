import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AssignmentGaps, AssignmentGapsQuery, AssignmentPreview, AssignmentRequest, AssignmentResult } from '@shared/schemas/admin-households.ts';
import { errorReplies } from '@shared/schemas/common.ts';
import { requireAdmin, requireSupervisor } from '../plugins/auth.ts';
import { coverageGaps } from '../repositories/household-repository.ts';
import { applyAssignment, previewAssignment } from '../services/assignment-service.ts';

/** Assigning many households at once, previewed first, and the gaps left to fill. */
export const adminAssignmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/admin/assignments/preview',
    { onRequest: requireAdmin, schema: { body: AssignmentRequest, response: { 200: AssignmentPreview, ...errorReplies(400, 401, 403) } } },
    async (req) => previewAssignment(app.db, req.auth.scope, req.body.householdIds, req.body.memberId, app.config.limits),
  );

  app.post(
    '/api/admin/assignments',
    { onRequest: requireAdmin, schema: { body: AssignmentRequest, response: { 200: AssignmentResult, ...errorReplies(400, 401, 403, 404, 422) } } },
    async (req) => applyAssignment(app.db, req.auth.scope, req.body.householdIds, req.body.memberId, app.config.limits, app.now()),
  );

  app.get(
    '/api/admin/assignments/gaps',
    { onRequest: requireSupervisor, schema: { querystring: AssignmentGapsQuery, response: { 200: AssignmentGaps, ...errorReplies(400, 401, 403) } } },
    async (req) => coverageGaps(app.db, req.auth.scope, app.config.limits, req.query.unitId),
  );
};
