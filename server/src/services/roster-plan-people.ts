import { LIAISON_UNIT_KINDS } from '@shared/domain/org-tree.ts';
import { canAdminUnit, type Role } from '@shared/domain/scope.ts';
import { textToPath } from '../db/unit-path.ts';
import type { RosterPerson, RosterUnit } from '../repositories/roster-repository.ts';
import { PEOPLE_COLUMNS, PEOPLE_SHEET, parseFlag, parseRole, type PeopleKey } from './roster-columns.ts';
import { isName, isPhone, type PlanInput, type Problems, type RosterPlan } from './roster-plan.ts';
import type { SheetRow } from './roster-workbook.ts';

const header = Object.fromEntries(PEOPLE_COLUMNS.map((c) => [c.key, c.header])) as Record<PeopleKey, string>;

/** A liaison member as households see them once the import is done: by phone. */
export interface FinalMember {
  memberId: string;
  unitId: string;
}

export interface PeopleOutcome {
  members: Map<string, FinalMember>;
  /** Members the file moves to another unit: their households must follow (or be reassigned). */
  moved: Map<string, { unitId: string; row: number }>;
}

interface ParsedPerson {
  row: number;
  name: string;
  phone: string;
  unit: RosterUnit;
  role: Role;
  central: boolean;
}

/** Does the person hold anything outside the caller's subtrees (then only a higher admin renames them)? */
function beyondScope(input: PlanInput, p: RosterPerson): boolean {
  const outside = (path: string) => !canAdminUnit(input.scope, textToPath(path));
  return (p.member !== null && !p.member.retired && outside(p.member.unitPath)) || p.grants.some((g) => outside(g.unitPath));
}

/** Reads the 人员 sheet into the plan: who is new, who changes, who stays as they are. */
export function planPeople(rows: SheetRow<PeopleKey>[], input: PlanInput, plan: RosterPlan, problems: Problems): PeopleOutcome {
  const bad = (row: number, key: PeopleKey, code: string, detail?: string) => problems.add(PEOPLE_SHEET, row, header[key], code, detail);
  const parsed: ParsedPerson[] = [];
  for (const { row, cells } of rows) {
    for (const c of PEOPLE_COLUMNS) if ('required' in c && !cells[c.key]) bad(row, c.key, 'ROSTER_REQUIRED');
    if (cells.name && !isName(cells.name)) bad(row, 'name', 'ROSTER_NAME_INVALID');
    if (cells.phone && !isPhone(cells.phone)) bad(row, 'phone', 'ROSTER_PHONE_INVALID');
    const role = cells.role ? parseRole(cells.role) : null;
    if (cells.role && !role) bad(row, 'role', 'ROSTER_ROLE_INVALID');
    const central = parseFlag(cells.central);
    if (central === null) bad(row, 'central', 'ROSTER_FLAG_INVALID');
    else if (central && role && role !== 'member') bad(row, 'central', 'ROSTER_FLAG_NOT_MEMBER');
    const answer = cells.unit ? input.unitAt(cells.unit) : null;
    if (answer && 'problem' in answer) bad(row, 'unit', answer.problem, cells.unit);
    const unit = answer && 'unit' in answer ? answer.unit : null;
    if (unit && role === 'member' && !LIAISON_UNIT_KINDS.includes(unit.kind)) bad(row, 'unit', 'UNIT_NOT_LIAISON', cells.unit);
    if (!problems.bad(PEOPLE_SHEET, row)) parsed.push({ row, name: cells.name, phone: cells.phone, unit: unit!, role: role!, central: central! });
  }

  // One name per phone, one membership per phone, each grant once.
  const firstRow = new Map<string, ParsedPerson>();
  const seen = new Map<string, number>();
  const valid: ParsedPerson[] = [];
  for (const p of parsed) {
    const first = firstRow.get(p.phone);
    if (first && first.name !== p.name) {
      bad(p.row, 'name', 'ROSTER_NAME_MISMATCH', `第${first.row}行为“${first.name}”`);
      continue;
    }
    if (!first) firstRow.set(p.phone, p);
    const key = p.role === 'member' ? `${p.phone}:member` : `${p.phone}:${p.role}:${p.unit.id}`;
    const dup = seen.get(key);
    if (dup !== undefined) {
      bad(p.row, 'phone', 'ROSTER_DUPLICATE', p.role === 'member' ? `同一人只能有一行“联户党员”，见第${dup}行` : `与第${dup}行重复`);
      continue;
    }
    seen.set(key, p.row);
    valid.push(p);
  }

  const out: PeopleOutcome = { members: new Map(), moved: new Map() };
  for (const [phone, person] of input.people) {
    if (person.member && !person.member.retired) out.members.set(phone, { memberId: person.member.id, unitId: person.member.unitId });
  }
  const userIds = new Map<string, string>();
  const renamed = new Set<string>();
  for (const p of valid) {
    const person = input.people.get(p.phone);
    if (person?.disabled) {
      bad(p.row, 'phone', 'ROSTER_PERSON_DISABLED');
      continue;
    }
    const rename = person !== undefined && person.name !== p.name;
    if (rename && beyondScope(input, person)) {
      bad(p.row, 'name', 'ROSTER_PERSON_OUT_OF_SCOPE');
      continue;
    }
    let userId = person?.userId ?? userIds.get(p.phone);
    if (!userId) {
      userId = input.newId();
      userIds.set(p.phone, userId);
      plan.newUsers.push({ id: userId, phone: p.phone, name: p.name, row: p.row });
    }
    if (rename && !renamed.has(userId)) {
      renamed.add(userId);
      plan.renames.push({ id: userId, name: p.name, before: person.name, unitPath: p.unit.path });
    }
    const counts = plan.people;
    if (p.role === 'member') {
      const m = person?.member;
      if (m?.retired) {
        bad(p.row, 'phone', 'ROSTER_PERSON_DISABLED');
        continue;
      }
      if (m && !canAdminUnit(input.scope, textToPath(m.unitPath))) {
        bad(p.row, 'phone', 'ROSTER_PERSON_OUT_OF_SCOPE');
        continue;
      }
      const row = { id: m?.id ?? input.newId(), userId, unitId: p.unit.id, name: p.name, centralHousehold: p.central };
      out.members.set(p.phone, { memberId: row.id, unitId: row.unitId });
      if (!m) {
        counts.created++;
        plan.members.push({ row, before: null, unitPath: p.unit.path });
      } else if (m.unitId !== p.unit.id || m.centralHousehold !== p.central || rename) {
        counts.updated++;
        plan.members.push({ row, before: { ...row, unitId: m.unitId, name: person!.name, centralHousehold: m.centralHousehold }, unitPath: p.unit.path });
        if (m.unitId !== p.unit.id) out.moved.set(m.id, { unitId: p.unit.id, row: p.row });
      } else counts.unchanged++;
    } else {
      const held = person?.grants.some((g) => g.role === p.role && g.unitId === p.unit.id);
      if (!held) {
        counts.created++;
        plan.grants.push({ userId, role: p.role, unitId: p.unit.id, unitPath: p.unit.path, name: p.name, phone: p.phone });
      } else if (rename) counts.updated++;
      else counts.unchanged++;
    }
  }
  // A renamed member whose membership row the file did not touch still carries the new name to phones.
  const written = new Set(plan.members.map((m) => m.row.id));
  const byUser = new Map([...input.people.values()].map((p) => [p.userId, p]));
  for (const r of plan.renames) {
    const person = byUser.get(r.id);
    const m = person?.member;
    if (!m || m.retired || written.has(m.id)) continue;
    const row = { id: m.id, userId: r.id, unitId: m.unitId, name: r.name, centralHousehold: m.centralHousehold };
    plan.members.push({ row, before: { ...row, name: r.before }, unitPath: m.unitPath });
  }
  return out;
}
