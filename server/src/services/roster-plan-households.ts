import { Value } from 'typebox/value';
import { gridOf } from '@shared/domain/org-tree.ts';
import { HOUSEHOLD_FIELD_POLICIES } from '@shared/kinds/households.ts';
import { CreateHousehold, VillageAddress, type Address } from '@shared/schemas/household.ts';
import { formatHlc } from '@shared/sync/hlc.ts';
import { sameValue } from '@shared/sync/same-value.ts';
import { HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, parseCareTags, PEOPLE_COLUMNS, PEOPLE_SHEET, SIZE_RANGE, type HouseholdKey } from './roster-columns.ts';
import type { PeopleOutcome } from './roster-plan-people.ts';
import { isName, isPhone, type PlanInput, type Problems, type RosterPlan } from './roster-plan.ts';
import type { SheetRow } from './roster-workbook.ts';

const header = Object.fromEntries(HOUSEHOLD_COLUMNS.map((c) => [c.key, c.header])) as Record<HouseholdKey, string>;
const isPart = (s: string) => Value.Check(VillageAddress.properties.houseNumber, s);
const isNotes = (s: string) => Value.Check(CreateHousehold.properties.notes, s);
const URBAN_PARTS = ['building', 'entrance', 'room'] as const;

/** Two addresses are one when their parts are (jsonb does not keep key order). */
const addressKey = (a: Address) => (a.kind === 'village' ? `v|${a.houseNumber}` : `u|${a.building}|${a.entrance}|${a.room}`);
/** A household's natural key, for a row without 户编号: its unit, address and head. */
const naturalKey = (unitId: string, address: Address, headName: string) => `${unitId}|${addressKey(address)}|${headName}`;

const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t) => b.includes(t));

/** Reads the 户 sheet into the plan; runs after the people, whose phones it names as liaisons. */
export function planHouseholds(rows: SheetRow<HouseholdKey>[], input: PlanInput, plan: RosterPlan, problems: Problems, people: PeopleOutcome): void {
  const bad = (row: number, key: HouseholdKey, code: string, detail?: string) => problems.add(HOUSEHOLD_SHEET, row, header[key], code, detail);
  const byNaturalKey = new Map<string, string[]>();
  for (const h of input.households.values()) {
    const k = naturalKey(h.unitId, h.address, h.headName);
    const ids = byNaturalKey.get(k) ?? [];
    ids.push(h.id);
    byNaturalKey.set(k, ids);
  }
  const claimed = new Map<string, number>();
  for (const { row, cells } of rows) {
    if (!cells.id) continue;
    if (!input.households.has(cells.id)) bad(row, 'id', 'ROSTER_HOUSEHOLD_UNKNOWN');
    else if (claimed.has(cells.id)) bad(row, 'id', 'ROSTER_DUPLICATE', `与第${claimed.get(cells.id)}行重复`);
    else claimed.set(cells.id, row);
  }

  const stamp = { v: 0, hlc: formatHlc({ wall: input.now.getTime(), counter: 0, node: 'roster-import' }), by: input.scope.userId };
  const newKeys = new Map<string, number>();
  for (const { row, cells } of rows) {
    for (const c of HOUSEHOLD_COLUMNS) if ('required' in c && !cells[c.key]) bad(row, c.key, 'ROSTER_REQUIRED');
    if (cells.headName && !isName(cells.headName)) bad(row, 'headName', 'ROSTER_NAME_INVALID');
    if (cells.phone && !isPhone(cells.phone)) bad(row, 'phone', 'ROSTER_PHONE_INVALID');
    if (cells.notes && !isNotes(cells.notes)) bad(row, 'notes', 'ROSTER_TEXT_INVALID', '不超过2000字');
    const size = /^[0-9]{1,3}$/.test(cells.size) ? Number(cells.size) : NaN;
    if (cells.size && !(size >= SIZE_RANGE.min && size <= SIZE_RANGE.max)) bad(row, 'size', 'ROSTER_SIZE_INVALID');
    const tags = parseCareTags(cells.careTags);
    if (tags.unknown.length) bad(row, 'careTags', 'ROSTER_CARE_TAG_UNKNOWN', tags.unknown.join('、'));

    const answer = cells.unit ? input.unitAt(cells.unit) : null;
    if (answer && 'problem' in answer) bad(row, 'unit', answer.problem, cells.unit);
    const unit = answer && 'unit' in answer ? answer.unit : null;
    const grid = unit ? gridOf(unit.kind, unit.parentKind) : null;
    if (unit && !grid) bad(row, 'unit', 'UNIT_NOT_LIAISON', cells.unit);
    let address: Address | null = null;
    if (grid === 'village') {
      for (const k of URBAN_PARTS) if (cells[k]) bad(row, k, 'ADDRESS_KIND_MISMATCH');
      if (!cells.houseNumber) bad(row, 'houseNumber', 'ROSTER_REQUIRED');
      else if (!isPart(cells.houseNumber)) bad(row, 'houseNumber', 'ROSTER_TEXT_INVALID', '不超过20字');
      else address = { kind: 'village', houseNumber: cells.houseNumber };
    } else if (grid === 'urban') {
      if (cells.houseNumber) bad(row, 'houseNumber', 'ADDRESS_KIND_MISMATCH');
      for (const k of URBAN_PARTS) {
        if (!cells[k]) bad(row, k, 'ROSTER_REQUIRED');
        else if (!isPart(cells[k])) bad(row, k, 'ROSTER_TEXT_INVALID', '不超过20字');
      }
      address = { kind: 'urban', building: cells.building, entrance: cells.entrance, room: cells.room };
    }

    let memberId: string | null = null;
    if (cells.memberPhone) {
      const liaison = isPhone(cells.memberPhone) ? people.members.get(cells.memberPhone) : undefined;
      if (!isPhone(cells.memberPhone)) bad(row, 'memberPhone', 'ROSTER_PHONE_INVALID');
      else if (!liaison) bad(row, 'memberPhone', 'ROSTER_MEMBER_PHONE_UNKNOWN');
      else if (unit && liaison.unitId !== unit.id) bad(row, 'memberPhone', 'MEMBER_UNIT_MISMATCH');
      else memberId = liaison.memberId;
    }
    if (problems.bad(HOUSEHOLD_SHEET, row) || !unit || !address) continue;

    let id = cells.id;
    if (!id) {
      const key = naturalKey(unit.id, address, cells.headName);
      const twin = newKeys.get(key);
      if (twin !== undefined) {
        bad(row, 'headName', 'ROSTER_DUPLICATE', `与第${twin}行的组织、住址、户主相同`);
        continue;
      }
      newKeys.set(key, row);
      id = (byNaturalKey.get(key) ?? []).find((x) => !claimed.has(x)) ?? '';
      if (id) claimed.set(id, row);
    }
    const before = id ? input.households.get(id)! : null;
    // A liaison whose membership was retired has no phone in the export: a blank keeps them (the people screen settles it).
    if (!cells.memberPhone && before?.memberId && input.retiredMembers.has(before.memberId)) memberId = before.memberId;
    const values = {
      headName: cells.headName, phone: cells.phone || null, unitId: unit.id, memberId, size, address,
      careTags: before && sameTags(before.careTags, tags.codes) ? before.careTags : tags.codes, notes: cells.notes,
    };
    if (!before) {
      plan.households.created++;
      plan.householdWrites.push({
        row: { id: input.newId(), ...values, updatedAt: input.now.toISOString(), fieldMeta: {} }, before: null, unitPath: unit.path, sheetRow: row,
      });
      continue;
    }
    const changed = (Object.keys(values) as (keyof typeof values)[]).filter((k) => !sameValue(before[k], values[k]));
    if (changed.length === 0) {
      plan.households.unchanged++;
      continue;
    }
    plan.households.updated++;
    // Each edited field's version moves on, so a phone's offline edit of it meets the import as a conflict.
    const fieldMeta = { ...before.fieldMeta };
    for (const f of changed) if (f in HOUSEHOLD_FIELD_POLICIES) fieldMeta[f] = { ...stamp, v: (fieldMeta[f]?.v ?? 0) + 1 };
    plan.householdWrites.push({ row: { ...before, ...values, updatedAt: input.now.toISOString(), fieldMeta }, before, unitPath: unit.path, sheetRow: row });
  }
  checkLoads(input, plan, problems, people);
}

/** The 3–5 rule's maximum after the import, and members moved away from households left behind. */
function checkLoads(input: PlanInput, plan: RosterPlan, problems: Problems, people: PeopleOutcome): void {
  const held = new Map<string, number>();
  const written = new Set(plan.householdWrites.map((w) => w.before?.id).filter(Boolean));
  const add = (memberId: string | null, n: number) => memberId && held.set(memberId, (held.get(memberId) ?? 0) + n);
  for (const h of input.households.values()) add(h.memberId, 1);
  for (const w of plan.householdWrites) {
    add(w.before?.memberId ?? null, -1);
    add(w.row.memberId, 1);
  }
  for (const w of plan.householdWrites) {
    const m = w.row.memberId;
    if (!m || m === w.before?.memberId || (held.get(m) ?? 0) <= input.limits.max) continue;
    problems.add(HOUSEHOLD_SHEET, w.sheetRow, header.memberPhone, 'MEMBER_AT_CAPACITY', `每名党员最多联系${input.limits.max}户，导入后为${held.get(m)}户`);
  }
  if (people.moved.size === 0) return;
  for (const h of input.households.values()) {
    const move = h.memberId ? people.moved.get(h.memberId) : undefined;
    if (move && h.unitId !== move.unitId && !written.has(h.id)) {
      problems.add(PEOPLE_SHEET, move.row, PEOPLE_COLUMNS.find((c) => c.key === 'unit')!.header, 'ROSTER_MEMBER_MOVE_BLOCKED');
      people.moved.delete(h.memberId!);
    }
  }
}
