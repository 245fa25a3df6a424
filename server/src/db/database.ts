import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as JSON text (both drivers agree on that), read back parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface UnitsTable {
  id: string;
  kind: string;
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
}

export interface MembersTable {
  id: string;
  user_id: string;
  unit_id: string;
  central_household: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  retired_at: NullableTimestamp;
}

export interface GrantsTable {
  user_id: string;
  role: string;
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
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface HouseholdAssignmentsTable {
  id: Generated<number>;
  household_id: string;
  from_member_id: string | null;
  to_member_id: string | null;
  by_user_id: string | null;
  at: CreatedAt;
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
  at: CreatedAt;
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
}

export type UnitRow = Selectable<UnitsTable>;
export type HouseholdRow = Selectable<HouseholdsTable>;
export type NewHousehold = Insertable<HouseholdsTable>;
export type NewUnit = Insertable<UnitsTable>;
