import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditPage, AuditQuery } from '@shared/schemas/admin-households.ts';
import { errorReplies } from '@shared/schemas/common.ts';
import { requireAdmin } from '../plugins/auth.ts';
import { auditPage, auditTable } from '../services/audit-report.ts';
import { toXlsx } from '../services/table-export.ts';

/** The audit log of the caller's administered subtrees: browsed page by page, and exported whole. */
export const adminAuditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/admin/audit', { onRequest: requireAdmin, schema: { querystring: AuditQuery, response: { 200: AuditPage, ...errorReplies(400, 401, 403) } } }, async (req) =>
    auditPage(app.db, req.auth.scope, req.query),
  );

  app.get('/api/admin/audit.xlsx', { onRequest: requireAdmin, schema: { querystring: AuditQuery } }, async (req, reply) => {
    const table = await auditTable(app.db, req.auth.scope, req.query);
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('操作日志.xlsx')}`);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(table));
  });
};
