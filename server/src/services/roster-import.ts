import type { Kysely } from 'kysely';
import type { HouseholdLimits } from '@shared/domain/household.ts';
import { canAdminUnit, type Scope } from '@shared/domain/scope.ts';
import { errorText } from '@shared/errors.ts';
import { kindOf } from '@shared/sync/registry.ts';
import { uuidv7 } from '@shared/uuid.ts';
import type { Database } from '../db/database.ts';
import { textToPath } from '../db/unit-path.ts';
import * as roster from '../repositories/roster-repository.ts';
import { fromColumns } from '../sync/row-codec.ts';
import { applyPlan } from './roster-apply.ts';
import { HOUSEHOLD_SHEET, PEOPLE_SHEET } from './roster-columns.ts';
import { planHouseholds } from './roster-plan-households.ts';
import { planPeople } from './roster-plan-people.ts';
import { emptyCounts, isPhone, Problems, type HouseholdWire, type RosterPlan, type UnitAnswer } from './roster-plan.ts';
import { pathNames, UnitPaths } from './roster-units.ts';
import { parseWorkbook, type CellProblem, type ParsedRoster } from './roster-workbook.ts';

type Db = Kysely<Database>;

/** Errors listed in one answer; the count says how many there were in all. */
export const MAX_LISTED_ERRORS = 1000;

export interface ImportOptions {
  dryRun: boolean;
  limits: HouseholdLimits;
  now: Date;
}

export interface ImportResult {
  dryRun: boolean;
  /** True when the rows were written (dryRun=0 and no error). */
  applied: boolean;
  created: number;
  updated: number;
  unchanged: number;
  people: { created: number; updated: number; unchanged: number };
  households: { created: number; updated: number; unchanged: number };
  errors: { sheet: string; row: number; column: string; code: string; message: string }[];
  errorCount: number;
  /** Temporary passwords of the people created, shown this once (applied imports only). */
  passwords: { row: number; name: string; phone: string; password: string }[];
}

const SHEET_ORDER = [PEOPLE_SHEET, HOUSEHOLD_SHEET];

/**
 * Checks a roster workbook against the caller's scope and, unless a dry run, applies it in one
 * transaction: all of it, or — on any error — nothing. Dry run and apply run the same checks.
 */
export async function importRoster(db: Db, scope: Scope, body: Buffer, opts: ImportOptions): Promise<ImportResult> {
  const parsed = await parseWorkbook(body);
  return db.transaction().execute(async (trx) => {
    const plan = await planImport(trx, scope, parsed, opts);
    const errors = plan.problems;
    const applied = !opts.dryRun && errors.length === 0;
    const passwords = applied ? await applyPlan(trx, plan, scope.userId, opts.now) : [];
    return result(plan, errors, opts.dryRun, applied, passwords);
  });
}

async function planImport(db: Db, scope: Scope, parsed: ParsedRoster, opts: ImportOptions): Promise<RosterPlan> {
  const plan: RosterPlan = {
    people: emptyCounts(), households: emptyCounts(), problems: [], newUsers: [], renames: [], members: [], grants: [], householdWrites: [],
  };
  const problems = new Problems();
  for (const p of parsed.problems) problems.add(p.sheet, p.row, p.column, p.code, p.detail);
  if (parsed.problems.length) {
    plan.problems = problems.list;
    return plan;
  }
  const paths = [...new Set([...parsed.people, ...parsed.households].map((r) => r.cells.unit).filter(Boolean))];
  const unitAt = await unitResolver(db, scope, paths);
  const phones = new Set([...parsed.people.map((r) => r.cells.phone), ...parsed.households.map((r) => r.cells.memberPhone)].filter(isPhone));
  const kind = kindOf('households');
  const households = new Map<string, HouseholdWire>();
  for (const r of await roster.listScopeHouseholds(db, scope)) households.set(r.id as string, fromColumns(kind, r) as HouseholdWire);
  const input = {
    scope, limits: opts.limits, now: opts.now, unitAt, households, newId: uuidv7,
    people: await roster.findPeopleByPhones(db, [...phones]),
    retiredMembers: await roster.listRetiredMemberIds(db, scope),
  };
  const outcome = planPeople(parsed.people, input, plan, problems);
  planHouseholds(parsed.households, input, plan, problems, outcome);
  plan.problems = problems.list;
  return plan;
}

/**
 * Paths of names to units the caller administers. A path that names no unit in scope is looked
 * up in the whole tree by its names, only to say "outside your scope" rather than "no such unit".
 */
async function unitResolver(db: Db, scope: Scope, paths: string[]): Promise<(path: string) => UnitAnswer> {
  const scopeUnits = await roster.listScopeUnits(db, scope);
  const starts = scope.adminRoots.map((r) => r.unitId);
  const near = new UnitPaths(scopeUnits, starts);
  const answers = new Map<string, UnitAnswer>();
  const unknown: string[] = [];
  for (const text of paths) {
    const hit = near.resolve(text);
    if ('unit' in hit) answers.set(text, canAdminUnit(scope, textToPath(hit.unit.path)) ? hit : { problem: 'ROSTER_UNIT_OUT_OF_SCOPE' });
    else if (hit.problem === 'ROSTER_UNIT_UNKNOWN') unknown.push(text);
    else answers.set(text, hit);
  }
  if (unknown.length) {
    const named = await roster.listUnitsNamed(db, [...new Set(unknown.flatMap(pathNames))]);
    const known = new Set(scopeUnits.map((u) => u.id));
    const far = new UnitPaths([...scopeUnits, ...named.filter((u) => !known.has(u.id))], starts);
    for (const text of unknown) {
      const hit = far.resolve(text);
      answers.set(text, 'unit' in hit ? { problem: 'ROSTER_UNIT_OUT_OF_SCOPE' } : { problem: 'ROSTER_UNIT_UNKNOWN' });
    }
  }
  return (text) => answers.get(text) ?? { problem: 'ROSTER_UNIT_UNKNOWN' };
}

const message = (p: CellProblem) => errorText(p.code) + (p.detail ? `：${p.detail}` : '');

function result(plan: RosterPlan, problems: CellProblem[], dryRun: boolean, applied: boolean, passwords: ImportResult['passwords']): ImportResult {
  const sorted = [...problems].sort((a, b) => SHEET_ORDER.indexOf(a.sheet) - SHEET_ORDER.indexOf(b.sheet) || a.row - b.row);
  const sum = (k: 'created' | 'updated' | 'unchanged') => plan.people[k] + plan.households[k];
  return {
    dryRun,
    applied,
    created: sum('created'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    people: plan.people,
    households: plan.households,
    errors: sorted.slice(0, MAX_LISTED_ERRORS).map((p) => ({ sheet: p.sheet, row: p.row, column: p.column, code: p.code, message: message(p) })),
    errorCount: problems.length,
    passwords,
  };
}
