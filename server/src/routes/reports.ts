import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { DISPUTE_STATUS_LABELS } from '@shared/domain/dispute.ts';
import { DISPUTE_CATEGORIES, DISPUTE_RISK_LEVELS, labelOf } from '@shared/domain/lists.ts';
import { deviceLabel } from '@shared/domain/device-name.ts';
import { ClientIdParams, errorReplies } from '@shared/schemas/common.ts';
import { ConflictsReport, CoverageReport, DeviceLog, DisputeBoard, SyncReport } from '@shared/schemas/reports.ts';
import { requireSupervisor } from '../plugins/auth.ts';
import * as reports from '../services/report-service.ts';
import { toCsv, toXlsx, type ExportTable } from '../services/table-export.ts';

const Format = Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]));
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '');

async function send<T>(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, table: ExportTable<T>) {
  const file = encodeURIComponent(`${name}.${format}`);
  reply.header('content-disposition', `attachment; filename*=UTF-8''${file}`);
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(table));
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(table));
}

/**
 * Supervisors' reports, each filtered to the caller's subtree (plain members get 403), as JSON
 * and — for the ledgers people print and hand on — as CSV and XLSX with Chinese headers.
 */
export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const syncQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })), staleDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) });
  const syncOpts = (q: { days?: number; staleDays?: number }) => ({ now: app.now(), days: q.days ?? 7, staleDays: q.staleDays ?? 3 });

  app.get('/api/reports/sync', { onRequest: requireSupervisor, schema: { querystring: syncQuery, response: { 200: SyncReport, ...errorReplies(400, 401, 403) } } }, async (req) =>
    reports.syncReport(app.db, req.auth.scope, syncOpts(req.query)),
  );

  app.get('/api/reports/sync.:format', { onRequest: requireSupervisor, schema: { params: Type.Object({ format: Format }), querystring: syncQuery } }, async (req, reply) => {
    const rows = await reports.syncRows(app.db, req.auth.scope, syncOpts(req.query));
    return send(reply, req.params.format ?? 'csv', '同步情况', {
      sheet: '同步情况',
      rows,
      columns: [
        { header: '所在支部', value: (r) => r.unitName, width: 28 },
        { header: '党员', value: (r) => r.memberName },
        { header: '设备', value: (r) => (r.clientId ? deviceLabel(r.userAgent) : '尚无设备'), width: 30 },
        { header: '首次使用', value: (r) => time(r.firstSeenAt), width: 20 },
        { header: '版本', value: (r) => r.appVersion },
        { header: '最近上传', value: (r) => time(r.lastPushAt), width: 20 },
        { header: '最近同步', value: (r) => time(r.lastPullAt), width: 20 },
        { header: '待上传', value: (r) => r.pending },
        { header: '成功', value: (r) => r.applied },
        { header: '退回', value: (r) => r.rejected },
        { header: '待处理冲突', value: (r) => r.conflictsOpen },
        { header: '时钟异常', value: (r) => r.clockSkewWarning },
        { header: '同步状态', value: (r) => (r.neverSynced ? '从未同步' : r.stale ? '超期未同步' : '正常') },
        { header: '设备编号', value: (r) => r.clientId ?? '', width: 30 },
      ],
    });
  });

  app.get('/api/reports/sync/devices/:clientId', { onRequest: requireSupervisor, schema: { params: ClientIdParams, response: { 200: DeviceLog, ...errorReplies(400, 401, 403, 404) } } }, async (req) =>
    reports.deviceLog(app.db, req.auth.scope, req.params.clientId),
  );

  const coverageQuery = Type.Object({ days: Type.Optional(Type.Union([Type.Literal(30), Type.Literal(60), Type.Literal(90)])) });
  app.get('/api/reports/coverage', { onRequest: requireSupervisor, schema: { querystring: coverageQuery, response: { 200: CoverageReport, ...errorReplies(400, 401, 403) } } }, async (req) =>
    reports.coverageReport(app.db, req.auth.scope, { now: app.now(), days: req.query.days ?? 30, limits: app.config.limits }),
  );

  app.get('/api/reports/coverage.:format', { onRequest: requireSupervisor, schema: { params: Type.Object({ format: Format }), querystring: coverageQuery } }, async (req, reply) => {
    const rows = await reports.unvisitedHouseholds(app.db, req.auth.scope, req.query.days ?? 30, app.now());
    return send(reply, req.params.format ?? 'csv', `${req.query.days ?? 30}天未走访住户`, {
      sheet: '未走访住户',
      rows,
      columns: [
        { header: '所在支部', value: (r) => r.unitName, width: 28 },
        { header: '户主', value: (r) => r.headName },
        { header: '联系党员', value: (r) => r.memberName ?? '无' },
        { header: '最近走访', value: (r) => time(r.lastVisitAt) || '从未走访', width: 20 },
      ],
    });
  });

  app.get('/api/reports/conflicts', { onRequest: requireSupervisor, schema: { response: { 200: ConflictsReport, ...errorReplies(401, 403) } } }, async (req) =>
    reports.conflictsReport(app.db, req.auth.scope),
  );

  app.get('/api/reports/disputes', { onRequest: requireSupervisor, schema: { response: { 200: DisputeBoard, ...errorReplies(401, 403) } } }, async (req) =>
    reports.disputeReport(app.db, req.auth.scope, app.now()),
  );

  app.get('/api/reports/disputes.:format', { onRequest: requireSupervisor, schema: { params: Type.Object({ format: Format }) } }, async (req, reply) => {
    const rows = await reports.disputeBoard(app.db, req.auth.scope, app.now());
    return send(reply, req.params.format ?? 'csv', '矛盾纠纷排查化解台账', {
      sheet: '矛盾纠纷排查化解台账',
      rows,
      columns: [
        { header: '登记时间', value: (r) => time(r.openedAt), width: 20 },
        { header: '所在支部', value: (r) => r.branchName, width: 28 },
        { header: '纠纷类别', value: (r) => labelOf(DISPUTE_CATEGORIES, r.category) },
        { header: '纠纷情况', value: (r) => r.description, width: 40 },
        { header: '风险等级', value: (r) => labelOf(DISPUTE_RISK_LEVELS, r.riskLevel), width: 18 },
        { header: '状态', value: (r) => DISPUTE_STATUS_LABELS[r.status]?.zh ?? r.status },
        { header: '当前受理', value: (r) => r.handlerName, width: 20 },
        { header: '停留天数', value: (r) => r.ageDays },
        { header: '是否超期', value: (r) => (r.overdue ? '已超期' : '未超期') },
      ],
    });
  });
};
