import { sql, type Kysely } from 'kysely';
import type { Scope } from '@shared/domain/scope.ts';
import type { AuditQuery } from '@shared/schemas/admin-households.ts';
import type { Database } from '../db/database.ts';
import { adminPrefixes, inSubtreeOf, underAny } from '../access/scope-sql.ts';
import { likeText } from './admin-household-repository.ts';

type Db = Kysely<Database>;

/** The first instant of a China-time calendar day ('2025-03-01'), `days` later. */
const dayStart = (day: string, days = 0) => new Date(Date.parse(`${day}T00:00:00+08:00`) + days * 86_400_000);

/** Audit entries under the caller's administered subtrees, filtered as the desk asks. */
function filtered(db: Db, scope: Scope, f: AuditQuery) {
  let q = db.selectFrom('audit_log as a').innerJoin('users as u', 'u.id', 'a.actor_user_id').where(underAny('a.unit_path', adminPrefixes(scope)));
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.actor?.trim()) {
    const like = likeText(f.actor.trim());
    q = q.where(sql<boolean>`(u.name ilike ${like} or u.phone like ${like})`);
  }
  if (f.target?.trim()) {
    const text = f.target.trim();
    const like = likeText(text);
    q = q.where(sql<boolean>`(a.target_id = ${text} or a.before::text ilike ${like} or a.after::text ilike ${like})`);
  }
  if (f.from) q = q.where('a.at', '>=', dayStart(f.from));
  if (f.to) q = q.where('a.at', '<', dayStart(f.to, 1));
  if (f.unitId) q = q.where(inSubtreeOf('a.unit_path', f.unitId));
  return q;
}

export async function countAudit(db: Db, scope: Scope, f: AuditQuery): Promise<number> {
  const { n } = await filtered(db, scope, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

/** Entries newest first, with the actor's name and phone. */
export async function listAudit(db: Db, scope: Scope, f: AuditQuery, page: { limit: number; offset: number }) {
  return filtered(db, scope, f)
    .select(['a.id', 'a.at', 'a.action', 'a.actor_user_id', 'a.target_kind', 'a.target_id', 'a.unit_path', 'a.before', 'a.after', 'u.name as actor_name', 'u.phone as actor_phone'])
    .orderBy('a.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}
