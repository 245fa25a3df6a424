import type { Kysely } from 'kysely';
import type { HouseholdLimits } from '@shared/domain/household.ts';
import { loadWarnings, type LoadWarning } from '@shared/domain/household-load.ts';
import type { Scope } from '@shared/domain/scope.ts';
import { DomainError } from '@shared/errors.ts';
import type { AdminHouseholdEdit } from '@shared/schemas/admin-households.ts';
import { formatHlc } from '@shared/sync/hlc.ts';
import type { MutatorContext } from '@shared/sync/mutator-tx.ts';
import { runMutation } from '@shared/sync/mutators.ts';
import { kindOf } from '@shared/sync/registry.ts';
import type { Database } from '../db/database.ts';
import * as households from '../repositories/household-repository.ts';
import { KyselyMutatorTx } from '../sync/kysely-mutator-tx.ts';
import { loadByIds } from '../sync/row-codec.ts';
import { writeSynced } from '../sync/sync-writer.ts';
import { recordAudit } from './audit.ts';
import { administeredHousehold } from './household-service.ts';

type Db = Kysely<Database>;
type Row = Record<string, unknown>;

/** Where a desk edit says it came from: conflicts and field stamps name the desk, not a phone. */
const DESK_CLIENT = 'desk';

/**
 * An admin's edit of a household's profile, merged by the very mutator a phone's edit runs
 * (`household.update`): the same field versions and policies, so the desk and the phones can
 * never disagree on who wins. The desk is online and sends the versions it shows; a field
 * changed meanwhile is settled by its policy and the reply says `conflict`. Audited with the
 * fields that changed.
 */
export async function editHousehold(db: Db, scope: Scope, id: string, edit: AdminHouseholdEdit, now: Date): Promise<'applied' | 'conflict'> {
  return db.transaction().execute(async (trx) => {
    const row = await administeredHousehold(trx, scope, id);
    if (row.archived_at) throw new DomainError('HOUSEHOLD_ARCHIVED');
    const hlc = formatHlc({ wall: now.getTime(), counter: 0, node: DESK_CLIENT });
    const ctx: MutatorContext = { side: 'server', userId: scope.userId, memberId: scope.memberId, scope, hlc, now: now.toISOString(), deviceNow: now.getTime() };
    const [before] = await loadByIds(trx, kindOf('households'), [id]);
    const result = await writeSynced(trx, (writer) =>
      runMutation(new KyselyMutatorTx(writer, { clientId: DESK_CLIENT, mutationId: 0, userId: scope.userId, hlc, now: ctx.now }), ctx, 'household.update', { id, changes: edit.changes }),
    );
    const [after] = await loadByIds(trx, kindOf('households'), [id]);
    const changed = Object.keys(edit.changes).filter((f) => JSON.stringify(before![f]) !== JSON.stringify(after![f]));
    if (changed.length) {
      const pick = (r: Row) => Object.fromEntries(changed.map((f) => [f, r[f]]));
      await recordAudit(trx, { actorUserId: scope.userId, action: 'household.edit', targetKind: 'households', targetId: id, unitPath: row.unit_path, before: pick(before!), after: pick(after!) }, now);
    }
    return result.status === 'conflict' ? 'conflict' : 'applied';
  });
}

/**
 * Archives a household: it leaves every device (its kind's `hiddenWhen`) and its liaison's
 * list — the assignment history records the release, so late work made while it was held is
 * still accepted — while its visits and disputes stay. Returns the load warnings of the
 * liaison it leaves. Archiving an archived household changes nothing.
 */
export async function archiveHousehold(db: Db, scope: Scope, id: string, limits: HouseholdLimits, now: Date): Promise<LoadWarning[]> {
  return db.transaction().execute(async (trx) => {
    const row = await administeredHousehold(trx, scope, id);
    if (row.archived_at) return [];
    const liaison = row.member_id;
    const names = liaison ? await households.memberNames(trx, [liaison]) : new Map<string, { name: string }>();
    const held = liaison ? ((await households.countHeld(trx, [liaison])).get(liaison) ?? 0) : 0;
    const [before] = await loadByIds(trx, kindOf('households'), [id]);
    await writeSynced(trx, async (writer) => {
      await writer.put('households', { ...before!, memberId: null, updatedAt: now.toISOString() }, { before: before!, extra: { archived_at: now } });
      if (liaison) await households.recordAssignment(trx, { householdId: id, fromMemberId: liaison, toMemberId: null, byUserId: scope.userId, at: now });
    });
    const memberName = liaison ? (names.get(liaison)?.name ?? '') : null;
    await recordAudit(
      trx,
      { actorUserId: scope.userId, action: 'household.archive', targetKind: 'households', targetId: id, unitPath: row.unit_path, before: { archivedAt: null, memberId: liaison, memberName }, after: { archivedAt: now.toISOString(), memberId: null, memberName: null } },
      now,
    );
    return liaison ? loadWarnings(limits, [{ memberId: liaison, name: memberName ?? '', before: held, after: held - 1 }]) : [];
  });
}

/**
 * Brings an archived household back, with no liaison: the devices of its unit's supervisors
 * receive it again with its records (a hidden row restored counts as newly given).
 */
export async function unarchiveHousehold(db: Db, scope: Scope, id: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await administeredHousehold(trx, scope, id);
    if (!row.archived_at) return;
    const [before] = await loadByIds(trx, kindOf('households'), [id]);
    await writeSynced(trx, (writer) => writer.put('households', { ...before!, updatedAt: now.toISOString() }, { before: before!, extra: { archived_at: null } }));
    await recordAudit(
      trx,
      { actorUserId: scope.userId, action: 'household.unarchive', targetKind: 'households', targetId: id, unitPath: row.unit_path, before: { archivedAt: row.archived_at.toISOString() }, after: { archivedAt: null } },
      now,
    );
  });
}
