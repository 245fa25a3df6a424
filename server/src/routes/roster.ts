import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply } from 'fastify';
import { DomainError } from '@shared/errors.ts';
import { errorReplies } from '@shared/schemas/common.ts';
import { RosterImportQuery, RosterImportResult } from '@shared/schemas/roster.ts';
import { requireAdmin } from '../plugins/auth.ts';
import { exportRoster, rosterTemplate } from '../services/roster-export.ts';
import { importRoster } from '../services/roster-import.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A 50,000-row roster is about 3 MB; 20 MB leaves room without letting a runaway upload in. */
const BODY_LIMIT = 20 * 1024 * 1024;

function sendWorkbook(reply: FastifyReply, name: string, body: Buffer) {
  reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${name}.xlsx`)}`);
  reply.header('cache-control', 'no-store');
  return reply.type(XLSX).send(body);
}

/** 花名册: the admin's scope as a workbook, its empty template, and importing one back. */
export const rosterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Encapsulated in this plugin: only the import route takes a workbook body.
  app.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
  // A file too large or of another type, said in the roster's words; the app's handler sends it.
  app.setErrorHandler((err: FastifyError) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new DomainError('ROSTER_TOO_LARGE');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw new DomainError('ROSTER_FILE_INVALID');
    throw err;
  });

  app.get('/api/admin/roster.xlsx', { onRequest: requireAdmin, schema: { response: errorReplies(401, 403) } }, async (req, reply) =>
    sendWorkbook(reply, '花名册', await exportRoster(app.db, req.auth.scope)),
  );

  app.get('/api/admin/roster/template.xlsx', { onRequest: requireAdmin, schema: { response: errorReplies(401, 403) } }, async (_req, reply) =>
    sendWorkbook(reply, '花名册模板', await rosterTemplate()),
  );

  app.post(
    '/api/admin/roster/import',
    {
      onRequest: requireAdmin,
      bodyLimit: BODY_LIMIT,
      schema: { querystring: RosterImportQuery, response: { 200: RosterImportResult, ...errorReplies(400, 401, 403, 413, 415) } },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new DomainError('ROSTER_FILE_INVALID');
      return importRoster(app.db, req.auth.scope, req.body, { dryRun: req.query.dryRun === '1', limits: app.config.limits, now: app.now() });
    },
  );
};
