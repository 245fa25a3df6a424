import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

/** One admin action as the audit log keeps it (who, what, to which row, before → after). */
export interface AuditEntry {
  actorUserId: string;
  /** A code the desk labels in Chinese, `<target>.<verb>` (e.g. 'member.disable'). */
  action: string;
  targetKind: string;
  targetId: string;
  /** Text path ('/root/…/unit/') of the unit the target sits in: who may read the entry. */
  unitPath: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Writes audit entries in the caller's transaction, so an action and its record land or fail
 * together. Every admin write goes through here: the one home of "what the audit log holds".
 */
export async function recordAudit(db: Kysely<Database>, entries: AuditEntry | readonly AuditEntry[], at?: Date): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntry];
  // Large imports write thousands: batched so one statement stays well under the 65,535-parameter limit.
  for (let i = 0; i < list.length; i += 2000) {
    await db
      .insertInto('audit_log')
      .values(
        list.slice(i, i + 2000).map((e) => ({
          ...(at ? { at } : {}),
          actor_user_id: e.actorUserId,
          action: e.action,
          target_kind: e.targetKind,
          target_id: e.targetId,
          unit_path: e.unitPath,
          before: e.before === undefined ? null : JSON.stringify(e.before),
          after: e.after === undefined ? null : JSON.stringify(e.after),
        })),
      )
      .execute();
  }
}
