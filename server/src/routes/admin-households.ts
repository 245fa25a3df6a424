import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import { AdminHousehold, AdminHouseholdEdit, AdminHouseholdEditResult, AdminHouseholdPage, AdminHouseholdQuery, ArchiveResult } from '@shared/schemas/admin-households.ts';
import { errorReplies, IdParams } from '@shared/schemas/common.ts';
import { requireAdmin, requireSupervisor } from '../plugins/auth.ts';
import * as adminHouseholds from '../repositories/admin-household-repository.ts';
import { archiveHousehold, editHousehold, unarchiveHousehold } from '../services/household-admin-service.ts';

/**
 * The admin console's households: a paged, filtered list (supervisors read it too, masked
 * outside what they administer), one household for the edit form, the edit, archive and
 * unarchive. Every write is audited and reaches the phones in scope.
 */
export const adminHouseholdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const shown = async (scope: Scope, id: string) => {
    const h = await adminHouseholds.adminHousehold(app.db, scope, id);
    if (!h) throw new DomainError('NOT_FOUND');
    return h;
  };

  app.get(
    '/api/admin/households',
    { onRequest: requireSupervisor, schema: { querystring: AdminHouseholdQuery, response: { 200: AdminHouseholdPage, ...errorReplies(400, 401, 403) } } },
    async (req) => adminHouseholds.adminHouseholdPage(app.db, req.auth.scope, req.query),
  );

  app.get(
    '/api/admin/households/:id',
    { onRequest: requireSupervisor, schema: { params: IdParams, response: { 200: AdminHousehold, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => shown(req.auth.scope, req.params.id),
  );

  app.patch(
    '/api/admin/households/:id',
    { onRequest: requireAdmin, schema: { params: IdParams, body: AdminHouseholdEdit, response: { 200: AdminHouseholdEditResult, ...errorReplies(400, 401, 403, 404, 422) } } },
    async (req) => {
      const status = await editHousehold(app.db, req.auth.scope, req.params.id, req.body, app.now());
      return { status, household: await shown(req.auth.scope, req.params.id) };
    },
  );

  app.post(
    '/api/admin/households/:id/archive',
    { onRequest: requireAdmin, schema: { params: IdParams, response: { 200: ArchiveResult, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => {
      const warnings = await archiveHousehold(app.db, req.auth.scope, req.params.id, app.config.limits, app.now());
      return { household: await shown(req.auth.scope, req.params.id), warnings };
    },
  );

  app.post(
    '/api/admin/households/:id/unarchive',
    { onRequest: requireAdmin, schema: { params: IdParams, response: { 200: ArchiveResult, ...errorReplies(400, 401, 403, 404) } } },
    async (req) => {
      await unarchiveHousehold(app.db, req.auth.scope, req.params.id, app.now());
      return { household: await shown(req.auth.scope, req.params.id), warnings: [] };
    },
  );
};
