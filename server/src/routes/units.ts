import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { canReadUnit } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import { errorReplies, IdParams } from '@shared/schemas/common.ts';
import { CreateUnit, MoveUnit, RenameUnit, Unit, UnitTreeNode } from '@shared/schemas/unit.ts';
import { requireAdmin, requireSupervisor } from '../plugins/auth.ts';
import { textToPath } from '../db/unit-path.ts';
import * as units from '../repositories/unit-repository.ts';
import * as org from '../services/org-service.ts';

const Tree = Type.Object({ units: Type.Array(UnitTreeNode) });

/** The org tree: supervisors read their subtrees with counts; admins create, rename, move, retire. */
export const unitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/units/:id/tree',
    { onRequest: requireSupervisor, schema: { params: IdParams, response: { 200: Tree, ...errorReplies(401, 403, 404) } } },
    async (req) => {
      const root = await units.findUnit(app.db, req.params.id);
      if (!root) throw new DomainError('NOT_FOUND');
      if (!canReadUnit(req.auth.scope, textToPath(root.path))) throw new DomainError('OUT_OF_SCOPE');
      return { units: await units.listSubtree(app.db, root) };
    },
  );

  const write = { onRequest: requireAdmin };
  const replies = (ok: number) => ({ [ok]: Unit, ...errorReplies(400, 401, 403, 404, 409, 422) });

  app.post('/api/admin/units', { ...write, schema: { body: CreateUnit, response: replies(201) } }, async (req, reply) => {
    reply.status(201);
    return app.db.transaction().execute((trx) => org.createUnit(trx, req.auth.scope, req.body));
  });

  app.patch('/api/admin/units/:id', { ...write, schema: { params: IdParams, body: RenameUnit, response: replies(200) } }, async (req) =>
    app.db.transaction().execute((trx) => org.renameUnit(trx, req.auth.scope, req.params.id, req.body.name)),
  );

  app.post('/api/admin/units/:id/move', { ...write, schema: { params: IdParams, body: MoveUnit, response: replies(200) } }, async (req) =>
    app.db.transaction().execute((trx) => org.moveUnit(trx, req.auth.scope, req.params.id, req.body.parentId)),
  );

  app.post('/api/admin/units/:id/retire', { ...write, schema: { params: IdParams, response: replies(200) } }, async (req) =>
    app.db.transaction().execute((trx) => org.retireUnit(trx, req.auth.scope, req.params.id, app.now())),
  );
};
