import type { Kysely } from 'kysely';
import type { HouseholdLimits } from '@shared/domain/household.ts';
import { assignmentSummary, loadWarnings, overCapacity, type LoadChange } from '@shared/domain/household-load.ts';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import { DomainError, errorText, type ErrorCode } from '@shared/errors.ts';
import type { AssignmentBlock, AssignmentMove, AssignmentPreview, MemberLoad } from '@shared/schemas/admin-households.ts';
import { kindOf } from '@shared/sync/registry.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import * as households from '../repositories/household-repository.ts';
import * as members from '../repositories/member-repository.ts';
import { loadByIds } from '../sync/row-codec.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import { recordAudit } from './audit.ts';

type Db = Kysely<Database>;

/** A planned change of liaisons: what the preview shows and what the apply carries out. */
interface Plan {
  preview: AssignmentPreview;
  /** The households that change hands, with their unit paths (text) for the audit. */
  moving: { id: string; from: string | null; unitPath: string }[];
  /** The error details of a MEMBER_AT_CAPACITY block (the maximum, what the member holds). */
  capacity: { max: number; held: number } | null;
}

const block = (code: ErrorCode, householdId: string | null, message?: string): AssignmentBlock => ({ code, householdId, message: message ?? errorText(code) });

/**
 * The one home of the assignment rules (single, bulk, preview): every household must lie in a
 * subtree the caller administers and not be archived; the member must be active and of each
 * household's own unit; nobody may end up above the maximum by this change. Below the minimum
 * is a warning, not a refusal (a reassignment has to start somewhere). `lock` (the apply) locks
 * the households, then the member, so concurrent changes to one member cannot pass the cap.
 */
async function plan(db: Db, scope: Scope, householdIds: readonly string[], memberId: string | null, limits: HouseholdLimits, lock: boolean): Promise<Plan> {
  const ids = [...householdIds].sort();
  const found = await households.findHouseholds(db, ids, lock);
  const byId = new Map(found.map((h) => [h.id, h]));
  const blocks: AssignmentBlock[] = [];
  for (const id of ids) {
    const h = byId.get(id);
    if (!h) blocks.push(block('NOT_FOUND', id));
    else if (!canAdminUnit(scope, textToPath(h.unit_path))) blocks.push(block('FORBIDDEN', id));
    else if (h.archived_at) blocks.push(block('HOUSEHOLD_ARCHIVED', id));
  }
  const target = memberId ? await members.findMember(db, memberId, lock) : undefined;
  if (memberId && (!target || target.retired_at)) blocks.push(block('NOT_FOUND', null, '找不到该党员'));
  const usable = found.filter((h) => !blocks.some((b) => b.householdId === h.id));
  if (target && !target.retired_at) {
    for (const h of usable) if (h.unit_id !== target.unit_id) blocks.push(block('MEMBER_UNIT_MISMATCH', h.id));
  }
  const moving = usable.filter((h) => h.member_id !== memberId);
  const affected = [...new Set([...moving.map((h) => h.member_id), memberId].filter((m): m is string => m !== null))];
  const people = await households.memberNames(db, affected);
  const held = await households.countHeld(db, affected);
  const loads: (LoadChange & { unitName: string })[] = affected.map((id) => {
    const before = held.get(id) ?? 0;
    const out = moving.filter((h) => h.member_id === id).length;
    const into = id === memberId ? moving.length : 0;
    return { memberId: id, name: people.get(id)?.name ?? '', unitName: people.get(id)?.unitName ?? '', before, after: before - out + into };
  });
  const targetLoad = loads.find((l) => l.memberId === memberId);
  const capacity = targetLoad && overCapacity(limits, targetLoad) ? { max: limits.max, held: targetLoad.before } : null;
  if (capacity) blocks.push(block('MEMBER_AT_CAPACITY', null, `${targetLoad!.name} 已联系 ${capacity.held} 户，再分 ${moving.length} 户将超过最多 ${limits.max} 户`));
  const warnings = loadWarnings(limits, loads);
  const nameOf = (id: string | null) => (id ? { memberId: id, name: people.get(id)?.name ?? '' } : null);
  const moves: AssignmentMove[] = moving.map((h) => ({ householdId: h.id, headName: h.head_name, from: nameOf(h.member_id), to: nameOf(memberId) }));
  const memberLoads: MemberLoad[] = loads.map(({ memberId: id, name, unitName, before, after }) => ({ memberId: id, name, unitName, before, after }));
  const preview: AssignmentPreview = {
    limits: { min: limits.min, max: limits.max },
    moves,
    unchanged: usable.length - moving.length,
    members: memberLoads,
    warnings,
    blocks,
    summary: assignmentSummary(moves.map((m) => ({ from: m.from?.name ?? null, to: m.to?.name ?? null })), warnings),
  };
  return { preview, moving: moving.map((h) => ({ id: h.id, from: h.member_id, unitPath: h.unit_path })), capacity };
}

/** What giving these households to `memberId` would do; changes nothing. */
export async function previewAssignment(db: Db, scope: Scope, householdIds: readonly string[], memberId: string | null, limits: HouseholdLimits): Promise<AssignmentPreview> {
  return (await plan(db, scope, householdIds, memberId, limits, false)).preview;
}

/**
 * Carries out the plan inside the caller's transaction, all or nothing: refused with the first
 * blocking code, otherwise each household changes hands through the one sync path (the old
 * liaison's phone drops it, the new one's receives it with its history), with its assignment
 * history and an audit entry.
 */
export async function assignWithin(trx: Db, scope: Scope, householdIds: readonly string[], memberId: string | null, limits: HouseholdLimits, now: Date): Promise<AssignmentPreview> {
  const p = await plan(trx, scope, householdIds, memberId, limits, true);
  const first = p.preview.blocks[0];
  if (first) throw new DomainError(first.code as ErrorCode, first.message, first.code === 'MEMBER_AT_CAPACITY' ? (p.capacity ?? undefined) : undefined);
  if (p.moving.length === 0) return p.preview;
  const before = await loadByIds(trx, kindOf('households'), p.moving.map((m) => m.id));
  const names = new Map(p.preview.members.map((m) => [m.memberId, m.name]));
  const who = (id: string | null) => ({ memberId: id, memberName: id ? (names.get(id) ?? '') : null });
  await writeSynced(trx, async (writer) => {
    for (const row of before) {
      await writer.put('households', { ...row, memberId, updatedAt: now.toISOString() }, { before: row });
      await households.recordAssignment(trx, { householdId: row.id as string, fromMemberId: row.memberId as string | null, toMemberId: memberId, byUserId: scope.userId, at: now });
    }
  });
  await recordAudit(
    trx,
    p.moving.map((m) => ({ actorUserId: scope.userId, action: 'household.assign', targetKind: 'households', targetId: m.id, unitPath: m.unitPath, before: who(m.from), after: who(memberId) })),
    now,
  );
  return p.preview;
}

/** The bulk assignment as its own transaction. */
export async function applyAssignment(db: Db, scope: Scope, householdIds: readonly string[], memberId: string | null, limits: HouseholdLimits, now: Date): Promise<{ moved: number; preview: AssignmentPreview }> {
  return db.transaction().execute(async (trx) => {
    const preview = await assignWithin(trx, scope, householdIds, memberId, limits, now);
    return { moved: preview.moves.length, preview };
  });
}
