import type { Kysely } from 'kysely';
import { auditActionLabel } from '@shared/domain/audit-actions.ts';
import { auditChangeText } from '@shared/domain/audit-change.ts';
import type { Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { AuditEntryView, AuditPage, AuditQuery } from '@shared/schemas/admin-households.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import { unitNames } from '../repositories/admin-household-repository.ts';
import * as audit from '../repositories/audit-repository.ts';
import type { ExportTable } from './table-export.ts';

type Db = Kysely<Database>;

/** More than this many entries is not a sheet anyone reads: the caller narrows the filters. */
const EXPORT_LIMIT = 50_000;

async function toViews(db: Db, rows: Awaited<ReturnType<typeof audit.listAudit>>): Promise<AuditEntryView[]> {
  const paths = rows.map((r) => textToPath(r.unit_path));
  const names = await unitNames(db, paths);
  return rows.map((r, i) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    action: r.action,
    actorUserId: r.actor_user_id,
    actorName: r.actor_name,
    actorPhone: r.actor_phone,
    targetKind: r.target_kind,
    targetId: r.target_id,
    unitId: paths[i]!.at(-1) ?? null,
    unitPathNames: paths[i]!.map((id) => names.get(id) ?? ''),
    before: r.before ?? null,
    after: r.after ?? null,
  }));
}

/** A page of the audit log of the caller's administered subtrees, newest first. */
export async function auditPage(db: Db, scope: Scope, q: AuditQuery): Promise<AuditPage> {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const [total, rows] = await Promise.all([audit.countAudit(db, scope, q), audit.listAudit(db, scope, q, { limit: pageSize, offset: (page - 1) * pageSize })]);
  return { total, page, pageSize, entries: await toViews(db, rows) };
}

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** The filtered log as a sheet: Chinese headers and action labels, each change as "字段：旧 → 新". */
export async function auditTable(db: Db, scope: Scope, q: AuditQuery): Promise<ExportTable<AuditEntryView>> {
  const total = await audit.countAudit(db, scope, q);
  if (total > EXPORT_LIMIT) throw new DomainError('EXPORT_TOO_LARGE');
  const rows = await toViews(db, await audit.listAudit(db, scope, q, { limit: EXPORT_LIMIT, offset: 0 }));
  return {
    sheet: '操作日志',
    rows,
    columns: [
      { header: '时间', value: (r) => time(r.at), width: 20 },
      { header: '操作人', value: (r) => r.actorName },
      { header: '操作人手机号', value: (r) => r.actorPhone, width: 16 },
      { header: '操作', value: (r) => auditActionLabel(r.action) },
      { header: '所属组织', value: (r) => r.unitPathNames.join(' / '), width: 40 },
      { header: '变更内容（原 → 新）', value: (r) => auditChangeText(r.targetKind, r.before, r.after), width: 60 },
      { header: '对象编号', value: (r) => r.targetId, width: 38 },
    ],
  };
}
