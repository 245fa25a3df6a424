import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import * as roster from '../repositories/roster-repository.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import { recordAudit, type AuditEntry } from './audit.ts';
import type { RosterPlan } from './roster-plan.ts';
import { hashTemporaryPasswords, temporaryPassword } from './roster-passwords.ts';

/** Matches no password (not a `scrypt$…` hash): a login's state for the moment before its hash lands. */
const NO_PASSWORD = '!';

/** What the audit log keeps of a household: its content, not its sync bookkeeping. */
const auditHousehold = (h: Record<string, unknown> | null) => {
  if (!h) return null;
  const { fieldMeta: _f, updatedAt: _u, ...rest } = h;
  return rest;
};

/**
 * Writes a checked plan in the caller's transaction, set-based: logins, then members and
 * households through the one sync path (phones in scope receive them), grants, the assignment
 * history and one audit entry per row written. Returns the new people's temporary passwords.
 */
export async function applyPlan(trx: Kysely<Database>, plan: RosterPlan, actorUserId: string, now: Date) {
  const passwords = plan.newUsers.map(() => temporaryPassword());
  // Hashing (libuv's threads) runs while the rows are written; until it lands in this same
  // transaction the logins hold a hash no password matches, and nobody sees them before commit.
  const hashing = hashTemporaryPasswords(passwords);
  await roster.insertUsers(trx, plan.newUsers.map((u) => ({ ...u, passwordHash: NO_PASSWORD })));
  await roster.renameUsers(trx, plan.renames);

  const audit: AuditEntry[] = [];
  const entry = (action: string, targetKind: string, targetId: string, unitPath: string, before: unknown, after: unknown) =>
    audit.push({ actorUserId, action, targetKind, targetId, unitPath, before, after });
  const withMemberEntry = new Set(plan.members.map((m) => m.row.userId));
  for (const m of plan.members) entry('member.import', 'member', m.row.id, m.unitPath, m.before, m.row);
  for (const g of plan.grants) entry('grant.import', 'user', g.userId, g.unitPath, null, { role: g.role, unitId: g.unitId, name: g.name, phone: g.phone });
  for (const r of plan.renames) if (!withMemberEntry.has(r.id)) entry('user.import', 'user', r.id, r.unitPath, { name: r.before }, { name: r.name });
  for (const h of plan.householdWrites) entry('household.import', 'household', h.row.id, h.unitPath, auditHousehold(h.before), auditHousehold(h.row));

  await writeSynced(trx, async (w) => {
    await w.putMany('members', plan.members);
    await w.putMany('households', plan.householdWrites);
    await roster.insertGrants(trx, plan.grants);
    const moved = plan.householdWrites.filter((h) => h.row.memberId !== (h.before?.memberId ?? null));
    await roster.insertAssignments(trx, moved.map((h) => ({ householdId: h.row.id, fromMemberId: h.before?.memberId ?? null, toMemberId: h.row.memberId, byUserId: actorUserId, at: now })));
    await recordAudit(trx, audit, now);
    const hashes = await hashing;
    await roster.setPasswordHashes(trx, plan.newUsers.map((u, i) => ({ id: u.id, passwordHash: hashes[i]! })));
  });
  return plan.newUsers.map((u, i) => ({ row: u.row, name: u.name, phone: u.phone, password: passwords[i]! }));
}
