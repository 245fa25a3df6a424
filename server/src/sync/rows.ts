import type { Kysely, Selectable } from 'kysely';
import type { Address } from '@shared/schemas/household.ts';
import type { ConflictRow, DisputeRow, HouseholdRow, MediationRow, MemberRow, UnitRow, VisitRow } from '@shared/sync/protocol.ts';
import type { ConflictsTable, Database, DisputesTable, HouseholdsTable, MediationsTable, VisitsTable } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';

type Db = Kysely<Database>;
const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * One home for "a database row as the wire carries it", and the queries that load rows with
 * the paths the scope rules need. Pulls, mutators and reports all read through here.
 */
export function householdRow(r: Selectable<HouseholdsTable> & { unit_path: string }): HouseholdRow {
  return {
    id: r.id,
    unitId: r.unit_id,
    memberId: r.member_id,
    headName: r.head_name,
    phone: r.phone,
    size: r.size,
    address: r.address as unknown as Address,
    careTags: r.care_tags,
    notes: r.notes,
    updatedAt: iso(r.updated_at),
    fieldMeta: r.field_meta ?? {},
    unitPath: textToPath(r.unit_path),
  };
}

export function visitRow(r: Selectable<VisitsTable>): VisitRow {
  return {
    id: r.id,
    householdId: r.household_id,
    memberId: r.member_id,
    visitedAt: iso(r.visited_at),
    method: r.method as VisitRow['method'],
    duty: r.duty as VisitRow['duty'],
    summary: r.summary,
    concerns: r.concerns,
    concernCategories: r.concern_categories as VisitRow['concernCategories'],
    followUp: r.follow_up,
    late: r.late,
    createdAt: iso(r.created_at),
    amendedAt: r.amended_at ? iso(r.amended_at) : null,
  };
}

export function disputeRow(r: Selectable<DisputesTable> & { branch_path: string; unit_path: string }): DisputeRow {
  return {
    id: r.id,
    householdIds: r.household_ids,
    otherParties: r.other_parties,
    category: r.category as DisputeRow['category'],
    description: r.description,
    riskLevel: r.risk_level as DisputeRow['riskLevel'],
    source: r.source as DisputeRow['source'],
    status: r.status as DisputeRow['status'],
    unitId: r.unit_id,
    openedAt: iso(r.opened_at),
    openedBy: r.opened_by,
    updatedAt: iso(r.updated_at),
    branchUnitId: r.branch_unit_id,
    branchPath: textToPath(r.branch_path),
    unitPath: textToPath(r.unit_path),
    statusBy: r.status_by,
    hlc: r.hlc,
  };
}

export function mediationRow(r: Selectable<MediationsTable>): MediationRow {
  return {
    id: r.id,
    disputeId: r.dispute_id,
    mediatedAt: iso(r.mediated_at),
    mediatorIds: r.mediator_ids,
    summary: r.summary,
    agreementReached: r.agreement_reached,
    agreementKind: (r.agreement_kind ?? null) as MediationRow['agreementKind'],
    createdBy: r.created_by,
    late: r.late,
    createdAt: iso(r.created_at),
  };
}

export function conflictRow(r: Selectable<ConflictsTable>): ConflictRow {
  return {
    id: r.id,
    tableName: r.table_name as ConflictRow['tableName'],
    recordId: r.record_id,
    householdIds: r.household_ids,
    field: r.field,
    policy: r.policy as ConflictRow['policy'],
    keptValue: r.kept_value,
    lostValue: r.lost_value,
    keptBy: r.kept_by,
    lostBy: r.lost_by,
    keptHlc: r.kept_hlc,
    lostHlc: r.lost_hlc,
    status: r.status as ConflictRow['status'],
    createdAt: iso(r.created_at),
    resolvedAt: r.resolved_at ? iso(r.resolved_at) : null,
    resolutionNote: r.resolution_note,
  };
}

export function unitRow(r: { id: string; kind: string; name: string; parent_id: string | null; space_id: string | null; retired_at: Date | null; path: string }): UnitRow {
  return {
    id: r.id,
    kind: r.kind as UnitRow['kind'],
    name: r.name,
    parentId: r.parent_id,
    spaceId: r.space_id,
    retiredAt: r.retired_at ? iso(r.retired_at) : null,
    path: textToPath(r.path),
  };
}

export function memberRow(r: { id: string; user_id: string; unit_id: string; name: string; central_household: boolean }): MemberRow {
  return { id: r.id, userId: r.user_id, unitId: r.unit_id, name: r.name, centralHousehold: r.central_household };
}

/** Households with their unit's path. */
export const households = (db: Db) =>
  db.selectFrom('households').innerJoin('units', 'units.id', 'households.unit_id').selectAll('households').select('units.path as unit_path');

/** Disputes with the paths of their branch (who sees them) and their handling unit (its tier). */
export const disputes = (db: Db) =>
  db
    .selectFrom('disputes')
    .innerJoin('units as branch', 'branch.id', 'disputes.branch_unit_id')
    .innerJoin('units as handler', 'handler.id', 'disputes.unit_id')
    .selectAll('disputes')
    .select(['branch.path as branch_path', 'handler.path as unit_path']);

export const members = (db: Db) =>
  db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .innerJoin('units', 'units.id', 'members.unit_id')
    .select(['members.id', 'members.user_id', 'members.unit_id', 'members.central_household', 'users.name', 'units.path as unit_path'])
    .where('members.retired_at', 'is', null);
