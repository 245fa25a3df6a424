import type { Kysely } from 'kysely';
import type { UnitKind } from '@shared/domain/org-tree.ts';
import type { Household } from '@shared/schemas/household.ts';
import type { Dispute, Mediation, Visit } from '@shared/schemas/records.ts';
import type { ConflictInput, ConflictState, DisputeEventInput, DisputeState, FieldMetaMap, HouseholdState, MutatorTx } from '@shared/sync/mutator-tx.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import type { ChangeBuffer } from './change-buffer.ts';
import { disputeRow, disputes, householdRow, households, mediationRow, visitRow } from './rows.ts';

type Db = Kysely<Database>;
interface HouseholdInfo {
  id: string;
  member_id: string | null;
  space_id: string | null;
  path: string;
  unit_space: string | null;
}

const COLUMN: Record<string, string> = {
  headName: 'head_name', phone: 'phone', size: 'size', address: 'address', careTags: 'care_tags', notes: 'notes',
};
const JSON_FIELDS = new Set(['address', 'careTags']);

/**
 * The server side of the shared MutatorTx: reads and writes through Kysely inside the push
 * transaction, and records every written row in the change log so pulls find it.
 */
export class KyselyMutatorTx implements MutatorTx {
  constructor(
    private readonly trx: Db,
    private readonly changes: ChangeBuffer,
    private readonly origin: { clientId: string; mutationId: number; userId: string; hlc: string },
    /** Liaison, space and path per household, shared by one push's mutations (a push never reassigns). */
    private readonly infoCache: Map<string, HouseholdInfo> = new Map(),
  ) {}

  private async householdInfo(ids: readonly string[]): Promise<HouseholdInfo[]> {
    const missing = ids.filter((id) => !this.infoCache.has(id));
    if (missing.length) {
      const rows = await this.trx
        .selectFrom('households')
        .innerJoin('units', 'units.id', 'households.unit_id')
        .select(['households.id', 'households.member_id', 'households.space_id', 'units.path', 'units.space_id as unit_space'])
        .where('households.id', 'in', missing)
        .execute();
      for (const r of rows) this.infoCache.set(r.id, r);
    }
    return ids.map((id) => this.infoCache.get(id)).filter((r): r is HouseholdInfo => r !== undefined);
  }

  /** Logs a change of a row that concerns these households (their liaisons' devices hold it). */
  private async record(table: 'households' | 'visits' | 'disputes' | 'mediations' | 'conflicts', rowId: string, householdIds: readonly string[], extraMembers: (string | null)[] = [], unitPath?: string) {
    const info = await this.householdInfo(householdIds);
    const first = info[0];
    if (!first) return;
    this.changes.add({
      spaceId: (first.space_id ?? first.unit_space)!,
      table,
      rowId,
      unitPath: unitPath ?? first.path,
      householdIds: [...householdIds],
      memberIds: [...info.map((h) => h.member_id), ...extraMembers].filter((m): m is string => !!m),
    });
  }

  async getHousehold(id: string): Promise<HouseholdState | undefined> {
    const r = await households(this.trx).where('households.id', '=', id).forUpdate('households').executeTakeFirst();
    return r ? householdRow(r) : undefined;
  }

  async updateHousehold(id: string, patch: Partial<Pick<Household, keyof typeof COLUMN & keyof Household>>, fieldMeta: FieldMetaMap, now: string) {
    const set: Record<string, unknown> = { field_meta: JSON.stringify(fieldMeta), updated_at: now };
    for (const [field, value] of Object.entries(patch)) set[COLUMN[field]!] = JSON_FIELDS.has(field) ? JSON.stringify(value) : value;
    await this.trx.updateTable('households').set(set).where('id', '=', id).execute();
    await this.record('households', id, [id]);
  }

  async getVisit(id: string): Promise<Visit | undefined> {
    const r = await this.trx.selectFrom('visits').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? visitRow(r) : undefined;
  }

  async putVisit(v: Visit, isNew: boolean) {
    const values = {
      household_id: v.householdId, member_id: v.memberId, visited_at: v.visitedAt, method: v.method, duty: v.duty,
      summary: v.summary, concerns: v.concerns, concern_categories: JSON.stringify(v.concernCategories), follow_up: v.followUp,
      late: v.late, amended_at: v.amendedAt,
    };
    if (isNew) {
      const [h] = await this.householdInfo([v.householdId]);
      await this.trx.insertInto('visits').values({ id: v.id, ...values, space_id: (h!.space_id ?? h!.unit_space)!, hlc: this.origin.hlc, created_at: v.createdAt }).execute();
    } else {
      await this.trx.updateTable('visits').set(values).where('id', '=', v.id).execute();
    }
    await this.record('visits', v.id, [v.householdId], [v.memberId]);
  }

  async getDispute(id: string): Promise<DisputeState | undefined> {
    const r = await disputes(this.trx).where('disputes.id', '=', id).forUpdate('disputes').executeTakeFirst();
    return r ? disputeRow(r) : undefined;
  }

  async putDispute(d: Dispute & { branchUnitId: string; statusBy: string; hlc: string }, isNew: boolean) {
    if (isNew) {
      const [h] = await this.householdInfo([d.householdIds[0]!]);
      await this.trx
        .insertInto('disputes')
        .values({
          id: d.id, space_id: (h!.space_id ?? h!.unit_space)!, branch_unit_id: d.branchUnitId, unit_id: d.unitId,
          household_ids: d.householdIds, other_parties: JSON.stringify(d.otherParties), category: d.category,
          description: d.description, risk_level: d.riskLevel, source: d.source, status: d.status, status_by: d.statusBy,
          opened_at: d.openedAt, opened_by: d.openedBy, hlc: d.hlc, updated_at: d.updatedAt,
        })
        .execute();
    } else {
      await this.trx
        .updateTable('disputes')
        .set({ status: d.status, unit_id: d.unitId, status_by: d.statusBy, hlc: d.hlc, updated_at: d.updatedAt })
        .where('id', '=', d.id)
        .execute();
    }
    const branch = await this.trx.selectFrom('units').select('path').where('id', '=', d.branchUnitId).executeTakeFirstOrThrow();
    await this.record('disputes', d.id, d.householdIds, [], branch.path);
  }

  async addDisputeEvent(e: DisputeEventInput) {
    await this.trx
      .insertInto('dispute_events')
      .values({ dispute_id: e.disputeId, from_status: e.from, to_status: e.to, unit_id: e.unitId, note: e.note, by_user_id: this.origin.userId, hlc: this.origin.hlc })
      .execute();
  }

  async getMediation(id: string): Promise<Mediation | undefined> {
    const r = await this.trx.selectFrom('mediations').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? mediationRow(r) : undefined;
  }

  async putMediation(m: Mediation) {
    const d = await disputes(this.trx).where('disputes.id', '=', m.disputeId).executeTakeFirstOrThrow();
    await this.trx
      .insertInto('mediations')
      .values({
        id: m.id, dispute_id: m.disputeId, space_id: d.space_id, mediated_at: m.mediatedAt, mediator_ids: JSON.stringify(m.mediatorIds),
        summary: m.summary, agreement_reached: m.agreementReached, agreement_kind: m.agreementKind, created_by: m.createdBy,
        late: m.late, hlc: this.origin.hlc, created_at: m.createdAt,
      })
      .execute();
    await this.record('mediations', m.id, d.household_ids, [], d.branch_path);
  }

  async parentUnit(unitId: string) {
    const r = await this.trx
      .selectFrom('units as u')
      .innerJoin('units as p', 'p.id', 'u.parent_id')
      .select(['p.id', 'p.kind', 'p.path'])
      .where('u.id', '=', unitId)
      .executeTakeFirst();
    return r ? { id: r.id, kind: r.kind as UnitKind, path: textToPath(r.path) } : undefined;
  }

  /**
   * Who held the household at `atMs`: the last hand-over before then, or — when the history
   * starts later — the member it was first taken from, or today's liaison if it never moved.
   */
  async heldAt(householdId: string, memberId: string, atMs: number) {
    const at = new Date(atMs);
    const before = await this.trx
      .selectFrom('household_assignments').select('to_member_id')
      .where('household_id', '=', householdId).where('at', '<=', at)
      .orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (before) return before.to_member_id === memberId;
    const after = await this.trx
      .selectFrom('household_assignments').select('from_member_id')
      .where('household_id', '=', householdId).where('at', '>', at)
      .orderBy('at').orderBy('id').limit(1).executeTakeFirst();
    if (after) return after.from_member_id === memberId;
    const h = await this.trx.selectFrom('households').select('member_id').where('id', '=', householdId).executeTakeFirst();
    return h?.member_id === memberId;
  }

  async getConflict(id: string): Promise<ConflictState | undefined> {
    const r = await this.trx.selectFrom('conflicts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return r
      ? { id: r.id, tableName: r.table_name as ConflictState['tableName'], recordId: r.record_id, field: r.field, keptValue: r.kept_value, lostValue: r.lost_value, status: r.status as ConflictState['status'], unitPath: textToPath(r.unit_path) }
      : undefined;
  }

  async settleConflict(id: string, s: { keep: 'current' | 'other'; comment: string; by: string; at: string }) {
    const r = await this.trx
      .updateTable('conflicts')
      .set({ status: 'resolved', resolved_by: s.by, resolved_at: s.at, resolution_note: `${s.keep === 'current' ? '维持现值' : '改用另一值'}${s.comment ? `：${s.comment}` : ''}` })
      .where('id', '=', id)
      .returning(['household_ids', 'unit_path'])
      .executeTakeFirstOrThrow();
    await this.record('conflicts', id, r.household_ids, [], r.unit_path);
  }

  async addConflict(c: ConflictInput) {
    const id = uuidv7();
    let householdIds: string[];
    let unitPath: string;
    if (c.table === 'households') {
      householdIds = [c.recordId];
      const [h] = await this.householdInfo(householdIds);
      unitPath = h!.path;
    } else {
      const d = await disputes(this.trx).where('disputes.id', '=', c.recordId).executeTakeFirstOrThrow();
      householdIds = d.household_ids;
      unitPath = d.branch_path;
    }
    const [h] = await this.householdInfo(householdIds);
    await this.trx
      .insertInto('conflicts')
      .values({
        id, space_id: (h!.space_id ?? h!.unit_space)!, unit_path: unitPath, table_name: c.table, record_id: c.recordId,
        household_ids: householdIds, field: c.field, policy: c.policy,
        kept_value: JSON.stringify(c.keptValue ?? null), lost_value: JSON.stringify(c.lostValue ?? null),
        kept_by: c.keptBy, lost_by: c.lostBy, kept_hlc: c.keptHlc, lost_hlc: c.lostHlc,
        client_id: this.origin.clientId, mutation_id: this.origin.mutationId, status: c.status,
      })
      .execute();
    await this.record('conflicts', id, householdIds, [], unitPath);
  }

}
