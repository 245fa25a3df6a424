import { Value } from 'typebox/value';
import type { HouseholdLimits } from '@shared/domain/household.ts';
import type { GrantRole, Scope } from '@shared/domain/scope.ts';
import type { HouseholdRow } from '@shared/kinds/households.ts';
import type { MemberRow } from '@shared/kinds/members.ts';
import { Name, Phone } from '@shared/schemas/common.ts';
import type { RosterPerson, RosterUnit } from '../repositories/roster-repository.ts';
import type { CellProblem } from './roster-workbook.ts';

/** A household as the sync codec writes it (its unit's path is looked up, never stored). */
export type HouseholdWire = Omit<HouseholdRow, 'unitPath'>;

/** What a path of names came to: a unit the caller administers, or why not. */
export type UnitAnswer = { unit: RosterUnit } | { problem: string };

export interface RowCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** Everything an import would do, worked out before anything is written. */
export interface RosterPlan {
  people: RowCounts;
  households: RowCounts;
  problems: CellProblem[];
  /** New logins, one per new phone, with the sheet row that named them first. */
  newUsers: { id: string; phone: string; name: string; row: number }[];
  renames: { id: string; name: string; before: string; unitPath: string }[];
  members: { row: MemberRow; before: MemberRow | null; unitPath: string }[];
  grants: { userId: string; role: GrantRole; unitId: string; unitPath: string; name: string; phone: string }[];
  householdWrites: { row: HouseholdWire; before: HouseholdWire | null; unitPath: string; sheetRow: number }[];
}

/** What the plan reads: the caller, their units, the file's people as found, their households. */
export interface PlanInput {
  scope: Scope;
  limits: HouseholdLimits;
  now: Date;
  unitAt: (pathText: string) => UnitAnswer;
  /** People found by the file's phones, wherever they sit. */
  people: Map<string, RosterPerson>;
  /** Retired memberships in scope: the export leaves their phone out, and a blank keeps them. */
  retiredMembers: Set<string>;
  /** Households on units the caller administers, by id. */
  households: Map<string, HouseholdWire>;
  newId: () => string;
}

export const emptyCounts = (): RowCounts => ({ created: 0, updated: 0, unchanged: 0 });

export const isName = (s: string) => Value.Check(Name, s);
export const isPhone = (s: string) => Value.Check(Phone, s);

/** Collects cell problems of one sheet; `bad(row)` says whether a row already has one. */
export class Problems {
  readonly list: CellProblem[] = [];
  private readonly rows = new Set<string>();

  add(sheet: string, row: number, column: string, code: string, detail?: string): void {
    this.list.push({ sheet, row, column, code, ...(detail ? { detail } : {}) });
    this.rows.add(`${sheet}:${row}`);
  }

  bad(sheet: string, row: number): boolean {
    return this.rows.has(`${sheet}:${row}`);
  }
}
