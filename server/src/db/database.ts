import type { ColumnType, Generated, Selectable } from 'kysely';
import type { DisputeStatus } from '@shared/domain/dispute.ts';
import type { DisputeCategory, DisputeRiskLevel, Duty, VisitMethod } from '@shared/domain/lists.ts';
import type { UnitKind } from '@shared/domain/org-tree.ts';
import type { GrantRole } from '@shared/domain/scope.ts';
import type { MutationStatus } from '@shared/sync/protocol.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as JSON text (both drivers agree on that), read back parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface UnitsTable {
  id: string;
  kind: UnitKind;
  name: string;
  parent_id: string | null;
  path: string;
  space_id: string | null;
  created_at: CreatedAt;
  retired_at: NullableTimestamp;
}

export interface UsersTable {
  id: string;
  phone: string;
  name: string;
  password_hash: string;
  created_at: CreatedAt;
  disabled_at: NullableTimestamp;
  /** Set when an admin resets the password: the next login must choose a new one. */
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface MembersTable {
  id: string;
  user_id: string;
  unit_id: string;
  central_household: ColumnType<boolean, boolean | undefined, boolean>;
  space_id: string | null;
  created_at: CreatedAt;
  retired_at: NullableTimestamp;
}

export interface GrantsTable {
  user_id: string;
  role: GrantRole;
  unit_id: string;
  created_at: CreatedAt;
}

export interface HouseholdsTable {
  id: string;
  unit_id: string;
  member_id: string | null;
  space_id: string | null;
  head_name: string;
  phone: string | null;
  size: number;
  address: Json<Record<string, string>>;
  care_tags: Json<string[]>;
  notes: ColumnType<string, string | undefined, string>;
  /** Per editable field: edits counted, stamp and user of the last (the merge's base version). */
  field_meta: ColumnType<Record<string, { v: number; hlc?: string; by?: string }>, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Set when an admin archives it: off every device and every count; its records stay. */
  archived_at: NullableTimestamp;
}

export interface HouseholdAssignmentsTable {
  id: Generated<number>;
  household_id: string;
  from_member_id: string | null;
  to_member_id: string | null;
  by_user_id: string | null;
  at: CreatedAt;
  space_id?: string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  client_id: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface LoginFailuresTable {
  phone: string;
  /** The source address the attempt came from (Fastify's request.ip). */
  address: ColumnType<string, string | undefined, never>;
  at: CreatedAt;
}

export interface SpaceVersionsTable {
  space_id: string;
  version: ColumnType<number, number | undefined, number>;
  pruned_through: ColumnType<number, number | undefined, number>;
}

export interface ChangesTable {
  seq: Generated<number>;
  space_id: string;
  version: number;
  table_name: string;
  row_id: string;
  unit_path: string;
  household_ids: ColumnType<string[], string[] | undefined, string[]>;
  member_ids: ColumnType<string[], string[] | undefined, string[]>;
  /** Seen by every device whose scope covers `unit_path` (members at or below it too). */
  unit_wide: ColumnType<boolean, boolean | undefined, boolean>;
  /** Who sees the row changed: a device newly given it also gets what depends on it. */
  scope_change: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface VisitsTable {
  id: string;
  household_id: string;
  member_id: string;
  space_id: string;
  visited_at: Timestamp;
  method: VisitMethod;
  duty: Duty;
  summary: string;
  concerns: string;
  concern_categories: Json<string[]>;
  follow_up: boolean;
  late: boolean;
  hlc: string;
  created_at: Timestamp;
  amended_at: NullableTimestamp;
}

export interface DisputesTable {
  id: string;
  space_id: string;
  branch_unit_id: string;
  unit_id: string;
  household_ids: string[];
  other_parties: Json<string[]>;
  category: DisputeCategory;
  description: string;
  risk_level: DisputeRiskLevel;
  source: 'party_request' | 'grid_found' | 'handed_over';
  status: DisputeStatus;
  status_by: string;
  opened_at: Timestamp;
  opened_by: string;
  hlc: string;
  updated_at: Timestamp;
}

export interface RecordEventsTable {
  id: Generated<number>;
  table_name: string;
  record_id: string;
  from_status: string | null;
  to_status: string;
  unit_id: string;
  note: string;
  by_user_id: string;
  hlc: string;
  at: Timestamp;
}

export interface MediationsTable {
  id: string;
  dispute_id: string;
  space_id: string;
  mediated_at: Timestamp;
  mediator_ids: Json<string[]>;
  summary: string;
  agreement_reached: boolean;
  agreement_kind: 'written' | 'oral' | null;
  created_by: string;
  late: boolean;
  hlc: string;
  created_at: Timestamp;
}

export interface ConflictsTable {
  id: string;
  space_id: string;
  unit_id: string;
  table_name: string;
  record_id: string;
  household_ids: string[];
  field: string;
  policy: 'lww' | 'review' | 'transition';
  kept_value: Json<unknown | null>;
  lost_value: Json<unknown | null>;
  kept_by: string | null;
  lost_by: string | null;
  kept_hlc: string | null;
  lost_hlc: string;
  client_id: string;
  mutation_id: number;
  status: 'open' | 'logged' | 'resolved';
  created_at: CreatedAt;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
  resolution: 'current' | 'other' | null;
  resolution_note: string | null;
}

/** Per space id, a version. */
type SpacePositions = Record<string, number>;

export interface SyncClientsTable {
  client_id: string;
  user_id: string;
  last_mutation_id: ColumnType<number, number | undefined, number>;
  schema_version: ColumnType<number, number | undefined, number>;
  app_version: string | null;
  created_at: CreatedAt;
  last_push_at: NullableTimestamp;
  last_pull_at: NullableTimestamp;
  outbox_length: number | null;
  oldest_pending_at: NullableTimestamp;
  storage_used: number | null;
  storage_quota: number | null;
  storage_persisted: boolean | null;
  last_error: string | null;
  last_error_at: NullableTimestamp;
  clock_skew_ms: number | null;
  revoked_at: NullableTimestamp;
  revoke_kind: 'retire' | 'lost' | null;
  /** The User-Agent the device's browser sent at its latest sync (the desk names the device by it). */
  user_agent: string | null;
  /** Per space, the version the device has received everything up to (from the cursor it sent). */
  pull_position: ColumnType<SpacePositions | null, string | null, string | null>;
}

export interface MutationLogTable {
  id: Generated<number>;
  client_id: string;
  user_id: string;
  mutation_id: number;
  name: string;
  args: Json<unknown>;
  schema_version: number;
  hlc: string;
  server_time: Timestamp;
  status: MutationStatus;
  code: string | null;
  message: string | null;
  late: boolean;
  clock_clamped: boolean;
  space_id: string | null;
}

export interface HeldMutationsTable {
  id: Generated<number>;
  client_id: string;
  user_id: string;
  mutation_id: number;
  name: string;
  args: Json<unknown>;
  schema_version: number;
  hlc: string;
  held_at: CreatedAt;
  decision: 'accept' | 'refuse' | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  result_code: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_user_id: string;
  action: string;
  target_kind: string;
  target_id: string;
  unit_path: string;
  before: ColumnType<unknown | null, string | null, string | null>;
  after: ColumnType<unknown | null, string | null, string | null>;
}

export interface Database {
  units: UnitsTable;
  users: UsersTable;
  members: MembersTable;
  grants: GrantsTable;
  households: HouseholdsTable;
  household_assignments: HouseholdAssignmentsTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  space_versions: SpaceVersionsTable;
  changes: ChangesTable;
  visits: VisitsTable;
  disputes: DisputesTable;
  record_events: RecordEventsTable;
  mediations: MediationsTable;
  conflicts: ConflictsTable;
  sync_clients: SyncClientsTable;
  mutation_log: MutationLogTable;
  held_mutations: HeldMutationsTable;
  audit_log: AuditLogTable;
}

export type UnitRow = Selectable<UnitsTable>;
export type HouseholdRow = Selectable<HouseholdsTable>;
